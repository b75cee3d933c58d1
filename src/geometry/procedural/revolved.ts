// Solids of revolution from random lathe profiles: bottles, vases, and cups with a real cavity.
import type { Random } from '../../core/random.js';
import type { CsgScope, Manifold } from './csg.js';

export type RevolvedVariant = 'bottle' | 'vase' | 'cup';
export const REVOLVED_VARIANTS: readonly RevolvedVariant[] = ['bottle', 'vase', 'cup'];

export interface RevolvedOptions {
  variant?: RevolvedVariant;
  segments?: number;
}

/** Smooth radius-versus-height curve through random control radii (cosine-eased between knots). */
function smoothCurve(knots: readonly number[]): (t: number) => number {
  return (t) => {
    const x = Math.min(Math.max(t, 0), 1) * (knots.length - 1);
    const i = Math.min(Math.floor(x), knots.length - 2);
    const f = (1 - Math.cos(Math.PI * (x - i))) / 2;
    return knots[i] * (1 - f) + knots[i + 1] * f;
  };
}

function bottleRadius(rng: Random): (t: number) => number {
  const body = rng.uniform(0.6, 1);
  const neck = body * rng.uniform(0.25, 0.5);
  const shoulder = rng.uniform(0.5, 0.75);
  const neckStart = shoulder + rng.uniform(0.1, 0.2);
  return (t) => {
    if (t <= shoulder) return body;
    if (t >= neckStart) return neck;
    const f = (1 - Math.cos((Math.PI * (t - shoulder)) / (neckStart - shoulder))) / 2;
    return body * (1 - f) + neck * f;
  };
}

/**
 * Profile polygon in the (radius, height) plane, counter-clockwise; a cup's profile walks up the outside
 * and back down the inside wall so the revolved solid is hollow with a floor.
 */
export function latheProfile(rng: Random, variant: RevolvedVariant): Array<[number, number]> {
  const height = variant === 'cup' ? rng.uniform(0.8, 2.2) : rng.uniform(1.2, 3);
  const radius =
    variant === 'bottle'
      ? bottleRadius(rng)
      : smoothCurve(Array.from({ length: 3 + rng.int(3) }, () => rng.uniform(variant === 'cup' ? 0.55 : 0.3, 1)));
  const steps = 20;
  const outer: Array<[number, number]> = [];
  for (let i = 0; i <= steps; i++) outer.push([radius(i / steps), (height * i) / steps]);
  if (variant !== 'cup') return [[0, 0], ...outer, [0, height]];
  let minR = Infinity;
  for (const [r] of outer) minR = Math.min(minR, r);
  const wall = minR * rng.uniform(0.12, 0.3);
  const floor = height * rng.uniform(0.06, 0.15);
  const inner: Array<[number, number]> = [];
  for (let i = steps; i >= 0; i--) {
    const z = (height * i) / steps;
    if (z <= floor) break;
    inner.push([radius(i / steps) - wall, z]);
  }
  return [[0, 0], ...outer, ...inner, [radius(floor / height) - wall, floor], [0, floor]];
}

/** A lathed solid; `variant` picks bottle (solid with a neck), vase (solid, wavy) or cup (open cavity). */
export function revolved(rng: Random, scope: CsgScope, options: RevolvedOptions = {}): Manifold {
  const variant = options.variant ?? REVOLVED_VARIANTS[rng.int(REVOLVED_VARIANTS.length)];
  return scope.revolve(latheProfile(rng, variant), options.segments ?? 48);
}
