// The surface of a mesh cut into patches of triangles, for the physics pieces (convex-pieces.ts): per-triangle
// geometry and edge neighbours, flat faces and their greedy convex polygons, area-weighted k-means patches on
// position and normal with stray islands given back to the patch around them, and edge-connected parts.
import { farthestPointSeeds, kMeans } from '../core/k-means.js';
import type { Mesh } from '../geometry/mesh.js';
import { edgeNeighbours, weldedCorners } from '../geometry/mesh-adjacency.js';
import { boundingBoxExtents, triangleCross } from '../geometry/mesh-properties.js';

const cross = new Float64Array(3);

export interface TriangleGeometry {
  /** Per triangle: centroid xyz, then the normal scaled by the normal weight (clustering features). */
  features: Float64Array;
  /** Unit normal per triangle (zero for degenerate ones). */
  normals: Float64Array;
  /** Size of the object (largest bounding-box extent, m). */
  size: number;
  area: Float64Array;
  /** Welded vertex id of every triangle corner (vertices matched by position, so unwelded meshes connect). */
  corners: Int32Array;
  /** Neighbouring triangle across each edge (−1 on an open edge). */
  neighbours: Int32Array;
  /** Scratch: position of each triangle in the set being worked on, −1 for triangles outside it. */
  local: Int32Array;
}

/**
 * Per-triangle geometry of a mesh for cutting its surface into patches; `normalWeight` weighs a 1-unit normal
 * difference against position in the clustering, as a share of the object's size.
 */
export function triangleGeometry(mesh: Mesh, normalWeight: number): TriangleGeometry {
  const v = mesh.vertices,
    t = mesh.triangles;
  const count = t.length / 3;
  const extents = boundingBoxExtents(mesh);
  const w = normalWeight * Math.max(extents[0], extents[1], extents[2]);
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
  const corners = weldedCorners(mesh);
  return {
    features,
    normals,
    size: Math.max(extents[0], extents[1], extents[2]),
    area,
    corners,
    neighbours: edgeNeighbours(corners, v.length / 3),
    local: new Int32Array(count).fill(-1),
  };
}

/**
 * Edge-connected sets of coplanar triangles covering at least `share` of the surface (the flat faces), and every
 * other triangle (the curved surface, and flat faces too small to matter).
 */
export function flatFaces(g: TriangleGeometry, share: number): { flat: number[][]; curved: number[] } {
  const count = g.area.length;
  const neighbours = g.neighbours;
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
export function convexPolygons(mesh: Mesh, g: TriangleGeometry, face: number[]): number[][] {
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
  const neighbours = (f: number) =>
    [0, 1, 2].map((e) => g.neighbours[3 * f + e]).filter((h) => h >= 0 && inFace.has(h));
  const free = new Set(face);
  const order = [...face].sort((a, b) => g.area[b] - g.area[a] || a - b);
  const polygons: number[][] = [];
  for (const seed of order) {
    if (!free.has(seed)) continue;
    free.delete(seed);
    const group = [seed];
    // Only the polygon's hull corners are kept: a flat face of thousands of triangles made the test quadratic.
    let points: Array<[number, number]> = [0, 1, 2].map((k) => project(t[3 * seed + k]));
    let area = g.area[seed];
    const frontier = neighbours(seed);
    for (let next = 0; next < frontier.length; next++) {
      const f = frontier[next];
      if (!free.has(f)) continue;
      const candidate = hull2d(points.concat([0, 1, 2].map((k) => project(t[3 * f + k]))));
      const candidateArea = area + g.area[f];
      if (polygonArea(candidate) > candidateArea * (1 + 1e-6) + 1e-14) continue;
      free.delete(f);
      group.push(f);
      points = candidate;
      area = candidateArea;
      frontier.push(...neighbours(f).filter((h) => free.has(h)));
    }
    polygons.push(group);
  }
  return polygons;
}

/** Corners of the 2-D convex hull, counter-clockwise (Andrew's monotone chain). */
function hull2d(points: Array<[number, number]>): Array<[number, number]> {
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
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Area of a simple polygon (shoelace). */
function polygonArea(polygon: Array<[number, number]>): number {
  let twice = 0;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i],
      b = polygon[(i + 1) % polygon.length];
    twice += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(twice) / 2;
}

/** The triangles split at the median of their centroids along the axis where the centroids spread most. */
export function halves(g: TriangleGeometry, triangles: number[]): number[][] {
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

/**
 * Clusters `triangles` into at most `k` patches, gives stray islands to the patch around them and splits each patch
 * into edge-connected parts.
 */
export function cut(g: TriangleGeometry, triangles: number[], k: number, iterations: number): number[][] {
  const assignment = cluster(g, triangles, k, iterations);
  absorbIslands(g, triangles, assignment);
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
 * Edge-connected parts of the patches (`patch[i]` labels `triangles[i]`): each part's index per triangle, and its
 * patch and area. Parts are numbered in order of their first triangle.
 */
function components(
  g: TriangleGeometry,
  triangles: number[],
  patch: Int32Array,
): { part: Int32Array; patchOf: number[]; area: number[] } {
  const count = triangles.length;
  const local = g.local;
  for (let i = 0; i < count; i++) local[triangles[i]] = i;
  const part = new Int32Array(count).fill(-1);
  const patchOf: number[] = [],
    area: number[] = [];
  const stack: number[] = [];
  for (let seed = 0; seed < count; seed++) {
    if (part[seed] >= 0) continue;
    const id = patchOf.length;
    let sum = 0;
    part[seed] = id;
    stack.push(seed);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const f = triangles[i];
      sum += g.area[f];
      for (let e = 0; e < 3; e++) {
        const h = g.neighbours[3 * f + e];
        const j = h < 0 ? -1 : local[h];
        if (j >= 0 && part[j] < 0 && patch[j] === patch[i]) {
          part[j] = id;
          stack.push(j);
        }
      }
    }
    patchOf.push(patch[seed]);
    area.push(sum);
  }
  for (const f of triangles) local[f] = -1;
  return { part, patchOf, area };
}

/** A part under this share of its patch's largest part is a stray island of the clustering, not a feature. */
const ISLAND_SHARE = 0.2;

/**
 * Gives each island — a small part of a patch cut off from its main part, as the clustering leaves on a noisy
 * remeshed surface where neighbouring normals swing (a real mesh's 16 patches fell into ~900 parts of one or two
 * triangles, each a piece of its own) — to the main part it shares most edges with. Islands that touch only other
 * islands wait for a later round; a separate shell touches nothing and stays.
 */
function absorbIslands(g: TriangleGeometry, triangles: number[], patch: Int32Array): void {
  const local = g.local;
  for (let round = 0; round < 16; round++) {
    const { part, patchOf, area } = components(g, triangles, patch);
    const largest = new Map<number, number>();
    patchOf.forEach((p, id) => largest.set(p, Math.max(largest.get(p) ?? 0, area[id])));
    const island = area.map((a, id) => a < ISLAND_SHARE * largest.get(patchOf[id])!);
    if (!island.includes(true)) return;
    // Edges each island shares with each main part.
    const shared = new Map<number, Map<number, number>>();
    for (let i = 0; i < triangles.length; i++) local[triangles[i]] = i;
    for (let i = 0; i < triangles.length; i++) {
      if (!island[part[i]]) continue;
      const f = triangles[i];
      for (let e = 0; e < 3; e++) {
        const h = g.neighbours[3 * f + e];
        const j = h < 0 ? -1 : local[h];
        if (j < 0 || island[part[j]]) continue;
        let counts = shared.get(part[i]);
        if (!counts) shared.set(part[i], (counts = new Map()));
        counts.set(part[j], (counts.get(part[j]) ?? 0) + 1);
      }
    }
    for (const f of triangles) local[f] = -1;
    if (shared.size === 0) return;
    const to = new Map<number, number>();
    for (const [id, counts] of shared) {
      let best = -1,
        most = 0;
      for (const [other, n] of counts) if (n > most || (n === most && other < best)) [best, most] = [other, n];
      to.set(id, patchOf[best]);
    }
    for (let i = 0; i < triangles.length; i++) {
      const target = to.get(part[i]);
      if (target !== undefined) patch[i] = target;
    }
  }
}

/**
 * Splits each patch into edge-connected parts (triangles of one patch on two separate features, say the tops of
 * a U-channel's two walls, must not be bridged by one hull). Parts come out in order of their first triangle.
 */
function splitConnected(g: TriangleGeometry, triangles: number[], patch: Int32Array): number[][] {
  const { part, patchOf } = components(g, triangles, patch);
  const parts: number[][] = patchOf.map(() => []);
  for (let i = 0; i < triangles.length; i++) parts[part[i]].push(triangles[i]);
  return parts;
}
