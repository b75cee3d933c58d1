// Quadric-error decimation to a triangle budget (meshoptimizer's simplifier: edge collapses ordered by the
// quadric error they add, the standard Garland–Heckbert scheme), for closed meshes that are over budget.
import { MeshoptSimplifier } from 'meshoptimizer';
import type { Mesh } from './mesh.js';
import { triangleCross } from './mesh-properties.js';

/**
 * `mesh` decimated to at most `maxTriangles` triangles, unused vertices dropped; `error` is the simplifier's own
 * estimate of the largest displacement (m). The result is not checked for manifoldness here.
 */
export async function decimate(mesh: Mesh, maxTriangles: number): Promise<{ mesh: Mesh; error: number }> {
  await MeshoptSimplifier.ready;
  const positions = separateCoincident(mesh);
  // An error bound the budget, not the bound, decides: the whole object's size.
  const [indices, error] = MeshoptSimplifier.simplify(
    Uint32Array.from(mesh.triangles),
    positions,
    3,
    maxTriangles * 3,
    Number.MAX_VALUE,
    ['ErrorAbsolute'],
  );
  const remap = new Int32Array(positions.length / 3).fill(-1);
  let used = 0;
  for (let i = 0; i < indices.length; i++) if (remap[indices[i]] < 0) remap[indices[i]] = used++;
  const vertices = new Float32Array(used * 3);
  for (let v = 0; v < remap.length; v++) {
    const j = remap[v];
    if (j >= 0) for (let k = 0; k < 3; k++) vertices[j * 3 + k] = positions[v * 3 + k];
  }
  const triangles = new Uint32Array(indices.length);
  for (let i = 0; i < indices.length; i++) triangles[i] = remap[indices[i]];
  return { mesh: { vertices, triangles }, error };
}

/**
 * The vertex positions with coincident vertices pushed apart: the simplifier treats vertices at one position as
 * one (a texture seam), while a level set of thin walls has distinct vertices there (the surface pinches), and
 * collapsing them together made ~2000 non-manifold edges on a cabinet. Each copy after the first moves inwards
 * along its normal by a ten-thousandth of a millimetre times its rank.
 */
function separateCoincident(mesh: Mesh): Float32Array {
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
    if (len === 0) continue;
    for (let k = 0; k < 3; k++) v[i * 3 + k] -= (normals[i * 3 + k] / len) * 1e-7 * rank[i];
  }
  return v;
}
