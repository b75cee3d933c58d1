// Which triangles of a mesh meet: corners matched by position (an unwelded mesh, as STL gives, connects like its
// welded form) and the triangle across each edge.
import type { Mesh } from './mesh.js';

/**
 * Per triangle corner (3 per triangle), a vertex id shared by every corner at the same position: the lowest index of
 * a vertex there (so ids stay below the vertex count).
 */
export function weldedCorners(mesh: Mesh): Int32Array {
  const v = mesh.vertices,
    t = mesh.triangles;
  const n = v.length / 3;
  const byPosition = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => v[3 * a] - v[3 * b] || v[3 * a + 1] - v[3 * b + 1] || v[3 * a + 2] - v[3 * b + 2] || a - b,
  );
  const id = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = byPosition[k],
      prev = k > 0 ? byPosition[k - 1] : -1;
    const same =
      prev >= 0 && v[3 * i] === v[3 * prev] && v[3 * i + 1] === v[3 * prev + 1] && v[3 * i + 2] === v[3 * prev + 2];
    id[i] = same ? id[prev] : i;
  }
  return Int32Array.from(t, (i) => id[i]);
}

/**
 * The triangle across each edge (3 per triangle: edges ab, bc, ca), −1 on an open edge, from welded corner ids below
 * `vertexCount`. An edge of three or more triangles pairs them two by two in order.
 */
export function edgeNeighbours(corners: Int32Array, vertexCount: number): Int32Array {
  const count = corners.length / 3;
  const out = new Int32Array(3 * count).fill(-1);
  const open = new Map<number, number>();
  for (let f = 0; f < count; f++)
    for (let e = 0; e < 3; e++) {
      const a = corners[3 * f + e],
        b = corners[3 * f + ((e + 1) % 3)];
      const key = a < b ? a * vertexCount + b : b * vertexCount + a;
      const other = open.get(key);
      if (other === undefined) open.set(key, 3 * f + e);
      else {
        out[3 * f + e] = Math.floor(other / 3);
        out[other] = f;
        open.delete(key);
      }
    }
  return out;
}
