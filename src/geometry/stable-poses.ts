// Stable resting poses of an object on a table and how likely each is when the object is dropped (Dex-Net's
// quasi-static model over convex-hull facets); the dataset samples object poses from these.
import { convexHull } from './convex-hull.js';
import type { Mesh } from './mesh.js';
import { centerOfMass } from './mesh-properties.js';
import { mat3MulVec, rotationBetween, type Mat3, type Vec3 } from './vector.js';

export interface StablePose {
  /** Rotation from the object frame to the table frame; it maps `facetNormal` to −z (the table lies below). */
  readonly rotation: Mat3;
  /** Share of uniformly random drop orientations that come to rest on this facet. */
  readonly probability: number;
  /** Outward unit normal of the resting facet, object frame. */
  readonly facetNormal: Vec3;
  /** Boundary of the resting facet (convex-hull vertices), object frame, counter-clockwise seen from outside. */
  readonly facetVertices: Vec3[];
  /** Centre of mass used, object frame. */
  readonly centerOfMass: Vec3;
  /** Height of the centre of mass above the table in this pose. */
  readonly comHeight: number;
}

export interface StablePoseOptions {
  /**
   * Drop poses whose probability is below this (default 0: keep all). Like Dex-Net (which uses 0.01), the kept
   * probabilities are not renormalised, so they sum to less than 1 when poses are dropped. When no pose reaches it
   * (a ball or a near-sphere: the drop spreads over thousands of hull facets of ~0.002 each), the most probable pose
   * alone is kept rather than none, so round objects are not refused as having no resting pose.
   */
  minProbability?: number;
  /** Centre of mass in the object frame; by default `centerOfMass(mesh)` (uniform-density solid). */
  centerOfMass?: Vec3;
  /** Adjacent hull triangles whose normals differ from a facet's first triangle by less than this (radians) join it. */
  coplanarAngle?: number;
}

const FOUR_PI = 4 * Math.PI;

/**
 * Solid angle of triangle abc seen from `from` (Van Oosterom & Strackee, 1983); positive when abc is
 * counter-clockwise seen from outside with `from` behind it.
 */
export function triangleSolidAngle(a: Vec3, b: Vec3, c: Vec3, from: Vec3 = [0, 0, 0]): number {
  const ax = a[0] - from[0],
    ay = a[1] - from[1],
    az = a[2] - from[2];
  const bx = b[0] - from[0],
    by = b[1] - from[1],
    bz = b[2] - from[2];
  const cx = c[0] - from[0],
    cy = c[1] - from[1],
    cz = c[2] - from[2];
  const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  const la = Math.hypot(ax, ay, az),
    lb = Math.hypot(bx, by, bz),
    lc = Math.hypot(cx, cy, cz);
  const denom =
    la * lb * lc +
    (ax * bx + ay * by + az * bz) * lc +
    (ax * cx + ay * cy + az * cz) * lb +
    (bx * cx + by * cy + bz * cz) * la;
  // atan2 keeps the half-angle in the right quadrant when the triangle covers more than a hemisphere's quarter.
  return 2 * Math.atan2(det, denom);
}

interface Facet {
  triangles: number[];
  normal: Vec3;
  /** Plane offset: max over the facet's vertices of normal · v. */
  offset: number;
  solidAngle: number;
  stable: boolean;
  /** Facet the object rolls onto when unstable (index), else −1. */
  next: number;
  boundary: number[];
}

/**
 * Stable poses of `mesh` on a horizontal table, most probable first. Quasi-static model: the object rests on a
 * convex-hull facet; the facet is stable when the centre of mass projects inside it; each facet catches the
 * drop orientations in its solid angle seen from the centre of mass, and an unstable facet passes its catch on to
 * the facet it rolls onto (over the edge nearest the projected centre of mass) until a stable one is reached.
 */
export function stablePoses(mesh: Mesh, options: StablePoseOptions = {}): StablePose[] {
  const minProbability = options.minProbability ?? 0;
  const coplanarAngle = options.coplanarAngle ?? 1e-3;
  const hull = convexHull(mesh);
  const com = options.centerOfMass ?? centerOfMass(mesh);

  const hv = Float64Array.from(hull.vertices);
  const ht = hull.triangles;
  const triCount = ht.length / 3;
  const vertex = (i: number): Vec3 => [hv[3 * i], hv[3 * i + 1], hv[3 * i + 2]];
  let scale = 0;
  for (let i = 0; i < hv.length; i++) scale = Math.max(scale, Math.abs(hv[i] - com[i % 3]));

  // Directed edge a→b to its triangle; the twin b→a belongs to the neighbour across the edge.
  const nv = hv.length / 3;
  const edgeTri = new Map<number, number>();
  for (let f = 0; f < triCount; f++)
    for (let k = 0; k < 3; k++) edgeTri.set(ht[3 * f + k] * nv + ht[3 * f + ((k + 1) % 3)], f);
  const neighbour = (f: number, k: number): number => {
    const g = edgeTri.get(ht[3 * f + ((k + 1) % 3)] * nv + ht[3 * f + k]);
    if (g === undefined) throw new Error('stablePoses: convex hull is not a closed manifold');
    return g;
  };

  const triNormal = new Float64Array(triCount * 3);
  const triArea = new Float64Array(triCount);
  const degenerate = new Uint8Array(triCount);
  for (let f = 0; f < triCount; f++) {
    const a = vertex(ht[3 * f]),
      b = vertex(ht[3 * f + 1]),
      c = vertex(ht[3 * f + 2]);
    const e1 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]],
      e2 = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
    const e3 = [c[0] - b[0], c[1] - b[1], c[2] - b[2]];
    const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
    const len = Math.hypot(n[0], n[1], n[2]);
    triArea[f] = len / 2;
    const longest = Math.max(
      Math.hypot(e1[0], e1[1], e1[2]),
      Math.hypot(e2[0], e2[1], e2[2]),
      Math.hypot(e3[0], e3[1], e3[2]),
    );
    // Slivers from rounding have meaningless normals; they join whichever facet they touch instead of seeding one.
    degenerate[f] = len < 1e-6 * longest * longest ? 1 : 0;
    if (len > 0) for (let k = 0; k < 3; k++) triNormal[3 * f + k] = n[k] / len;
  }

  // Grow facets from the largest triangles over edges to neighbours that are coplanar with the seed.
  const facetOf = new Int32Array(triCount).fill(-1);
  const groups: number[][] = [];
  const order = Array.from({ length: triCount }, (_, f) => f).sort((p, q) => triArea[q] - triArea[p] || p - q);
  const cosTol = Math.cos(coplanarAngle);
  for (const seed of order) {
    if (facetOf[seed] >= 0 || degenerate[seed]) continue;
    const id = groups.length;
    const members = [seed];
    facetOf[seed] = id;
    for (let m = 0; m < members.length; m++) {
      const f = members[m];
      for (let k = 0; k < 3; k++) {
        const g = neighbour(f, k);
        if (facetOf[g] >= 0 || degenerate[g]) continue;
        const c =
          triNormal[3 * g] * triNormal[3 * seed] +
          triNormal[3 * g + 1] * triNormal[3 * seed + 1] +
          triNormal[3 * g + 2] * triNormal[3 * seed + 2];
        if (c >= cosTol) {
          facetOf[g] = id;
          members.push(g);
        }
      }
    }
    groups.push(members);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (let f = 0; f < triCount; f++) {
      if (facetOf[f] >= 0) continue;
      for (let k = 0; k < 3 && facetOf[f] < 0; k++) {
        const g = neighbour(f, k);
        if (facetOf[g] >= 0) {
          facetOf[f] = facetOf[g];
          groups[facetOf[g]].push(f);
          changed = true;
        }
      }
    }
  }
  if (groups.length === 0) throw new Error('stablePoses: convex hull has no non-degenerate facet');

  const facets: Facet[] = groups.map((tris) => {
    const n: Vec3 = [0, 0, 0];
    for (const f of tris) for (let k = 0; k < 3; k++) n[k] += triArea[f] * triNormal[3 * f + k];
    const len = Math.hypot(n[0], n[1], n[2]);
    const normal: Vec3 = [n[0] / len, n[1] / len, n[2] / len];
    let offset = -Infinity,
      solidAngle = 0;
    for (const f of tris) {
      const a = vertex(ht[3 * f]),
        b = vertex(ht[3 * f + 1]),
        c = vertex(ht[3 * f + 2]);
      for (const p of [a, b, c]) offset = Math.max(offset, normal[0] * p[0] + normal[1] * p[1] + normal[2] * p[2]);
      solidAngle += triangleSolidAngle(a, b, c, com);
    }
    return { triangles: tris, normal, offset, solidAngle, stable: false, next: -1, boundary: [] };
  });

  const totalAngle = facets.reduce((s, f) => s + f.solidAngle, 0);
  for (const facet of facets) {
    const height = facet.offset - (facet.normal[0] * com[0] + facet.normal[1] * com[1] + facet.normal[2] * com[2]);
    if (!(height > 1e-9 * scale)) throw new Error('stablePoses: centre of mass is not inside the convex hull');
  }
  // With the centre of mass strictly inside, the facets tile the sphere of directions around it.
  if (Math.abs(totalAngle - FOUR_PI) > 1e-6 * FOUR_PI)
    throw new Error(`stablePoses: facet solid angles sum to ${totalAngle}, expected 4π`);

  const tol = 1e-9 * scale;
  facets.forEach((facet, id) => classify(facet, id));

  function classify(facet: Facet, id: number): void {
    const n = facet.normal;
    const u = perpendicularUnit(n);
    const w: Vec3 = [n[1] * u[2] - n[2] * u[1], n[2] * u[0] - n[0] * u[2], n[0] * u[1] - n[1] * u[0]];
    const to2d = (p: Vec3): [number, number] => {
      const d = [p[0] - com[0], p[1] - com[1], p[2] - com[2]];
      return [d[0] * u[0] + d[1] * u[1] + d[2] * u[2], d[0] * w[0] + d[1] * w[1] + d[2] * w[2]];
    };
    // The centre of mass projects onto the facet plane at the 2-D origin.
    let inside = false;
    let best = Infinity,
      bestOutside = -Infinity,
      bestNext = -1;
    const boundaryNext = new Map<number, number>();
    for (const f of facet.triangles) {
      const p = [to2d(vertex(ht[3 * f])), to2d(vertex(ht[3 * f + 1])), to2d(vertex(ht[3 * f + 2]))];
      let inTri = true;
      for (let k = 0; k < 3; k++) {
        const a = p[k],
          b = p[(k + 1) % 3];
        const ex = b[0] - a[0],
          ey = b[1] - a[1];
        const len = Math.hypot(ex, ey);
        // u × w = n, so outward-CCW triangles stay CCW in 2-D and the interior is left of each edge.
        const outside = len > 0 ? (ex * a[1] - ey * a[0]) / len : 0;
        if (outside > tol) inTri = false;
        const g = neighbour(f, k);
        if (facetOf[g] === id) continue;
        boundaryNext.set(ht[3 * f + k], ht[3 * f + ((k + 1) % 3)]);
        const dist = pointSegmentDistance(a, b);
        // At a shared corner the roll goes over the edge the centre of mass is furthest beyond.
        if (dist < best - tol || (dist <= best + tol && outside > bestOutside)) {
          best = Math.min(best, dist);
          bestOutside = outside;
          bestNext = facetOf[g];
        }
      }
      if (inTri) inside = true;
    }
    facet.stable = inside;
    facet.next = inside ? -1 : bestNext;
    facet.boundary = orderLoop(boundaryNext);
  }

  // Follow the toppling graph. Rolling over an edge strictly lowers the centre of mass for exact planar facets,
  // so cycles only come from merge tolerances; the lowest facet of such a cycle then counts as stable.
  const sink = new Int32Array(facets.length).fill(-1);
  const heightOf = (f: Facet): number =>
    f.offset - (f.normal[0] * com[0] + f.normal[1] * com[1] + f.normal[2] * com[2]);
  for (let start = 0; start < facets.length; start++) {
    const path: number[] = [];
    const onPath = new Set<number>();
    let cur = start;
    while (sink[cur] < 0 && !facets[cur].stable) {
      if (onPath.has(cur)) {
        const cycle = path.slice(path.indexOf(cur));
        const lowest = cycle.reduce((p, q) => (heightOf(facets[q]) < heightOf(facets[p]) ? q : p));
        facets[lowest].stable = true;
        facets[lowest].next = -1;
        cur = lowest;
        break;
      }
      onPath.add(cur);
      path.push(cur);
      cur = facets[cur].next;
    }
    const target = sink[cur] >= 0 ? sink[cur] : cur;
    for (const p of path) sink[p] = target;
    sink[target] = target;
  }

  const catchment = new Float64Array(facets.length);
  facets.forEach((f, i) => (catchment[sink[i]] += f.solidAngle));

  const poses: StablePose[] = [];
  facets.forEach((facet, i) => {
    if (!facet.stable) return;
    const probability = catchment[i] / totalAngle;
    poses.push({
      rotation: rotationBetween(facet.normal, [0, 0, -1]),
      probability,
      facetNormal: facet.normal,
      facetVertices: facet.boundary.map(vertex),
      centerOfMass: [com[0], com[1], com[2]],
      comHeight: heightOf(facet),
    });
  });
  poses.sort((p, q) => q.probability - p.probability);
  const likely = poses.filter((p) => p.probability >= minProbability);
  // A ball's drop spreads over thousands of hull facets, none reaching the floor; it still comes to rest somewhere.
  // Some facet is always stable (the toppling ends), so the result is never empty.
  return likely.length > 0 ? likely : poses.slice(0, 1);
}

/**
 * Rigid transform (table frame = rotation · object + translation) placing `mesh` in `pose` with its lowest point on
 * the table plane z = 0 and its centre of mass above the table origin.
 */
export function restingTransform(mesh: Mesh, pose: StablePose): { rotation: Mat3; translation: Vec3 } {
  const r = pose.rotation;
  const v = mesh.vertices;
  let minZ = Infinity;
  for (let i = 0; i < v.length; i += 3) minZ = Math.min(minZ, r[6] * v[i] + r[7] * v[i + 1] + r[8] * v[i + 2]);
  const c = mat3MulVec(r, pose.centerOfMass);
  return { rotation: [...r] as Mat3, translation: [-c[0], -c[1], -minZ] };
}

function perpendicularUnit(n: Vec3): Vec3 {
  const h: Vec3 = Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const p: Vec3 = [n[1] * h[2] - n[2] * h[1], n[2] * h[0] - n[0] * h[2], n[0] * h[1] - n[1] * h[0]];
  const len = Math.hypot(p[0], p[1], p[2]);
  return [p[0] / len, p[1] / len, p[2] / len];
}

/** Distance from the 2-D origin to segment ab. */
function pointSegmentDistance(a: [number, number], b: [number, number]): number {
  const ex = b[0] - a[0],
    ey = b[1] - a[1];
  const len2 = ex * ex + ey * ey;
  const s = len2 > 0 ? Math.min(1, Math.max(0, -(a[0] * ex + a[1] * ey) / len2)) : 0;
  return Math.hypot(a[0] + s * ex, a[1] + s * ey);
}

/** Chains boundary edges start→end into one loop of vertex indices (the facet of a closed convex hull is a disc). */
function orderLoop(next: Map<number, number>): number[] {
  const first = next.keys().next();
  if (first.done) return [];
  const loop: number[] = [];
  let v = first.value;
  do {
    loop.push(v);
    const w = next.get(v);
    if (w === undefined || loop.length > next.size) return [...next.keys()];
    v = w;
  } while (v !== first.value);
  return loop;
}
