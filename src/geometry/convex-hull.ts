// Convex hull of a mesh or point set as a closed, outward-oriented Mesh (stable poses, wrench-free geometry checks),
// by our own quickhull (quickhull.ts).
import type { Mesh } from './mesh.js';
import { quickhull } from './quickhull.js';

/** Thrown when the input spans fewer than three dimensions, so no solid hull exists. */
export class DegenerateHullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DegenerateHullError';
  }
}

/**
 * Relative size, against the larger of the point set's extent and its distance from the origin, below which the
 * points count as collinear or coplanar. Float32 rounding of exactly planar data stays near 6e-8 of that size.
 */
const FLATNESS_TOLERANCE = 1e-6;

/**
 * Convex hull of a mesh's vertices (or of xyz triples in `points`). The result holds only the hull's own vertices
 * (copied exactly from the input) and triangles counter-clockwise seen from outside.
 * Throws `DegenerateHullError` for fewer than 4 points or points that are (nearly) collinear or coplanar.
 */
export function convexHull(input: Mesh | Float32Array): Mesh {
  const flat = input instanceof Float32Array ? input : input.vertices;
  if (flat.length % 3 !== 0) throw new Error(`convexHull: point array length ${flat.length} is not a multiple of 3`);
  const count = flat.length / 3;
  if (count < 4) throw new DegenerateHullError(`convexHull: need at least 4 points, got ${count}`);

  const points = new Array<[number, number, number]>(count);
  for (let i = 0; i < count; i++) points[i] = [flat[3 * i], flat[3 * i + 1], flat[3 * i + 2]];
  const start = assertSolid(points);

  const faces = quickhull(flat, count, start);
  const remap = new Int32Array(count).fill(-1);
  const used: number[] = [];
  const triangles = new Uint32Array(faces.length * 3);
  for (let f = 0; f < faces.length; f++) {
    const face = faces[f];
    if (face.length !== 3)
      throw new Error(`convexHull: expected triangulated faces, got one with ${face.length} vertices`);
    for (let k = 0; k < 3; k++) {
      const v = face[k];
      if (remap[v] < 0) {
        remap[v] = used.length;
        used.push(v);
      }
      triangles[3 * f + k] = remap[v];
    }
  }
  const vertices = new Float32Array(used.length * 3);
  for (let i = 0; i < used.length; i++) {
    vertices[3 * i] = flat[3 * used[i]];
    vertices[3 * i + 1] = flat[3 * used[i] + 1];
    vertices[3 * i + 2] = flat[3 * used[i] + 2];
  }
  return { vertices, triangles };
}

/**
 * Rejects inputs without a proper tetrahedron (a paper-thin hull of float-rounded planar data is useless downstream)
 * and returns one to start the hull from: the farthest pair along the widest axis, the point farthest from that line
 * and the one farthest from that plane.
 */
function assertSolid(points: Array<[number, number, number]>): [number, number, number, number] {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  let maxAbs = 0;
  for (const p of points) {
    for (let k = 0; k < 3; k++) {
      if (!Number.isFinite(p[k])) throw new Error('convexHull: points must be finite numbers');
      lo[k] = Math.min(lo[k], p[k]);
      hi[k] = Math.max(hi[k], p[k]);
      maxAbs = Math.max(maxAbs, Math.abs(p[k]));
    }
  }
  const extent = Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  const tol = FLATNESS_TOLERANCE * Math.max(extent, maxAbs);
  if (!(extent > tol)) throw new DegenerateHullError('convexHull: all points coincide');

  // Farthest pair along the widest axis, then the point farthest from that line, then from that plane.
  let axis = 0;
  for (let k = 1; k < 3; k++) if (hi[k] - lo[k] > hi[axis] - lo[axis]) axis = k;
  let a = 0,
    b = 0;
  for (let i = 1; i < points.length; i++) {
    if (points[i][axis] < points[a][axis]) a = i;
    if (points[i][axis] > points[b][axis]) b = i;
  }
  const pa = points[a];
  const ab = [points[b][0] - pa[0], points[b][1] - pa[1], points[b][2] - pa[2]];
  const abLen = Math.hypot(ab[0], ab[1], ab[2]);
  let bestLine = -1,
    c = 0;
  let normal = [0, 0, 0];
  for (let i = 0; i < points.length; i++) {
    const d = [points[i][0] - pa[0], points[i][1] - pa[1], points[i][2] - pa[2]];
    const n = [ab[1] * d[2] - ab[2] * d[1], ab[2] * d[0] - ab[0] * d[2], ab[0] * d[1] - ab[1] * d[0]];
    const dist = Math.hypot(n[0], n[1], n[2]) / abLen;
    if (dist > bestLine) {
      bestLine = dist;
      normal = n;
      c = i;
    }
  }
  if (!(bestLine > tol)) throw new DegenerateHullError('convexHull: points are collinear');
  const nLen = Math.hypot(normal[0], normal[1], normal[2]);
  let bestPlane = 0,
    d = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const dist = Math.abs(normal[0] * (p[0] - pa[0]) + normal[1] * (p[1] - pa[1]) + normal[2] * (p[2] - pa[2])) / nLen;
    if (dist > bestPlane) {
      bestPlane = dist;
      d = i;
    }
  }
  if (!(bestPlane > tol)) throw new DegenerateHullError('convexHull: points are coplanar');
  return [a, b, c, d];
}
