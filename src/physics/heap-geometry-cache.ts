// The heap pieces of each mesh of a heap set, kept in files beside the records: making them is most of a worker's
// start-up (0.2–0.8 s a mesh, against ~0.1 s a heap once they exist), and with the files every worker thread, and a
// resumed run, makes each mesh's pieces once between them. Reading a file gives the same pieces bit for bit.
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { Mesh } from '../geometry/mesh.js';
import { convexPieces } from './convex-pieces.js';
import { HEAP_PIECE_OPTIONS } from './heap-scene.js';
import { objectGeometry } from './mjcf.js';

export const HEAP_GEOMETRY_DIR = 'geometry';

/** The file of mesh `meshIndex`'s pieces; the name carries the piece options, so other options never read it. */
export function heapPiecesPath(outDir: string, meshIndex: number): string {
  const options = createHash('sha256').update(JSON.stringify(HEAP_PIECE_OPTIONS)).digest('hex').slice(0, 8);
  return join(outDir, HEAP_GEOMETRY_DIR, `mesh_${String(meshIndex).padStart(6, '0')}-${options}.pieces`);
}

/** Meshes whose heap geometry this thread holds already. */
const prepared = new WeakSet<Mesh>();

/**
 * Makes the mesh's heap geometry ready for heapObjectGeometry, from its file when there is one, else into it.
 * Throws as objectGeometry does for a mesh that encloses no volume.
 */
export async function prepareHeapGeometry(path: string, mesh: Mesh): Promise<void> {
  if (prepared.has(mesh)) return;
  let pieces = await readPieces(path);
  const made = !pieces;
  pieces ??= convexPieces(mesh, HEAP_PIECE_OPTIONS);
  objectGeometry(mesh, HEAP_PIECE_OPTIONS, pieces);
  if (made) await writeFileAtomic(path, encodePieces(pieces));
  prepared.add(mesh);
}

/** uint32 piece count, uint32 float count of each piece, then every piece's float32 xyz (little-endian). */
function encodePieces(pieces: readonly Float32Array[]): Uint8Array {
  const floats = pieces.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(4 * (1 + pieces.length + floats));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, pieces.length, true);
  let at = 4;
  for (const p of pieces) {
    view.setUint32(at, p.length, true);
    at += 4;
  }
  for (const p of pieces)
    for (const v of p) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  return bytes;
}

/** The pieces of a file, or null when it is missing or not whole (it is then made again). */
async function readPieces(path: string): Promise<Float32Array[] | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return null;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) return null;
  const count = view.getUint32(0, true);
  if (bytes.length < 4 * (1 + count)) return null;
  const lengths = Array.from({ length: count }, (_, i) => view.getUint32(4 * (1 + i), true));
  if (bytes.length !== 4 * (1 + count + lengths.reduce((a, b) => a + b, 0))) return null;
  let at = 4 * (1 + count);
  return lengths.map((n) => {
    const p = new Float32Array(n);
    for (let i = 0; i < n; i++, at += 4) p[i] = view.getFloat32(at, true);
    return p;
  });
}
