// Convex pieces that stand in for a non-convex object in the physics simulation (MuJoCo collides every mesh as its
// convex hull, which would fill a mug's cavity or a bracket's corner and block grasps the analytic referee allows).
// The surface is cut into patches of nearby, similarly facing triangles; each patch, thickened a little inward, is
// one piece. Their union covers the surface and bulges into concave regions only by a patch's sagitta.
import { convexHull, DegenerateHullError } from '../geometry/convex-hull.js';
import type { Mesh } from '../geometry/mesh.js';
import { boundingBoxExtents, massProperties } from '../geometry/mesh-properties.js';
import { extremePoints, fibonacciDirections, supportPoints } from './support-points.js';

export interface ConvexPieceOptions {
  /** Objects whose volume is at least this share of their hull's count as convex: one piece, the hull. */
  convexVolumeRatio: number;
  /** Number of surface patches the clustering aims for (connected parts of a patch become pieces of their own). */
  patches: number;
  /** How far each patch is thickened into the object (m); under the thinnest walls, so no piece pokes out. */
  thickness: number;
  /** Weight of a 1-unit normal difference against position in the clustering, as a share of the object's size. */
  normalWeight: number;
  /** Lloyd iterations of the clustering. */
  iterations: number;
  /**
   * Directions that thin out each piece's points: this many spread over the sphere, plus as many of the patch's
   * own triangle normals (along which its surface bulges, so its hull follows the surface there).
   */
  directionsPerPiece: number;
}

export const DEFAULT_CONVEX_PIECE_OPTIONS: Readonly<ConvexPieceOptions> = Object.freeze({
  convexVolumeRatio: 0.97,
  patches: 32,
  thickness: 0.0015,
  normalWeight: 0.3,
  iterations: 6,
  directionsPerPiece: 48,
});

/**
 * Point sets (packed xyz, object frame) whose convex hulls together stand in for the solid. A nearly convex mesh
 * gives one set: the support points of its hull. Deterministic for a given mesh.
 */
export function convexPieces(mesh: Mesh, options: Partial<ConvexPieceOptions> = {}): Float32Array[] {
  const o = { ...DEFAULT_CONVEX_PIECE_OPTIONS, ...options };
  const hullPoints = supportPoints(mesh);
  const volume = massProperties(mesh).volume;
  const hullVolume = massProperties(convexHull(hullPoints)).volume;
  // The support hull lies just inside the true hull, so a convex mesh scores slightly above 1.
  if (volume >= o.convexVolumeRatio * hullVolume) return [hullPoints];

  const patch = clusterTriangles(mesh, o);
  const pieces: Float32Array[] = [];
  for (const triangles of splitConnected(mesh, patch)) {
    const points = thickenedPatch(mesh, triangles, o);
    // Parts made only of slivers have no volume; MuJoCo cannot build their hulls, and they hold nothing up.
    if (isSolid(points)) pieces.push(points);
  }
  return pieces.length > 0 ? pieces : [hullPoints];
}

/** Area-weighted k-means of the triangles on (centroid, weighted normal); returns each triangle's patch. */
function clusterTriangles(mesh: Mesh, o: ConvexPieceOptions): Int32Array {
  const v = mesh.vertices, t = mesh.triangles;
  const count = t.length / 3;
  const extents = boundingBoxExtents(mesh);
  const w = o.normalWeight * Math.max(extents[0], extents[1], extents[2]);
  // Feature rows: centroid xyz, then w·normal xyz.
  const features = new Float64Array(count * 6);
  const area = new Float64Array(count);
  for (let f = 0; f < count; f++) {
    const a = 3 * t[3 * f], b = 3 * t[3 * f + 1], c = 3 * t[3 * f + 2];
    const ux = v[b] - v[a], uy = v[b + 1] - v[a + 1], uz = v[b + 2] - v[a + 2];
    const vx = v[c] - v[a], vy = v[c + 1] - v[a + 1], vz = v[c + 2] - v[a + 2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const len = Math.hypot(nx, ny, nz);
    area[f] = len / 2;
    const s = len > 0 ? w / len : 0;
    features.set([(v[a] + v[b] + v[c]) / 3, (v[a + 1] + v[b + 1] + v[c + 1]) / 3, (v[a + 2] + v[b + 2] + v[c + 2]) / 3, nx * s, ny * s, nz * s], 6 * f);
  }
  const k = Math.min(o.patches, count);
  const centers = new Float64Array(k * 6);
  // Farthest-point seeding from the largest triangle: spread out, and the same every time.
  let first = 0;
  for (let f = 1; f < count; f++) if (area[f] > area[first]) first = f;
  centers.set(features.subarray(6 * first, 6 * first + 6), 0);
  const nearest = new Float64Array(count).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let far = 0;
    for (let f = 0; f < count; f++) {
      nearest[f] = Math.min(nearest[f], distance2(features, 6 * f, centers, 6 * (c - 1)));
      if (nearest[f] > nearest[far]) far = f;
    }
    centers.set(features.subarray(6 * far, 6 * far + 6), 6 * c);
  }
  const assignment = new Int32Array(count);
  for (let iteration = 0; iteration <= o.iterations; iteration++) {
    for (let f = 0; f < count; f++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = distance2(features, 6 * f, centers, 6 * c);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      assignment[f] = best;
    }
    if (iteration === o.iterations) break;
    const sums = new Float64Array(k * 6), weights = new Float64Array(k);
    for (let f = 0; f < count; f++) {
      const c = assignment[f];
      weights[c] += area[f];
      for (let j = 0; j < 6; j++) sums[6 * c + j] += area[f] * features[6 * f + j];
    }
    // A patch that lost all its triangles keeps its old centre.
    for (let c = 0; c < k; c++) if (weights[c] > 0) for (let j = 0; j < 6; j++) centers[6 * c + j] = sums[6 * c + j] / weights[c];
  }
  return assignment;
}

function distance2(a: Float64Array, i: number, b: Float64Array, j: number): number {
  let s = 0;
  for (let k = 0; k < 6; k++) {
    const d = a[i + k] - b[j + k];
    s += d * d;
  }
  return s;
}

/**
 * Splits each patch into edge-connected parts (triangles of one patch on two separate features, say the tops of
 * a U-channel's two walls, must not be bridged by one hull). Vertices are matched by position, so unwelded
 * meshes connect too. Parts come out in order of their first triangle.
 */
function splitConnected(mesh: Mesh, patch: Int32Array): number[][] {
  const v = mesh.vertices, t = mesh.triangles;
  const ids = new Map<string, number>();
  const welded = new Int32Array(v.length / 3);
  for (let i = 0; i < welded.length; i++) {
    const key = `${v[3 * i]},${v[3 * i + 1]},${v[3 * i + 2]}`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    welded[i] = id;
  }
  const count = t.length / 3;
  const parent = Int32Array.from({ length: count }, (_, f) => f);
  const find = (f: number): number => {
    while (parent[f] !== f) f = parent[f] = parent[parent[f]];
    return f;
  };
  const edgeOwner = new Map<string, number>();
  for (let f = 0; f < count; f++) {
    for (let e = 0; e < 3; e++) {
      const a = welded[t[3 * f + e]], b = welded[t[3 * f + ((e + 1) % 3)]];
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      const other = edgeOwner.get(`${patch[f]}:${key}`);
      if (other === undefined) edgeOwner.set(`${patch[f]}:${key}`, f);
      else {
        const ra = find(f), rb = find(other);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  const parts = new Map<number, number[]>();
  for (let f = 0; f < count; f++) {
    const root = find(f);
    const list = parts.get(root);
    if (list) list.push(f);
    else parts.set(root, [f]);
  }
  return [...parts.values()];
}

/** The patch's vertices and the same vertices moved `thickness` against their triangle's normal, thinned out. */
function thickenedPatch(mesh: Mesh, triangles: number[], o: ConvexPieceOptions): Float32Array {
  const v = mesh.vertices, t = mesh.triangles;
  const points = new Float32Array(triangles.length * 18);
  let n = 0;
  for (const f of triangles) {
    const a = 3 * t[3 * f], b = 3 * t[3 * f + 1], c = 3 * t[3 * f + 2];
    const ux = v[b] - v[a], uy = v[b + 1] - v[a + 1], uz = v[b + 2] - v[a + 2];
    const vx = v[c] - v[a], vy = v[c + 1] - v[a + 1], vz = v[c + 2] - v[a + 2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const len = Math.hypot(nx, ny, nz);
    const s = len > 0 ? o.thickness / len : 0;
    for (const p of [a, b, c]) {
      points.set([v[p], v[p + 1], v[p + 2], v[p] - nx * s, v[p + 1] - ny * s, v[p + 2] - nz * s], n);
      n += 6;
    }
  }
  const spread = fibonacciDirections(o.directionsPerPiece);
  const normals = Math.min(o.directionsPerPiece, triangles.length);
  const directions = new Float64Array(spread.length + 3 * normals);
  directions.set(spread);
  for (let k = 0; k < normals; k++) {
    // Evenly strided over the patch; triangle k's outward normal, from the first of its six points and its offset.
    const f = Math.floor((k * triangles.length) / normals);
    const nx = points[18 * f] - points[18 * f + 3], ny = points[18 * f + 1] - points[18 * f + 4], nz = points[18 * f + 2] - points[18 * f + 5];
    const len = Math.hypot(nx, ny, nz) || 1;
    directions.set([nx / len, ny / len, nz / len], spread.length + 3 * k);
  }
  return extremePoints(points, directions);
}

function isSolid(points: Float32Array): boolean {
  try {
    return massProperties(convexHull(points)).volume > 0;
  } catch (err) {
    if (err instanceof DegenerateHullError) return false;
    throw err;
  }
}
