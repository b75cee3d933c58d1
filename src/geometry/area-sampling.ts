// Area-weighted random points on a triangle mesh: the cumulative area table, the triangle a uniform draw falls in,
// and a uniform point inside it. Shared by the grasp samplers and the remeshing fidelity measure.
import type { Random } from '../core/random.js';
import type { Mesh } from './mesh.js';
import { triangleAreas } from './mesh-properties.js';

/** Running sums of the triangle areas (float64) and their total. */
export interface AreaTable {
  cumulative: Float64Array;
  total: number;
}

export function areaTable(mesh: Mesh): AreaTable {
  const cumulative = triangleAreas(mesh);
  let total = 0;
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = total += cumulative[i];
  return { cumulative, total };
}

/**
 * Draws a triangle by area and a uniform point in it (three draws of `rng`, in that order): writes the point into
 * `out` and returns the triangle's index.
 */
export function samplePointByArea(mesh: Mesh, table: AreaTable, rng: Random, out: Float64Array | number[]): number {
  const { cumulative, total } = table;
  const x = rng.next() * total;
  let lo = 0,
    hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  // Folding the unit square's upper half back keeps (u, w) uniform over the triangle.
  let u = rng.next(),
    w = rng.next();
  if (u + w > 1) {
    u = 1 - u;
    w = 1 - w;
  }
  const v = mesh.vertices,
    t = mesh.triangles;
  const a = t[lo * 3] * 3,
    b = t[lo * 3 + 1] * 3,
    c = t[lo * 3 + 2] * 3;
  for (let k = 0; k < 3; k++) out[k] = v[a + k] + u * (v[b + k] - v[a + k]) + w * (v[c + k] - v[a + k]);
  return lo;
}
