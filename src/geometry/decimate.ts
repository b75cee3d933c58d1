// Quadric-error decimation to a triangle budget (meshoptimizer's simplifier: edge collapses ordered by the
// quadric error they add, the standard Garland–Heckbert scheme), for closed meshes that are over budget.
import { MeshoptSimplifier } from 'meshoptimizer';
import type { Mesh } from './mesh.js';
import { separateCoincident } from './coincident-vertices.js';

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
