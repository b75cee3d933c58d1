// What makes a mesh unusable for grasp data, as one readable reason (or null when it is fine).
import type { Mesh } from '../geometry/mesh.js';
import { loadMesh } from '../geometry/mesh-io/index.js';
import { boundingBoxExtents, edgeReport, meshVolume } from '../geometry/mesh-properties.js';

export const MAX_TRIANGLES = 1_000_000;
/** Largest extent a tabletop object for a 5–10 cm gripper may have (m); bigger is almost surely mm or cm units. */
export const MAX_EXTENT = 0.5;
export const MIN_EXTENT = 0.005;

export function meshProblem(mesh: Mesh): string | null {
  const triangles = mesh.triangles.length / 3;
  if (triangles === 0) return 'mesh is empty';
  if (triangles > MAX_TRIANGLES) return `mesh is huge (${triangles} triangles, at most ${MAX_TRIANGLES}); decimate it first`;
  const e = edgeReport(mesh);
  if (e.boundaryEdges > 0 || e.nonManifoldEdges > 0 || e.misorientedEdges > 0)
    return `mesh is not watertight (${e.boundaryEdges} open, ${e.nonManifoldEdges} non-manifold, ${e.misorientedEdges} misoriented edges)`;
  const extent = Math.max(...boundingBoxExtents(mesh));
  if (extent > MAX_EXTENT) return `mesh is ${extent.toFixed(2)} m across, larger than ${MAX_EXTENT} m: is it in millimetres? meshes must be in metres`;
  if (extent < MIN_EXTENT) return `mesh is ${(extent * 1000).toFixed(2)} mm across, too small to grasp`;
  const volume = meshVolume(mesh);
  if (!(volume > 1e-3 * extent ** 3)) return `mesh is degenerate (volume ${volume.toExponential(2)} m³ for a ${extent.toFixed(3)} m object)`;
  return null;
}

/** Loads a mesh file and throws its problem (unreadable, or what meshProblem finds) as one line. */
export async function loadCheckedMesh(path: string): Promise<Mesh> {
  const mesh = await loadMesh(path);
  const problem = meshProblem(mesh);
  if (problem) throw new Error(problem);
  return mesh;
}
