// How faithful the physics collision shapes are: how far the convex pieces' hulls reach out of the object they stand
// for. A piece poking out of the mesh is a surface MuJoCo's fingers meet where the analytic referee sees air.
import { DoubleSide, Ray } from 'three';
import { MeshIndex } from '../geometry/bvh.js';
import { convexHull } from '../geometry/convex-hull.js';
import type { Mesh } from '../geometry/mesh.js';

/** Three fixed directions off every axis and diagonal (meshes are often axis-aligned): a parity vote. */
const PARITY_DIRECTIONS: ReadonlyArray<readonly [number, number, number]> = [
  [0.2717878934779215, 0.5771742903438422, 0.7700656981874443],
  [-0.7652733220296037, 0.3889520233810656, -0.5129064886483202],
  [0.7719628008820608, -0.6068931141427487, -0.189087762852175],
];

/**
 * Whether `p` lies inside the closed mesh: the majority of three ray-parity votes (two crossings of the surface or
 * none leave the point outside). Robust to a ray grazing an edge, which can double-count one crossing.
 */
export function insideMesh(index: MeshIndex, p: readonly [number, number, number], ray = new Ray()): boolean {
  let votes = 0;
  for (const d of PARITY_DIRECTIONS) {
    ray.origin.set(p[0], p[1], p[2]);
    ray.direction.set(d[0], d[1], d[2]);
    // A ray through an edge hits both triangles at one distance: count such hits once.
    const hits = index.bvh
      .raycast(ray, DoubleSide)
      .map((h) => h.distance)
      .sort((x, y) => x - y);
    let crossings = 0;
    for (let i = 0; i < hits.length; i++) if (i === 0 || hits[i] - hits[i - 1] > 1e-9) crossings++;
    if (crossings % 2 === 1) votes++;
  }
  return votes >= 2;
}

export interface ProtrusionOptions {
  /** Spacing of the sample lattice on each hull face (m, default 1 mm). */
  spacing?: number;
  /** Distances below this count as on the surface (m, default 0.05 mm): float noise, not protrusion. */
  tolerance?: number;
  /**
   * At most this many lattice steps along a face's longest edge (default unlimited): a cheaper estimate for the
   * decomposition's inner loop, which the full measure then checks.
   */
  maxDivisions?: number;
}

/**
 * The worst distance from the mesh surface of a point on a piece's hull that lies outside the mesh (m; 0 when every
 * piece stays inside). Samples each hull face on a barycentric lattice of `spacing`, plus its vertices.
 */
export function pieceProtrusion(index: MeshIndex, points: Float32Array, options: ProtrusionOptions = {}): number {
  const hull = convexHull(points);
  return hullProtrusion(index, hull, options);
}

/** pieceProtrusion for a hull already built. */
export function hullProtrusion(index: MeshIndex, hull: Mesh, options: ProtrusionOptions = {}): number {
  const spacing = options.spacing ?? 0.001,
    tolerance = options.tolerance ?? 5e-5;
  const v = hull.vertices,
    t = hull.triangles;
  const ray = new Ray();
  const p: [number, number, number] = [0, 0, 0];
  let worst = 0;
  const probe = () => {
    // Only a point farther from the surface than the worst so far can raise it; most are on or under the surface.
    const c = index.closestPoint(p);
    if (!c || c.distance <= Math.max(worst, tolerance)) return;
    // Under the plane of the nearest triangle: inside (the parity vote confirms only the few that are not; it costs
    // three full ray casts).
    const n = index.triangleNormal(c.triangle);
    if ((p[0] - c.point[0]) * n[0] + (p[1] - c.point[1]) * n[1] + (p[2] - c.point[2]) * n[2] <= 0) return;
    if (!insideMesh(index, p, ray)) worst = c.distance;
  };
  for (let f = 0; f < t.length; f += 3) {
    const a = 3 * t[f],
      b = 3 * t[f + 1],
      c = 3 * t[f + 2];
    const edge = Math.max(
      Math.hypot(v[b] - v[a], v[b + 1] - v[a + 1], v[b + 2] - v[a + 2]),
      Math.hypot(v[c] - v[b], v[c + 1] - v[b + 1], v[c + 2] - v[b + 2]),
      Math.hypot(v[a] - v[c], v[a + 1] - v[c + 1], v[a + 2] - v[c + 2]),
    );
    const n = Math.max(1, Math.min(options.maxDivisions ?? Infinity, Math.ceil(edge / spacing)));
    for (let i = 0; i <= n; i++)
      for (let j = 0; j <= n - i; j++) {
        const wa = i / n,
          wb = j / n,
          wc = 1 - wa - wb;
        for (let k = 0; k < 3; k++) p[k] = wa * v[a + k] + wb * v[b + k] + wc * v[c + k];
        probe();
      }
  }
  return worst;
}

/** The worst protrusion over all pieces of an object (m), and per piece. */
export function piecesProtrusion(
  mesh: Mesh,
  pieces: readonly Float32Array[],
  options: ProtrusionOptions = {},
): { worst: number; perPiece: number[] } {
  const index = new MeshIndex(mesh);
  const perPiece = pieces.map((points) => pieceProtrusion(index, points, options));
  return { worst: Math.max(0, ...perPiece), perPiece };
}
