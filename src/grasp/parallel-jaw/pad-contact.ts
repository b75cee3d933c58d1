// A flat finger pad closing on a mesh, exactly: the first touch of the finger's whole inner face (the box face that
// the collision model and the MuJoCo referee use), and the contact normal a rigid pad really feels there.
import { hypot3 } from '../../core/hypot.js';
import type { MeshIndex } from '../../geometry/bvh.js';
import { triangleCross } from '../../geometry/mesh-properties.js';
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
 *
 * Labels are datasets' ground truth, so every bit of the result is pinned (test/grasp/parallel-jaw/pad-contact-
 * identity.test.ts): the BVH walk visits triangles in three-mesh-bvh's shapecast order and prunes at the same moments,
 * and every clip and sum is the same floating-point expression in the same order as the plain computation.
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
  for (let r = 0; r < 2; r++) {
    const b = r === 0 ? Math.min(pad.alongMax, Math.max(pad.alongMin, 0)) : (pad.alongMin + pad.alongMax) / 2;
    // `0 * u` stays: it keeps the sign of a zero coordinate as the plain expression had it.
    const o: Vec3 = [s[0] + 0 * u[0] + b * v[0], s[1] + 0 * u[1] + b * v[1], s[2] + 0 * u[2] + b * v[2]];
    const hit = index.raycast(o, d, 0, bound);
    if (hit && hit.normal[0] * d[0] + hit.normal[1] * d[1] + hit.normal[2] * d[2] < 0) bound = hit.distance;
  }
  gather(index, pad, bound, patchTolerance);
  const first = gathered.first;
  if (gathered.firstBack < first - TIE) return 'starts inside the object';
  if (!(first <= maxTravel)) return 'misses the object';
  const { local, normals, facing, lowest, prefix, prefixCount, over } = buffers;
  const { poly } = buffers;

  // The first touch: on the pad's face or on its rim; and the patch within the tolerance, by area.
  let onFace = false;
  let rx = 0,
    ry = 0,
    rz = 0;
  let area = 0,
    cx = 0,
    cz = 0,
    ct = 0;
  const count = gathered.count;
  for (let k = 0; k < count; k++) {
    if (facing[k] >= 0 || lowest[k] > first + patchTolerance) continue;
    // The rim normals only count while no touching point lies on the pad's face (then the pad's normal wins).
    if (!onFace && lowest[k] <= first + TIE) {
      const n = clipTravel(prefix, 24 * k, prefixCount[k], first + TIE, poly);
      if (n > 0) {
        for (let i = 0; i < n && !onFace; i++) onFace = insideRim(poly[3 * i], poly[3 * i + 1], pad);
        // By how squarely each face meets the pad: a wall along the closing direction bears nothing.
        const w = -facing[k];
        rx += w * normals[3 * k];
        ry += w * normals[3 * k + 1];
        rz += w * normals[3 * k + 2];
      }
    }
    const o = 9 * k;
    // Wholly over the pad and within the tolerance: the triangle itself, unclipped.
    let p: Float64Array, po: number, n: number;
    if (over[k] === 1 && Math.max(local[o + 2], local[o + 5], local[o + 8]) <= first + patchTolerance) {
      p = local;
      po = o;
      n = 3;
    } else {
      p = poly;
      po = 0;
      n = clipTravel(prefix, 24 * k, prefixCount[k], first + patchTolerance, poly);
    }
    // Fan triangulation of the convex clipped polygon: centroid weighted by the area the pad covers (the area
    // projected on the pad), so walls parallel to the closing direction add nothing, as they carry no load.
    const cover = -facing[k];
    for (let i = 1; i + 1 < n; i++) {
      const a = cover * fanTriangleArea(p, po, i);
      const i0 = po,
        i1 = po + 3 * i,
        i2 = po + 3 * i + 3;
      area += a;
      cx += (a * (p[i0] + p[i1] + p[i2])) / 3;
      cz += (a * (p[i0 + 1] + p[i1 + 1] + p[i2 + 1])) / 3;
      ct += (a * (p[i0 + 2] + p[i1 + 2] + p[i2 + 2])) / 3;
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
    const rn = hypot3(rx, ry, rz);
    if (!(rn > 1e-9)) return 'touches a knife edge with no defined normal';
    inward = [-rx / rn, -ry / rn, -rz / rn];
  }
  return { contact: { point, inwardNormal: inward, approachDirection: [d[0], d[1], d[2]] }, travel: first };
}

/** What `gather` found: the least travel to a front and to a back face, and how many triangles it kept. */
const gathered = { first: Infinity, firstBack: Infinity, count: 0 };

/** Per gathered triangle k, reused across calls (one thread closes one pad at a time) and grown on demand. */
const buffers = {
  /** Corners in pad coordinates (across, along, travel): 9 per triangle. */
  local: new Float64Array(9 * 64),
  /** Outward unit normal in the mesh frame. */
  normals: new Float64Array(3 * 64),
  /** The normal's component along the closing direction (< 0: a front face). */
  facing: new Float64Array(64),
  /** Least travel over the part of the triangle over the pad. */
  lowest: new Float64Array(64),
  /** The triangle clipped to the pad's four sides and travel ≥ 0 (up to 8 corners, 24 numbers per triangle). */
  prefix: new Float64Array(24 * 64),
  prefixCount: new Uint8Array(64),
  /** 1 when all three corners lie over the pad. */
  over: new Uint8Array(64),
  poly: new Float64Array(3 * 12),
  scratch: new Float64Array(3 * 12),
  /** The walk's pending BVH nodes (uint32 offsets) and their scores. */
  stackNode: new Int32Array(256),
  stackScore: new Float64Array(256),
};

function grow(): void {
  const b = buffers;
  const more = <T extends Float64Array | Uint8Array>(a: T): T => {
    const c = new (a.constructor as new (n: number) => T)(a.length * 2);
    c.set(a);
    return c;
  };
  b.local = more(b.local);
  b.normals = more(b.normals);
  b.facing = more(b.facing);
  b.lowest = more(b.lowest);
  b.prefix = more(b.prefix);
  b.prefixCount = more(b.prefixCount);
  b.over = more(b.over);
}

/** Pad coordinates of the mesh's vertices in the current closing: `padded` is valid where `seen` holds its epoch. */
interface VertexCache {
  seen: Int32Array;
  padded: Float64Array;
  epoch: number;
}
const vertexCaches = new WeakMap<MeshIndex, VertexCache>();

function vertexCache(index: MeshIndex): VertexCache {
  let c = vertexCaches.get(index);
  if (!c) {
    const n = index.mesh.vertices.length;
    c = { seen: new Int32Array(n / 3), padded: new Float64Array(n), epoch: 0 };
    vertexCaches.set(index, c);
  }
  return c;
}

/** A fresh epoch for the cache (every entry of `seen` predates it). */
function nextEpoch(c: VertexCache): number {
  if (c.epoch === 0x7fffffff) {
    c.epoch = 0;
    c.seen.fill(0);
  }
  return ++c.epoch;
}

/** Typed views of one packed BVH root, made once per tree. */
interface RootViews {
  f32: Float32Array;
  u16: Uint16Array;
  u32: Uint32Array;
}
const views = new WeakMap<ArrayBuffer, RootViews>();

function rootViews(root: ArrayBuffer): RootViews {
  let r = views.get(root);
  if (!r) {
    r = { f32: new Float32Array(root), u16: new Uint16Array(root), u32: new Uint32Array(root) };
    views.set(root, r);
  }
  return r;
}

// three-mesh-bvh's packed node (32 bytes): bounds as 6 float32 (min xyz, max xyz), then uint32 6 holds a leaf's
// triangle offset or an inner node's right-child distance in nodes, uint16 14 a leaf's count, uint16 15 0xFFFF on
// leaves. The left child follows its parent.
const NODE32 = 8;
const LEAF = 0xffff;

/**
 * Branch and bound over the BVH: the least travel at which the pad touches a front face (`first`) and a back face
 * (`firstBack`), and every triangle that may lie within `tolerance` of the first touch, in pad coordinates (across,
 * along, travel) with outward normals. Nodes whose box cannot come nearer than the best touch so far are skipped.
 *
 * The walk is three-mesh-bvh's `shapecast` with the box's least travel as both the traversal order and the bound
 * (the child of lower score first, the left one on ties; each child tested against the bound as it is reached; the
 * root never tested), done over the packed tree without callbacks, so the triangles come in the same order.
 */
function gather(index: MeshIndex, pad: PadFace, bound: number, tolerance: number): void {
  const { start: s, dir: d, across: u, along: v } = pad;
  let count = 0;
  let first = Infinity,
    firstBack = Infinity;
  let limit = Math.min(bound, first, firstBack) + tolerance;
  // The pad frame's handedness: a cross product taken in pad coordinates maps back with this sign.
  const hand =
    (u[1] * v[2] - u[2] * v[1]) * d[0] + (u[2] * v[0] - u[0] * v[2]) * d[1] + (u[0] * v[1] - u[1] * v[0]) * d[2];
  const positions = index.mesh.vertices;
  const triangles = (index.bvh.geometry.index as { array: ArrayLike<number> }).array;
  const cache = vertexCache(index);
  const { seen, padded } = cache;
  const epoch = nextEpoch(cache);
  const s0 = s[0],
    s1 = s[1],
    s2 = s[2];
  const u0 = u[0],
    u1 = u[1],
    u2 = u[2],
    v0 = v[0],
    v1 = v[1],
    v2 = v[2],
    d0 = d[0],
    d1 = d[1],
    d2 = d[2];
  const au0 = Math.abs(u0),
    au1 = Math.abs(u1),
    au2 = Math.abs(u2),
    av0 = Math.abs(v0),
    av1 = Math.abs(v1),
    av2 = Math.abs(v2),
    ad0 = Math.abs(d0),
    ad1 = Math.abs(d1),
    ad2 = Math.abs(d2);
  const halfWidth = pad.halfWidth,
    alongMin = pad.alongMin,
    alongMax = pad.alongMax;
  // Least travel of a node's box, Infinity when it is not over the pad. Interval of each pad coordinate over the box:
  // centre ± half-extent projected (exact for a box).
  const boxTravel = (f: Float32Array, n: number): number => {
    const cx = (f[n] + f[n + 3]) / 2 - s0,
      cy = (f[n + 1] + f[n + 4]) / 2 - s1,
      cz = (f[n + 2] + f[n + 5]) / 2 - s2;
    const hx = (f[n + 3] - f[n]) / 2,
      hy = (f[n + 4] - f[n + 1]) / 2,
      hz = (f[n + 5] - f[n + 2]) / 2;
    const au = cx * u0 + cy * u1 + cz * u2,
      ru = hx * au0 + hy * au1 + hz * au2;
    if (au - ru > halfWidth || au + ru < -halfWidth) return Infinity;
    const av = cx * v0 + cy * v1 + cz * v2,
      rv = hx * av0 + hy * av1 + hz * av2;
    if (av - rv > alongMax || av + rv < alongMin) return Infinity;
    const ad = cx * d0 + cy * d1 + cz * d2,
      rd = hx * ad0 + hy * ad1 + hz * ad2;
    if (ad + rd < 0) return Infinity;
    return Math.max(0, ad - rd);
  };

  for (const root of (index.bvh as unknown as { _roots: ArrayBuffer[] })._roots) {
    const { f32, u16, u32 } = rootViews(root);
    let stackNode = buffers.stackNode,
      stackScore = buffers.stackScore;
    // The root goes in unconditionally (shapecast never tests it against the bound).
    stackNode[0] = 0;
    stackScore[0] = -Infinity;
    let top = 1;
    let rootEntry = true;
    while (top > 0) {
      top--;
      let node = stackNode[top];
      if (!rootEntry && !(stackScore[top] <= limit)) continue;
      rootEntry = false;
      // Down the nearer children: the farther one waits on the stack and meets the bound as it stands then.
      while (u16[2 * node + 15] !== LEAF) {
        let c1 = node + NODE32,
          c2 = node + u32[node + 6] * NODE32;
        let score1 = boxTravel(f32, c1),
          score2 = boxTravel(f32, c2);
        if (score2 < score1) {
          const c = c1;
          c1 = c2;
          c2 = c;
          const t = score1;
          score1 = score2;
          score2 = t;
        }
        if (top + 1 >= stackNode.length) {
          const n = new Int32Array(stackNode.length * 2),
            sc = new Float64Array(stackNode.length * 2);
          n.set(stackNode);
          sc.set(stackScore);
          buffers.stackNode = stackNode = n;
          buffers.stackScore = stackScore = sc;
        }
        stackNode[top] = c2;
        stackScore[top] = score2;
        top++;
        if (!(score1 <= limit)) {
          node = -1;
          break;
        }
        node = c1;
      }
      if (node < 0) continue;

      // A leaf: its triangles, in pad coordinates.
      const offset = u32[node + 6],
        end = offset + u16[2 * node + 14];
      for (let tri = offset; tri < end; tri++) {
        if (count === buffers.facing.length) grow();
        const local = buffers.local;
        const o = 9 * count;
        let lo = Infinity;
        for (let c = 0; c < 3; c++) {
          const vertex = triangles[3 * tri + c],
            i = 3 * vertex;
          // A vertex is shared by about six triangles: its pad coordinates are worked out once per closing.
          if (seen[vertex] !== epoch) {
            seen[vertex] = epoch;
            const x = positions[i] - s0,
              y = positions[i + 1] - s1,
              z = positions[i + 2] - s2;
            padded[i] = x * u0 + y * u1 + z * u2;
            padded[i + 1] = x * v0 + y * v1 + z * v2;
            padded[i + 2] = x * d0 + y * d1 + z * d2;
          }
          local[o + 3 * c] = padded[i];
          local[o + 3 * c + 1] = padded[i + 1];
          const t = padded[i + 2];
          local[o + 3 * c + 2] = t;
          if (t < lo) lo = t;
        }
        if (lo > limit) continue;
        let least = lo;
        const over = overPad(local, o, halfWidth, alongMin, alongMax);
        const prefix = buffers.prefix;
        let m: number;
        if (!over || lo < 0 || !finiteFootprint(local, o)) {
          // Its least travel over the pad: the least over the polygon clipped to the pad's footprint.
          m = clipSides(local, o, halfWidth, alongMin, alongMax, prefix, 24 * count, buffers.scratch);
          if (m === 0) continue;
          least = Infinity;
          // The clip's last plane, travel ≤ ∞, keeps every corner whose travel is at most ∞.
          let kept = 0;
          for (let i = 0; i < m; i++) {
            const t = prefix[24 * count + 3 * i + 2];
            if (t - Infinity <= 0) {
              least = Math.min(least, t);
              kept++;
            }
          }
          if (kept === 0) continue;
        } else {
          // A triangle wholly over the pad needs no clipping: its least travel is its lowest corner's.
          for (let i = 0; i < 9; i++) prefix[24 * count + i] = local[o + i];
          m = 3;
        }
        // Outward normal from the winding, in the mesh frame; its side against the pad's travel.
        // Cross product in pad coordinates (a right-handed frame: across × along = travel), back to the mesh frame.
        triangleCross(local, o, o + 3, o + 6, edgeCross);
        const pu = edgeCross[0],
          pv = edgeCross[1],
          pd = edgeCross[2];
        const len = hand * hypot3(pu, pv, pd);
        if (!(Math.abs(len) > 0)) continue;
        const normals = buffers.normals;
        normals[3 * count] = (pu * u0 + pv * v0 + pd * d0) / len;
        normals[3 * count + 1] = (pu * u1 + pv * v1 + pd * d1) / len;
        normals[3 * count + 2] = (pu * u2 + pv * v2 + pd * d2) / len;
        buffers.facing[count] = pd / len;
        buffers.lowest[count] = least;
        buffers.prefixCount[count] = m;
        buffers.over[count] = over ? 1 : 0;
        if (pd / len < 0) first = Math.min(first, least);
        else firstBack = Math.min(firstBack, least);
        limit = Math.min(bound, first, firstBack) + tolerance;
        count++;
      }
    }
  }
  gathered.first = first;
  gathered.firstBack = firstBack;
  gathered.count = count;
}

function overPad(tri: Float64Array, o: number, halfWidth: number, alongMin: number, alongMax: number): boolean {
  for (let c = 0; c < 3; c++) {
    const a = tri[o + 3 * c],
      b = tri[o + 3 * c + 1];
    if (Math.abs(a) > halfWidth || b < alongMin || b > alongMax) return false;
  }
  return true;
}

/** No NaN across or along: `overPad` lets NaN through, the clip drops it (meshes are checked finite on import). */
function finiteFootprint(tri: Float64Array, o: number): boolean {
  return (
    tri[o] === tri[o] &&
    tri[o + 1] === tri[o + 1] &&
    tri[o + 3] === tri[o + 3] &&
    tri[o + 4] === tri[o + 4] &&
    tri[o + 6] === tri[o + 6] &&
    tri[o + 7] === tri[o + 7]
  );
}

function insideRim(a: number, b: number, pad: PadFace): boolean {
  return Math.abs(a) < pad.halfWidth - RIM && b > pad.alongMin + RIM && b < pad.alongMax - RIM;
}

/** The bound of clip plane `plane` (across ≥ −w, across ≤ w, along ≥ min, along ≤ max, travel ≥ t0, travel ≤ t1). */
function planeLimit(plane: number, halfWidth: number, alongMin: number, alongMax: number, t0: number, t1: number) {
  return plane < 2 ? halfWidth : plane === 2 ? -alongMin : plane === 3 ? alongMax : plane === 4 ? -t0 : t1;
}

/**
 * The first five planes of the pad's clip (the pad's four sides and travel ≥ 0) into `out[at…]`: its vertex count.
 * Only the last plane, travel ≤ t1, depends on the first touch, so a triangle is clipped this far once.
 */
function clipSides(
  tri: Float64Array,
  offset: number,
  halfWidth: number,
  alongMin: number,
  alongMax: number,
  out: Float64Array,
  at: number,
  scratch: Float64Array,
): number {
  // Ping-pong between `scratch` (from 0) and `out` (from `at`), ending in `out` after the fifth plane.
  for (let i = 0; i < 9; i++) scratch[i] = tri[offset + i];
  let n = 3;
  for (let plane = 0; plane < 5; plane++) {
    const limit = planeLimit(plane, halfWidth, alongMin, alongMax, 0, Infinity);
    n =
      (plane & 1) === 0
        ? clipPlane(scratch, 0, n, plane, limit, out, at)
        : clipPlane(out, at, n, plane, limit, scratch, 0);
    if (n === 0) return 0;
  }
  return n;
}

/** The clip's last plane, travel ≤ t1, applied to the `n`-gon at `src[at…]`, into `out`. */
function clipTravel(src: Float64Array, at: number, n: number, t1: number, out: Float64Array): number {
  return clipPlane(src, at, n, 5, t1, out, 0);
}

/**
 * One Sutherland–Hodgman step: keeps coordinate·sign ≤ limit of the `n`-gon at `a[ao…]` (axis = plane >> 1: across,
 * along, travel; sign −1 on even planes), writing to `b[bo…]`; returns the new vertex count.
 */
function clipPlane(
  a: Float64Array,
  ao: number,
  n: number,
  plane: number,
  limit: number,
  b: Float64Array,
  bo: number,
): number {
  const axis = plane >> 1,
    sign = plane & 1 ? 1 : -1;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const j = i + 1 === n ? 0 : i + 1;
    const pi = ao + 3 * i,
      pj = ao + 3 * j,
      q = bo + 3 * m;
    const fi = sign * a[pi + axis] - limit,
      fj = sign * a[pj + axis] - limit;
    if (fi <= 0) {
      b[q] = a[pi];
      b[q + 1] = a[pi + 1];
      b[q + 2] = a[pi + 2];
      m++;
    }
    if ((fi < 0 && fj > 0) || (fi > 0 && fj < 0)) {
      const w = fi / (fi - fj);
      const r = bo + 3 * m;
      b[r] = a[pi] + w * (a[pj] - a[pi]);
      b[r + 1] = a[pi + 1] + w * (a[pj + 1] - a[pi + 1]);
      b[r + 2] = a[pi + 2] + w * (a[pj + 2] - a[pi + 2]);
      m++;
    }
  }
  return m;
}

const edgeCross = new Float64Array(3);

/** Area of the fan triangle (0, i, i + 1) of the polygon at `p[o…]`. */
function fanTriangleArea(p: Float64Array, o: number, i: number): number {
  const c = triangleCross(p, o, o + 3 * i, o + 3 * i + 3, edgeCross);
  return 0.5 * hypot3(c[0], c[1], c[2]);
}
