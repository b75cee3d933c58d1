// Mugs and jugs: an open cup (straight or tapered) with a ring or square handle, the classic
// object a gripper should take by the rim or the handle rather than across the body.
import type { Random } from '../../core/random.js';
import { RedrawError, type CsgScope, type Manifold } from './csg.js';

export interface MugOptions {
  handle?: 'ring' | 'square';
}

export function mug(rng: Random, scope: CsgScope, options: MugOptions = {}): Manifold {
  const radius = rng.uniform(0.35, 0.55);
  const height = radius * rng.uniform(1.4, 2.6);
  const taper = rng.uniform(0.8, 1.15);
  const wall = radius * rng.uniform(0.1, 0.2);
  const floor = height * rng.uniform(0.06, 0.14);
  /** Outer radius at height s above the bottom. */
  const outerAt = (s: number) => radius * (1 + ((taper - 1) * s) / height);
  const body = scope.cylinder(height, radius, radius * taper, 64);
  // The cavity runs from the floor to past the rim so the cup is open; its wall follows the taper.
  const overshoot = 0.2 * height;
  const cavityHeight = height - floor + overshoot;
  const cavity = scope.translate(
    scope.cylinder(cavityHeight, outerAt(floor) - wall, outerAt(height + overshoot) - wall, 64),
    0,
    0,
    -height / 2 + floor + cavityHeight / 2,
  );
  const handleKind = options.handle ?? (rng.next() < 0.6 ? 'ring' : 'square');
  const span = height * rng.uniform(0.45, 0.7);
  const thickness = radius * rng.uniform(0.12, 0.2);
  const zCentre = rng.uniform(-0.08, 0.08) * height;
  // Where the handle meets the body, so it sinks into the wall at both ends whatever the taper.
  const wallAt = Math.min(outerAt(height / 2 + zCentre - span / 2), outerAt(height / 2 + zCentre + span / 2));
  let handle: Manifold;
  if (handleKind === 'ring') {
    const ringRadius = span / 2;
    const tube = scope.keep(scope.wasm.CrossSection.circle(thickness, 20).translate([ringRadius, 0]));
    const ring = scope.keep(tube.revolve(48));
    // A torus about z lies in the xy plane; turn it upright into the xz plane.
    handle = scope.place(ring, [90, 0, 0], [wallAt + ringRadius * rng.uniform(0.45, 0.75), 0, zCentre]);
  } else {
    // Both bars start inside the cavity (removed again below) so they always pass through the wall.
    const x0 = (wallAt - wall) * 0.8;
    const x1 = Math.max(radius, radius * taper) + span * rng.uniform(0.35, 0.6);
    const outer = scope.cube(x1 - x0, 2 * thickness, span + 2 * thickness);
    const inner = scope.cube(x1 - x0, 4 * thickness, span - 2 * thickness);
    handle = scope.translate(
      scope.subtract(outer, scope.translate(inner, -2 * thickness, 0, 0)),
      (x0 + x1) / 2,
      0,
      zCentre,
    );
  }
  const solid = scope.subtract(scope.union(body, handle), cavity);
  const piece = scope.largestPiece(solid);
  if (piece.genus() < 1) throw new RedrawError('the handle did not attach');
  return piece;
}
