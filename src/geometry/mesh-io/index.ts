// Mesh file io: one reader (and writer) per format behind a dispatch table keyed by extension, as Open3D's
// TriangleMeshIO routes to FileOBJ, FilePLY, FileSTL. Every reader parses once and returns a welded Mesh or throws
// a one-line MeshFormatError naming the file.
import { UserInputError } from '../../core/errors.js';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import type { Mesh } from '../mesh.js';
import { MeshFormatError } from './errors.js';
import { parseGltf, type UriResolver } from './gltf.js';
import { parseObj, writeObj } from './obj.js';
import { parseOff, writeOff } from './off.js';
import { parsePly, writePly } from './ply.js';
import { parseStl, writeStl } from './stl.js';

export { MeshFormatError } from './errors.js';
export { parseObjParts, writeObj, type ObjPart } from './obj.js';
export { writeOff } from './off.js';
export { writePly } from './ply.js';
export { writeStl } from './stl.js';
export { weldVertices } from './weld.js';
export type { UriResolver } from './gltf.js';

/** Formats this module writes. */
export type MeshFormat = 'obj' | 'stl' | 'ply' | 'off';
/** Formats this module reads. */
export type ReadableMeshFormat = MeshFormat | 'gltf' | 'glb';

interface FormatEntry {
  read: (bytes: Uint8Array, name: string, resolve?: UriResolver) => Mesh;
  write?: (mesh: Mesh, options: { binary?: boolean }) => Uint8Array;
}

/** The dispatch table: format → reader and writer. */
const FORMATS: Record<ReadableMeshFormat, FormatEntry> = {
  obj: { read: parseObj, write: (mesh) => writeObj(mesh) },
  stl: { read: parseStl, write: (mesh, options) => writeStl(mesh, options) },
  ply: { read: parsePly, write: (mesh, options) => writePly(mesh, options) },
  off: { read: parseOff, write: (mesh) => writeOff(mesh) },
  gltf: { read: parseGltf },
  glb: { read: parseGltf },
};

const READABLE = Object.keys(FORMATS) as ReadableMeshFormat[];
const expectedList = (formats: string[]): string =>
  `${formats
    .slice(0, -1)
    .map((f) => `.${f}`)
    .join(', ')} or .${formats[formats.length - 1]}`;

/** The mesh format implied by a path's extension (case-insensitive), or undefined. */
export function meshFormatFromPath(path: string): ReadableMeshFormat | undefined {
  const ext = extname(path).toLowerCase().slice(1);
  return (READABLE as string[]).includes(ext) ? (ext as ReadableMeshFormat) : undefined;
}

function requireFormat(path: string): ReadableMeshFormat {
  const format = meshFormatFromPath(path);
  if (format === undefined) {
    const ext = extname(path);
    throw new MeshFormatError(
      path,
      `unknown mesh file extension ${ext === '' ? '(none)' : `'${ext}'`}; expected ${expectedList(READABLE)}`,
    );
  }
  return format;
}

/** Reads a mesh file, choosing the reader by extension. A .gltf's sibling buffers are read beside it. */
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
  const siblings: UriResolver = (uri) => {
    try {
      return readFileSync(join(dirname(path), uri));
    } catch {
      return undefined;
    }
  };
  return parseMesh(data, format, path, siblings);
}

/**
 * Parses mesh bytes of the given format into an indexed mesh whose vertices are welded by exact
 * position (so watertightness can be checked) and whose repeated-corner triangles are dropped.
 */
export function parseMesh(
  data: Uint8Array | ArrayBuffer,
  format: ReadableMeshFormat | string,
  nameForErrors: string,
  resolve?: UriResolver,
): Mesh {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const fmt = format.toLowerCase().replace(/^\./, '');
  const entry = FORMATS[fmt as ReadableMeshFormat];
  if (entry === undefined) {
    throw new MeshFormatError(nameForErrors, `unknown mesh format '${format}'; expected ${READABLE.join(', ')}`);
  }
  if (bytes.length === 0) {
    throw new MeshFormatError(nameForErrors, `empty file, expected ${fmt.toUpperCase()} mesh data`);
  }
  try {
    return entry.read(bytes, nameForErrors, resolve);
  } catch (err) {
    // Our own refusals (format errors, the mesh budget) already name the file in one line.
    if (err instanceof UserInputError) throw err;
    // Loaders may throw TypeError/RangeError on malformed input; never let those escape raw.
    const message = String((err as Error)?.message ?? err);
    throw new MeshFormatError(nameForErrors, `malformed ${fmt.toUpperCase()} data (${message})`);
  }
}

/** Serialises a mesh in the given format (STL and PLY binary unless `binary: false`). */
export function serializeMesh(mesh: Mesh, format: MeshFormat, options: { binary?: boolean } = {}): Uint8Array {
  return FORMATS[format].write!(mesh, options);
}

/**
 * Writes a mesh, format by extension, atomically: the bytes go to a temporary file in the same
 * folder which is then renamed, so readers never see a half-written mesh.
 */
export async function saveMesh(path: string, mesh: Mesh, options: { binary?: boolean } = {}): Promise<void> {
  const format = requireFormat(path);
  const write = FORMATS[format].write;
  if (write === undefined) {
    throw new MeshFormatError(path, `cannot write .${format}; expected ${expectedList(['obj', 'stl', 'ply', 'off'])}`);
  }
  const bytes = write(mesh, options);
  try {
    await writeFileAtomic(path, bytes);
  } catch (err) {
    throw new MeshFormatError(path, `cannot write mesh (${(err as Error).message})`);
  }
}
