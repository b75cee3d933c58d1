// How faithful the physics collision shapes are: how far the convex pieces' hulls reach out of the object they stand
// for. A piece poking out of the mesh is a surface MuJoCo's fingers meet where the analytic referee sees air.
import { convexHull } from '../geometry/convex-hull.js';
import type { Mesh } from '../geometry/mesh.js';
import { MeshDistance } from '../geometry/mesh-distance.js';

export interface ProtrusionOptions {
  /** Spacing of the sample lattice on each hull face (m, default 1 mm). */
  spacing?: number;
  /** Distances below this count as on the surface (m, default 0.05 mm): float noise, not protrusion. */
  tolerance?: number;
  /**
   * Stop at the first point farther out than this (m) and return its distance (default: measure every point):
   * for tests that only ask whether a hull stays within a bound.
   */
  stopAbove?: number;
  /**
   * Point sets whose own hulls were measured already (default none): a hull face whose corners all come from one
   * of them lies on that set's hull, so it is not sampled again (a union of two pieces needs only the faces that
   * bridge them).
   */
  measured?: readonly Float32Array[];
}

/**
 * The worst distance from the mesh surface of a point on a piece's hull that lies outside the mesh (m; 0 when every
 * piece stays inside). Samples each hull face on a lattice in its plane: rows parallel to its longest edge,
 * spacing/2 apart, each sampled every `spacing` or closer from one side of the face to the other (vertices
 * included). Every point of the face lies within spacing/√2 of a sample (a point between two rows lies within the
 * lower, longer row's span), and the distance to the surface is 1-Lipschitz, so no point of a hull lies more than
 * spacing/√2 farther out than the worst sample.
 */
export function pieceProtrusion(surface: MeshDistance, points: Float32Array, options: ProtrusionOptions = {}): number {
  return hullProtrusion(surface, convexHull(points), options);
}

/** pieceProtrusion for a hull already built. */
export function hullProtrusion(surface: MeshDistance, hull: Mesh, options: ProtrusionOptions = {}): number {
  const spacing = options.spacing ?? 0.001,
    tolerance = options.tolerance ?? 5e-5,
    stopAbove = options.stopAbove ?? Infinity;
  const v = hull.vertices,
    t = hull.triangles;
  const known = measuredCorners(v, options.measured ?? []);
  let worst = 0;
  for (let f = 0; f < t.length; f += 3) {
    if (known && (known[t[f]] & known[t[f + 1]] & known[t[f + 2]]) !== 0) continue;
    // Base p→q: the longest edge; r: the opposite corner.
    let p = 3 * t[f],
      q = 3 * t[f + 1],
      r = 3 * t[f + 2];
    const len = (i: number, j: number) => Math.hypot(v[j] - v[i], v[j + 1] - v[i + 1], v[j + 2] - v[i + 2]);
    if (len(q, r) > len(p, q) && len(q, r) >= len(r, p)) [p, q, r] = [q, r, p];
    else if (len(r, p) > len(p, q)) [p, q, r] = [r, p, q];
    const base = len(p, q);
    // Apex r = p + along·û + height·ŵ, with û along the base and ŵ across it in the face's plane.
    const ux = (v[q] - v[p]) / base,
      uy = (v[q + 1] - v[p + 1]) / base,
      uz = (v[q + 2] - v[p + 2]) / base;
    const rx = v[r] - v[p],
      ry = v[r + 1] - v[p + 1],
      rz = v[r + 2] - v[p + 2];
    const along = rx * ux + ry * uy + rz * uz;
    const height = Math.hypot(rx - along * ux, ry - along * uy, rz - along * uz);
    // A long sliver face is not sampled finer across than along (as a barycentric lattice would be).
    const rows = Math.max(1, Math.ceil((2 * height) / spacing));
    for (let j = 0; j <= rows; j++) {
      // Row j runs from s·r + (1−s)·p to s·r + (1−s)·q, s = j/rows.
      const s = j / rows;
      const x0 = v[p] + s * rx,
        y0 = v[p + 1] + s * ry,
        z0 = v[p + 2] + s * rz;
      const dx = (1 - s) * (v[q] - v[p]),
        dy = (1 - s) * (v[q + 1] - v[p + 1]),
        dz = (1 - s) * (v[q + 2] - v[p + 2]);
      const n = Math.max(1, Math.ceil(((1 - s) * base) / spacing));
      const gap = ((1 - s) * base) / n;
      // The signed distance is 1-Lipschitz: a point `gap` along from one at signed distance d (negative inside) is at
      // most d + gap, so probes deep inside a thick piece need no query until that bound climbs to the bar.
      let bound = Infinity;
      for (let i = 0; i <= n; i++, bound += gap) {
        const bar = Math.max(worst, tolerance);
        if (bound <= bar) continue;
        const x = x0 + (i / n) * dx,
          y = y0 + (i / n) * dy,
          z = z0 + (i / n) * dz;
        if (surface.nearLastTriangle(x, y, z, bar)) {
          bound = bar;
          continue;
        }
        // Only a point farther out than the worst so far can raise it: nearer ones end the search early.
        const d = surface.signedDistance(x, y, z, bar);
        bound = d === 0 ? bar : d;
        if (d > bar) {
          worst = d;
          if (d > stopAbove) return d;
        }
      }
    }
  }
  return worst;
}

/** Per hull vertex, a bit for each of the (at most 31) point sets that hold it; null when there are none. */
function measuredCorners(v: Float32Array, sets: readonly Float32Array[]): Int32Array | null {
  if (sets.length === 0) return null;
  if (sets.length > 31) throw new Error(`hullProtrusion: at most 31 measured point sets, got ${sets.length}`);
  const bits = new Map<string, number>();
  sets.forEach((p, k) => {
    for (let i = 0; i < p.length; i += 3) {
      const key = `${p[i]},${p[i + 1]},${p[i + 2]}`;
      bits.set(key, (bits.get(key) ?? 0) | (1 << k));
    }
  });
  const out = new Int32Array(v.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = bits.get(`${v[3 * i]},${v[3 * i + 1]},${v[3 * i + 2]}`) ?? 0;
  return out;
}

/** The worst protrusion over all pieces of an object (m), and per piece. */
export function piecesProtrusion(
  mesh: Mesh,
  pieces: readonly Float32Array[],
  options: ProtrusionOptions = {},
): { worst: number; perPiece: number[] } {
  const surface = new MeshDistance(mesh);
  const perPiece = pieces.map((points) => pieceProtrusion(surface, points, options));
  return { worst: Math.max(0, ...perPiece), perPiece };
}
