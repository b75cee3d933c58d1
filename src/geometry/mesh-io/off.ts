// Object File Format (OFF, as Geomview and Princeton's shape benchmark write it): counts, vertices, polygon faces
// fan-triangulated. Counts are checked against the tokens present before anything that size is allocated.
import { checkMeshBudget } from '../mesh-budget.js';
import type { Mesh } from '../mesh.js';
import { clip, MeshFormatError } from './errors.js';
import { encodeText, formatVertices } from './float-text.js';
import { decodeText, finishMesh, looksBinary } from './reader-support.js';

export function parseOff(bytes: Uint8Array, name: string): Mesh {
  if (looksBinary(bytes)) throw new MeshFormatError(name, 'contains binary bytes; expected a text OFF file');
  const text = decodeText(bytes).replace(/#[^\n]*/g, ' ');
  const tokens = text.trim().split(/\s+/);
  let t = 0;
  // The keyword may carry prefixes (COFF, NOFF, STOFF) and may share its line with the counts ("OFF8 12 0").
  const keyword = /^([A-Z]*)OFF(.*)$/.exec(tokens[0] ?? '');
  if (keyword === null) throw new MeshFormatError(name, "not an OFF file: expected the first word to be 'OFF'");
  if (keyword[2] !== '') tokens[0] = keyword[2];
  else t = 1;
  const hasColour = keyword[1].includes('C');
  const hasNormal = keyword[1].includes('N');
  const hasTexture = keyword[1].includes('ST');
  const integer = (what: string): number => {
    const token = tokens[t++];
    if (token === undefined) throw new MeshFormatError(name, `OFF data ends early, expected ${what}`);
    if (!/^\d+$/.test(token)) throw new MeshFormatError(name, `OFF ${what}: expected an integer, got '${clip(token)}'`);
    return Number(token);
  };
  const vertexCount = integer('the vertex count');
  const faceCount = integer('the face count');
  integer('the edge count');
  checkMeshBudget({ vertices: vertexCount, triangles: faceCount }, name);
  const perVertex = 3 + (hasNormal ? 3 : 0) + (hasColour ? 4 : 0) + (hasTexture ? 2 : 0);
  if (vertexCount * perVertex + faceCount * 4 > tokens.length - t) {
    throw new MeshFormatError(
      name,
      `OFF header declares ${vertexCount} vertices and ${faceCount} faces but the file holds only ${tokens.length} values`,
    );
  }
  const positions = new Float64Array(vertexCount * 3);
  for (let v = 0; v < vertexCount; v++) {
    for (let k = 0; k < perVertex; k++) {
      const token = tokens[t++];
      const value = Number(token);
      if (token === undefined || !Number.isFinite(value)) {
        throw new MeshFormatError(name, `OFF vertex ${v}: expected a number, got '${clip(String(token))}'`);
      }
      if (k < 3) positions[v * 3 + k] = value;
    }
  }
  const triangles: number[] = [];
  for (let f = 0; f < faceCount; f++) {
    const n = integer(`face ${f}'s vertex count`);
    if (n < 3) throw new MeshFormatError(name, `OFF face ${f} has ${n} vertices; expected at least 3`);
    const corners: number[] = [];
    for (let j = 0; j < n; j++) {
      const index = integer(`face ${f}'s vertex index`);
      if (index >= vertexCount) {
        throw new MeshFormatError(
          name,
          `OFF face ${f} uses vertex index ${index}, out of range for ${vertexCount} vertices`,
        );
      }
      corners.push(index);
    }
    // Per-face colours may follow the indices on the same line; they are skipped by the next count read only when
    // numeric, so stop at the line's end instead: OFF faces are one per line.
    while (t < tokens.length && f + 1 < faceCount && !isFaceStart(tokens, t, vertexCount)) t++;
    for (let j = 1; j + 1 < n; j++) triangles.push(corners[0], corners[j], corners[j + 1]);
  }
  if (faceCount === 0) throw new MeshFormatError(name, 'OFF file has no faces; expected a polygon mesh');
  return finishMesh(name, positions, triangles, 'vertex');
}

/** Whether tokens[t] can start a face (an integer count ≥ 3 followed by that many in-range integer indices). */
function isFaceStart(tokens: string[], t: number, vertexCount: number): boolean {
  if (!/^\d+$/.test(tokens[t])) return false;
  const n = Number(tokens[t]);
  if (n < 3 || t + n >= tokens.length) return false;
  for (let j = 1; j <= n; j++) {
    if (!/^\d+$/.test(tokens[t + j]) || Number(tokens[t + j]) >= vertexCount) return false;
  }
  return true;
}

/** OFF text: counts, one vertex per line, one triangle per line. */
export function writeOff(mesh: Mesh): Uint8Array {
  const { vertices: v, triangles: t } = mesh;
  const chunks: string[] = [`OFF\n${v.length / 3} ${t.length / 3} 0\n`];
  for (const line of formatVertices(v)) chunks.push(`${line}\n`);
  for (let i = 0; i < t.length; i += 3) chunks.push(`3 ${t[i]} ${t[i + 1]} ${t[i + 2]}\n`);
  return encodeText(chunks);
}
