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

/** Heights within this of the first touch count as touching at once (m): below float32 mesh resolution at 10 cm. */
const TIE = 1e-7;
/** A touching point this far inside the pad's rim is on the pad's face, not its rim (m). */
const RIM = 1e-5;

/**
 * Moves the pad along `dir` until it first touches the surface, within `maxTravel`. Exact: every triangle near the
 * swept pad is clipped to the pad's footprint, and the least travel over the clipped polygons is the first touch.
 *
 * The contact normal is the one a rigid flat pad meets: where the first touch lies inside the pad's face (the pad
 * lands on a vertex, an edge, a ridge or a parallel face) the surface can only push back along the pad's normal, so
 * the normal is the pad's; where it lies on the pad's rim (the rim lands on a face) it is that face's normal. The
 * contact point is the area-weighted centre of the surface within `patchTolerance` of the first touch (the pad's
 * compliance), as before.
 */
export function padContact(
  index: MeshIndex,
  pad: PadFace,
  maxTravel: number,
  patchTolerance: number,
): { contact: Contact; travel: number } | string {
  const { start: s, dir: d, across: u, along: v } = pad;
  // An upper bound on the first touch from rays through the pad's centre and corners narrows the exact search.
  let bound = maxTravel;
  for (const [a, b] of [
    [0, (pad.alongMin + pad.alongMax) / 2],
    [-pad.halfWidth, pad.alongMin],
    [pad.halfWidth, pad.alongMin],
    [-pad.halfWidth, pad.alongMax],
    [pad.halfWidth, pad.alongMax],
  ] as const) {
    const o: Vec3 = [s[0] + a * u[0] + b * v[0], s[1] + a * u[1] + b * v[1], s[2] + a * u[2] + b * v[2]];
    const hit = index.raycast(o, d, 0, bound);
    if (hit && hit.normal[0] * d[0] + hit.normal[1] * d[1] + hit.normal[2] * d[2] < 0) bound = hit.distance;
  }
  const reach = bound + patchTolerance;
  const near = gather(index, pad, reach);
  let first = Infinity,
    firstBack = Infinity;
  const poly = new Float64Array(3 * 12);
  const scratch = new Float64Array(3 * 12);
  for (let k = 0; k < near.count; k++) {
    const n = clipTriangle(near.local, 9 * k, pad, 0, reach, poly, scratch);
    let lo = Infinity;
    for (let i = 0; i < n; i++) lo = Math.min(lo, poly[3 * i + 2]);
    if (near.facing[k] < 0) first = Math.min(first, lo);
    else firstBack = Math.min(firstBack, lo);
  }
  if (firstBack < first - TIE) return 'starts inside the object';
  if (!(first <= maxTravel)) return 'misses the object';

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
    if (near.facing[k] >= 0) continue;
    let n = clipTriangle(near.local, 9 * k, pad, 0, first + TIE, poly, scratch);
    if (n > 0) {
      for (let i = 0; i < n && !onFace; i++) onFace = insideRim(poly[3 * i], poly[3 * i + 1], pad);
      const [nx, ny, nz] = near.normals.subarray(3 * k, 3 * k + 3);
      rx += nx;
      ry += ny;
      rz += nz;
    }
    n = clipTriangle(near.local, 9 * k, pad, 0, first + patchTolerance, poly, scratch);
    // Fan triangulation of the convex clipped polygon: area-weighted centroid in pad coordinates.
    for (let i = 1; i + 1 < n; i++) {
      const a = polygonTriangleArea(poly, 0, i, i + 1);
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

/** Triangles near the swept pad, in pad coordinates (across, along, travel), with their outward normals. */
function gather(index: MeshIndex, pad: PadFace, reach: number) {
  const { start: s, dir: d, across: u, along: v } = pad;
  let local = new Float64Array(9 * 64);
  let normals = new Float64Array(3 * 64);
  let facing = new Float64Array(64);
  let count = 0;
  const rotation = [u[0], v[0], d[0], u[1], v[1], d[1], u[2], v[2], d[2]] as const;
  index.forEachTriangleNearBox(
    [-pad.halfWidth, pad.alongMin, 0],
    [pad.halfWidth, pad.alongMax, reach],
    [...rotation],
    s,
    (corners, normal) => {
      if (count === facing.length) {
        local = grown(local);
        normals = grown(normals);
        facing = grown(facing);
      }
      for (let c = 0; c < 3; c++) {
        const x = corners[3 * c] - s[0],
          y = corners[3 * c + 1] - s[1],
          z = corners[3 * c + 2] - s[2];
        local[9 * count + 3 * c] = x * u[0] + y * u[1] + z * u[2];
        local[9 * count + 3 * c + 1] = x * v[0] + y * v[1] + z * v[2];
        local[9 * count + 3 * c + 2] = x * d[0] + y * d[1] + z * d[2];
      }
      normals[3 * count] = normal[0];
      normals[3 * count + 1] = normal[1];
      normals[3 * count + 2] = normal[2];
      facing[count] = normal[0] * d[0] + normal[1] * d[1] + normal[2] * d[2];
      count++;
    },
  );
  return { local, normals, facing, count };
}

function grown(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
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
  const planes: [number, number, number][] = [
    [0, -1, pad.halfWidth],
    [0, 1, pad.halfWidth],
    [1, -1, -pad.alongMin],
    [1, 1, pad.alongMax],
    [2, -1, -t0],
    [2, 1, t1],
  ];
  // Keep coordinate·sign ≤ limit, one plane at a time (Sutherland–Hodgman).
  for (const [axis, sign, limit] of planes) {
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
