// What makes a mesh unusable for grasping, as one readable reason (or null when it is fine): every command that
// reads an object mesh (generate, evaluate, poses, grasps) refuses the same meshes with the same words.
import { UserInputError } from '../core/errors.js';
import { MESH_BUDGET } from './mesh-budget.js';
import type { Mesh } from './mesh.js';
import { loadMesh } from './mesh-io/index.js';
import { boundingBoxExtents, edgeReport, meshVolume } from './mesh-properties.js';
import { applyScaleRule, formatScaleRule, type ScaleRule } from './object-scale.js';

export const MAX_TRIANGLES = MESH_BUDGET.triangles;
/**
 * Largest extent an object may have (m); bigger is almost surely mm or cm units. Dex-Net's min:0.04 rule leaves the
 * largest extent free (procedural objects reach ~0.2 m; a door, a radiator or a spoon whose thinnest side becomes 4 cm
 * reach 0.5–0.65 m). The bound is the default camera's nearest distance from the object's centre of mass (0.65 m):
 * any object under it but a contrived one has that centre well inside its box, so the camera stays outside it. The
 * render window grows to frame it (framedImageSize): at most 1,490 px over the Sweet Home 3D corpus, 5,770 px for
 * three 0.64 m arms meeting at a corner (the centre of mass 0.55 m from the farthest tip), which still works.
 */
export const MAX_EXTENT = 0.65;
export const MIN_EXTENT = 0.005;

/** A mesh that is readable but unusable (open, inside out, wrong units, …); the message is one line. */
export class MeshCheckError extends UserInputError {
  override name = 'MeshCheckError';
}

/** `sizeChecks: false` skips the extent bounds (for a mesh about to be rescaled). */
export function meshProblem(mesh: Mesh, options: { sizeChecks?: boolean } = {}): string | null {
  const triangles = mesh.triangles.length / 3;
  if (triangles === 0) return 'mesh is empty';
  if (triangles > MAX_TRIANGLES)
    return `mesh is huge (${triangles} triangles, at most ${MAX_TRIANGLES}); decimate it first`;
  const v = mesh.vertices;
  for (let i = 0; i < v.length; i++)
    if (!Number.isFinite(v[i])) return `vertex ${Math.floor(i / 3)} has a non-finite coordinate (${v[i]})`;
  const e = edgeReport(mesh);
  if (e.boundaryEdges > 0 || e.nonManifoldEdges > 0 || e.misorientedEdges > 0)
    return `mesh is not watertight (${e.boundaryEdges} open, ${e.nonManifoldEdges} non-manifold, ${e.misorientedEdges} misoriented edges)`;
  const extent = Math.max(...boundingBoxExtents(mesh));
  if (options.sizeChecks === false) return meshVolume(mesh) > 0 ? null : 'mesh is degenerate (no positive volume)';
  if (extent > MAX_EXTENT)
    return `mesh is ${extent.toFixed(2)} m across, larger than ${MAX_EXTENT} m: is it in millimetres? meshes must be in metres (or pass --scale, e.g. min:0.04)`;
  if (extent < MIN_EXTENT) return `mesh is ${(extent * 1000).toFixed(2)} mm across, too small to grasp`;
  const volume = meshVolume(mesh);
  // Closed and consistently oriented, but every normal points inwards: the signed volume comes out negative.
  if (volume < -1e-3 * extent ** 3)
    return `mesh is inside out (its face normals point inwards, volume ${volume.toExponential(2)} m³); flip its faces`;
  if (!(volume > 1e-3 * extent ** 3))
    return `mesh is degenerate (volume ${volume.toExponential(2)} m³ for a ${extent.toFixed(3)} m object)`;
  return null;
}

/**
 * Loads a mesh file, sizes it by `scale` (default `none`: the file's own size, as `dexnet objects` and `import` wrote
 * it) and throws its problem (unreadable, or what meshProblem finds after sizing) as one line.
 */
export async function loadCheckedMesh(path: string, scale: ScaleRule = { kind: 'none' }): Promise<Mesh> {
  const loaded = await loadMesh(path);
  let mesh = loaded;
  if (scale.kind !== 'none') {
    const problem = meshProblem(loaded, { sizeChecks: false });
    if (problem) throw new MeshCheckError(`${path}: ${problem}`, { file: path });
    mesh = applyScaleRule(loaded, scale).mesh;
    const extent = Math.max(...boundingBoxExtents(mesh));
    if (extent > MAX_EXTENT)
      throw new MeshCheckError(
        `${path}: sized by --scale ${formatScaleRule(scale)} the mesh is ${extent.toFixed(2)} m across, over ${MAX_EXTENT} m`,
        { file: path },
      );
  }
  const problem = meshProblem(mesh);
  if (problem) throw new MeshCheckError(`${path}: ${problem}`, { file: path });
  return mesh;
}
