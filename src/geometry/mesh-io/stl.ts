// STL, binary and ASCII: three's STLLoader parses, this file decides which kind the bytes are and turns three's
// console reports into errors.
import { checkMeshBudget } from '../mesh-budget.js';
import { STLLoader } from 'three/examples/jsm/loaders/STLLoader.js';
import type { Mesh } from '../mesh.js';
import { triangleCross } from '../mesh-properties.js';
import { MeshFormatError } from './errors.js';
import { encodeText, formatVertices, normalizeNumber } from './float-text.js';
import { decodeText, finishMesh, geometryArrays, looksBinary, ownArrayBuffer, quietly } from './reader-support.js';

function startsWithSolid(bytes: Uint8Array): boolean {
  // ASCII STL must open with 'solid'; a UTF-8 byte-order mark or leading blanks are tolerated as
  // three's own text parser tolerates them.
  const head = decodeText(bytes.subarray(0, 16))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('solid');
}

export function parseStl(bytes: Uint8Array, name: string): Mesh {
  const declared =
    bytes.length >= 84 ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true) : -1;
  const expected = declared >= 0 ? 84 + 50 * declared : -1;
  if (expected === bytes.length) {
    if (declared === 0) throw new MeshFormatError(name, 'binary STL declares 0 triangles; expected at least one');
    checkMeshBudget({ triangles: declared }, name);
    const { value: geometry } = quietly(() => new STLLoader().parse(ownArrayBuffer(bytes)));
    const { positions } = geometryArrays(geometry);
    return finishMesh(name, positions, null, 'corner');
  }
  const binaryHint =
    declared >= 0
      ? `binary STL of ${declared} triangles needs 84 + 50·${declared} = ${expected} bytes, got ${bytes.length}`
      : `binary STL needs at least 84 bytes, got ${bytes.length}`;
  if (!startsWithSolid(bytes)) {
    throw new MeshFormatError(
      name,
      `truncated or corrupt binary STL: ${binaryHint} (and it does not start with 'solid', so it is not ASCII STL)`,
    );
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
    throw new MeshFormatError(
      name,
      "ASCII STL has no 'facet … endfacet' inside a complete 'solid … endsolid' block; expected at least one triangle",
    );
  }
  return finishMesh(name, positions, null, 'corner');
}

/** Unit normal of triangle `tri` (zero for a degenerate one), computed in float64. */
function faceNormal(mesh: Mesh, tri: number, out: Float64Array): void {
  const v = mesh.vertices,
    t = mesh.triangles;
  const a = t[tri * 3] * 3,
    b = t[tri * 3 + 1] * 3,
    c = t[tri * 3 + 2] * 3;
  triangleCross(v, a, b, c, out);
  const len = Math.hypot(out[0], out[1], out[2]);
  const s = len > 0 ? 1 / len : 0;
  out[0] *= s;
  out[1] *= s;
  out[2] *= s;
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
