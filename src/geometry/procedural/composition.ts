// Random constructive-solid compositions of 2–4 primitives (unions and differences at random
// rotations and offsets): the awkward, adversarial shapes of Dex-Net's "adversarial" object set.
import type { Random } from '../../core/random.js';
import { meshToManifold, RedrawError, type CsgScope, type Manifold } from './csg.js';
import { superquadricMesh } from './superquadric.js';

export type PrimitiveKind = 'box' | 'sphere' | 'cylinder' | 'cone' | 'torus' | 'superquadric';
const KINDS: readonly PrimitiveKind[] = ['box', 'sphere', 'cylinder', 'cone', 'torus', 'superquadric'];

export interface CompositionOptions {
  /** Number of primitives (2–4 when omitted). */
  parts?: number;
  /** Minimum convex-hull volume over solid volume; draws closer to convex are redrawn. */
  minHullRatio?: number;
}

/** Default hull/volume ratio a composition must reach to count as non-convex. */
export const COMPOSITION_MIN_HULL_RATIO = 1.15;

function primitive(rng: Random, scope: CsgScope, kind: PrimitiveKind, scale: number): Manifold {
  const s = () => scale * rng.uniform(0.4, 1);
  switch (kind) {
    case 'box':
      return scope.cube(s(), s(), s());
    case 'sphere':
      return scope.sphere(s() / 2, 32);
    case 'cylinder': {
      const r = s() / 2;
      return scope.cylinder(s(), r, r, 40);
    }
    case 'cone':
      return scope.cylinder(s(), s() / 2, s() * rng.uniform(0, 0.25), 40);
    case 'torus': {
      const ring = s() / 2;
      const tube = ring * rng.uniform(0.2, 0.45);
      return scope.keep(scope.keep(scope.wasm.CrossSection.circle(tube, 16).translate([ring, 0])).revolve(40));
    }
    case 'superquadric': {
      const e = () => Math.exp(rng.uniform(Math.log(0.25), Math.log(1.8)));
      return meshToManifold(scope, superquadricMesh([s() / 2, s() / 2, s() / 2], e(), e(), 16, 32));
    }
  }
}

const randomRotation = (rng: Random): [number, number, number] => [
  rng.uniform(0, 360),
  rng.uniform(0, 360),
  rng.uniform(0, 360),
];

/**
 * The first primitive is the base; each further one is unioned (60%) or subtracted (40%) at a random
 * rotation, offset within the base's reach so it actually interacts. Keeps the largest piece and
 * rejects near-convex or mostly-carved-away results.
 */
export function composition(rng: Random, scope: CsgScope, options: CompositionOptions = {}): Manifold {
  const parts = options.parts ?? 2 + rng.int(3);
  const minHullRatio = options.minHullRatio ?? COMPOSITION_MIN_HULL_RATIO;
  let solid = scope.place(primitive(rng, scope, KINDS[rng.int(KINDS.length)], 1), randomRotation(rng), [0, 0, 0]);
  const baseVolume = solid.volume();
  let subtracted = false;
  for (let k = 1; k < parts; k++) {
    // With three or more parts the last one balances the mix: a subtraction if none happened yet, else a union.
    const subtract: boolean = k === parts - 1 && parts > 2 ? !subtracted : rng.next() < 0.4;
    const kind = KINDS[rng.int(KINDS.length)];
    const part = primitive(rng, scope, kind, subtract ? 0.8 : 0.9);
    const offset: [number, number, number] = [
      rng.uniform(-0.45, 0.45),
      rng.uniform(-0.45, 0.45),
      rng.uniform(-0.45, 0.45),
    ];
    const placed = scope.place(part, randomRotation(rng), offset);
    solid = subtract ? scope.subtract(solid, placed) : scope.union(solid, placed);
    subtracted ||= subtract;
  }
  const piece = scope.largestPiece(solid);
  const volume = piece.volume();
  if (!(volume > 0.2 * baseVolume)) throw new RedrawError('composition carved away most of its base');
  const hull = scope.keep(piece.hull());
  if (hull.volume() < minHullRatio * volume) throw new RedrawError('composition is nearly convex');
  return piece;
}
