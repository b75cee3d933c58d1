// Blocks and cylinders drilled with through-holes (round or square): objects a gripper can reach
// through, whose surface has genus ≥ 1.
import type { Random } from '../../core/random.js';
import { RedrawError, type CsgScope, type Manifold } from './csg.js';

export interface HolesOptions {
  base?: 'box' | 'cylinder';
  /** Number of through-holes (1–3 when omitted). */
  holes?: number;
}

const AXIS_ROTATION: Record<'x' | 'y' | 'z', [number, number, number]> = { x: [0, 90, 0], y: [90, 0, 0], z: [0, 0, 0] };

/** A box or cylinder minus 1–3 through-holes along the coordinate axes, never cutting it in two. */
export function holes(rng: Random, scope: CsgScope, options: HolesOptions = {}): Manifold {
  const base = options.base ?? (rng.next() < 0.5 ? 'box' : 'cylinder');
  const size: [number, number, number] =
    base === 'box' ? [rng.uniform(0.4, 1), rng.uniform(0.4, 1), rng.uniform(0.3, 1)] : [0, 0, rng.uniform(0.3, 1.2)];
  const radius = rng.uniform(0.3, 0.5);
  if (base === 'cylinder') size[0] = size[1] = 2 * radius;
  let solid = base === 'box' ? scope.cube(size[0], size[1], size[2]) : scope.cylinder(size[2], radius, radius, 64);
  const count = options.holes ?? 1 + rng.int(3);
  const axes: Array<'x' | 'y' | 'z'> = base === 'cylinder' ? ['z', 'z', 'x', 'y'] : ['x', 'y', 'z'];
  for (let h = 0; h < count; h++) {
    const axis = axes[rng.int(axes.length)];
    // The two dimensions across the hole: its radius and offset keep a wall of ≥ 15% on each side.
    const [u, v] = axis === 'x' ? [size[1], size[2]] : axis === 'y' ? [size[0], size[2]] : [size[0], size[1]];
    const across = Math.min(u, v);
    const r = across * rng.uniform(0.12, 0.3);
    const ou = rng.uniform(-1, 1) * Math.max(0, u / 2 - r - 0.15 * u);
    const ov = rng.uniform(-1, 1) * Math.max(0, v / 2 - r - 0.15 * v);
    const length = 3 * Math.max(size[0], size[1], size[2]);
    const square = rng.next() < 0.3;
    const cutter = square ? scope.cube(2 * r, 2 * r, length) : scope.cylinder(length, r, r, 32);
    const offset: [number, number, number] = axis === 'x' ? [0, ou, ov] : axis === 'y' ? [ou, 0, ov] : [ou, ov, 0];
    // Round holes in a cylinder's side stay inside the chord only near the middle; the largest piece still wins.
    solid = scope.subtract(solid, scope.place(cutter, AXIS_ROTATION[axis], offset));
  }
  const piece = scope.largestPiece(solid);
  if (piece.genus() < 1) throw new RedrawError('the holes did not go through');
  return piece;
}
