// How far a remeshed solid lies from the soup it was made from, both ways, on points sampled over each surface
// (area-weighted, seeded) with closest-point queries on a BVH. Distances that repair causes on purpose are told
// apart from error: a result point far from the source whose nearest open edge of the source is (within the
// tolerance) as near as the nearest source surface spans a closed hole. Source points inside the result are internal faces or places where the result bulges out (which the
// result-to-source distance measures); source points outside it (a dropped part, a sheet thinner than the grid,
// a shrunken surface) all count.
import { BufferAttribute, BufferGeometry, DoubleSide, Ray, Vector3 } from 'three';
import { MeshBVH } from 'three-mesh-bvh';
import { Random } from '../core/random.js';
import type { Mesh } from './mesh.js';
import { areaTable, samplePointByArea } from './area-sampling.js';

export interface SurfaceDistanceReport {
  /** Largest distance from a result point to the source, hole closures left out (m). */
  resultToSource: number;
  /** Largest distance from a source point outside the result to the result (m): where the result falls short. */
  sourceToResult: number;
  /** max(resultToSource, sourceToResult): the Hausdorff distance where the result is meant to follow the source. */
  hausdorff: number;
  /** Share of the result's area (by samples) that spans a hole of the source (see above). */
  closedHoleShare: number;
  /** Largest distance over the closed-hole samples (m): how far a hole patch bulges from its rim. */
  closedHoleDistance: number;
  /** Share of the source's area inside the result by more than `tolerance` (internal faces). */
  internalShare: number;
  /** Share of the source's area outside the result by more than `tolerance` (dropped parts, thin sheets). */
  droppedShare: number;
}

/** Unit directions off every axis and diagonal, for parity rays. */
const RAY_DIRECTIONS = [
  [0.5773, 0.6181, 0.5338],
  [-0.7071, 0.3162, -0.6325],
  [0.2113, -0.9108, 0.3546],
].map(([a, b, c]) => new Vector3(a, b, c).normalize());

export class SurfaceQueries {
  readonly bvh: MeshBVH;
  readonly index: ArrayLike<number>;
  private readonly p = new Vector3();
  private readonly ray = new Ray();
  private readonly target = { point: new Vector3(), distance: 0, faceIndex: 0 };

  constructor(readonly mesh: Mesh) {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(mesh.vertices, 3));
    geometry.setIndex(new BufferAttribute(new Uint32Array(mesh.triangles), 1));
    this.bvh = new MeshBVH(geometry, { targetLeafSize: 8 });
    this.index = geometry.index!.array;
  }

  closest(x: number, y: number, z: number): { distance: number; face: number; point: Vector3 } {
    this.p.set(x, y, z);
    this.bvh.closestPointToPoint(this.p, this.target);
    return { distance: this.target.distance, face: this.target.faceIndex, point: this.target.point };
  }

  /**
   * Whether (x, y, z) lies inside this closed mesh, by the parity of its crossings along three rays in directions
   * no axis-aligned model shares (majority of the three, so a ray grazing an edge cannot decide alone). The side of
   * the closest triangle is not enough: where the closest point is an edge or vertex, the face three-mesh-bvh
   * returns can face away from the point, and deep points inside thin-walled furniture came out "outside" by
   * several millimetres that way.
   */
  inside(x: number, y: number, z: number): { inside: boolean; distance: number } {
    return { inside: this.encloses(x, y, z), distance: this.closest(x, y, z).distance };
  }

  /** The parity vote of `inside` alone. */
  encloses(x: number, y: number, z: number): boolean {
    let votes = 0;
    for (const d of RAY_DIRECTIONS) {
      this.ray.origin.set(x, y, z);
      this.ray.direction.copy(d);
      if (this.bvh.raycast(this.ray, DoubleSide).length % 2 === 1) votes++;
    }
    return votes >= 2;
  }
}

/** `count` points spread over the surface by area (seeded). */
export function sampleSurface(mesh: Mesh, count: number, seed: number): Float64Array {
  const table = areaTable(mesh);
  const random = new Random(seed);
  const out = new Float64Array(count * 3);
  for (let s = 0; s < count; s++) samplePointByArea(mesh, table, random, out.subarray(s * 3, s * 3 + 3));
  return out;
}

/** Open edges of a soup (used by one triangle only) as segment end points, xyz xyz per edge. */
function openEdges(mesh: Mesh): Float64Array {
  const t = mesh.triangles,
    v = mesh.vertices;
  const nv = v.length / 3;
  const count = new Map<number, number>();
  for (let i = 0; i < t.length; i += 3) {
    for (let e = 0; e < 3; e++) {
      const a = t[i + e],
        b = t[i + ((e + 1) % 3)];
      const key = a < b ? a * nv + b : b * nv + a;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  const out: number[] = [];
  for (const [key, c] of count) {
    if (c !== 1) continue;
    const a = Math.floor(key / nv),
      b = key % nv;
    out.push(v[a * 3], v[a * 3 + 1], v[a * 3 + 2], v[b * 3], v[b * 3 + 1], v[b * 3 + 2]);
  }
  return Float64Array.from(out);
}

/** Distance from p to the nearest segment of `edges` (brute force: only far points of holed soups ask). */
function distanceToEdges(x: number, y: number, z: number, edges: Float64Array): number {
  let best = Infinity;
  for (let i = 0; i < edges.length; i += 6) {
    const ax = edges[i],
      ay = edges[i + 1],
      az = edges[i + 2];
    const dx = edges[i + 3] - ax,
      dy = edges[i + 4] - ay,
      dz = edges[i + 5] - az;
    const len2 = dx * dx + dy * dy + dz * dz;
    const s = len2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy + (z - az) * dz) / len2)) : 0;
    const ex = x - ax - s * dx,
      ey = y - ay - s * dy,
      ez = z - az - s * dz;
    best = Math.min(best, ex * ex + ey * ey + ez * ez);
  }
  return Math.sqrt(best);
}

/**
 * Compares a solid made from `source` with it, both at the same scale. `tolerance` (m) separates "on the surface"
 * from "moved"; `samples` points are drawn on each surface.
 */
export function surfaceDistance(
  result: Mesh,
  source: Mesh,
  options: { tolerance: number; samples?: number; seed?: number },
): SurfaceDistanceReport {
  const samples = options.samples ?? 10000;
  const seed = options.seed ?? 1;
  const tol = options.tolerance;
  const onSource = new SurfaceQueries(source);
  const onResult = new SurfaceQueries(result);
  const open = openEdges(source);
  let resultToSource = 0,
    closedHoleDistance = 0,
    closed = 0;
  const r = sampleSurface(result, samples, seed);
  for (let s = 0; s < samples; s++) {
    const hit = onSource.closest(r[s * 3], r[s * 3 + 1], r[s * 3 + 2]);
    // A hole patch spans its rim: the nearest open edge is as near (within a tenth of the tolerance) as the
    // nearest source surface. Judged for every point off the source, not only those beyond the tolerance, so the
    // measured distance of the rest is not capped by the classification.
    const slack = tol / 10;
    const x = r[s * 3],
      y = r[s * 3 + 1],
      z = r[s * 3 + 2];
    if (hit.distance > slack && open.length > 0 && distanceToEdges(x, y, z, open) <= hit.distance + slack) {
      closed++;
      closedHoleDistance = Math.max(closedHoleDistance, hit.distance);
    } else resultToSource = Math.max(resultToSource, hit.distance);
  }
  let sourceToResult = 0,
    internal = 0,
    dropped = 0;
  const q = sampleSurface(source, samples, seed + 1);
  for (let s = 0; s < samples; s++) {
    const x = q[s * 3],
      y = q[s * 3 + 1],
      z = q[s * 3 + 2];
    const distance = onResult.closest(x, y, z).distance;
    // Near and no farther than the largest distance so far, the side changes no count (rays cost ~0.5 s/object).
    if (distance <= tol && distance <= sourceToResult) continue;
    // A source point inside the result is either an internal face or where the result bulges out past the
    // source; the bulge shows in resultToSource, so only points outside the result are measured here.
    if (onResult.encloses(x, y, z)) {
      if (distance > tol) internal++;
      continue;
    }
    if (distance > tol) dropped++;
    sourceToResult = Math.max(sourceToResult, distance);
  }
  return {
    resultToSource,
    sourceToResult,
    hausdorff: Math.max(resultToSource, sourceToResult),
    closedHoleShare: closed / samples,
    closedHoleDistance,
    internalShare: internal / samples,
    droppedShare: dropped / samples,
  };
}
