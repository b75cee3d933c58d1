// Pinch points of a level-set surface: distinct vertices at one position, moved apart so that position-based
// tools (simplifiers, the welding readers) keep them distinct and the surface stays manifold.
import type { Mesh } from './mesh.js';
import { triangleCross } from './mesh-properties.js';

/**
 * The vertex positions with coincident vertices pushed apart. A level set of thin walls has distinct vertices at
 * one position where the surface pinches; anything that identifies vertices by position sees non-manifold edges
 * there: the simplifier (it treats them as a texture seam; ~2000 bad edges on a cabinet) and every mesh reader,
 * which welds bit-identical positions. Each copy after the first moves inwards along its own area-weighted
 * normal by a ten-thousandth of a millimetre times its rank, into its own side of the pinch.
 */
export function separateCoincident(mesh: Mesh): Float32Array {
  const v = Float32Array.from(mesh.vertices);
  const t = mesh.triangles;
  const n = v.length / 3;
  const seen = new Map<string, number>();
  const rank = new Uint16Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    const key = `${v[i * 3]},${v[i * 3 + 1]},${v[i * 3 + 2]}`;
    const r = seen.get(key) ?? 0;
    seen.set(key, r + 1);
    rank[i] = r;
    if (r > 0) any = true;
  }
  if (!any) return v;
  const normals = new Float64Array(n * 3);
  const cross = new Float64Array(3);
  for (let f = 0; f < t.length; f += 3) {
    triangleCross(v, t[f] * 3, t[f + 1] * 3, t[f + 2] * 3, cross);
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) normals[t[f + c] * 3 + k] += cross[k];
  }
  for (let i = 0; i < n; i++) {
    if (rank[i] === 0) continue;
    const len = Math.hypot(normals[i * 3], normals[i * 3 + 1], normals[i * 3 + 2]);
    // A vertex of only degenerate triangles has no side: any direction separates it.
    if (len === 0) v[i * 3] += 1e-7 * rank[i];
    else for (let k = 0; k < 3; k++) v[i * 3 + k] -= (normals[i * 3 + k] / len) * 1e-7 * rank[i];
  }
  return v;
}
