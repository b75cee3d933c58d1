// Superquadric solids: two shape exponents sweep one family through boxes, ellipsoids, diamonds
// (octahedra), cylinders and pillows, with random semi-axes.
import type { Mesh } from '../mesh.js';
import type { Random } from '../../core/random.js';
import { CsgScope, meshToManifold, type Manifold } from './csg.js';

export interface SuperquadricOptions {
  /** Exponent along latitude (ε₁): ≪1 square top and bottom, 1 round, 2 pointed. Random when omitted. */
  e1?: number;
  /** Exponent along longitude (ε₂), same meaning around z. Random when omitted. */
  e2?: number;
  /** Semi-axes; random in [0.3, 1] each when omitted. */
  radii?: readonly [number, number, number];
  latitudeSegments?: number;
  longitudeSegments?: number;
}

/** cos/sin raised to a power with the sign kept: the superquadric's signed power. */
const spow = (v: number, e: number) => Math.sign(v) * Math.pow(Math.abs(v), e);

/** Exponents log-uniform in [0.2, 2] so boxes, spheres and diamonds are all common. */
function drawExponent(rng: Random): number {
  return Math.exp(rng.uniform(Math.log(0.2), Math.log(2)));
}

/**
 * Closed latitude–longitude mesh of the superquadric
 * x = a·c(η)^ε₁·c(ω)^ε₂, y = b·c(η)^ε₁·s(ω)^ε₂, z = c·s(η)^ε₁ with single pole vertices, outward.
 */
export function superquadricMesh(
  radii: readonly [number, number, number],
  e1: number,
  e2: number,
  latitudeSegments = 24,
  longitudeSegments = 48,
): Mesh {
  const nLat = latitudeSegments,
    nLon = longitudeSegments;
  const rings = nLat - 1;
  const v = new Float32Array((rings * nLon + 2) * 3);
  const [a, b, c] = radii;
  v.set([0, 0, -c], 0);
  for (let i = 1; i <= rings; i++) {
    const eta = -Math.PI / 2 + (Math.PI * i) / nLat;
    const ce = spow(Math.cos(eta), e1),
      se = spow(Math.sin(eta), e1);
    for (let j = 0; j < nLon; j++) {
      const w = -Math.PI + (2 * Math.PI * j) / nLon;
      const k = (1 + (i - 1) * nLon + j) * 3;
      v[k] = a * ce * spow(Math.cos(w), e2);
      v[k + 1] = b * ce * spow(Math.sin(w), e2);
      v[k + 2] = c * se;
    }
  }
  const north = rings * nLon + 1;
  v.set([0, 0, c], north * 3);
  const ring = (i: number, j: number) => 1 + (i - 1) * nLon + (j % nLon);
  const t: number[] = [];
  for (let j = 0; j < nLon; j++) t.push(0, ring(1, j + 1), ring(1, j));
  for (let i = 1; i < rings; i++) {
    for (let j = 0; j < nLon; j++) {
      // Longitude increases counter-clockwise seen from +z, latitude upward: (i,j)→(i,j+1)→(i+1,j+1) faces out.
      t.push(ring(i, j), ring(i, j + 1), ring(i + 1, j + 1), ring(i, j), ring(i + 1, j + 1), ring(i + 1, j));
    }
  }
  for (let j = 0; j < nLon; j++) t.push(north, ring(rings, j), ring(rings, j + 1));
  return { vertices: v, triangles: Uint32Array.from(t) };
}

export function superquadric(rng: Random, scope: CsgScope, options: SuperquadricOptions = {}): Manifold {
  const e1 = options.e1 ?? drawExponent(rng);
  const e2 = options.e2 ?? drawExponent(rng);
  const radii = options.radii ?? [rng.uniform(0.3, 1), rng.uniform(0.3, 1), rng.uniform(0.3, 1)];
  const mesh = superquadricMesh(radii, e1, e2, options.latitudeSegments, options.longitudeSegments);
  // Through manifold-3d so near-corner slivers (small exponents) are collapsed consistently.
  return meshToManifold(scope, mesh);
}
