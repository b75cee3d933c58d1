// Physical and geometric properties of closed triangle meshes (volume, centre of mass, inertia,
// principal axes, watertightness) and the rigid/scale transforms Dex-Net applies before sampling.
import { symmetricEigen3 as symmetricEigen3Core } from '../core/linear-algebra.js';
import { createMesh, type Mesh } from './mesh.js';
import { mat3Det, type Mat3, type Vec3 } from './vector.js';

export interface BoundingBox {
  min: Vec3;
  max: Vec3;
}

/** Axis-aligned bounding box of the vertices (all ±Infinity-free only for a non-empty mesh). */
export function boundingBox(mesh: Mesh): BoundingBox {
  const v = mesh.vertices;
  let x0 = Infinity,
    y0 = Infinity,
    z0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity,
    z1 = -Infinity;
  for (let i = 0; i < v.length; i += 3) {
    const x = v[i],
      y = v[i + 1],
      z = v[i + 2];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (z < z0) z0 = z;
    if (z > z1) z1 = z;
  }
  return { min: [x0, y0, z0], max: [x1, y1, z1] };
}

/** Side lengths of the bounding box. */
export function boundingBoxExtents(mesh: Mesh): Vec3 {
  const { min, max } = boundingBox(mesh);
  return [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
}

export interface MassProperties {
  /** Enclosed volume in m³ (positive for outward-oriented closed meshes). */
  volume: number;
  /** Centre of mass of the solid at uniform density. */
  centerOfMass: Vec3;
  /** Inertia tensor about the centre of mass per unit density (kg·m² per kg/m³), row-major. */
  inertia: Mat3;
}

/**
 * Volume, centre of mass and inertia of the solid bounded by the mesh, from signed tetrahedra
 * spanned by each triangle and a reference point. The reference is the bounding-box centre rather
 * than the origin so a small object far from the origin does not lose digits to cancellation;
 * sums are float64. Meaningful only for closed, consistently oriented meshes.
 */
export function massProperties(mesh: Mesh): MassProperties {
  const v = mesh.vertices,
    t = mesh.triangles;
  const { min, max } = boundingBox(mesh);
  const rx = v.length > 0 ? (min[0] + max[0]) / 2 : 0;
  const ry = v.length > 0 ? (min[1] + max[1]) / 2 : 0;
  const rz = v.length > 0 ? (min[2] + max[2]) / 2 : 0;
  let vol6 = 0,
    cx = 0,
    cy = 0,
    cz = 0;
  let sxx = 0,
    syy = 0,
    szz = 0,
    sxy = 0,
    sxz = 0,
    syz = 0;
  for (let i = 0; i < t.length; i += 3) {
    const a = t[i] * 3,
      b = t[i + 1] * 3,
      c = t[i + 2] * 3;
    const ax = v[a] - rx,
      ay = v[a + 1] - ry,
      az = v[a + 2] - rz;
    const bx = v[b] - rx,
      by = v[b + 1] - ry,
      bz = v[b + 2] - rz;
    const qx = v[c] - rx,
      qy = v[c + 1] - ry,
      qz = v[c + 2] - rz;
    const det = ax * (by * qz - bz * qy) - ay * (bx * qz - bz * qx) + az * (bx * qy - by * qx);
    vol6 += det;
    const px = ax + bx + qx,
      py = ay + by + qy,
      pz = az + bz + qz;
    cx += det * px;
    cy += det * py;
    cz += det * pz;
    // ∫ x xᵀ over the tetrahedron (0, a, b, c) = det/120 · (a aᵀ + b bᵀ + c cᵀ + p pᵀ), p = a + b + c.
    sxx += det * (ax * ax + bx * bx + qx * qx + px * px);
    syy += det * (ay * ay + by * by + qy * qy + py * py);
    szz += det * (az * az + bz * bz + qz * qz + pz * pz);
    sxy += det * (ax * ay + bx * by + qx * qy + px * py);
    sxz += det * (ax * az + bx * bz + qx * qz + px * pz);
    syz += det * (ay * az + by * bz + qy * qz + py * pz);
  }
  const volume = vol6 / 6;
  if (volume === 0) {
    const com = areaCentroid(mesh);
    return { volume: 0, centerOfMass: com, inertia: [0, 0, 0, 0, 0, 0, 0, 0, 0] };
  }
  // Centroid of a tetrahedron with one corner at the reference is p/4.
  const mx = cx / (vol6 * 4),
    my = cy / (vol6 * 4),
    mz = cz / (vol6 * 4);
  const k = 1 / 120;
  // Second moments about the reference, moved to the centre of mass (parallel-axis theorem).
  const cxx = sxx * k - volume * mx * mx;
  const cyy = syy * k - volume * my * my;
  const czz = szz * k - volume * mz * mz;
  const cxy = sxy * k - volume * mx * my;
  const cxz = sxz * k - volume * mx * mz;
  const cyz = syz * k - volume * my * mz;
  const inertia: Mat3 = [cyy + czz, -cxy, -cxz, -cxy, cxx + czz, -cyz, -cxz, -cyz, cxx + cyy];
  return { volume, centerOfMass: [mx + rx, my + ry, mz + rz], inertia };
}

/** Enclosed volume (signed: negative when the faces point inward). */
export function meshVolume(mesh: Mesh): number {
  return massProperties(mesh).volume;
}

/**
 * Centre of mass of the enclosed solid at uniform density. A mesh that encloses no volume (open or
 * flat) has no solid, so the area-weighted surface centroid is returned instead.
 */
export function centerOfMass(mesh: Mesh): Vec3 {
  const { volume, centerOfMass: com } = massProperties(mesh);
  if (isNegligibleVolume(mesh, volume)) return areaCentroid(mesh);
  return com;
}

function isNegligibleVolume(mesh: Mesh, volume: number): boolean {
  const e = boundingBoxExtents(mesh);
  const m = Math.max(e[0], e[1], e[2]);
  return !(Math.abs(volume) > 1e-9 * m * m * m);
}

/** Area-weighted centroid of the surface (the vertex mean for a mesh without area). */
export function areaCentroid(mesh: Mesh): Vec3 {
  const v = mesh.vertices,
    t = mesh.triangles;
  let sx = 0,
    sy = 0,
    sz = 0,
    total = 0;
  for (let i = 0; i < t.length; i += 3) {
    const a = t[i] * 3,
      b = t[i + 1] * 3,
      c = t[i + 2] * 3;
    const area = triangleArea(v, a, b, c);
    sx += area * (v[a] + v[b] + v[c]);
    sy += area * (v[a + 1] + v[b + 1] + v[c + 1]);
    sz += area * (v[a + 2] + v[b + 2] + v[c + 2]);
    total += area;
  }
  if (total > 0) return [sx / (3 * total), sy / (3 * total), sz / (3 * total)];
  return vertexMean(mesh);
}

/** Mean of the vertex positions ([0, 0, 0] for a mesh without vertices). */
export function vertexMean(mesh: Mesh): Vec3 {
  const v = mesh.vertices;
  const n = v.length / 3;
  let mx = 0,
    my = 0,
    mz = 0;
  for (let i = 0; i < v.length; i += 3) {
    mx += v[i];
    my += v[i + 1];
    mz += v[i + 2];
  }
  return n > 0 ? [mx / n, my / n, mz / n] : [0, 0, 0];
}

/**
 * Writes the un-normalised normal (b − a) × (c − a) of the triangle whose corners start at vertex offsets a, b, c
 * (indices into `v`, already × 3) into `out`: its length is twice the area. One place for the cross product every
 * per-triangle loop needs.
 */
export function triangleCross(v: ArrayLike<number>, a: number, b: number, c: number, out: Float64Array): Float64Array {
  const ux = v[b] - v[a],
    uy = v[b + 1] - v[a + 1],
    uz = v[b + 2] - v[a + 2];
  const wx = v[c] - v[a],
    wy = v[c + 1] - v[a + 1],
    wz = v[c + 2] - v[a + 2];
  out[0] = uy * wz - uz * wy;
  out[1] = uz * wx - ux * wz;
  out[2] = ux * wy - uy * wx;
  return out;
}

const crossScratch = new Float64Array(3);

function triangleArea(v: Float32Array, a: number, b: number, c: number): number {
  const n = triangleCross(v, a, b, c, crossScratch);
  return 0.5 * Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
}

/** Area of every triangle (float64 so cumulative sums for surface sampling stay exact enough). */
export function triangleAreas(mesh: Mesh): Float64Array {
  const v = mesh.vertices,
    t = mesh.triangles;
  const out = new Float64Array(t.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = triangleArea(v, t[i * 3] * 3, t[i * 3 + 1] * 3, t[i * 3 + 2] * 3);
  return out;
}

/** Total surface area. */
export function surfaceArea(mesh: Mesh): number {
  const areas = triangleAreas(mesh);
  let s = 0;
  for (let i = 0; i < areas.length; i++) s += areas[i];
  return s;
}

/** Unit outward normal of every triangle (right-hand rule on its winding); zero for degenerate ones. */
export function triangleNormals(mesh: Mesh): Float32Array {
  const v = mesh.vertices,
    t = mesh.triangles;
  const out = new Float32Array(t.length);
  for (let i = 0; i < t.length; i += 3) {
    const a = t[i] * 3,
      b = t[i + 1] * 3,
      c = t[i + 2] * 3;
    const n = triangleCross(v, a, b, c, crossScratch);
    const nx = n[0],
      ny = n[1],
      nz = n[2];
    const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
    const s = len > 0 ? 1 / len : 0;
    out[i] = nx * s;
    out[i + 1] = ny * s;
    out[i + 2] = nz * s;
  }
  return out;
}

export interface EigenDecomposition {
  /** Eigenvalues in ascending order. */
  values: Vec3;
  /** Row-major matrix whose columns are the matching unit eigenvectors (a right-handed rotation). */
  vectors: Mat3;
}

/** Eigen-decomposition of a symmetric 3×3 matrix (cyclic Jacobi, in core/linear-algebra). */
export const symmetricEigen3: (m: Mat3) => EigenDecomposition = symmetricEigen3Core;

export interface PrincipalAxes {
  /** Columns are unit axes, longest extent first (a right-handed rotation from body to mesh frame). */
  axes: Mat3;
  /** Principal moments of inertia per unit density (ascending) or vertex variances (descending). */
  values: Vec3;
  /** What the axes are eigenvectors of. */
  source: 'inertia' | 'vertex-covariance';
}

/**
 * Principal axes of the solid: eigenvectors of its inertia tensor about the centre of mass, ordered
 * from the smallest moment (the direction the body is longest along) to the largest. A mesh that
 * encloses no volume has no inertia, so the eigenvectors of the vertex covariance are used instead,
 * ordered by decreasing variance, which again puts the longest direction first.
 */
export function principalAxes(mesh: Mesh): PrincipalAxes {
  const props = massProperties(mesh);
  if (!isNegligibleVolume(mesh, props.volume)) {
    const sign = props.volume < 0 ? -1 : 1; // an inward-facing mesh gives a negated tensor
    const { values, vectors } = symmetricEigen3(props.inertia.map((x) => x * sign) as Mat3);
    return { axes: vectors, values, source: 'inertia' };
  }
  const v = mesh.vertices;
  const n = v.length / 3;
  const [mx, my, mz] = vertexMean(mesh);
  let xx = 0,
    yy = 0,
    zz = 0,
    xy = 0,
    xz = 0,
    yz = 0;
  for (let i = 0; i < v.length; i += 3) {
    const x = v[i] - mx,
      y = v[i + 1] - my,
      z = v[i + 2] - mz;
    xx += x * x;
    yy += y * y;
    zz += z * z;
    xy += x * y;
    xz += x * z;
    yz += y * z;
  }
  const s = 1 / (n || 1);
  // Eigen-decompose the negated covariance so ascending order means descending variance.
  const { values, vectors } = symmetricEigen3([
    -xx * s,
    -xy * s,
    -xz * s,
    -xy * s,
    -yy * s,
    -yz * s,
    -xz * s,
    -yz * s,
    -zz * s,
  ]);
  return { axes: vectors, values: [-values[0], -values[1], -values[2]], source: 'vertex-covariance' };
}

export interface EdgeReport {
  /** Edges used by exactly one triangle (holes). */
  boundaryEdges: number;
  /** Edges used by three or more triangles. */
  nonManifoldEdges: number;
  /** Edges used twice in the same direction (neighbouring triangles wound inconsistently). */
  misorientedEdges: number;
}

/** Counts the edge defects that make a mesh not watertight. */
export function edgeReport(mesh: Mesh): EdgeReport {
  const t = mesh.triangles;
  const n = mesh.vertices.length / 3;
  // Key (lo, hi) exactly in a double while n² < 2^53, i.e. up to ~94 million vertices.
  const uses = new Map<number, number>();
  for (let i = 0; i < t.length; i += 3) {
    for (let e = 0; e < 3; e++) {
      const a = t[i + e],
        b = t[i + ((e + 1) % 3)];
      const key = a < b ? a * n + b : b * n + a;
      // Low 20 bits count lo→hi uses, the rest hi→lo uses.
      uses.set(key, (uses.get(key) ?? 0) + (a < b ? 1 : 1 << 20));
    }
  }
  let boundaryEdges = 0,
    nonManifoldEdges = 0,
    misorientedEdges = 0;
  for (const packed of uses.values()) {
    const forward = packed & 0xfffff,
      backward = Math.floor(packed / (1 << 20));
    const total = forward + backward;
    if (total === 1) boundaryEdges++;
    else if (total > 2) nonManifoldEdges++;
    else if (forward !== 1) misorientedEdges++;
  }
  return { boundaryEdges, nonManifoldEdges, misorientedEdges };
}

/** Closed and consistently oriented: every edge is shared by exactly two triangles traversing it in opposite directions. */
export function isWatertight(mesh: Mesh): boolean {
  if (mesh.triangles.length === 0) return false;
  const r = edgeReport(mesh);
  return r.boundaryEdges === 0 && r.nonManifoldEdges === 0 && r.misorientedEdges === 0;
}

/**
 * Applies x ↦ R·x + t. A matrix with negative determinant mirrors the mesh, so the triangle winding
 * is reversed to keep faces pointing outward.
 */
export function transformMesh(mesh: Mesh, rotation: Mat3, translation: Vec3): Mesh {
  const v = mesh.vertices;
  const out = new Float32Array(v.length);
  const [r0, r1, r2, r3, r4, r5, r6, r7, r8] = rotation;
  const [tx, ty, tz] = translation;
  for (let i = 0; i < v.length; i += 3) {
    const x = v[i],
      y = v[i + 1],
      z = v[i + 2];
    out[i] = r0 * x + r1 * y + r2 * z + tx;
    out[i + 1] = r3 * x + r4 * y + r5 * z + ty;
    out[i + 2] = r6 * x + r7 * y + r8 * z + tz;
  }
  const triangles = mesh.triangles.slice();
  if (mat3Det(rotation) < 0) {
    for (let i = 0; i < triangles.length; i += 3) {
      const b = triangles[i + 1];
      triangles[i + 1] = triangles[i + 2];
      triangles[i + 2] = b;
    }
  }
  return { vertices: out, triangles };
}

/** Moves every vertex by `offset`. */
export function translateMesh(mesh: Mesh, offset: Vec3): Mesh {
  return transformMesh(mesh, [1, 0, 0, 0, 1, 0, 0, 0, 1], offset);
}

/** Multiplies every coordinate by `factor` (about the origin); factor must be positive. */
export function scaleMesh(mesh: Mesh, factor: number): Mesh {
  if (!(factor > 0 && Number.isFinite(factor)))
    throw new RangeError(`scale factor must be a positive finite number, got ${factor}`);
  const v = mesh.vertices;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * factor;
  return createMesh(out, mesh.triangles);
}

/**
 * Scales about the origin so the largest bounding-box extent equals `targetExtent` (Dex-Net
 * rescales objects to 0.04–0.10 m); exact up to float32 rounding of the vertices.
 */
export function rescaleMesh(mesh: Mesh, targetExtent: number): Mesh {
  if (!(targetExtent > 0 && Number.isFinite(targetExtent))) {
    throw new RangeError(`target extent must be a positive finite number, got ${targetExtent}`);
  }
  const e = boundingBoxExtents(mesh);
  const current = Math.max(e[0], e[1], e[2]);
  if (!(current > 0)) throw new RangeError('cannot rescale a mesh whose bounding box has zero size');
  return scaleMesh(mesh, targetExtent / current);
}

/** Translates the mesh so its centre of mass lies at the origin. */
export function centerMesh(mesh: Mesh): Mesh {
  const [x, y, z] = centerOfMass(mesh);
  return translateMesh(mesh, [-x, -y, -z]);
}
