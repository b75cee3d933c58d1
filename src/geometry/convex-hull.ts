// Convex hull of a mesh or point set as a closed, outward-oriented Mesh (stable poses, wrench-free geometry checks).
// The package root of quickhull3d is an ESM build with extensionless imports that Node cannot load; its single-file
// bundle works but ships no .d.ts, so the signature is declared here.
// @ts-expect-error -- no declaration file for the bundled build; typed through `QuickhullFn` below
import quickhullUntyped from 'quickhull3d/dist/quickhull3d.js';
import type { Mesh } from './mesh.js';

type QuickhullFn = (points: Array<[number, number, number]>, options?: { skipTriangulation?: boolean }) => number[][];
const quickhull = quickhullUntyped as QuickhullFn;

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
  assertSolid(points);

  const faces = closedHullFaces(points);
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
 * quickhull's faces, closed. Among many nearly collinear points (a remeshed slab's straight edges) quickhull3d can
 * leave a small hole — seen on a soap dish: four hull points, three of them in a line to 10⁻⁹ m, bounding a
 * missing triangle and a sliver. Each such hole is a loop of unmatched edges; it is closed by a fan of triangles
 * that walk its edges the other way, which keeps the hull's own vertices and adds no area that was not missing.
 */
function closedHullFaces(points: Array<[number, number, number]>): number[][] {
  const faces = quickhull(points);
  const directed = new Set<string>();
  for (const f of faces) for (let k = 0; k < 3; k++) directed.add(`${f[k]},${f[(k + 1) % 3]}`);
  // The hole's side of each unmatched edge a→b runs b→a.
  const next = new Map<number, number>();
  for (const f of faces) {
    for (let k = 0; k < 3; k++) {
      const a = f[k],
        b = f[(k + 1) % 3];
      if (directed.has(`${b},${a}`)) continue;
      if (next.has(b)) throw new DegenerateHullError('convexHull: quickhull left holes that share a vertex');
      next.set(b, a);
    }
  }
  while (next.size > 0) {
    const start = next.keys().next().value!;
    const loop = [start];
    let v = next.get(start);
    while (v !== undefined && v !== start && loop.length <= next.size) {
      loop.push(v);
      v = next.get(v);
    }
    if (v !== start || loop.length < 3)
      throw new DegenerateHullError('convexHull: quickhull left a hole that is not a simple loop');
    for (const u of loop) next.delete(u);
    for (let i = 1; i + 1 < loop.length; i++) faces.push([loop[0], loop[i], loop[i + 1]]);
  }
  return faces;
}

/**
 * Rejects inputs without a proper tetrahedron before calling quickhull, whose own tolerance is near machine
 * precision: it would return a paper-thin hull for float-rounded planar data, which is useless downstream.
 */
function assertSolid(points: Array<[number, number, number]>): void {
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
  let bestLine = -1;
  let normal = [0, 0, 0];
  for (let i = 0; i < points.length; i++) {
    const d = [points[i][0] - pa[0], points[i][1] - pa[1], points[i][2] - pa[2]];
    const n = [ab[1] * d[2] - ab[2] * d[1], ab[2] * d[0] - ab[0] * d[2], ab[0] * d[1] - ab[1] * d[0]];
    const dist = Math.hypot(n[0], n[1], n[2]) / abLen;
    if (dist > bestLine) {
      bestLine = dist;
      normal = n;
    }
  }
  if (!(bestLine > tol)) throw new DegenerateHullError('convexHull: points are collinear');
  const nLen = Math.hypot(normal[0], normal[1], normal[2]);
  let bestPlane = 0;
  for (const p of points) {
    const dist = Math.abs(normal[0] * (p[0] - pa[0]) + normal[1] * (p[1] - pa[1]) + normal[2] * (p[2] - pa[2])) / nLen;
    if (dist > bestPlane) bestPlane = dist;
  }
  if (!(bestPlane > tol)) throw new DegenerateHullError('convexHull: points are coplanar');
}
