// What makes a mesh unusable for grasping, as one readable reason (or null when it is fine): every command that
// reads an object mesh (generate, evaluate, poses, grasps) refuses the same meshes with the same words.
import { UserInputError } from '../core/errors.js';
import { MESH_BUDGET } from './mesh-budget.js';
import type { Mesh } from './mesh.js';
import { loadMesh } from './mesh-io.js';
import { boundingBoxExtents, edgeReport, meshVolume } from './mesh-properties.js';

export const MAX_TRIANGLES = MESH_BUDGET.triangles;
/** Largest extent a tabletop object for a 5–10 cm gripper may have (m); bigger is almost surely mm or cm units. */
export const MAX_EXTENT = 0.5;
export const MIN_EXTENT = 0.005;

/** A mesh that is readable but unusable (open, inside out, wrong units, …); the message is one line. */
export class MeshCheckError extends UserInputError {
  override name = 'MeshCheckError';
}

export function meshProblem(mesh: Mesh): string | null {
  const triangles = mesh.triangles.length / 3;
  if (triangles === 0) return 'mesh is empty';
  if (triangles > MAX_TRIANGLES) return `mesh is huge (${triangles} triangles, at most ${MAX_TRIANGLES}); decimate it first`;
  const v = mesh.vertices;
  for (let i = 0; i < v.length; i++)
    if (!Number.isFinite(v[i])) return `vertex ${Math.floor(i / 3)} has a non-finite coordinate (${v[i]})`;
  const e = edgeReport(mesh);
  if (e.boundaryEdges > 0 || e.nonManifoldEdges > 0 || e.misorientedEdges > 0)
    return `mesh is not watertight (${e.boundaryEdges} open, ${e.nonManifoldEdges} non-manifold, ${e.misorientedEdges} misoriented edges)`;
  const extent = Math.max(...boundingBoxExtents(mesh));
  if (extent > MAX_EXTENT) return `mesh is ${extent.toFixed(2)} m across, larger than ${MAX_EXTENT} m: is it in millimetres? meshes must be in metres`;
  if (extent < MIN_EXTENT) return `mesh is ${(extent * 1000).toFixed(2)} mm across, too small to grasp`;
  const volume = meshVolume(mesh);
  // Closed and consistently oriented, but every normal points inwards: the signed volume comes out negative.
  if (volume < -1e-3 * extent ** 3) return `mesh is inside out (its face normals point inwards, volume ${volume.toExponential(2)} m³); flip its faces`;
  if (!(volume > 1e-3 * extent ** 3)) return `mesh is degenerate (volume ${volume.toExponential(2)} m³ for a ${extent.toFixed(3)} m object)`;
  return null;
}

/** Loads a mesh file and throws its problem (unreadable, or what meshProblem finds) as one line. */
export async function loadCheckedMesh(path: string): Promise<Mesh> {
  const mesh = await loadMesh(path);
  const problem = meshProblem(mesh);
  if (problem) throw new MeshCheckError(`${path}: ${problem}`, { file: path });
  return mesh;
}
