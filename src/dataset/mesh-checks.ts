// What makes a mesh unusable for grasp data, as one readable reason (or null when it is fine).
import { UserInputError } from '../core/errors.js';
import type { Mesh } from '../geometry/mesh.js';
import { loadMesh } from '../geometry/mesh-io/index.js';
import { boundingBoxExtents, edgeReport, meshVolume } from '../geometry/mesh-properties.js';
import { applyScaleRule, formatScaleRule, type ScaleRule } from '../geometry/object-scale.js';

export const MAX_TRIANGLES = 1_000_000;
/**
 * Largest extent a tabletop object for a 5–10 cm gripper may have (m); bigger is almost surely mm or cm units. Dex-Net's
 * min:0.04 rule leaves the largest extent free (procedural objects reach ~0.2 m, a long tool more); the render window
 * grows to frame them (framedImageSize), which stays under ~2,300 px up to this bound.
 */
export const MAX_EXTENT = 0.5;
export const MIN_EXTENT = 0.005;

/** `sizeChecks: false` skips the extent bounds (for a mesh about to be rescaled). */
export function meshProblem(mesh: Mesh, options: { sizeChecks?: boolean } = {}): string | null {
  const triangles = mesh.triangles.length / 3;
  if (triangles === 0) return 'mesh is empty';
  if (triangles > MAX_TRIANGLES) return `mesh is huge (${triangles} triangles, at most ${MAX_TRIANGLES}); decimate it first`;
  const e = edgeReport(mesh);
  if (e.boundaryEdges > 0 || e.nonManifoldEdges > 0 || e.misorientedEdges > 0)
    return `mesh is not watertight (${e.boundaryEdges} open, ${e.nonManifoldEdges} non-manifold, ${e.misorientedEdges} misoriented edges)`;
  const extent = Math.max(...boundingBoxExtents(mesh));
  if (options.sizeChecks === false) return meshVolume(mesh) > 0 ? null : 'mesh is degenerate (no positive volume)';
  if (extent > MAX_EXTENT)
    return `mesh is ${extent.toFixed(2)} m across, larger than ${MAX_EXTENT} m: is it in millimetres? meshes must be in metres (or pass --scale, e.g. min:0.04)`;
  if (extent < MIN_EXTENT) return `mesh is ${(extent * 1000).toFixed(2)} mm across, too small to grasp`;
  const volume = meshVolume(mesh);
  if (!(volume > 1e-3 * extent ** 3)) return `mesh is degenerate (volume ${volume.toExponential(2)} m³ for a ${extent.toFixed(3)} m object)`;
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
    if (problem) throw new Error(problem);
    mesh = applyScaleRule(loaded, scale).mesh;
    const extent = Math.max(...boundingBoxExtents(mesh));
    if (extent > MAX_EXTENT) throw new Error(`sized by --scale ${formatScaleRule(scale)} the mesh is ${extent.toFixed(2)} m across, over ${MAX_EXTENT} m`);
  }
  const problem = meshProblem(mesh);
  if (problem) throw new UserInputError(problem, { file: path });
  return mesh;
}
