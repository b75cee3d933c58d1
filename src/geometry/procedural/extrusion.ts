// Prisms from random simple polygons (star-shaped, often non-convex): straight extrusions for training
// and twisted/tapered ones held out for evaluation.
import { extrudePolygon } from '../primitives.js';
import type { Random } from '../../core/random.js';
import { CsgScope, meshToManifold, type Manifold } from './csg.js';

export type Polygon2 = Array<[number, number]>;

/**
 * A random simple polygon: vertices at increasing angles around the origin with random radii, so it is
 * star-shaped about the origin and therefore never self-intersecting, yet usually non-convex.
 */
export function randomStarPolygon(rng: Random, minPoints = 5, maxPoints = 12): Polygon2 {
  const n = minPoints + rng.int(maxPoints - minPoints + 1);
  // Alternating inner/outer radii make spiky stars; otherwise radii wander smoothly (blobs, lumps).
  const spiky = rng.next() < 0.5;
  const inner = rng.uniform(0.35, 0.8);
  const sx = rng.uniform(0.6, 1),
    sy = rng.uniform(0.6, 1);
  const points: Polygon2 = [];
  for (let i = 0; i < n; i++) {
    // Jitter stays within ±35% of a sector so the angles keep increasing.
    const angle = ((i + rng.uniform(-0.35, 0.35)) * 2 * Math.PI) / n;
    const r = spiky ? (i % 2 === 0 ? 1 : inner) * rng.uniform(0.85, 1) : rng.uniform(0.45, 1);
    points.push([sx * r * Math.cos(angle), sy * r * Math.sin(angle)]);
  }
  return points;
}

export interface ExtrusionOptions {
  polygon?: Polygon2;
  /** Prism height relative to the polygon's unit radius; random in [0.25, 1.5] when omitted. */
  height?: number;
}

/** A straight prism of a random star polygon (caps by ear clipping). */
export function extrusion(rng: Random, scope: CsgScope, options: ExtrusionOptions = {}): Manifold {
  const polygon = options.polygon ?? randomStarPolygon(rng);
  const height = options.height ?? rng.uniform(0.25, 1.5);
  return meshToManifold(scope, extrudePolygon(polygon, height));
}

export interface TwistedOptions {
  polygon?: Polygon2;
  height?: number;
  /** Twist of the top cap relative to the bottom, degrees. */
  twistDegrees?: number;
  /** Scale of the top cap (x, y). */
  scaleTop?: [number, number];
}

/** A twisted and tapered prism (screw-like, drill-bit-like, frustum-like): a held-out family. */
export function twisted(rng: Random, scope: CsgScope, options: TwistedOptions = {}): Manifold {
  const polygon = options.polygon ?? randomStarPolygon(rng, 4, 9);
  const height = options.height ?? rng.uniform(0.6, 2);
  const twistDegrees = options.twistDegrees ?? rng.uniform(30, 200) * (rng.next() < 0.5 ? -1 : 1);
  const taper = rng.uniform(0.3, 1.3);
  const scaleTop = options.scaleTop ?? [taper, taper * rng.uniform(0.85, 1.15)];
  const section = scope.polygon(polygon);
  const divisions = Math.max(8, Math.round(Math.abs(twistDegrees) / 8));
  return scope.keep(scope.Manifold.extrude(section, height, divisions, twistDegrees, scaleTop, true));
}
