// A flat finger pad closing on a mesh, exactly: the first touch of the finger's whole inner face (the box face that
// the collision model and the MuJoCo referee use), and the contact normal a rigid pad really feels there.
import type { MeshIndex } from '../../geometry/bvh.js';
import type { Vec3 } from '../../geometry/vector.js';
import type { Contact } from './contact.js';

/** The pad's face in its own frame: `across` and `along` span it, it moves along `dir`; ranges in metres. */
export interface PadFace {
  start: Vec3;
  dir: Vec3;
  across: Vec3;
  along: Vec3;
  /** Extent across (−halfWidth … halfWidth) and along (alongMin … alongMax) from `start`. */
  halfWidth: number;
  alongMin: number;
  alongMax: number;
}

/** Travels within this of the first touch count as touching at once (m): float32 meshes placed 0.5 m out. */
const TIE = 1e-6;
/**
 * A touching point this far inside the pad's rim is on the pad's face, not its rim (m). With TIE, a face within
 * atan(TIE / RIM) = 0.6° of the pad counts as parallel to it: the normals then differ by no more than that.
 */
const RIM = 1e-4;

/**
 * Moves the pad along `dir` until it first touches the surface, within `maxTravel`. Exact: every triangle near the
 * swept pad is clipped to the pad's footprint, and the least travel over the clipped polygons is the first touch.
 *
 * The contact normal is the one a rigid flat pad meets: where the first touch lies inside the pad's face (the pad
 * lands on a vertex, an edge, a ridge or a parallel face) the surface can only push back along the pad's normal, so
 * the normal is the pad's; where it lies on the pad's rim (the rim lands on a face) it is that face's normal. The
 * contact point is the centre of the surface within `patchTolerance` of the first touch (the pad's compliance), as
 * before, weighted by the area it covers on the pad.
 */
export function padContact(
  index: MeshIndex,
  pad: PadFace,
  maxTravel: number,
  patchTolerance: number,
): { contact: Contact; travel: number } | string {
  const { start: s, dir: d, across: u, along: v } = pad;
  // An upper bound on the first touch from rays through the grasp line and the pad's centre narrows the exact search.
  let bound = maxTravel;
  for (const [a, b] of [
    [0, Math.min(pad.alongMax, Math.max(pad.alongMin, 0))],
    [0, (pad.alongMin + pad.alongMax) / 2],
  ] as const) {
    const o: Vec3 = [s[0] + a * u[0] + b * v[0], s[1] + a * u[1] + b * v[1], s[2] + a * u[2] + b * v[2]];
    const hit = index.raycast(o, d, 0, bound);
    if (hit && hit.normal[0] * d[0] + hit.normal[1] * d[1] + hit.normal[2] * d[2] < 0) bound = hit.distance;
  }
  const near = gather(index, pad, bound, patchTolerance);
  const first = near.first;
  if (near.firstBack < first - TIE) return 'starts inside the object';
  if (!(first <= maxTravel)) return 'misses the object';
  const poly = near.poly,
    scratch = near.scratch;

  // The first touch: on the pad's face or on its rim; and the patch within the tolerance, by area.
  let onFace = false;
  let rx = 0,
    ry = 0,
    rz = 0;
  let area = 0,
    cx = 0,
    cz = 0,
    ct = 0;
  for (let k = 0; k < near.count; k++) {
    if (near.facing[k] >= 0 || near.lowest[k] > first + patchTolerance) continue;
    let n = near.lowest[k] <= first + TIE ? clipTriangle(near.local, 9 * k, pad, 0, first + TIE, poly, scratch) : 0;
    if (n > 0) {
      for (let i = 0; i < n && !onFace; i++) onFace = insideRim(poly[3 * i], poly[3 * i + 1], pad);
      // By how squarely each face meets the pad: a wall along the closing direction bears nothing.
      const w = -near.facing[k];
      rx += w * near.normals[3 * k];
      ry += w * near.normals[3 * k + 1];
      rz += w * near.normals[3 * k + 2];
    }
    const o = 9 * k,
      tri = near.local;
    // Wholly over the pad and within the tolerance: the triangle itself, unclipped.
    if (overPad(tri, o, pad) && Math.max(tri[o + 2], tri[o + 5], tri[o + 8]) <= first + patchTolerance) {
      for (let i = 0; i < 9; i++) poly[i] = tri[o + i];
      n = 3;
    } else n = clipTriangle(tri, o, pad, 0, first + patchTolerance, poly, scratch);
    // Fan triangulation of the convex clipped polygon: centroid weighted by the area the pad covers (the area
    // projected on the pad), so walls parallel to the closing direction add nothing, as they carry no load.
    const cover = -near.facing[k];
    for (let i = 1; i + 1 < n; i++) {
      const a = cover * polygonTriangleArea(poly, 0, i, i + 1);
      area += a;
      cx += (a * (poly[0] + poly[3 * i] + poly[3 * i + 3])) / 3;
      cz += (a * (poly[1] + poly[3 * i + 1] + poly[3 * i + 4])) / 3;
      ct += (a * (poly[2] + poly[3 * i + 2] + poly[3 * i + 5])) / 3;
    }
  }
  // A patch of no area (a vertex or an edge exactly at the tolerance) is its first-touch point.
  if (!(area > 0)) return 'touches a knife edge with no defined normal';
  cx /= area;
  cz /= area;
  ct /= area;
  const point: Vec3 = [
    s[0] + cx * u[0] + cz * v[0] + ct * d[0],
    s[1] + cx * u[1] + cz * v[1] + ct * d[1],
    s[2] + cx * u[2] + cz * v[2] + ct * d[2],
  ];
  let inward: Vec3;
  if (onFace) inward = [d[0], d[1], d[2]];
  else {
    const rn = Math.hypot(rx, ry, rz);
    if (!(rn > 1e-9)) return 'touches a knife edge with no defined normal';
    inward = [-rx / rn, -ry / rn, -rz / rn];
  }
  return { contact: { point, inwardNormal: inward, approachDirection: [d[0], d[1], d[2]] }, travel: first };
}

/**
 * Branch and bound over the BVH: the least travel at which the pad touches a front face (`first`) and a back face
 * (`firstBack`), and every triangle that may lie within `tolerance` of the first touch, in pad coordinates (across,
 * along, travel) with outward normals. Nodes whose box cannot come nearer than the best touch so far are skipped.
 */
function gather(index: MeshIndex, pad: PadFace, bound: number, tolerance: number) {
  const { start: s, dir: d, across: u, along: v } = pad;
  const scratchState = state;
  let { local, normals, facing, lowest } = scratchState;
  const { poly, scratch } = scratchState;
  let count = 0;
  let first = Infinity,
    firstBack = Infinity;
  const limit = () => Math.min(bound, first, firstBack) + tolerance;
  // The pad frame's handedness: a cross product taken in pad coordinates maps back with this sign.
  const hand =
    (u[1] * v[2] - u[2] * v[1]) * d[0] + (u[2] * v[0] - u[0] * v[2]) * d[1] + (u[0] * v[1] - u[1] * v[0]) * d[2];
  const positions = index.mesh.vertices;
  const triangles = (index.bvh.geometry.index as { array: ArrayLike<number> }).array;
  // Pad coordinates of a point: three dot products with the pad's frame, from the jaw's start.
  const padBox = (box: { min: { x: number; y: number; z: number }; max: { x: number; y: number; z: number } }) => {
    // Interval of each pad coordinate over the box: centre ± half-extent projected (exact for a box).
    const cx = (box.min.x + box.max.x) / 2 - s[0],
      cy = (box.min.y + box.max.y) / 2 - s[1],
      cz = (box.min.z + box.max.z) / 2 - s[2];
    const hx = (box.max.x - box.min.x) / 2,
      hy = (box.max.y - box.min.y) / 2,
      hz = (box.max.z - box.min.z) / 2;
    const au = cx * u[0] + cy * u[1] + cz * u[2],
      ru = hx * Math.abs(u[0]) + hy * Math.abs(u[1]) + hz * Math.abs(u[2]);
    if (au - ru > pad.halfWidth || au + ru < -pad.halfWidth) return Infinity;
    const av = cx * v[0] + cy * v[1] + cz * v[2],
      rv = hx * Math.abs(v[0]) + hy * Math.abs(v[1]) + hz * Math.abs(v[2]);
    if (av - rv > pad.alongMax || av + rv < pad.alongMin) return Infinity;
    const ad = cx * d[0] + cy * d[1] + cz * d[2],
      rd = hx * Math.abs(d[0]) + hy * Math.abs(d[1]) + hz * Math.abs(d[2]);
    if (ad + rd < 0) return Infinity;
    return Math.max(0, ad - rd);
  };
  index.bvh.shapecast({
    boundsTraverseOrder: (box) => padBox(box),
    intersectsBounds: (box) => padBox(box) <= limit(),
    intersectsRange: (offset, n) => {
      for (let tri = offset; tri < offset + n; tri++) {
        if (count === facing.length) {
          local = grown(local);
          normals = grown(normals);
          facing = grown(facing);
          lowest = grown(lowest);
          Object.assign(scratchState, { local, normals, facing, lowest });
        }
        let lo = Infinity;
        for (let c = 0; c < 3; c++) {
          const i = 3 * triangles[3 * tri + c];
          const x = positions[i] - s[0],
            y = positions[i + 1] - s[1],
            z = positions[i + 2] - s[2];
          local[9 * count + 3 * c] = x * u[0] + y * u[1] + z * u[2];
          local[9 * count + 3 * c + 1] = x * v[0] + y * v[1] + z * v[2];
          const t = x * d[0] + y * d[1] + z * d[2];
          local[9 * count + 3 * c + 2] = t;
          if (t < lo) lo = t;
        }
        if (lo > limit()) continue;
        let least = lo;
        // A triangle wholly over the pad needs no clipping: its least travel is its lowest corner's.
        if (!overPad(local, 9 * count, pad) || lo < 0) {
          const m = clipTriangle(local, 9 * count, pad, 0, Infinity, poly, scratch);
          if (m === 0) continue;
          least = Infinity;
          for (let i = 0; i < m; i++) least = Math.min(least, poly[3 * i + 2]);
        }
        // Outward normal from the winding, in the mesh frame; its side against the pad's travel.
        const o = 9 * count;
        const e1 = [local[o + 3] - local[o], local[o + 4] - local[o + 1], local[o + 5] - local[o + 2]];
        const e2 = [local[o + 6] - local[o], local[o + 7] - local[o + 1], local[o + 8] - local[o + 2]];
        // Cross product in pad coordinates (a right-handed frame: across × along = travel), back to the mesh frame.
        const pu = e1[1] * e2[2] - e1[2] * e2[1],
          pv = e1[2] * e2[0] - e1[0] * e2[2],
          pd = e1[0] * e2[1] - e1[1] * e2[0];
        const len = hand * Math.hypot(pu, pv, pd);
        if (!(Math.abs(len) > 0)) continue;
        normals[3 * count] = (pu * u[0] + pv * v[0] + pd * d[0]) / len;
        normals[3 * count + 1] = (pu * u[1] + pv * v[1] + pd * d[1]) / len;
        normals[3 * count + 2] = (pu * u[2] + pv * v[2] + pd * d[2]) / len;
        facing[count] = pd / len;
        lowest[count] = least;
        if (pd / len < 0) first = Math.min(first, least);
        else firstBack = Math.min(firstBack, least);
        count++;
      }
      return false;
    },
  });
  return { local, normals, facing, lowest, count, first, firstBack, poly, scratch };
}

/** Buffers reused across calls (one thread runs one closing at a time). */
const state = {
  local: new Float64Array(9 * 64),
  normals: new Float64Array(3 * 64),
  facing: new Float64Array(64),
  lowest: new Float64Array(64),
  poly: new Float64Array(3 * 12),
  scratch: new Float64Array(3 * 12),
};

function grown(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

function overPad(tri: Float64Array, o: number, pad: PadFace): boolean {
  for (let c = 0; c < 3; c++) {
    const a = tri[o + 3 * c],
      b = tri[o + 3 * c + 1];
    if (Math.abs(a) > pad.halfWidth || b < pad.alongMin || b > pad.alongMax) return false;
  }
  return true;
}

function insideRim(a: number, b: number, pad: PadFace): boolean {
  return Math.abs(a) < pad.halfWidth - RIM && b > pad.alongMin + RIM && b < pad.alongMax - RIM;
}

/**
 * Clips triangle `k` (pad coordinates at `tri[offset…]`) to the box |across| ≤ halfWidth, along ∈ [alongMin,
 * alongMax], travel ∈ [t0, t1]; writes the convex polygon to `out` and returns its vertex count (0 when empty).
 */
export function clipTriangle(
  tri: Float64Array,
  offset: number,
  pad: Pick<PadFace, 'halfWidth' | 'alongMin' | 'alongMax'>,
  t0: number,
  t1: number,
  out: Float64Array,
  scratch: Float64Array,
): number {
  for (let i = 0; i < 9; i++) out[i] = tri[offset + i];
  let n = 3;
  let a = out,
    b = scratch;
  // Keep coordinate·sign ≤ limit, one plane at a time (Sutherland–Hodgman): across, along, then travel.
  for (let plane = 0; plane < 6; plane++) {
    const axis = plane >> 1,
      sign = plane & 1 ? 1 : -1;
    const limit =
      plane < 2 ? pad.halfWidth : plane === 2 ? -pad.alongMin : plane === 3 ? pad.alongMax : plane === 4 ? -t0 : t1;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const fi = sign * a[3 * i + axis] - limit,
        fj = sign * a[3 * j + axis] - limit;
      if (fi <= 0) {
        b[3 * m] = a[3 * i];
        b[3 * m + 1] = a[3 * i + 1];
        b[3 * m + 2] = a[3 * i + 2];
        m++;
      }
      if ((fi < 0 && fj > 0) || (fi > 0 && fj < 0)) {
        const w = fi / (fi - fj);
        b[3 * m] = a[3 * i] + w * (a[3 * j] - a[3 * i]);
        b[3 * m + 1] = a[3 * i + 1] + w * (a[3 * j + 1] - a[3 * i + 1]);
        b[3 * m + 2] = a[3 * i + 2] + w * (a[3 * j + 2] - a[3 * i + 2]);
        m++;
      }
    }
    n = m;
    [a, b] = [b, a];
    if (n === 0) return 0;
  }
  if (a !== out) out.set(a.subarray(0, 3 * n));
  return n;
}

function polygonTriangleArea(p: Float64Array, i: number, j: number, k: number): number {
  const ax = p[3 * j] - p[3 * i],
    ay = p[3 * j + 1] - p[3 * i + 1],
    az = p[3 * j + 2] - p[3 * i + 2];
  const bx = p[3 * k] - p[3 * i],
    by = p[3 * k + 1] - p[3 * i + 1],
    bz = p[3 * k + 2] - p[3 * i + 2];
  return 0.5 * Math.hypot(ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx);
}
