// Convex pieces that stand in for a non-convex object in the physics simulation (MuJoCo collides every mesh as its
// convex hull, which would fill a mug's cavity, a drilled hole or a bracket's corner and block grasps the analytic
// referee allows). The surface is cut into patches of nearby, similarly facing triangles; each patch, thickened a
// little inward (less under thin walls and sharp edges), is one piece. A piece whose hull reaches out of the object
// (it spans a hole or a concave bend) is cut again, worst first — or, when it cannot be cut, thinned — until every
// piece stays within maxOverhang of the surface, measured on a lattice over each hull (piece-fidelity.ts); when the
// cutting reaches its budget of pieces, the pieces that stay in are joined (below) to make room, and it goes on. Then
// neighbouring pieces whose joint hull still stays within maxOverhang are joined, smallest first: the cuts overshoot
// (a cut halves a piece that only needed a corner trimmed), and each piece near the gripper costs MuJoCo a hull to
// build and contacts to solve. Pieces on outward-curved surfaces need no cutting: their hulls lie inside the object.
import { convexHull, DegenerateHullError } from '../geometry/convex-hull.js';
import type { Mesh } from '../geometry/mesh.js';
import { MeshDistance } from '../geometry/mesh-distance.js';
import { massProperties, triangleCross } from '../geometry/mesh-properties.js';
import { hullProtrusion } from './piece-fidelity.js';
import { extremePoints, fibonacciDirections, supportPoints } from './support-points.js';
import { convexPolygons, cut, flatFaces, halves, triangleGeometry, type TriangleGeometry } from './surface-patches.js';

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
  /**
   * Most pieces the cutting may reach before the joining (a safeguard: the 25 imported held-out models and the
   * procedural objects measured needed at most ~1,500; the joining leaves far fewer).
   */
  maxPieces: number;
  /**
   * A piece is cut again while its hull reaches farther than this out of the object (m), on the lattice of
   * probeSpacing: no point of a hull then lies more than maxOverhang + probeSpacing/√2 out (1.71 mm by default).
   */
  maxOverhang: number;
  /** Spacing of the lattice on which each hull's reach out of the object is measured (m). */
  probeSpacing: number;
  /** How far each patch is thickened into the object (m), less where the wall is thinner or an edge sharper. */
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

const cross = new Float64Array(3);

export const DEFAULT_CONVEX_PIECE_OPTIONS: Readonly<ConvexPieceOptions> = Object.freeze({
  convexVolumeRatio: 0.97,
  patches: 16,
  flatFaceShare: 0.02,
  maxPieces: 4000,
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
  /** Share of each triangle's safe depth (TriangleGeometry.depth) the patch was thickened by: 1, or less once thinned. */
  depthScale: number;
  /** The clustering cannot split its triangles. */
  uncuttable?: boolean;
}

/**
 * Whether a hull reaches out of the object farther than maxOverhang, on the full lattice (piece-fidelity.ts): 0 when
 * it does not, else how far the first probe beyond it lies. Distances under maxOverhang need no exact value, so a
 * probe ends its search at the first triangle nearer than that, and the search ends at the first probe beyond it.
 */
function overhang(surface: MeshDistance, hull: Mesh, o: ConvexPieceOptions, measured?: Float32Array[]): number {
  return hullProtrusion(surface, hull, {
    spacing: o.probeSpacing,
    tolerance: o.maxOverhang,
    stopAbove: o.maxOverhang,
    measured,
  });
}

/** Distances to the surface below this are float noise (m), as in the protrusion measure. */
const SURFACE_TOLERANCE = 5e-5;

/** Out of budget, joining must leave at most this share of it for the cutting to go on. */
const JOIN_TO = 0.9;

/** Thinnest a piece is made (m) before it is dropped: thinner hulls are slivers MuJoCo handles poorly. */
const MIN_THICKNESS = 0.0002;

/**
 * A hull no finger can tell from its neighbours' and MuJoCo's mesh compiler refuses: effective thickness 2V/S (the
 * thickness of a slab) under 1 µm, or volume under (0.1 mm)³. A sliver triangle thickened inward gives such a hull
 * (an imported real mesh's piece of 3.7e-17 m³ made MuJoCo reject the whole trial's model; near-flat hulls of
 * ≤ 1e-14 m³ are refused, measured), and the pieces around it cover its surface.
 */
export function isSliverHull(hull: Mesh): boolean {
  // Volume (divergence theorem) and area in one pass: this runs for every piece the refinement tries.
  const v = hull.vertices,
    t = hull.triangles;
  let volume6 = 0,
    area2 = 0;
  for (let i = 0; i < t.length; i += 3) {
    const [nx, ny, nz] = triangleCross(v, 3 * t[i], 3 * t[i + 1], 3 * t[i + 2], cross);
    const a = 3 * t[i];
    volume6 += v[a] * nx + v[a + 1] * ny + v[a + 2] * nz;
    area2 += Math.hypot(nx, ny, nz);
  }
  const volume = volume6 / 6;
  return !(volume >= 1e-12 && (4 * volume) / area2 >= 1e-6);
}

/** What every step of one decomposition shares. */
interface Decomposition {
  mesh: Mesh;
  g: TriangleGeometry;
  surface: MeshDistance;
  o: ConvexPieceOptions;
  /** How deep each triangle corner is thickened (m; 3 per triangle, safeDepths). */
  depth: Float64Array;
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
  const surface = new MeshDistance(mesh);
  // The support hull lies just inside the true hull, so a convex mesh scores slightly above 1. A shallow dent can
  // hold little volume yet leave the hull millimetres off the surface, so the hull must also stay close.
  if (volume >= o.convexVolumeRatio * hullVolume && overhang(surface, convexHull(hullPoints), o) <= o.maxOverhang)
    return [hullPoints];

  const g = triangleGeometry(mesh, o.normalWeight);
  const d: Decomposition = { mesh, g, surface, o, depth: safeDepths(mesh, g, surface, o) };
  const { flat, curved } = flatFaces(g, o.flatFaceShare);
  const parts = flat.flatMap((face) => convexPolygons(mesh, g, face));
  if (curved.length > 0) parts.push(...cut(g, curved, o.patches, o.iterations));
  const pieces = mergePieces(d, refine(d, parts));
  return pieces.length > 0 ? pieces.map((p) => p.points) : [hullPoints];
}

/**
 * The pieces of the patches, the one that reaches farthest out of the object cut again until every piece stays in
 * or the budget is spent; pieces that cannot be cut are thinned.
 */
function refine(d: Decomposition, parts: number[][]): Piece[] {
  const o = d.o;
  const pieces = parts.map((part) => makePiece(d, part)).filter((p): p is Piece => p !== null);
  let lastOutside = Infinity;
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
      const thick = pieces.findIndex((p) => p.overhang > o.maxOverhang && p.depthScale > MIN_THICKNESS / o.thickness);
      if (thick < 0) return pieces;
      const thinner = makePiece(d, pieces[thick].triangles, pieces[thick].depthScale / 2);
      // A thinned piece stays as cuttable as it was: cutting it would make full-thickness pieces again.
      if (thinner) pieces[thick] = { ...thinner, uncuttable: pieces[thick].uncuttable };
      else pieces.splice(thick, 1);
      continue;
    }
    let parts = cut(d.g, pieces[worst].triangles, 2, o.iterations);
    // The clustering cannot separate a patch of alike triangles (a flat polygon spanning a notch): halve it in space.
    if (parts.length < 2) parts = halves(d.g, pieces[worst].triangles);
    if (parts.length < 2) {
      pieces[worst].uncuttable = true;
      continue;
    }
    if (pieces.length - 1 + parts.length > o.maxPieces) {
      // Out of budget. A patchwork surface can start near it (a window frame's 16 patches fell apart into 3,772
      // connected parts): join the pieces that stay in first, which frees room, and go on cutting. Joining never
      // rebuilds a piece that reaches out (a joint hull holds both hulls), so each round makes progress.
      const outside = pieces.reduce((n, p) => n + (p.overhang > o.maxOverhang ? p.triangles.length : 0), 0);
      if (outside < lastOutside) {
        lastOutside = outside;
        const joined = mergePieces(d, pieces);
        if (joined.length <= JOIN_TO * o.maxPieces) {
          pieces.splice(0, pieces.length, ...joined);
          continue;
        }
        // Left over budget, thinning is all that remains, and a piece that still reaches out may reach far: its
        // overhang is where the measure stopped, past maxOverhang, not its worst.
        for (const p of pieces) p.uncuttable = true;
        continue;
      }
      // No less surface reaches out than at the last join, so joining again frees nothing: this piece falls apart into
      // more parts than the budget has room for (a twisted prism: 64 triangles in 18 parts beside 31 pieces, which
      // was cut and put back forever). Leave it whole; the others may still be cut.
      pieces[worst].uncuttable = true;
      continue;
    }
    const made = parts.map((part) => makePiece(d, part)).filter((p): p is Piece => p !== null);
    pieces.splice(worst, 1, ...made);
  }
}

/**
 * Joins neighbouring pieces whose joint hull still stays within maxOverhang, smallest first: the cuts leave many
 * pieces that need not be apart (both halves of a cut that only one side needed, a flat face's small convex
 * polygons), and every piece near the gripper costs MuJoCo a hull to build and contacts to solve.
 */
function mergePieces(d: Decomposition, start: Piece[]): Piece[] {
  const g = d.g;
  const pieces = [...start];
  const alive = pieces.map(() => true);
  const owner = new Int32Array(g.area.length).fill(-1);
  pieces.forEach((p, id) => p.triangles.forEach((f) => (owner[f] = id)));
  // Shared edges between each pair of neighbouring pieces.
  const links = pieces.map(() => new Map<number, number>());
  const link = (a: number, b: number, n: number) => links[a].set(b, (links[a].get(b) ?? 0) + n);
  for (let f = 0; f < owner.length; f++)
    for (let e = 0; e < 3; e++) {
      const h = g.neighbours[3 * f + e];
      if (owner[f] >= 0 && h >= 0 && owner[h] >= 0 && owner[h] !== owner[f]) link(owner[f], owner[h], 1);
    }
  const area = (p: Piece) => p.triangles.reduce((s, f) => s + g.area[f], 0);
  const queue = pieces.map((_, id) => id).sort((a, b) => area(pieces[a]) - area(pieces[b]) || a - b);
  const failed = new Set<string>();
  for (let next = 0; next < queue.length; next++) {
    const id = queue[next];
    if (!alive[id]) continue;
    const candidates = [...links[id].entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([other]) => other);
    for (const other of candidates) {
      const key = id < other ? `${id},${other}` : `${other},${id}`;
      if (failed.has(key)) continue;
      const joint = joinPieces(d, pieces[id], pieces[other]);
      if (joint.overhang > d.o.maxOverhang) {
        failed.add(key);
        continue;
      }
      const made = pieces.length;
      pieces.push(joint);
      alive.push(true);
      alive[id] = alive[other] = false;
      joint.triangles.forEach((f) => (owner[f] = made));
      const joined = new Map<number, number>();
      for (const source of [id, other])
        for (const [n, count] of links[source]) {
          if (n === id || n === other) continue;
          joined.set(n, (joined.get(n) ?? 0) + count);
          links[n].delete(source);
          link(n, made, count);
        }
      links.push(joined);
      queue.push(made);
      break;
    }
  }
  return pieces.filter((_, id) => alive[id]);
}

/**
 * The piece whose hull is the hull of both pieces' points; only the faces that bridge them are measured (the rest
 * lie on one piece's hull, measured when it was made).
 */
function joinPieces(d: Decomposition, a: Piece, b: Piece): Piece {
  const both = new Float32Array(a.points.length + b.points.length);
  both.set(a.points);
  both.set(b.points, a.points.length);
  const hull = convexHull(both);
  const bridge = overhang(d.surface, hull, d.o, [a.points, b.points]);
  return {
    triangles: [...a.triangles, ...b.triangles],
    points: hull.vertices,
    overhang: Math.max(a.overhang, b.overhang, bridge),
    depthScale: Math.min(a.depthScale, b.depthScale),
  };
}

/** The piece of a patch, or null when its hull is a sliver (isSliverHull: MuJoCo cannot build such a hull). */
function makePiece(d: Decomposition, triangles: number[], depthScale = 1): Piece | null {
  const points = thickenedPatch(d, triangles, depthScale);
  let hull: Mesh;
  try {
    hull = convexHull(points);
  } catch (err) {
    if (err instanceof DegenerateHullError) return null;
    throw err;
  }
  if (isSliverHull(hull)) return null;
  return { triangles, points, overhang: overhang(d.surface, hull, d.o), depthScale };
}

/**
 * How deep each triangle corner may be thickened (3 per triangle): `thickness`, halved (down to MIN_THICKNESS)
 * while the point that deep under the triangle's centroid is not well inside — a wall thinner than the thickening
 * would put the piece's inner face out through the far side — or the point that deep under the corner is outside:
 * at an edge sharper than a right angle, the step along one face's normal leaves through the other face. No cut
 * mends either (a twisted prism with acute edges was cut into ~750 single triangles, each still 1.3 mm out).
 */
function safeDepths(mesh: Mesh, g: TriangleGeometry, surface: MeshDistance, o: ConvexPieceOptions): Float64Array {
  const v = mesh.vertices,
    t = mesh.triangles;
  const count = g.area.length;
  const depth = new Float64Array(3 * count);
  const n = g.normals;
  const deepest = (ok: (d: number) => boolean, from: number) => {
    let d = from;
    while (d > MIN_THICKNESS && !ok(d)) d = Math.max(MIN_THICKNESS, d / 2);
    return d;
  };
  for (let f = 0; f < count; f++) {
    const c = 6 * f;
    // Under the centroid: at least half the depth inside (the wall is then at least 1.5 depths thick there).
    const wall = deepest(
      (d) =>
        surface.signedDistance(
          g.features[c] - d * n[3 * f],
          g.features[c + 1] - d * n[3 * f + 1],
          g.features[c + 2] - d * n[3 * f + 2],
          d / 2,
        ) <=
        -d / 2,
      o.thickness,
    );
    for (let k = 0; k < 3; k++) {
      const p = 3 * t[3 * f + k];
      // Under a corner: inside, or on the surface (a right-angled edge puts it on the other face's plane).
      depth[3 * f + k] = deepest(
        (d) =>
          surface.signedDistance(
            v[p] - d * n[3 * f],
            v[p + 1] - d * n[3 * f + 1],
            v[p + 2] - d * n[3 * f + 2],
            SURFACE_TOLERANCE,
          ) <= 0,
        wall,
      );
    }
  }
  return depth;
}

/**
 * The patch's vertices and the same vertices moved inward along their triangle's normal by its safe depth (times
 * `depthScale`), thinned out.
 */
function thickenedPatch(d: Decomposition, triangles: number[], depthScale: number): Float32Array {
  const { g, o } = d;
  const v = d.mesh.vertices,
    t = d.mesh.triangles;
  const points = new Float32Array(triangles.length * 18);
  let n = 0;
  for (const f of triangles) {
    const a = 3 * t[3 * f],
      b = 3 * t[3 * f + 1],
      c = 3 * t[3 * f + 2];
    const nx = g.normals[3 * f],
      ny = g.normals[3 * f + 1],
      nz = g.normals[3 * f + 2];
    [a, b, c].forEach((p, k) => {
      const depth = d.depth[3 * f + k] * depthScale;
      points.set([v[p], v[p + 1], v[p + 2], v[p] - depth * nx, v[p + 1] - depth * ny, v[p + 2] - depth * nz], n);
      n += 6;
    });
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
