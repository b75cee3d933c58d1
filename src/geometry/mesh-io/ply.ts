// Stanford PLY, ASCII and binary (either byte order): the header is checked, then one walk over the body both
// validates every element and collects positions and triangles (quads split in two). A declared count the body
// cannot hold is found before anything that size is allocated.
import { checkMeshBudget } from '../mesh-budget.js';
import type { Mesh } from '../mesh.js';
import { clip, MeshFormatError } from './errors.js';
import { encodeText, formatVertices } from './float-text.js';
import { decodeText, finishMesh, looksBinary } from './reader-support.js';

interface PlyLayout {
  vertexCount: number;
  faceCount: number;
  /** Index of the face element's vertex_indices list among its properties. */
  faceList: number;
  /** Indices of the x, y and z properties among the vertex element's properties. */
  axes: number[];
}

/** What the walk collects: null when the body is too short to hold the header's counts (the walk then throws). */
interface PlySink {
  positions: Float32Array | null;
  triangles: Uint32Array | null;
  triangleCount: number;
}

type PlyRead = (view: DataView, at: number, little: boolean) => number;

/** Each PLY scalar type: its PLY 1.0 name, its sized alias, its bytes, whether it is an integer, how to read it. */
const PLY_TYPES: ReadonlyArray<[string, string, number, boolean, PlyRead]> = [
  ['char', 'int8', 1, true, (v, at) => v.getInt8(at)],
  ['uchar', 'uint8', 1, true, (v, at) => v.getUint8(at)],
  ['short', 'int16', 2, true, (v, at, le) => v.getInt16(at, le)],
  ['ushort', 'uint16', 2, true, (v, at, le) => v.getUint16(at, le)],
  ['int', 'int32', 4, true, (v, at, le) => v.getInt32(at, le)],
  ['uint', 'uint32', 4, true, (v, at, le) => v.getUint32(at, le)],
  ['float', 'float32', 4, false, (v, at, le) => v.getFloat32(at, le)],
  ['double', 'float64', 8, false, (v, at, le) => v.getFloat64(at, le)],
];
const byName = <T>(pick: (t: (typeof PLY_TYPES)[number]) => T): Record<string, T> =>
  Object.fromEntries(PLY_TYPES.flatMap((t) => [t[0], t[1]].map((name) => [name, pick(t)])));
const PLY_TYPE_SIZE = byName((t) => t[2]);
const PLY_READ = byName((t) => t[4]);
const PLY_INTEGER = new Set(PLY_TYPES.filter((t) => t[3]).flatMap((t) => [t[0], t[1]]));

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
  // A CR LF after end_header is one line break, not a CR plus a body that starts with LF.
  const headerLength = bytes[i - 1] === 13 && bytes[i] === 10 ? i + 1 : i;

  let format: PlyHeader['format'] | undefined;
  const elements: PlyElement[] = [];
  for (let li = 1; li < lines.length; li++) {
    const words = lines[li].trim().split(/\s+/);
    const keyword = words[0];
    if (keyword === '' || keyword === 'comment' || keyword === 'obj_info') continue;
    if (keyword === 'format') {
      if (words[1] !== 'ascii' && words[1] !== 'binary_little_endian' && words[1] !== 'binary_big_endian') {
        throw new MeshFormatError(
          name,
          `unknown PLY format '${clip(words[1] ?? '')}'; expected ascii, binary_little_endian or binary_big_endian`,
        );
      }
      format = words[1];
    } else if (keyword === 'element') {
      if (words.length !== 3 || !/^\d+$/.test(words[2])) {
        throw new MeshFormatError(name, `bad PLY header line '${clip(lines[li])}'; expected 'element <name> <count>'`);
      }
      const count = parseInt(words[2], 10);
      if (count > MAX_PLY_COUNT)
        throw new MeshFormatError(
          name,
          `PLY element '${words[1]}' count ${count} is larger than the supported ${MAX_PLY_COUNT}`,
        );
      if (elements.some((e) => e.name === words[1]))
        throw new MeshFormatError(name, `PLY header declares element '${words[1]}' twice`);
      elements.push({ name: words[1], count, properties: [] });
    } else if (keyword === 'property') {
      const element = elements[elements.length - 1];
      if (element === undefined)
        throw new MeshFormatError(name, `PLY header has a property before any element: '${clip(lines[li])}'`);
      if (words[1] === 'list') {
        if (words.length !== 5 || !PLY_INTEGER.has(words[2]) || PLY_TYPE_SIZE[words[3]] === undefined) {
          throw new MeshFormatError(
            name,
            `bad PLY list property '${clip(lines[li])}'; expected 'property list <integer type> <type> <name>'`,
          );
        }
        element.properties.push({ name: words[4], type: words[3], countType: words[2] });
      } else {
        if (words.length !== 3 || PLY_TYPE_SIZE[words[1]] === undefined) {
          throw new MeshFormatError(
            name,
            `bad PLY property '${clip(lines[li])}'; expected 'property <type> <name>' with a known type`,
          );
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
const POSITION_NAMES = [
  ['x', 'px', 'posx'],
  ['y', 'py', 'posy'],
  ['z', 'pz', 'posz'],
];

function checkPlyLayout(header: PlyHeader, name: string): PlyLayout {
  const vertex = header.elements.find((e) => e.name === 'vertex');
  if (vertex === undefined) throw new MeshFormatError(name, "PLY has no 'vertex' element");
  const axes: number[] = [];
  for (const axis of POSITION_NAMES) {
    const at = axis.map((n) => vertex.properties.findIndex((p) => p.name === n)).find((k) => k >= 0);
    if (at === undefined) throw new MeshFormatError(name, `PLY vertex element has no '${axis[0]}' property`);
    const prop = vertex.properties[at];
    if (prop.countType !== null)
      throw new MeshFormatError(name, `PLY vertex property '${prop.name}' is a list; expected a number`);
    axes.push(at);
  }
  const face = header.elements.find((e) => e.name === 'face');
  if (face === undefined || face.count === 0) {
    throw new MeshFormatError(
      name,
      `PLY has no faces (${vertex.count} vertices, no 'face' element with entries); expected a triangle mesh, not a point cloud`,
    );
  }
  let faceList = face.properties.findIndex((p) => p.name === 'vertex_indices');
  if (faceList < 0) faceList = face.properties.findIndex((p) => p.name === 'vertex_index');
  if (faceList < 0 || face.properties[faceList].countType === null) {
    throw new MeshFormatError(name, "PLY face element has no 'vertex_indices' list property");
  }
  if (!PLY_INTEGER.has(face.properties[faceList].type)) {
    throw new MeshFormatError(
      name,
      `PLY face indices have type '${face.properties[faceList].type}'; expected an integer type`,
    );
  }
  // Quads become two triangles, so the budget sees twice the faces before anything is allocated for them.
  checkMeshBudget({ vertices: vertex.count, triangles: 2 * face.count }, name);
  return { vertexCount: vertex.count, faceCount: face.count, faceList, axes };
}

function faceSizeError(name: string, face: number, n: number): MeshFormatError {
  return new MeshFormatError(name, `PLY face ${face} has ${n} vertices; only triangles and quads are supported`);
}

function faceIndexError(name: string, face: number, index: number, vertexCount: number): MeshFormatError {
  return new MeshFormatError(
    name,
    `PLY face ${face} uses vertex index ${index}, out of range for ${vertexCount} vertices`,
  );
}

/** Appends a face (3 or 4 corners; quads split along their 0–2 diagonal) to the sink. */
function addFace(sink: PlySink, corners: number[], n: number): void {
  const t = sink.triangles;
  if (t === null) return;
  let k = sink.triangleCount * 3;
  t[k++] = corners[0];
  t[k++] = corners[1];
  t[k++] = corners[2];
  if (n === 4) {
    t[k++] = corners[0];
    t[k++] = corners[2];
    t[k++] = corners[3];
  }
  sink.triangleCount += n === 4 ? 2 : 1;
}

/** Smallest body that can hold the header's counts (lists at least their count field), in bytes. */
function minimalBinaryBody(header: PlyHeader): number {
  let size = 0;
  for (const e of header.elements) {
    let row = 0;
    for (const p of e.properties) row += PLY_TYPE_SIZE[p.countType ?? p.type];
    size += row * e.count;
  }
  return size;
}

function walkBinaryPly(bytes: Uint8Array, header: PlyHeader, name: string, layout: PlyLayout, sink: PlySink): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = header.format === 'binary_little_endian';
  const end = bytes.length;
  const read = (type: string, at: number): number => PLY_READ[type](view, at, little);
  const summary = header.elements.map((e) => `${e.count} ${e.name}`).join(', ');
  const corners = [0, 0, 0, 0];
  let at = header.headerLength;
  for (const element of header.elements) {
    const isFace = element.name === 'face';
    const isVertex = element.name === 'vertex';
    for (let k = 0; k < element.count; k++) {
      for (let p = 0; p < element.properties.length; p++) {
        const prop = element.properties[p];
        const itemSize = PLY_TYPE_SIZE[prop.type];
        if (prop.countType === null) {
          if (isVertex && sink.positions !== null && at + itemSize <= end) {
            const axis = layout.axes.indexOf(p);
            if (axis >= 0) sink.positions[k * 3 + axis] = read(prop.type, at);
          }
          at += itemSize;
        } else {
          const countSize = PLY_TYPE_SIZE[prop.countType];
          if (at + countSize > end) at = end + 1;
          else {
            const n = read(prop.countType, at);
            at += countSize;
            if (n < 0) throw new MeshFormatError(name, `PLY ${element.name} ${k} has a negative list length ${n}`);
            if (isFace && p === layout.faceList) {
              if (n !== 3 && n !== 4) throw faceSizeError(name, k, n);
              if (at + n * itemSize <= end) {
                for (let j = 0; j < n; j++) {
                  const index = read(prop.type, at + j * itemSize);
                  if (index < 0 || index >= layout.vertexCount)
                    throw faceIndexError(name, k, index, layout.vertexCount);
                  corners[j] = index;
                }
                addFace(sink, corners, n);
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

function walkAsciiPly(bytes: Uint8Array, header: PlyHeader, name: string, layout: PlyLayout, sink: PlySink): void {
  const body = decodeText(bytes.subarray(header.headerLength)).trim();
  const tokens = body === '' ? [] : body.split(/\s+/);
  const summary = header.elements.map((e) => `${e.count} ${e.name}`).join(', ');
  // Every declared property of every element needs at least one token.
  let needed = 0;
  for (const e of header.elements) needed += e.count * e.properties.length;
  if (needed > tokens.length) {
    sink.positions = null;
    sink.triangles = null;
  }
  const corners = [0, 0, 0, 0];
  let t = 0;
  const next = (element: PlyElement, k: number, prop: PlyProperty, integer: boolean): number => {
    if (t >= tokens.length) {
      throw new MeshFormatError(
        name,
        `ASCII PLY data ends early, inside ${element.name} ${k} of ${element.count} (header declares ${summary})`,
      );
    }
    const token = tokens[t++];
    const ok = integer ? /^[+-]?\d+$/.test(token) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(token);
    if (!ok) {
      throw new MeshFormatError(
        name,
        `ASCII PLY ${element.name} ${k}, property '${prop.name}': ` +
          `expected ${integer ? 'an integer' : 'a number'}, got '${clip(token)}'`,
      );
    }
    return Number(token);
  };
  for (const element of header.elements) {
    const isFace = element.name === 'face';
    const isVertex = element.name === 'vertex';
    for (let k = 0; k < element.count; k++) {
      for (let p = 0; p < element.properties.length; p++) {
        const prop = element.properties[p];
        if (prop.countType === null) {
          const value = next(element, k, prop, PLY_INTEGER.has(prop.type));
          if (isVertex && sink.positions !== null) {
            const axis = layout.axes.indexOf(p);
            if (axis >= 0) sink.positions[k * 3 + axis] = value;
          }
          continue;
        }
        const n = next(element, k, prop, true);
        if (n < 0) throw new MeshFormatError(name, `PLY ${element.name} ${k} has a negative list length ${n}`);
        const indices = isFace && p === layout.faceList;
        if (indices && n !== 3 && n !== 4) throw faceSizeError(name, k, n);
        for (let j = 0; j < n; j++) {
          const value = next(element, k, prop, PLY_INTEGER.has(prop.type));
          if (!indices) continue;
          if (value < 0 || value >= layout.vertexCount) throw faceIndexError(name, k, value, layout.vertexCount);
          corners[j] = value;
        }
        if (indices) addFace(sink, corners, n);
      }
    }
  }
}

export function parsePly(bytes: Uint8Array, name: string): Mesh {
  const header = readPlyHeader(bytes, name);
  const layout = checkPlyLayout(header, name);
  const body = bytes.length - header.headerLength;
  if (header.format === 'ascii' && looksBinary(bytes)) {
    throw new MeshFormatError(name, 'ASCII PLY holds binary (control) bytes');
  }
  // Arrays are sized from the header only when the body can hold that much (an ASCII value takes ≥ 1 byte);
  // otherwise the walk runs without collecting and stops at the first missing value with a precise error.
  const fits = header.format === 'ascii' ? true : minimalBinaryBody(header) <= body;
  const bounded = fits && layout.vertexCount * 3 <= body * 3 && layout.faceCount <= body;
  const sink: PlySink = {
    positions: bounded ? new Float32Array(layout.vertexCount * 3) : null,
    triangles: bounded ? new Uint32Array(layout.faceCount * 6) : null,
    triangleCount: 0,
  };
  if (header.format === 'ascii') walkAsciiPly(bytes, header, name, layout, sink);
  else walkBinaryPly(bytes, header, name, layout, sink);
  if (sink.positions === null || sink.triangles === null) {
    throw new MeshFormatError(name, `PLY body (${body} bytes) is too short for the counts its header declares`);
  }
  return finishMesh(name, sink.positions, sink.triangles.subarray(0, sink.triangleCount * 3), 'vertex');
}

/** PLY with float x,y,z vertices and `list uchar int vertex_indices` faces (binary little-endian by default). */
export function writePly(mesh: Mesh, options: { binary?: boolean } = {}): Uint8Array {
  const binary = options.binary ?? true;
  const { vertices: v, triangles: t } = mesh;
  const nv = v.length / 3,
    nt = t.length / 3;
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
