// Reading and writing triangle meshes (OBJ, STL, PLY) at the file edge: three's loaders do the
// parsing, this module validates around them so bad files fail with one clear line naming the file.
import { UserInputError } from '../core/errors.js';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { BufferGeometry } from 'three';
import { OBJLoader } from 'three/examples/jsm/loaders/OBJLoader.js';
import { PLYLoader } from 'three/examples/jsm/loaders/PLYLoader.js';
import { STLLoader } from 'three/examples/jsm/loaders/STLLoader.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { Mesh } from './mesh.js';

export type MeshFormat = 'obj' | 'stl' | 'ply';

/** Every problem with a mesh file; the message is always `<file>: <problem>` on one line. */
export class MeshFormatError extends UserInputError {
  declare readonly file: string;
  constructor(file: string, readonly problem: string) {
    super(`${file}: ${problem.replace(/\s*[\r\n]+\s*/g, ' ')}`, { file });
    this.name = 'MeshFormatError';
  }
}

/** Formats this module reads and writes, keyed by lower-case extension with the dot. */
const EXTENSIONS: Record<string, MeshFormat> = { '.obj': 'obj', '.stl': 'stl', '.ply': 'ply' };

/** The mesh format implied by a path's extension (case-insensitive), or undefined. */
export function meshFormatFromPath(path: string): MeshFormat | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

function requireFormat(path: string): MeshFormat {
  const format = meshFormatFromPath(path);
  if (format === undefined) {
    const ext = extname(path);
    throw new MeshFormatError(
      path,
      `unknown mesh file extension ${ext === '' ? '(none)' : `'${ext}'`}; expected .obj, .stl or .ply`,
    );
  }
  return format;
}

/** Reads a mesh file, choosing the parser by extension (.obj, .stl ASCII/binary, .ply ASCII/binary). */
export async function loadMesh(path: string): Promise<Mesh> {
  const format = requireFormat(path);
  let data: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new MeshFormatError(path, 'is a directory, expected a mesh file');
    data = await readFile(path);
  } catch (err) {
    if (err instanceof MeshFormatError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MeshFormatError(path, 'file not found');
    if (code === 'EACCES') throw new MeshFormatError(path, 'permission denied');
    throw new MeshFormatError(path, `cannot read file (${(err as Error).message})`);
  }
  return parseMesh(data, format, path);
}

/**
 * Parses mesh bytes of the given format into an indexed mesh whose vertices are welded by exact
 * position (so watertightness can be checked) and whose repeated-corner triangles are dropped.
 */
export function parseMesh(data: Uint8Array | ArrayBuffer, format: MeshFormat | string, nameForErrors: string): Mesh {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const fmt = format.toLowerCase().replace(/^\./, '');
  if (fmt !== 'obj' && fmt !== 'stl' && fmt !== 'ply') {
    throw new MeshFormatError(nameForErrors, `unknown mesh format '${format}'; expected obj, stl or ply`);
  }
  if (bytes.length === 0) throw new MeshFormatError(nameForErrors, `empty file, expected ${fmt.toUpperCase()} mesh data`);
  try {
    if (fmt === 'obj') return parseObj(bytes, nameForErrors);
    if (fmt === 'stl') return parseStl(bytes, nameForErrors);
    return parsePly(bytes, nameForErrors);
  } catch (err) {
    if (err instanceof MeshFormatError) throw err;
    // three's loaders throw TypeError/RangeError on malformed input; never let those escape raw.
    throw new MeshFormatError(nameForErrors, `malformed ${fmt.toUpperCase()} data (${String((err as Error)?.message ?? err)})`);
  }
}

// ---------------------------------------------------------------------------------------------
// three's loaders report some problems on the console instead of throwing; collect those so they
// become our errors (or are dropped) instead of noise on the user's terminal.

function quietly<T>(fn: () => T): { value: T; messages: string[] } {
  const messages: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const collect = (...args: unknown[]): void => {
    messages.push(args.map(String).join(' '));
  };
  console.log = collect;
  console.warn = collect;
  console.error = collect;
  try {
    return { value: fn(), messages };
  } finally {
    console.log = saved.log;
    console.warn = saved.warn;
    console.error = saved.error;
  }
}

/** A private, exactly sized ArrayBuffer (three's PLY loader tests `instanceof ArrayBuffer` and reads from 0). */
function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return copy;
}

const decodeText = (bytes: Uint8Array): string => new TextDecoder('utf-8').decode(bytes);

// ---------------------------------------------------------------------------------------------
// Welding: turn a triangle soup (or an indexed mesh with duplicate positions) into an indexed mesh
// with one vertex per distinct position.

/**
 * Builds an indexed mesh from corner positions. `positions` holds xyz per source vertex; `indices`
 * names three source vertices per triangle (null: consecutive triples). Vertices with bit-identical
 * float32 positions (−0 treated as +0) merge; unreferenced vertices disappear; triangles whose
 * corners weld together are dropped because they have no area and no orientation.
 */
export function weldVertices(positions: ArrayLike<number>, indices: ArrayLike<number> | null = null): Mesh {
  const sourceCount = Math.floor(positions.length / 3);
  const cornerCount = indices === null ? sourceCount - (sourceCount % 3) : indices.length - (indices.length % 3);
  const remap = new Int32Array(sourceCount).fill(-1);
  const capacity = 1 << Math.max(4, Math.ceil(Math.log2(Math.max(1, Math.min(sourceCount, cornerCount)) * 2 + 1)));
  const table = new Int32Array(capacity).fill(-1);
  const mask = capacity - 1;
  const out = new Float32Array(Math.min(sourceCount, cornerCount) * 3);
  const outBits = new Uint32Array(out.buffer);
  const scratch = new Float32Array(3);
  const scratchBits = new Uint32Array(scratch.buffer);
  let unique = 0;

  const weldOne = (src: number): number => {
    const known = remap[src];
    if (known >= 0) return known;
    for (let k = 0; k < 3; k++) {
      const v = positions[src * 3 + k];
      scratch[k] = v === 0 ? 0 : v; // folds −0 into +0 so they weld
    }
    const a = scratchBits[0], b = scratchBits[1], c = scratchBits[2];
    let h = Math.imul(a ^ (a >>> 15), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35) ^ Math.imul(c ^ (c >>> 16), 0x27d4eb2f);
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const id = table[h];
      if (id < 0) {
        table[h] = unique;
        outBits[unique * 3] = a;
        outBits[unique * 3 + 1] = b;
        outBits[unique * 3 + 2] = c;
        remap[src] = unique;
        return unique++;
      }
      if (outBits[id * 3] === a && outBits[id * 3 + 1] === b && outBits[id * 3 + 2] === c) {
        remap[src] = id;
        return id;
      }
      h = (h + 1) & mask;
    }
  };

  const tris = new Uint32Array(cornerCount);
  let t = 0;
  if (indices !== null) {
    for (let i = 0; i < cornerCount; i++) {
      const s = indices[i];
      if (!(s >= 0 && s < sourceCount && Number.isInteger(s))) throw new RangeError(`index ${s} out of range for ${sourceCount} vertices`);
    }
  }
  for (let i = 0; i < cornerCount; i += 3) {
    const i0 = indices === null ? i : indices[i];
    const i1 = indices === null ? i + 1 : indices[i + 1];
    const i2 = indices === null ? i + 2 : indices[i + 2];
    const a = weldOne(i0), b = weldOne(i1), c = weldOne(i2);
    if (a === b || b === c || a === c) continue;
    tris[t++] = a;
    tris[t++] = b;
    tris[t++] = c;
  }
  if (t === cornerCount) return { vertices: out.slice(0, unique * 3), triangles: tris };
  // Dropped triangles may have been the only users of some vertices: compact those away.
  const keep = new Int32Array(unique).fill(-1);
  let kept = 0;
  for (let i = 0; i < t; i++) if (keep[tris[i]] < 0) keep[tris[i]] = kept++;
  const vertices = new Float32Array(kept * 3);
  for (let id = 0; id < unique; id++) {
    const to = keep[id];
    if (to >= 0) vertices.set(out.subarray(id * 3, id * 3 + 3), to * 3);
  }
  const triangles = new Uint32Array(t);
  for (let i = 0; i < t; i++) triangles[i] = keep[tris[i]];
  return { vertices, triangles };
}

/** Rejects non-finite coordinates and out-of-range indices, then welds. */
function finish(
  name: string,
  positions: ArrayLike<number>,
  indices: ArrayLike<number> | null,
  what: string,
): Mesh {
  const n = Math.floor(positions.length / 3);
  for (let i = 0; i < n * 3; i++) {
    // Checked in float32 because that is what the mesh stores: 1e39 is finite as a double only.
    if (!Number.isFinite(Math.fround(positions[i]))) {
      const where = what === 'corner' ? `triangle ${Math.floor(i / 9)}` : `${what} ${Math.floor(i / 3)}`;
      throw new MeshFormatError(name, `${where} has a non-finite coordinate (${positions[i]}); expected finite float32 numbers`);
    }
  }
  if (indices !== null) {
    for (let i = 0; i < indices.length; i++) {
      const v = indices[i];
      if (!(Number.isInteger(v) && v >= 0 && v < n)) {
        throw new MeshFormatError(name, `triangle ${Math.floor(i / 3)} uses vertex index ${v}, out of range for ${n} vertices`);
      }
    }
  }
  const mesh = weldVertices(positions, indices);
  if (mesh.triangles.length === 0) throw new MeshFormatError(name, 'no triangles with three distinct vertices');
  return mesh;
}

function geometryArrays(geometry: BufferGeometry): { positions: ArrayLike<number>; indices: ArrayLike<number> | null } {
  const position = geometry.getAttribute('position');
  if (position === undefined) return { positions: new Float32Array(0), indices: null };
  const positions = position.array as ArrayLike<number>;
  const index = geometry.getIndex();
  return { positions, indices: index === null ? null : (index.array as ArrayLike<number>) };
}

// ---------------------------------------------------------------------------------------------
// OBJ

/** True when the bytes hold NUL or other control bytes that never occur in a text OBJ file. */
function looksBinary(bytes: Uint8Array): boolean {
  // A single trailing NUL occurs in real files (three tolerates it too).
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0 ? bytes.length - 1 : bytes.length;
  const limit = Math.min(end, 1 << 16);
  for (let i = 0; i < limit; i++) {
    const b = bytes[i];
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) return true;
  }
  return false;
}

function parseObj(bytes: Uint8Array, name: string): Mesh {
  if (looksBinary(bytes)) throw new MeshFormatError(name, 'contains binary (control) bytes; expected a text OBJ file');
  let text = decodeText(bytes);
  // The same line rules three applies, so line numbers in our errors match what three sees.
  if (text.includes('\r\n')) text = text.replace(/\r\n/g, '\n');
  if (text.includes('\\\n')) text = text.replace(/\\\n/g, '');
  const lines = text.split('\n');
  const kept: string[] = [];
  let vertexCount = 0;
  let faceCount = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li].trimStart();
    if (line.length === 0 || line[0] === '#') continue;
    const first = line[0];
    // Line and point elements would switch three's current object to a Line/Points geometry and mix
    // their vertices with the faces, so they are left out (they carry no surface anyway).
    if (first === 'l' || first === 'p') continue;
    kept.push(line);
    if (first === 'v') {
      const data = line.split(/\s+/);
      if (data[0] !== 'v') continue;
      for (let k = 1; k <= 3; k++) {
        const value = parseFloat(data[k]);
        if (data[k] === undefined || Number.isNaN(value)) {
          throw new MeshFormatError(name, `line ${li + 1}: vertex needs three numeric coordinates, got '${clip(line)}'`);
        }
        if (!Number.isFinite(Math.fround(value))) {
          throw new MeshFormatError(name, `line ${li + 1}: vertex has a non-finite coordinate '${data[k]}'; expected finite float32 numbers`);
        }
      }
      vertexCount++;
    } else if (first === 'f') {
      const corners = line.slice(1).trim().split(/\s+/).filter((s) => s.length > 0);
      if (corners.length < 3) {
        throw new MeshFormatError(name, `line ${li + 1}: face needs at least 3 vertices, got '${clip(line)}'`);
      }
      for (const corner of corners) {
        const ref = corner.split('/')[0];
        if (!/^[+-]?\d+$/.test(ref)) {
          throw new MeshFormatError(name, `line ${li + 1}: face vertex '${clip(corner)}' is not an integer index`);
        }
        const index = parseInt(ref, 10);
        if (index === 0 || index > vertexCount || index < -vertexCount) {
          throw new MeshFormatError(
            name,
            `line ${li + 1}: face vertex index ${index} out of range (${vertexCount} vertices defined so far; OBJ indices start at 1)`,
          );
        }
      }
      faceCount++;
    }
  }
  if (faceCount === 0) {
    throw new MeshFormatError(name, `no faces ('f' lines) found (${vertexCount} vertices); expected a triangle mesh`);
  }
  const { value: group } = quietly(() => new OBJLoader().parse(kept.join('\n')));
  // Every object and group becomes one mesh: grasp planning treats the file as one rigid body.
  const parts: ArrayLike<number>[] = [];
  let total = 0;
  group.traverse((child) => {
    const maybe = child as unknown as { isMesh?: boolean; geometry?: BufferGeometry };
    if (maybe.isMesh === true && maybe.geometry !== undefined) {
      const { positions } = geometryArrays(maybe.geometry);
      parts.push(positions);
      total += positions.length;
    }
  });
  const soup = new Float64Array(total);
  let offset = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) soup[offset + i] = part[i];
    offset += part.length;
  }
  return finish(name, soup, null, 'corner');
}

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

// ---------------------------------------------------------------------------------------------
// STL

function startsWithSolid(bytes: Uint8Array): boolean {
  // ASCII STL must open with 'solid'; a UTF-8 byte-order mark or leading blanks are tolerated as
  // three's own text parser tolerates them.
  const head = decodeText(bytes.subarray(0, 16)).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('solid');
}

function parseStl(bytes: Uint8Array, name: string): Mesh {
  const declared = bytes.length >= 84 ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true) : -1;
  const expected = declared >= 0 ? 84 + 50 * declared : -1;
  if (expected === bytes.length) {
    if (declared === 0) throw new MeshFormatError(name, 'binary STL declares 0 triangles; expected at least one');
    const { value: geometry } = quietly(() => new STLLoader().parse(ownArrayBuffer(bytes)));
    const { positions } = geometryArrays(geometry);
    return finish(name, positions, null, 'corner');
  }
  const binaryHint =
    declared >= 0
      ? `binary STL of ${declared} triangles needs 84 + 50·${declared} = ${expected} bytes, got ${bytes.length}`
      : `binary STL needs at least 84 bytes, got ${bytes.length}`;
  if (!startsWithSolid(bytes)) {
    throw new MeshFormatError(name, `truncated or corrupt binary STL: ${binaryHint} (and it does not start with 'solid', so it is not ASCII STL)`);
  }
  if (looksBinary(bytes)) {
    throw new MeshFormatError(name, `starts with 'solid' but holds binary bytes; as binary STL: ${binaryHint}`);
  }
  // three sniffs the triangle count at byte 80 even for text and throws on shorter input, so a tiny
  // ASCII file gets trailing blanks (harmless to the ASCII grammar).
  const text = decodeText(bytes);
  const padded = text.length < 100 ? text.padEnd(100, ' ') : text;
  const { value: geometry, messages } = quietly(() => new STLLoader().parse(padded));
  const bad = messages.find((m) => m.includes('vertices of face'));
  if (bad !== undefined) {
    const face = /face number (\d+)/.exec(bad)?.[1] ?? '?';
    throw new MeshFormatError(name, `ASCII STL facet ${face} does not have exactly 3 'vertex x y z' lines`);
  }
  const { positions } = geometryArrays(geometry);
  if (positions.length === 0) {
    throw new MeshFormatError(name, "ASCII STL has no 'facet … endfacet' inside a complete 'solid … endsolid' block; expected at least one triangle");
  }
  return finish(name, positions, null, 'corner');
}

// ---------------------------------------------------------------------------------------------
// PLY: the header is checked and the body walked here before three parses it, because three drops
// faces that are not triangles or quads without a word and misreads truncated data.

const PLY_TYPE_SIZE: Record<string, number> = {
  char: 1, uchar: 1, int8: 1, uint8: 1,
  short: 2, ushort: 2, int16: 2, uint16: 2,
  int: 4, uint: 4, int32: 4, uint32: 4,
  float: 4, float32: 4, double: 8, float64: 8,
};
const PLY_INTEGER = new Set(['char', 'uchar', 'int8', 'uint8', 'short', 'ushort', 'int16', 'uint16', 'int', 'uint', 'int32', 'uint32']);

interface PlyProperty {
  name: string;
  type: string; // scalar type, or item type of a list
  countType: string | null; // non-null for lists
}
interface PlyElement {
  name: string;
  count: number;
  properties: PlyProperty[];
}
interface PlyHeader {
  format: 'ascii' | 'binary_little_endian' | 'binary_big_endian';
  elements: PlyElement[];
  headerLength: number;
}

/** Most elements one PLY file may declare; keeps a corrupted count from driving a long loop. */
const MAX_PLY_COUNT = 1 << 28;

function readPlyHeader(bytes: Uint8Array, name: string): PlyHeader {
  // Split lines exactly as three does (on \r or \n, stopping at the line 'end_header') so both
  // agree on where the body starts.
  const lines: string[] = [];
  let line = '';
  let i = 0;
  let done = false;
  const limit = Math.min(bytes.length, 1 << 20);
  while (i < limit) {
    const c = bytes[i++];
    if (c !== 10 && c !== 13) {
      line += String.fromCharCode(c);
    } else {
      if (line === 'end_header') {
        done = true;
        break;
      }
      if (line !== '') lines.push(line);
      line = '';
    }
  }
  // three matches /^ply/ on the header text, so a leading space would make it see no header at all.
  if (lines.length === 0 || lines[0].trimEnd() !== 'ply') {
    throw new MeshFormatError(name, "not a PLY file: expected the first line to be 'ply'");
  }
  if (!done) throw new MeshFormatError(name, "PLY header has no 'end_header' line");
  let headerLength = i;
  if (bytes.length >= 5 && bytes[3] === 13 && bytes[4] === 10) headerLength++;

  let format: PlyHeader['format'] | undefined;
  const elements: PlyElement[] = [];
  for (let li = 1; li < lines.length; li++) {
    const words = lines[li].trim().split(/\s+/);
    const keyword = words[0];
    if (keyword === '' || keyword === 'comment' || keyword === 'obj_info') continue;
    if (keyword === 'format') {
      if (words[1] !== 'ascii' && words[1] !== 'binary_little_endian' && words[1] !== 'binary_big_endian') {
        throw new MeshFormatError(name, `unknown PLY format '${clip(words[1] ?? '')}'; expected ascii, binary_little_endian or binary_big_endian`);
      }
      format = words[1];
    } else if (keyword === 'element') {
      if (words.length !== 3 || !/^\d+$/.test(words[2])) {
        throw new MeshFormatError(name, `bad PLY header line '${clip(lines[li])}'; expected 'element <name> <count>'`);
      }
      const count = parseInt(words[2], 10);
      if (count > MAX_PLY_COUNT) throw new MeshFormatError(name, `PLY element '${words[1]}' count ${count} is larger than the supported ${MAX_PLY_COUNT}`);
      if (elements.some((e) => e.name === words[1])) throw new MeshFormatError(name, `PLY header declares element '${words[1]}' twice`);
      elements.push({ name: words[1], count, properties: [] });
    } else if (keyword === 'property') {
      const element = elements[elements.length - 1];
      if (element === undefined) throw new MeshFormatError(name, `PLY header has a property before any element: '${clip(lines[li])}'`);
      if (words[1] === 'list') {
        if (words.length !== 5 || !PLY_INTEGER.has(words[2]) || PLY_TYPE_SIZE[words[3]] === undefined) {
          throw new MeshFormatError(name, `bad PLY list property '${clip(lines[li])}'; expected 'property list <integer type> <type> <name>'`);
        }
        element.properties.push({ name: words[4], type: words[3], countType: words[2] });
      } else {
        if (words.length !== 3 || PLY_TYPE_SIZE[words[1]] === undefined) {
          throw new MeshFormatError(name, `bad PLY property '${clip(lines[li])}'; expected 'property <type> <name>' with a known type`);
        }
        element.properties.push({ name: words[2], type: words[1], countType: null });
      }
    } else {
      throw new MeshFormatError(name, `unexpected PLY header line '${clip(lines[li])}'`);
    }
  }
  if (format === undefined) throw new MeshFormatError(name, "PLY header has no 'format' line");
  for (const e of elements) {
    if (e.properties.length === 0) throw new MeshFormatError(name, `PLY element '${e.name}' has no properties`);
  }
  return { format, elements, headerLength };
}

/** The names three looks up for positions, in its order of preference. */
const POSITION_NAMES = [['x', 'px', 'posx'], ['y', 'py', 'posy'], ['z', 'pz', 'posz']];

function checkPlyLayout(header: PlyHeader, name: string): { vertexCount: number; faceCount: number; faceList: number } {
  const vertex = header.elements.find((e) => e.name === 'vertex');
  if (vertex === undefined) throw new MeshFormatError(name, "PLY has no 'vertex' element");
  for (const axis of POSITION_NAMES) {
    const prop = axis.map((n) => vertex.properties.find((p) => p.name === n)).find((p) => p !== undefined);
    if (prop === undefined) throw new MeshFormatError(name, `PLY vertex element has no '${axis[0]}' property`);
    if (prop.countType !== null) throw new MeshFormatError(name, `PLY vertex property '${prop.name}' is a list; expected a number`);
  }
  const face = header.elements.find((e) => e.name === 'face');
  if (face === undefined || face.count === 0) {
    throw new MeshFormatError(name, `PLY has no faces (${vertex.count} vertices, no 'face' element with entries); expected a triangle mesh, not a point cloud`);
  }
  let faceList = face.properties.findIndex((p) => p.name === 'vertex_indices');
  if (faceList < 0) faceList = face.properties.findIndex((p) => p.name === 'vertex_index');
  if (faceList < 0 || face.properties[faceList].countType === null) {
    throw new MeshFormatError(name, "PLY face element has no 'vertex_indices' list property");
  }
  if (!PLY_INTEGER.has(face.properties[faceList].type)) {
    throw new MeshFormatError(name, `PLY face indices have type '${face.properties[faceList].type}'; expected an integer type`);
  }
  return { vertexCount: vertex.count, faceCount: face.count, faceList };
}

function faceSizeError(name: string, face: number, n: number): MeshFormatError {
  return new MeshFormatError(name, `PLY face ${face} has ${n} vertices; only triangles and quads are supported`);
}

function faceIndexError(name: string, face: number, index: number, vertexCount: number): MeshFormatError {
  return new MeshFormatError(name, `PLY face ${face} uses vertex index ${index}, out of range for ${vertexCount} vertices`);
}

function walkBinaryPly(bytes: Uint8Array, header: PlyHeader, name: string, vertexCount: number, faceList: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = header.format === 'binary_little_endian';
  const end = bytes.length;
  const read = (type: string, at: number): number => {
    switch (type) {
      case 'char': case 'int8': return view.getInt8(at);
      case 'uchar': case 'uint8': return view.getUint8(at);
      case 'short': case 'int16': return view.getInt16(at, little);
      case 'ushort': case 'uint16': return view.getUint16(at, little);
      case 'int': case 'int32': return view.getInt32(at, little);
      default: return view.getUint32(at, little);
    }
  };
  const summary = header.elements.map((e) => `${e.count} ${e.name}`).join(', ');
  let at = header.headerLength;
  for (const element of header.elements) {
    const isFace = element.name === 'face';
    for (let k = 0; k < element.count; k++) {
      for (let p = 0; p < element.properties.length; p++) {
        const prop = element.properties[p];
        const itemSize = PLY_TYPE_SIZE[prop.type];
        if (prop.countType === null) {
          at += itemSize;
        } else {
          const countSize = PLY_TYPE_SIZE[prop.countType];
          if (at + countSize > end) at = end + 1;
          else {
            const n = read(prop.countType, at);
            at += countSize;
            if (n < 0) throw new MeshFormatError(name, `PLY ${element.name} ${k} has a negative list length ${n}`);
            if (isFace && p === faceList) {
              if (n !== 3 && n !== 4) throw faceSizeError(name, k, n);
              if (at + n * itemSize <= end) {
                for (let j = 0; j < n; j++) {
                  const index = read(prop.type, at + j * itemSize);
                  if (index < 0 || index >= vertexCount) throw faceIndexError(name, k, index, vertexCount);
                }
              }
            }
            at += n * itemSize;
          }
        }
        if (at > end) {
          throw new MeshFormatError(
            name,
            `truncated binary PLY: data ends inside ${element.name} ${k} of ${element.count} (header declares ${summary})`,
          );
        }
      }
    }
  }
}

function walkAsciiPly(bytes: Uint8Array, header: PlyHeader, name: string, vertexCount: number, faceList: number): void {
  const body = decodeText(bytes.subarray(header.headerLength)).trim();
  const tokens = body === '' ? [] : body.split(/\s+/);
  const summary = header.elements.map((e) => `${e.count} ${e.name}`).join(', ');
  let t = 0;
  const next = (element: PlyElement, k: number, prop: PlyProperty, integer: boolean): number => {
    if (t >= tokens.length) {
      throw new MeshFormatError(name, `ASCII PLY data ends early, inside ${element.name} ${k} of ${element.count} (header declares ${summary})`);
    }
    const token = tokens[t++];
    const ok = integer ? /^[+-]?\d+$/.test(token) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(token);
    if (!ok) {
      throw new MeshFormatError(
        name,
        `ASCII PLY ${element.name} ${k}, property '${prop.name}': expected ${integer ? 'an integer' : 'a number'}, got '${clip(token)}'`,
      );
    }
    return Number(token);
  };
  for (const element of header.elements) {
    const isFace = element.name === 'face';
    for (let k = 0; k < element.count; k++) {
      for (let p = 0; p < element.properties.length; p++) {
        const prop = element.properties[p];
        if (prop.countType === null) {
          next(element, k, prop, PLY_INTEGER.has(prop.type));
          continue;
        }
        const n = next(element, k, prop, true);
        if (n < 0) throw new MeshFormatError(name, `PLY ${element.name} ${k} has a negative list length ${n}`);
        if (isFace && p === faceList && n !== 3 && n !== 4) throw faceSizeError(name, k, n);
        for (let j = 0; j < n; j++) {
          const value = next(element, k, prop, PLY_INTEGER.has(prop.type));
          if (isFace && p === faceList && (value < 0 || value >= vertexCount)) throw faceIndexError(name, k, value, vertexCount);
        }
      }
    }
  }
}

function parsePly(bytes: Uint8Array, name: string): Mesh {
  const header = readPlyHeader(bytes, name);
  const { vertexCount, faceList } = checkPlyLayout(header, name);
  if (header.format === 'ascii') {
    if (looksBinary(bytes)) throw new MeshFormatError(name, 'ASCII PLY holds binary (control) bytes');
    walkAsciiPly(bytes, header, name, vertexCount, faceList);
  } else {
    walkBinaryPly(bytes, header, name, vertexCount, faceList);
  }
  const { value: geometry } = quietly(() => new PLYLoader().parse(ownArrayBuffer(bytes)));
  const { positions, indices } = geometryArrays(geometry);
  if (positions.length / 3 !== vertexCount && indices !== null) {
    throw new MeshFormatError(name, `PLY header declares ${vertexCount} vertices but ${positions.length / 3} were read`);
  }
  return finish(name, positions, indices, 'vertex');
}

// ---------------------------------------------------------------------------------------------
// Writers

/** Shortest decimal that reads back as the same float32, so text files round-trip exactly. */
function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (f === 0 || !Number.isFinite(f)) return f === 0 ? '0' : String(f);
  // Round-tripping is monotone in the digit count (more digits land closer), so bisect 1..9;
  // 9 significant digits always suffice for float32.
  let lo = 1, hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(f.toPrecision(mid))) === f) hi = mid;
    else lo = mid + 1;
  }
  return normalizeNumber(f.toPrecision(lo));
}

/** formatFloat32 of every vertex coordinate once, for writers that repeat vertices per triangle. */
function formatVertices(v: Float32Array): string[] {
  const out = new Array<string>(v.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = `${formatFloat32(v[i * 3])} ${formatFloat32(v[i * 3 + 1])} ${formatFloat32(v[i * 3 + 2])}`;
  return out;
}

/** Strips toPrecision's trailing zeros ("1.500" → "1.5", "1.50e-7" → "1.5e-7"). */
function normalizeNumber(s: string): string {
  const [mantissa, exponent] = s.split('e');
  const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exponent === undefined ? m : `${m}e${exponent}`;
}

const encodeText = (chunks: string[]): Uint8Array => new TextEncoder().encode(chunks.join(''));

/** Wavefront OBJ text: one `v` line per vertex and one 1-based `f` line per triangle. */
export function writeObj(mesh: Mesh): Uint8Array {
  const { vertices: v, triangles: t } = mesh;
  const chunks: string[] = [`# dexnet-ts mesh: ${v.length / 3} vertices, ${t.length / 3} triangles\n`];
  for (const line of formatVertices(v)) chunks.push(`v ${line}\n`);
  for (let i = 0; i < t.length; i += 3) chunks.push(`f ${t[i] + 1} ${t[i + 1] + 1} ${t[i + 2] + 1}\n`);
  return encodeText(chunks);
}

/** Unit normal of triangle `tri` (zero for a degenerate one), computed in float64. */
function faceNormal(mesh: Mesh, tri: number, out: Float64Array): void {
  const v = mesh.vertices, t = mesh.triangles;
  const a = t[tri * 3] * 3, b = t[tri * 3 + 1] * 3, c = t[tri * 3 + 2] * 3;
  const ux = v[b] - v[a], uy = v[b + 1] - v[a + 1], uz = v[b + 2] - v[a + 2];
  const wx = v[c] - v[a], wy = v[c + 1] - v[a + 1], wz = v[c + 2] - v[a + 2];
  const nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
  const len = Math.hypot(nx, ny, nz);
  const s = len > 0 ? 1 / len : 0;
  out[0] = nx * s;
  out[1] = ny * s;
  out[2] = nz * s;
}

/** STL (binary by default: 80-byte header, count, 50 bytes per triangle; or ASCII). */
export function writeStl(mesh: Mesh, options: { binary?: boolean; name?: string } = {}): Uint8Array {
  const binary = options.binary ?? true;
  const { vertices: v, triangles: t } = mesh;
  const count = t.length / 3;
  const normal = new Float64Array(3);
  if (binary) {
    const out = new Uint8Array(84 + 50 * count);
    // The header must not begin with 'solid', or readers may take the file for ASCII.
    out.set(new TextEncoder().encode('dexnet-ts binary STL'.padEnd(80, ' ')).subarray(0, 80));
    const view = new DataView(out.buffer);
    view.setUint32(80, count, true);
    for (let i = 0; i < count; i++) {
      let at = 84 + 50 * i;
      faceNormal(mesh, i, normal);
      for (let k = 0; k < 3; k++, at += 4) view.setFloat32(at, normal[k], true);
      for (let c = 0; c < 3; c++) {
        const base = t[i * 3 + c] * 3;
        for (let k = 0; k < 3; k++, at += 4) view.setFloat32(at, v[base + k], true);
      }
      view.setUint16(at, 0, true);
    }
    return out;
  }
  const solidName = (options.name ?? 'dexnet').replace(/\s+/g, '_');
  const chunks: string[] = [`solid ${solidName}\n`];
  const xyz = formatVertices(v);
  // Readers ignore or recompute facet normals, so a fixed 7 digits is plenty and much faster.
  const n = (x: number): string => normalizeNumber(x.toPrecision(7));
  for (let i = 0; i < count; i++) {
    faceNormal(mesh, i, normal);
    chunks.push(
      `  facet normal ${n(normal[0])} ${n(normal[1])} ${n(normal[2])}\n    outer loop\n` +
        `      vertex ${xyz[t[i * 3]]}\n      vertex ${xyz[t[i * 3 + 1]]}\n      vertex ${xyz[t[i * 3 + 2]]}\n` +
        '    endloop\n  endfacet\n',
    );
  }
  chunks.push(`endsolid ${solidName}\n`);
  return encodeText(chunks);
}

/** PLY with float x,y,z vertices and `list uchar int vertex_indices` faces (binary little-endian by default). */
export function writePly(mesh: Mesh, options: { binary?: boolean } = {}): Uint8Array {
  const binary = options.binary ?? true;
  const { vertices: v, triangles: t } = mesh;
  const nv = v.length / 3, nt = t.length / 3;
  const header =
    `ply\nformat ${binary ? 'binary_little_endian' : 'ascii'} 1.0\ncomment dexnet-ts\n` +
    `element vertex ${nv}\nproperty float x\nproperty float y\nproperty float z\n` +
    `element face ${nt}\nproperty list uchar int vertex_indices\nend_header\n`;
  const head = new TextEncoder().encode(header);
  if (!binary) {
    const chunks: string[] = [header];
    for (const line of formatVertices(v)) chunks.push(`${line}\n`);
    for (let i = 0; i < t.length; i += 3) chunks.push(`3 ${t[i]} ${t[i + 1]} ${t[i + 2]}\n`);
    return encodeText(chunks);
  }
  const out = new Uint8Array(head.length + 12 * nv + 13 * nt);
  out.set(head);
  const view = new DataView(out.buffer);
  let at = head.length;
  for (let i = 0; i < v.length; i++, at += 4) view.setFloat32(at, v[i], true);
  for (let i = 0; i < nt; i++) {
    view.setUint8(at++, 3);
    for (let c = 0; c < 3; c++, at += 4) view.setInt32(at, t[i * 3 + c], true);
  }
  return out;
}

/** Serialises a mesh in the given format (STL and PLY binary unless `binary: false`). */
export function serializeMesh(mesh: Mesh, format: MeshFormat, options: { binary?: boolean } = {}): Uint8Array {
  if (format === 'obj') return writeObj(mesh);
  if (format === 'stl') return writeStl(mesh, options);
  return writePly(mesh, options);
}

/**
 * Writes a mesh, format by extension, atomically: the bytes go to a temporary file in the same
 * folder which is then renamed, so readers never see a half-written mesh.
 */
export async function saveMesh(path: string, mesh: Mesh, options: { binary?: boolean } = {}): Promise<void> {
  const format = requireFormat(path);
  const bytes = serializeMesh(mesh, format, options);
  try {
    await writeFileAtomic(path, bytes);
  } catch (err) {
    throw new MeshFormatError(path, `cannot write mesh (${(err as Error).message})`);
  }
}
