// Convex pieces that stand in for a non-convex object in the physics simulation (MuJoCo collides every mesh as its
// convex hull, which would fill a mug's cavity, a drilled hole or a bracket's corner and block grasps the analytic
// referee allows). The surface is cut into patches of nearby, similarly facing triangles; each patch, thickened a
// little inward, is one piece. A piece whose hull reaches out of the object (it spans a hole or a concave bend, or
// its thickening crosses a thin wall) is cut again, worst first — or, when it cannot be cut, thinned — until every
// piece stays within maxOverhang of the surface, measured on a lattice over each hull (piece-fidelity.ts).
// Pieces on outward-curved surfaces need no cutting: their hulls lie inside the object.
import { farthestPointSeeds, kMeans } from '../core/k-means.js';
import { MeshIndex } from '../geometry/bvh.js';
import { convexHull, DegenerateHullError } from '../geometry/convex-hull.js';
import type { Mesh } from '../geometry/mesh.js';
import { boundingBoxExtents, massProperties, surfaceArea, triangleCross } from '../geometry/mesh-properties.js';
import { hullProtrusion } from './piece-fidelity.js';
import { extremePoints, fibonacciDirections, supportPoints } from './support-points.js';

export interface ConvexPieceOptions {
  /** Objects whose volume is at least this share of their hull's count as convex: one piece, the hull. */
  convexVolumeRatio: number;
  /** Patches of the first cut of the curved surface (connected parts of a patch become pieces of their own). */
  patches: number;
  /**
   * Flat faces at least this share of the surface area are cut into convex polygons instead (CSG parts: a block's
   * face around drilled holes is a fan of long slivers that no clustering separates well).
   */
  flatFaceShare: number;
  /** Most pieces the refinement may reach. */
  maxPieces: number;
  /** A piece is cut again while its hull reaches farther than this out of the object (m). */
  maxOverhang: number;
  /** Spacing of the lattice on which each hull's reach out of the object is measured (m). */
  probeSpacing: number;
  /** How far each patch is thickened into the object (m); under the thinnest walls, so no piece pokes out. */
  thickness: number;
  /** Weight of a 1-unit normal difference against position in the clustering, as a share of the object's size. */
  normalWeight: number;
  /** Lloyd iterations of each clustering. */
  iterations: number;
  /**
   * Directions that thin out each piece's points: this many spread over the sphere, plus as many of the patch's
   * own triangle normals (along which its surface bulges, so its hull follows the surface there).
   */
  directionsPerPiece: number;
}

export const DEFAULT_CONVEX_PIECE_OPTIONS: Readonly<ConvexPieceOptions> = Object.freeze({
  convexVolumeRatio: 0.97,
  patches: 16,
  flatFaceShare: 0.02,
  maxPieces: 640,
  maxOverhang: 0.001,
  probeSpacing: 0.001,
  thickness: 0.0015,
  normalWeight: 0.3,
  iterations: 6,
  directionsPerPiece: 48,
});

interface Piece {
  triangles: number[];
  points: Float32Array;
  /** How far the piece's hull reaches out of the object (m), on a lattice over the hull. */
  overhang: number;
  /** How far the patch was thickened into the object (m). */
  thickness: number;
  /** The clustering cannot split its triangles. */
  uncuttable?: boolean;
}

/**
 * Lattice steps per hull face edge in the refinement (at most 15 probes a face): the full 1-mm lattice made an L
 * bracket's ten pieces take 12 s instead of 0.3 s; the overhang over a hull face varies slowly, so a few probes find it.
 */
const PROBE_DIVISIONS = 4;

/** Thinnest a piece is made (m) before it is dropped: thinner hulls are slivers MuJoCo handles poorly. */
const MIN_THICKNESS = 0.0002;

/**
 * A hull no finger can tell from its neighbours' and MuJoCo's mesh compiler refuses: effective thickness 2V/S (the
 * thickness of a slab) under 1 µm, or volume under (0.1 mm)³. A sliver triangle thickened inward gives such a hull
 * (an imported real mesh's piece of 3.7e-17 m³ made MuJoCo reject the whole trial's model; near-flat hulls of
 * ≤ 1e-14 m³ are refused, measured), and the pieces around it cover its surface.
 */
export function isSliverHull(hull: Mesh): boolean {
  const volume = massProperties(hull).volume;
  return !(volume >= 1e-12 && (2 * volume) / surfaceArea(hull) >= 1e-6);
}

/**
 * Point sets (packed xyz, object frame) whose convex hulls together stand in for the solid. A nearly convex mesh
 * gives one set: the support points of its hull. Deterministic for a given mesh.
 */
export function convexPieces(mesh: Mesh, options: Partial<ConvexPieceOptions> = {}): Float32Array[] {
  const o = { ...DEFAULT_CONVEX_PIECE_OPTIONS, ...options };
  const hullPoints = supportPoints(mesh);
  const volume = massProperties(mesh).volume;
  const hullVolume = massProperties(convexHull(hullPoints)).volume;
  const index = new MeshIndex(mesh);
  // The support hull lies just inside the true hull, so a convex mesh scores slightly above 1. A shallow dent can
  // hold little volume yet leave the hull millimetres off the surface, so the hull must also stay close.
  if (
    volume >= o.convexVolumeRatio * hullVolume &&
    hullProtrusion(index, convexHull(hullPoints), { spacing: o.probeSpacing, maxDivisions: PROBE_DIVISIONS }) <=
      o.maxOverhang
  )
    return [hullPoints];

  const geometry = triangleGeometry(mesh, o);
  const { flat, curved } = flatFaces(geometry, o.flatFaceShare);
  const parts = flat.flatMap((face) => convexPolygons(mesh, geometry, face));
  if (curved.length > 0) parts.push(...cut(geometry, curved, o.patches, o));
  const pieces: Piece[] = [];
  for (const part of parts) {
    const piece = makePiece(mesh, index, part, o);
    if (piece) pieces.push(piece);
  }
  // Cut the piece that reaches farthest out of the object, until every piece stays in or the budget is spent.
  for (;;) {
    let worst = -1;
    for (let i = 0; i < pieces.length; i++)
      if (
        pieces[i].overhang > o.maxOverhang &&
        pieces[i].triangles.length > 1 &&
        !pieces[i].uncuttable &&
        (worst < 0 || pieces[i].overhang > pieces[worst].overhang)
      )
        worst = i;
    if (worst < 0) {
      // Pieces that cannot be cut (one triangle, or all alike) but still reach out cross a thin wall: thin them.
      const thick = pieces.findIndex((p) => p.overhang > o.maxOverhang && p.thickness > MIN_THICKNESS);
      if (thick < 0) break;
      const thinner = makePiece(mesh, index, pieces[thick].triangles, o, pieces[thick].thickness / 2);
      if (thinner) pieces[thick] = thinner;
      else pieces.splice(thick, 1);
      continue;
    }
    let parts = cut(geometry, pieces[worst].triangles, 2, o);
    // The clustering cannot separate a patch of alike triangles (a flat polygon spanning a notch): halve it in space.
    if (parts.length < 2) parts = halves(geometry, pieces[worst].triangles);
    if (pieces.length - 1 + parts.length > o.maxPieces) {
      // Out of budget: what is left to do is thinning.
      for (const p of pieces) p.uncuttable = true;
      continue;
    }
    const made = parts.map((part) => makePiece(mesh, index, part, o)).filter((p): p is Piece => p !== null);
    pieces.splice(worst, 1, ...made);
  }
  return pieces.length > 0 ? pieces.map((p) => p.points) : [hullPoints];
}

interface TriangleGeometry {
  /** Per triangle: centroid xyz, then the normal scaled by the normal weight (clustering features). */
  features: Float64Array;
  /** Unit normal per triangle (zero for degenerate ones). */
  normals: Float64Array;
  /** Size of the object (largest bounding-box extent, m). */
  size: number;
  area: Float64Array;
  /** Welded vertex id of every triangle corner (vertices matched by position, so unwelded meshes connect). */
  corners: Int32Array;
}

const cross = new Float64Array(3);

function triangleGeometry(mesh: Mesh, o: ConvexPieceOptions): TriangleGeometry {
  const v = mesh.vertices,
    t = mesh.triangles;
  const count = t.length / 3;
  const extents = boundingBoxExtents(mesh);
  const w = o.normalWeight * Math.max(extents[0], extents[1], extents[2]);
  const features = new Float64Array(count * 6);
  const normals = new Float64Array(count * 3);
  const area = new Float64Array(count);
  for (let f = 0; f < count; f++) {
    const a = 3 * t[3 * f],
      b = 3 * t[3 * f + 1],
      c = 3 * t[3 * f + 2];
    const [nx, ny, nz] = triangleCross(v, a, b, c, cross);
    const len = Math.hypot(nx, ny, nz);
    area[f] = len / 2;
    const s = len > 0 ? w / len : 0;
    if (len > 0) normals.set([nx / len, ny / len, nz / len], 3 * f);
    features.set(
      [
        (v[a] + v[b] + v[c]) / 3,
        (v[a + 1] + v[b + 1] + v[c + 1]) / 3,
        (v[a + 2] + v[b + 2] + v[c + 2]) / 3,
        nx * s,
        ny * s,
        nz * s,
      ],
      6 * f,
    );
  }
  const ids = new Map<string, number>();
  const corners = new Int32Array(t.length);
  for (let k = 0; k < t.length; k++) {
    const i = 3 * t[k];
    const key = `${v[i]},${v[i + 1]},${v[i + 2]}`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    corners[k] = id;
  }
  return { features, normals, size: Math.max(extents[0], extents[1], extents[2]), area, corners };
}

/** Neighbouring triangle across each edge (−1 on an open edge), by welded corners. */
function edgeNeighbours(g: TriangleGeometry): Int32Array {
  const count = g.area.length;
  const out = new Int32Array(count * 3).fill(-1);
  const open = new Map<string, number>();
  for (let f = 0; f < count; f++) {
    for (let e = 0; e < 3; e++) {
      const a = g.corners[3 * f + e],
        b = g.corners[3 * f + ((e + 1) % 3)];
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      const other = open.get(key);
      if (other === undefined) open.set(key, 3 * f + e);
      else {
        out[3 * f + e] = Math.floor(other / 3);
        out[other] = f;
        open.delete(key);
      }
    }
  }
  return out;
}

/**
 * Edge-connected sets of coplanar triangles covering at least `share` of the surface (the flat faces), and every
 * other triangle (the curved surface, and flat faces too small to matter).
 */
function flatFaces(g: TriangleGeometry, share: number): { flat: number[][]; curved: number[] } {
  const count = g.area.length;
  const neighbours = edgeNeighbours(g);
  const total = g.area.reduce((s, a) => s + a, 0);
  const seen = new Uint8Array(count);
  const flat: number[][] = [];
  const curved: number[] = [];
  const offset = (f: number, n: number) =>
    g.normals[3 * n] * g.features[6 * f] +
    g.normals[3 * n + 1] * g.features[6 * f + 1] +
    g.normals[3 * n + 2] * g.features[6 * f + 2];
  for (let seed = 0; seed < count; seed++) {
    if (seen[seed]) continue;
    seen[seed] = 1;
    const face = [seed];
    if (g.area[seed] > 0) {
      const plane = offset(seed, seed);
      for (let i = 0; i < face.length; i++) {
        for (let e = 0; e < 3; e++) {
          const h = neighbours[3 * face[i] + e];
          if (h < 0 || seen[h] || g.area[h] === 0) continue;
          const cos =
            g.normals[3 * h] * g.normals[3 * seed] +
            g.normals[3 * h + 1] * g.normals[3 * seed + 1] +
            g.normals[3 * h + 2] * g.normals[3 * seed + 2];
          if (cos < 1 - 1e-6 || Math.abs(offset(h, seed) - plane) > 1e-6 * g.size) continue;
          seen[h] = 1;
          face.push(h);
        }
      }
    }
    const area = face.reduce((s, f) => s + g.area[f], 0);
    if (face.length > 1 && area >= share * total) flat.push(face);
    else curved.push(...face);
  }
  curved.sort((a, b) => a - b);
  return { flat, curved };
}

/**
 * Greedy cut of a flat face into convex polygons: from the largest free triangle, take in edge-neighbours while
 * the union stays convex (its 2-D hull has no more area than its triangles).
 */
function convexPolygons(mesh: Mesh, g: TriangleGeometry, face: number[]): number[][] {
  const v = mesh.vertices,
    t = mesh.triangles;
  const n = [g.normals[3 * face[0]], g.normals[3 * face[0] + 1], g.normals[3 * face[0] + 2]];
  const u = Math.abs(n[0]) < 0.9 ? [0, -n[2], n[1]] : [-n[2], 0, n[0]];
  const ul = Math.hypot(u[0], u[1], u[2]);
  u[0] /= ul;
  u[1] /= ul;
  u[2] /= ul;
  const w = [n[1] * u[2] - n[2] * u[1], n[2] * u[0] - n[0] * u[2], n[0] * u[1] - n[1] * u[0]];
  const project = (i: number): [number, number] => [
    u[0] * v[3 * i] + u[1] * v[3 * i + 1] + u[2] * v[3 * i + 2],
    w[0] * v[3 * i] + w[1] * v[3 * i + 1] + w[2] * v[3 * i + 2],
  ];
  const inFace = new Set(face);
  const neighbours = new Map<number, number[]>();
  const byEdge = new Map<string, number>();
  for (const f of face) {
    neighbours.set(f, []);
    for (let e = 0; e < 3; e++) {
      const a = g.corners[3 * f + e],
        b = g.corners[3 * f + ((e + 1) % 3)];
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      const other = byEdge.get(key);
      if (other === undefined) byEdge.set(key, f);
      else {
        neighbours.get(f)!.push(other);
        neighbours.get(other)!.push(f);
      }
    }
  }
  const free = new Set(face);
  const order = [...face].sort((a, b) => g.area[b] - g.area[a] || a - b);
  const polygons: number[][] = [];
  for (const seed of order) {
    if (!free.has(seed)) continue;
    free.delete(seed);
    const group = [seed];
    const points: Array<[number, number]> = [0, 1, 2].map((k) => project(t[3 * seed + k]));
    let area = g.area[seed];
    const frontier = [...neighbours.get(seed)!];
    while (frontier.length > 0) {
      const f = frontier.shift()!;
      if (!free.has(f) || !inFace.has(f)) continue;
      const candidate = points.concat([0, 1, 2].map((k) => project(t[3 * f + k])));
      const candidateArea = area + g.area[f];
      if (hullArea2d(candidate) > candidateArea * (1 + 1e-6) + 1e-14) continue;
      free.delete(f);
      group.push(f);
      points.push(...candidate.slice(points.length));
      area = candidateArea;
      frontier.push(...neighbours.get(f)!.filter((h) => free.has(h)));
    }
    polygons.push(group);
  }
  return polygons;
}

/** Area of the 2-D convex hull (Andrew's monotone chain). */
function hullArea2d(points: Array<[number, number]>): number {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Array<[number, number]> = [];
  for (let i = p.length - 1; i >= 0; i--) {
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p[i]) <= 0) upper.pop();
    upper.push(p[i]);
  }
  const hull = lower.slice(0, -1).concat(upper.slice(0, -1));
  let twice = 0;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i],
      b = hull[(i + 1) % hull.length];
    twice += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(twice) / 2;
}

/** The triangles split at the median of their centroids along the axis where the centroids spread most. */
function halves(g: TriangleGeometry, triangles: number[]): number[][] {
  let axis = 0,
    spread = -1;
  for (let a = 0; a < 3; a++) {
    let lo = Infinity,
      hi = -Infinity;
    for (const f of triangles) {
      lo = Math.min(lo, g.features[6 * f + a]);
      hi = Math.max(hi, g.features[6 * f + a]);
    }
    if (hi - lo > spread) [axis, spread] = [a, hi - lo];
  }
  const sorted = [...triangles].sort((x, y) => g.features[6 * x + axis] - g.features[6 * y + axis] || x - y);
  const side = new Int32Array(triangles.length);
  const rank = new Map(sorted.map((f, i) => [f, i]));
  triangles.forEach((f, i) => (side[i] = rank.get(f)! < sorted.length >> 1 ? 0 : 1));
  // Each half split into its connected parts, so no hull bridges two separate stretches of surface.
  return splitConnected(g, triangles, side);
}

/** Clusters `triangles` into at most `k` patches and splits each into edge-connected parts. */
function cut(g: TriangleGeometry, triangles: number[], k: number, o: ConvexPieceOptions): number[][] {
  const assignment = cluster(g, triangles, k, o.iterations);
  return splitConnected(g, triangles, assignment);
}

/** Area-weighted k-means of the triangles on their features, seeded by farthest points from the largest one. */
function cluster(g: TriangleGeometry, triangles: number[], k: number, iterations: number): Int32Array {
  const { features, area } = g;
  const count = triangles.length;
  k = Math.min(k, count);
  const rows = new Float64Array(count * 6);
  const weights = new Float64Array(count);
  let first = 0;
  for (let i = 0; i < count; i++) {
    const f = triangles[i];
    rows.set(features.subarray(6 * f, 6 * f + 6), 6 * i);
    weights[i] = area[f];
    if (area[f] > area[triangles[first]]) first = i;
  }
  return kMeans(rows, count, 6, farthestPointSeeds(rows, count, 6, k, first), { iterations, weights });
}

/**
 * Splits each patch into edge-connected parts (triangles of one patch on two separate features, say the tops of
 * a U-channel's two walls, must not be bridged by one hull). Parts come out in order of their first triangle.
 */
function splitConnected(g: TriangleGeometry, triangles: number[], patch: Int32Array): number[][] {
  const count = triangles.length;
  const parent = Int32Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const edgeOwner = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const f = triangles[i];
    for (let e = 0; e < 3; e++) {
      const a = g.corners[3 * f + e],
        b = g.corners[3 * f + ((e + 1) % 3)];
      const key = `${patch[i]}:${a < b ? a : b},${a < b ? b : a}`;
      const other = edgeOwner.get(key);
      if (other === undefined) edgeOwner.set(key, i);
      else {
        const ra = find(i),
          rb = find(other);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  const parts = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const root = find(i);
    const list = parts.get(root);
    if (list) list.push(triangles[i]);
    else parts.set(root, [triangles[i]]);
  }
  return [...parts.values()];
}

/** The piece of a patch, or null when its hull is a sliver (isSliverHull: MuJoCo cannot build such a hull). */
function makePiece(
  mesh: Mesh,
  index: MeshIndex,
  triangles: number[],
  o: ConvexPieceOptions,
  thickness = o.thickness,
): Piece | null {
  const points = thickenedPatch(mesh, triangles, o, thickness);
  let hull: Mesh;
  try {
    hull = convexHull(points);
  } catch (err) {
    if (err instanceof DegenerateHullError) return null;
    throw err;
  }
  if (isSliverHull(hull)) return null;
  return {
    triangles,
    points,
    overhang: hullProtrusion(index, hull, { spacing: o.probeSpacing, maxDivisions: PROBE_DIVISIONS }),
    thickness,
  };
}

/** The patch's vertices and the same vertices moved `thickness` against their triangle's normal, thinned out. */
function thickenedPatch(mesh: Mesh, triangles: number[], o: ConvexPieceOptions, thickness: number): Float32Array {
  const v = mesh.vertices,
    t = mesh.triangles;
  const points = new Float32Array(triangles.length * 18);
  let n = 0;
  for (const f of triangles) {
    const a = 3 * t[3 * f],
      b = 3 * t[3 * f + 1],
      c = 3 * t[3 * f + 2];
    const [nx, ny, nz] = triangleCross(v, a, b, c, cross);
    const len = Math.hypot(nx, ny, nz);
    const s = len > 0 ? thickness / len : 0;
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
    const nx = points[18 * f] - points[18 * f + 3],
      ny = points[18 * f + 1] - points[18 * f + 4],
      nz = points[18 * f + 2] - points[18 * f + 5];
    const len = Math.hypot(nx, ny, nz) || 1;
    directions.set([nx / len, ny / len, nz / len], spread.length + 3 * k);
  }
  return extremePoints(points, directions);
}
