// Exact distance from a point to a triangle mesh, and its sign for a closed one: a bounding-box tree over the
// triangles in typed arrays (three-mesh-bvh's closest-point query took 30–260 µs a point on 20,000-triangle
// imported meshes, which made measuring the physics pieces take minutes), and the angle-weighted pseudo-normals of
// Bærentzen & Aanæs (2005): the point is outside exactly when it lies on the outer side of the pseudo-normal of the
// nearest feature — face, edge or vertex — of a closed, outward-facing mesh. A face's own plane is not enough
// where the nearest point is on an edge or a vertex. The theorem needs a surface that does not cross itself;
// decimated remeshes fold triangles over (a third of an imported sofa's triangles lie at such folds), so an
// "outside" answer, and any answer near a fold, is confirmed by the parity of crossings along three rays.
import { edgeNeighbours, weldedCorners } from './mesh-adjacency.js';
import type { Mesh } from './mesh.js';
import { triangleCross } from './mesh-properties.js';

/** Triangles per leaf of the tree. */
const LEAF_SIZE = 4;

/** Nearest feature of a triangle to a point: its interior, a corner (a, b, c) or an edge (ab, bc, ca). */
const enum Feature {
  Face,
  A,
  B,
  C,
  AB,
  BC,
  CA,
}

/** The nearest surface point found by a query. */
export interface NearestPoint {
  /** Distance to the surface (m). */
  distance: number;
  /** The nearest point on the surface. */
  point: [number, number, number];
  /** Index of its triangle in the mesh. */
  triangle: number;
}

export class MeshDistance {
  /** Corner coordinates of every triangle, 9 per triangle, in tree order. */
  private readonly corners: Float64Array;
  /** Mesh triangle index of each tree-ordered triangle. */
  private readonly order: Int32Array;
  /** Per node: min xyz and max xyz of its triangles' box. */
  private readonly bounds: Float64Array;
  /** Per node: first triangle (a leaf) or first of its two adjacent children (an inner node). */
  private readonly start: Int32Array;
  /** Per node: triangle count of a leaf, 0 for an inner node. */
  private readonly size: Int32Array;
  /** Pseudo-normals per tree-ordered triangle: 21 numbers, the face, its corners a b c, its edges ab bc ca. */
  private readonly pseudo: Float64Array;
  /** Per tree-ordered triangle: 1 when it or a triangle sharing a corner with it is folded over (see folds). */
  private readonly nearFold: Uint8Array;
  private readonly hits: number[] = [];
  private readonly stack = new Int32Array(128);
  // Result of the last query.
  private bestTriangle = -1;
  private bestFeature: Feature = Feature.Face;
  private readonly bestPoint = new Float64Array(3);
  private readonly q = new Float64Array(4);

  /** Throws `MeshDistance: …` for a mesh without triangles. */
  constructor(mesh: Mesh) {
    const t = mesh.triangles,
      v = mesh.vertices;
    const count = t.length / 3;
    if (count === 0) throw new Error('MeshDistance: the mesh has no triangles');
    const order = Int32Array.from({ length: count }, (_, i) => i);
    const centroid = new Float64Array(3 * count);
    for (let f = 0; f < count; f++)
      for (let k = 0; k < 3; k++)
        centroid[3 * f + k] = (v[3 * t[3 * f] + k] + v[3 * t[3 * f + 1] + k] + v[3 * t[3 * f + 2] + k]) / 3;
    const maxNodes = 2 * count + 1;
    const bounds = new Float64Array(6 * maxNodes);
    const start = new Int32Array(maxNodes);
    const size = new Int32Array(maxNodes);
    let nodes = 1;
    // Median split on the longest axis of the centroids' box; children are allocated side by side.
    const work: Array<[number, number, number]> = [[0, 0, count]];
    while (work.length > 0) {
      const [node, lo, hi] = work.pop()!;
      const box = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
      const cbox = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
      for (let i = lo; i < hi; i++) {
        const f = order[i];
        for (let k = 0; k < 3; k++) {
          for (let c = 0; c < 3; c++) {
            const x = v[3 * t[3 * f + c] + k];
            if (x < box[k]) box[k] = x;
            if (x > box[3 + k]) box[3 + k] = x;
          }
          const m = centroid[3 * f + k];
          if (m < cbox[k]) cbox[k] = m;
          if (m > cbox[3 + k]) cbox[3 + k] = m;
        }
      }
      bounds.set(box, 6 * node);
      if (hi - lo <= LEAF_SIZE) {
        start[node] = lo;
        size[node] = hi - lo;
        continue;
      }
      let axis = 0;
      for (let k = 1; k < 3; k++) if (cbox[3 + k] - cbox[k] > cbox[3 + axis] - cbox[axis]) axis = k;
      const mid = (lo + hi) >> 1;
      selectNth(order, lo, hi, mid, (f) => centroid[3 * f + axis]);
      start[node] = nodes;
      work.push([nodes, lo, mid], [nodes + 1, mid, hi]);
      nodes += 2;
    }
    this.bounds = bounds.slice(0, 6 * nodes);
    this.start = start.slice(0, nodes);
    this.size = size.slice(0, nodes);
    this.order = order;
    this.corners = new Float64Array(9 * count);
    for (let i = 0; i < count; i++)
      for (let c = 0; c < 3; c++)
        for (let k = 0; k < 3; k++) this.corners[9 * i + 3 * c + k] = v[3 * t[3 * order[i] + c] + k];
    ({ pseudo: this.pseudo, nearFold: this.nearFold } = pseudoNormals(mesh, order));
  }

  /**
   * The nearest surface point to (x, y, z). With `stopBelow` > 0 the search ends at the first triangle closer than
   * that, which is then not necessarily the nearest (for "is anything within r" tests).
   */
  nearest(x: number, y: number, z: number, stopBelow = 0): NearestPoint {
    const d = this.search(x, y, z, stopBelow * stopBelow);
    const b = this.bestPoint;
    return { distance: d, point: [b[0], b[1], b[2]], triangle: this.order[this.bestTriangle] };
  }

  /**
   * Signed distance to the closed, outward-facing mesh: positive outside, negative inside. With `stopBelow` > 0,
   * a point closer to the surface than that returns 0 early (its distance is known to be under `stopBelow`).
   */
  signedDistance(x: number, y: number, z: number, stopBelow = 0): number {
    const d = this.search(x, y, z, stopBelow * stopBelow);
    if (d < stopBelow) return 0;
    const n = this.pseudo,
      o = 21 * this.bestTriangle + 3 * this.bestFeature;
    const b = this.bestPoint;
    const side = (x - b[0]) * n[o] + (y - b[1]) * n[o + 1] + (z - b[2]) * n[o + 2];
    if (side <= 0 && !this.nearFold[this.bestTriangle]) return -d;
    return this.insideByParity(x, y, z) ? -d : d;
  }

  /**
   * Whether (x, y, z) lies within `r` of the triangle the last query ended on: then its distance to the surface is
   * under `r` too, with no search (neighbouring probes of a lattice mostly share their nearest triangle).
   */
  nearLastTriangle(x: number, y: number, z: number, r: number): boolean {
    if (this.bestTriangle < 0) return false;
    closestOnTriangle(this.corners, 9 * this.bestTriangle, x, y, z, this.q);
    return this.q[3] < r * r;
  }

  /**
   * Whether the point is inside by the parity of the surface crossings along three rays in fixed directions off
   * every axis and diagonal (the majority: a ray through an edge or grazing the surface cannot decide alone).
   */
  insideByParity(x: number, y: number, z: number): boolean {
    let votes = 0;
    for (let k = 0; k < 9; k += 3)
      if (this.crossings(x, y, z, PARITY_DIRECTIONS[k], PARITY_DIRECTIONS[k + 1], PARITY_DIRECTIONS[k + 2]) % 2 === 1)
        votes++;
    return votes >= 2;
  }

  /** Surface crossings along the ray from (x, y, z) in direction d; hits at one distance (an edge) count once. */
  private crossings(x: number, y: number, z: number, dx: number, dy: number, dz: number): number {
    const { bounds, start, size, corners, stack, hits } = this;
    const ix = 1 / dx,
      iy = 1 / dy,
      iz = 1 / dz;
    hits.length = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      // Slab test: the ray meets the box at some distance ≥ 0.
      const o = 6 * node;
      const tx0 = (bounds[o] - x) * ix,
        tx1 = (bounds[o + 3] - x) * ix;
      const ty0 = (bounds[o + 1] - y) * iy,
        ty1 = (bounds[o + 4] - y) * iy;
      const tz0 = (bounds[o + 2] - z) * iz,
        tz1 = (bounds[o + 5] - z) * iz;
      const near = Math.max(Math.min(tx0, tx1), Math.min(ty0, ty1), Math.min(tz0, tz1));
      const far = Math.min(Math.max(tx0, tx1), Math.max(ty0, ty1), Math.max(tz0, tz1));
      if (far < Math.max(near, 0)) continue;
      if (size[node] === 0) {
        stack[top++] = start[node];
        stack[top++] = start[node] + 1;
        continue;
      }
      for (let i = start[node], end = start[node] + size[node]; i < end; i++) {
        const t = rayTriangle(corners, 9 * i, x, y, z, dx, dy, dz);
        if (t > 0) hits.push(t);
      }
    }
    hits.sort((a, b) => a - b);
    let count = 0;
    for (let i = 0; i < hits.length; i++) if (i === 0 || hits[i] - hits[i - 1] > 1e-10) count++;
    return count;
  }

  /** Best-first descent; leaves the nearest triangle and feature in the result fields and returns the distance. */
  private search(x: number, y: number, z: number, stop2: number): number {
    const { bounds, start, size, corners, stack, q } = this;
    let best2 = Infinity;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (boxDistance2(bounds, node, x, y, z) >= best2) continue;
      if (size[node] > 0) {
        for (let i = start[node], end = start[node] + size[node]; i < end; i++) {
          const feature = closestOnTriangle(corners, 9 * i, x, y, z, q);
          if (q[3] < best2) {
            best2 = q[3];
            this.bestTriangle = i;
            this.bestFeature = feature;
            this.bestPoint[0] = q[0];
            this.bestPoint[1] = q[1];
            this.bestPoint[2] = q[2];
          }
        }
        if (best2 < stop2) break;
        continue;
      }
      const left = start[node],
        right = left + 1;
      const dl = boxDistance2(bounds, left, x, y, z),
        dr = boxDistance2(bounds, right, x, y, z);
      // The nearer child is searched first (pushed last), so the bound tightens early.
      if (dl <= dr) {
        if (dr < best2) stack[top++] = right;
        if (dl < best2) stack[top++] = left;
      } else {
        if (dl < best2) stack[top++] = left;
        if (dr < best2) stack[top++] = right;
      }
    }
    return Math.sqrt(best2);
  }
}

/**
 * Reorders `items[lo…hi)` so that the item at `nth` is the one a sort by `key` would put there, with no larger key
 * before it and no smaller one after (Hoare's selection, median-of-three pivots).
 */
function selectNth(items: Int32Array, lo: number, hi: number, nth: number, key: (item: number) => number): void {
  let left = lo,
    right = hi - 1;
  while (right > left) {
    const a = key(items[left]),
      b = key(items[(left + right) >> 1]),
      c = key(items[right]);
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = left,
      j = right;
    while (i <= j) {
      while (key(items[i]) < pivot) i++;
      while (key(items[j]) > pivot) j--;
      if (i <= j) {
        const swap = items[i];
        items[i] = items[j];
        items[j] = swap;
        i++;
        j--;
      }
    }
    if (nth <= j) right = j;
    else if (nth >= i) left = i;
    else return;
  }
}

/** Three fixed unit directions off every axis and diagonal (meshes are often axis-aligned), packed xyz. */
const PARITY_DIRECTIONS = [
  0.2717878934779215, 0.5771742903438422, 0.7700656981874443, -0.7652733220296037, 0.3889520233810656,
  -0.5129064886483202, 0.7719628008820608, -0.6068931141427487, -0.189087762852175,
];

/**
 * Distance along the ray (o, d) to the triangle at `c[k…k+9]` (Möller & Trumbore 1997), or −1 when the ray misses
 * it or runs parallel to it.
 */
function rayTriangle(
  c: Float64Array,
  k: number,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
): number {
  const e1x = c[k + 3] - c[k],
    e1y = c[k + 4] - c[k + 1],
    e1z = c[k + 5] - c[k + 2];
  const e2x = c[k + 6] - c[k],
    e2y = c[k + 7] - c[k + 1],
    e2z = c[k + 8] - c[k + 2];
  const px = dy * e2z - dz * e2y,
    py = dz * e2x - dx * e2z,
    pz = dx * e2y - dy * e2x;
  const det = e1x * px + e1y * py + e1z * pz;
  if (det === 0) return -1;
  const inv = 1 / det;
  const tx = ox - c[k],
    ty = oy - c[k + 1],
    tz = oz - c[k + 2];
  const u = (tx * px + ty * py + tz * pz) * inv;
  if (u < 0 || u > 1) return -1;
  const qx = ty * e1z - tz * e1y,
    qy = tz * e1x - tx * e1z,
    qz = tx * e1y - ty * e1x;
  const w = (dx * qx + dy * qy + dz * qz) * inv;
  if (w < 0 || u + w > 1) return -1;
  return (e2x * qx + e2y * qy + e2z * qz) * inv;
}

function boxDistance2(b: Float64Array, node: number, x: number, y: number, z: number): number {
  const o = 6 * node;
  const dx = x < b[o] ? b[o] - x : x > b[o + 3] ? x - b[o + 3] : 0;
  const dy = y < b[o + 1] ? b[o + 1] - y : y > b[o + 4] ? y - b[o + 4] : 0;
  const dz = z < b[o + 2] ? b[o + 2] - z : z > b[o + 5] ? z - b[o + 5] : 0;
  return dx * dx + dy * dy + dz * dz;
}

/**
 * Nearest point to p on the triangle at `c[o…o+9]` (Ericson, Real-Time Collision Detection §5.1.5): writes it and
 * the squared distance into out[0…3] and returns its feature. A degenerate triangle falls to its edges or corners.
 */
function closestOnTriangle(c: Float64Array, o: number, px: number, py: number, pz: number, out: Float64Array): Feature {
  const ax = c[o],
    ay = c[o + 1],
    az = c[o + 2];
  const abx = c[o + 3] - ax,
    aby = c[o + 4] - ay,
    abz = c[o + 5] - az;
  const acx = c[o + 6] - ax,
    acy = c[o + 7] - ay,
    acz = c[o + 8] - az;
  const apx = px - ax,
    apy = py - ay,
    apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz,
    d2 = acx * apx + acy * apy + acz * apz;
  let u: number, w: number, feature: Feature;
  // The point is a + u·ab + w·ac.
  u = 0;
  w = 0;
  feature = Feature.A;
  if (d1 > 0 || d2 > 0) {
    const bpx = apx - abx,
      bpy = apy - aby,
      bpz = apz - abz;
    const d3 = abx * bpx + aby * bpy + abz * bpz,
      d4 = acx * bpx + acy * bpy + acz * bpz;
    const cpx = apx - acx,
      cpy = apy - acy,
      cpz = apz - acz;
    const d5 = abx * cpx + aby * cpy + abz * cpz,
      d6 = acx * cpx + acy * cpy + acz * cpz;
    const vc = d1 * d4 - d3 * d2,
      vb = d5 * d2 - d1 * d6,
      va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) {
      u = 1;
      feature = Feature.B;
    } else if (d6 >= 0 && d5 <= d6) {
      w = 1;
      feature = Feature.C;
    } else if (vc <= 0 && d1 >= 0 && d3 <= 0) {
      u = d1 / (d1 - d3);
      feature = Feature.AB;
    } else if (vb <= 0 && d2 >= 0 && d6 <= 0) {
      w = d2 / (d2 - d6);
      feature = Feature.CA;
    } else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      w = (d4 - d3) / (d4 - d3 + (d5 - d6));
      u = 1 - w;
      feature = Feature.BC;
    } else {
      const denom = va + vb + vc;
      u = vb / denom;
      w = vc / denom;
      feature = Feature.Face;
    }
  }
  const qx = ax + u * abx + w * acx,
    qy = ay + u * aby + w * acy,
    qz = az + u * abz + w * acz;
  out[0] = qx;
  out[1] = qy;
  out[2] = qz;
  out[3] = (px - qx) ** 2 + (py - qy) ** 2 + (pz - qz) ** 2;
  return feature;
}

/**
 * Per tree-ordered triangle, the pseudo-normals of its face, corners and edges (21 numbers, in Feature order): the
 * unit face normal; at a corner the sum of the unit normals of the triangles around the vertex, each weighted by
 * its angle there; on an edge the sum of the two faces' unit normals. Vertices are matched by position, so an
 * unwelded mesh gets the same normals as its welded form.
 */
function pseudoNormals(mesh: Mesh, order: Int32Array): { pseudo: Float64Array; nearFold: Uint8Array } {
  const v = mesh.vertices,
    t = mesh.triangles;
  const count = t.length / 3;
  const corners = weldedCorners(mesh);
  const face = new Float64Array(3 * count);
  const vertex = new Float64Array(v.length);
  const e = new Float64Array(6);
  const n = new Float64Array(3);
  for (let f = 0; f < count; f++) {
    const a = 3 * t[3 * f],
      b = 3 * t[3 * f + 1],
      c = 3 * t[3 * f + 2];
    triangleCross(v, a, b, c, n);
    const nx = n[0],
      ny = n[1],
      nz = n[2];
    const len = Math.hypot(nx, ny, nz);
    if (len === 0) continue;
    face[3 * f] = nx / len;
    face[3 * f + 1] = ny / len;
    face[3 * f + 2] = nz / len;
    for (let k = 0; k < 3; k++) {
      // The angle at corner k, between the edges to the next two corners.
      const p = 3 * t[3 * f + k],
        q = 3 * t[3 * f + ((k + 1) % 3)],
        r = 3 * t[3 * f + ((k + 2) % 3)];
      for (let j = 0; j < 3; j++) {
        e[j] = v[q + j] - v[p + j];
        e[3 + j] = v[r + j] - v[p + j];
      }
      const angle = Math.atan2(
        Math.hypot(e[1] * e[5] - e[2] * e[4], e[2] * e[3] - e[0] * e[5], e[0] * e[4] - e[1] * e[3]),
        e[0] * e[3] + e[1] * e[4] + e[2] * e[5],
      );
      const id = 3 * corners[3 * f + k];
      vertex[id] += angle * face[3 * f];
      vertex[id + 1] += angle * face[3 * f + 1];
      vertex[id + 2] += angle * face[3 * f + 2];
    }
  }
  const across = edgeNeighbours(corners, v.length / 3);
  const folded = folds(face, across);
  const vertexNearFold = new Uint8Array(v.length / 3);
  for (let f = 0; f < count; f++) if (folded[f]) for (let c = 0; c < 3; c++) vertexNearFold[corners[3 * f + c]] = 1;
  const nearFold = new Uint8Array(count);
  const out = new Float64Array(21 * count);
  for (let i = 0; i < count; i++) {
    const f = order[i];
    const o = 21 * i;
    for (let c = 0; c < 3; c++) nearFold[i] |= vertexNearFold[corners[3 * f + c]];
    for (let k = 0; k < 3; k++) {
      out[o + k] = face[3 * f + k];
      for (let c = 0; c < 3; c++) out[o + 3 * (1 + c) + k] = vertex[3 * corners[3 * f + c] + k];
      for (let c = 0; c < 3; c++) {
        const g = across[3 * f + c];
        out[o + 3 * (4 + c) + k] = face[3 * f + k] + (g >= 0 ? face[3 * g + k] : 0);
      }
    }
  }
  return { pseudo: out, nearFold };
}

/**
 * Triangles folded over: turned against at least two of their three neighbours (unit normals' dot product under
 * −0.5). A knife edge turns a triangle against one neighbour; a triangle flipped over by a decimation against two
 * or three.
 */
function folds(face: Float64Array, across: Int32Array): Uint8Array {
  const count = face.length / 3;
  const out = new Uint8Array(count);
  for (let f = 0; f < count; f++) {
    let against = 0;
    for (let e = 0; e < 3; e++) {
      const g = across[3 * f + e];
      if (
        g >= 0 &&
        face[3 * f] * face[3 * g] + face[3 * f + 1] * face[3 * g + 1] + face[3 * f + 2] * face[3 * g + 2] < -0.5
      )
        against++;
    }
    out[f] = against >= 2 ? 1 : 0;
  }
  return out;
}
