// Grippers as values: the parallel-jaw and suction-cup descriptions and the `Gripper` union every stage switches on.
import { UserInputError } from '../core/errors.js';

export interface ParallelJawGripper {
  readonly kind: 'parallel-jaw';
  readonly name: string;
  /** Widest opening between the finger pads (m). */
  readonly maxWidth: number;
  /** Radius of the finger pad: the contact footprint and the soft-finger torsion radius (m). */
  readonly fingerRadius: number;
  /** Finger thickness along the grasp axis (m). */
  readonly fingerThickness: number;
  /** Finger length along the approach direction, from fingertip to palm (m). */
  readonly fingerLength: number;
  /** How far the fingertips reach past the grasp centre along the approach (m). */
  readonly fingertipOffset: number;
  /** Palm thickness along the approach (m); the palm spans both fingers. */
  readonly palmThickness: number;
  /** Distance the gripper travels along its approach before closing, checked for collisions (m). */
  readonly approachDistance: number;
}

/** Dex-Net 2.0's ABB YuMi-like parallel-jaw gripper (docs/dex-net-facts.md §2: 5 cm opening, 1 cm fingers). */
export const DEFAULT_GRIPPER: ParallelJawGripper = Object.freeze({
  kind: 'parallel-jaw',
  name: 'yumi-metal-spline',
  maxWidth: 0.05,
  fingerRadius: 0.01,
  fingerThickness: 0.01,
  fingerLength: 0.04,
  fingertipOffset: 0.01,
  palmThickness: 0.01,
  approachDistance: 0.1,
});

/** Checks a gripper description from a user file; `source` names it in errors. */
export function validateGripper(g: Partial<ParallelJawGripper>, source = 'gripper'): ParallelJawGripper {
  const out: ParallelJawGripper = { ...DEFAULT_GRIPPER, ...g, kind: 'parallel-jaw' };
  for (const key of [
    'maxWidth',
    'fingerRadius',
    'fingerThickness',
    'fingerLength',
    'palmThickness',
    'approachDistance',
  ] as const) {
    const v = out[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      throw new Error(`${source}: ${key} must be a positive number of metres, got ${v}`);
  }
  if (!Number.isFinite(out.fingertipOffset) || out.fingertipOffset < 0 || out.fingertipOffset >= out.fingerLength)
    throw new Error(`${source}: fingertipOffset must be in [0, fingerLength), got ${out.fingertipOffset}`);
  return out;
}

/** A single compliant suction cup (Dex-Net 3.0): a cone of ring radius `radius` whose apex sits `height` behind it. */
export interface SuctionGripper {
  readonly kind: 'suction';
  readonly name: string;
  /** Radius of the cup's contact ring (m). */
  readonly radius: number;
  /** Height of the cup's cone, ring to apex, at rest (m). */
  readonly height: number;
  /** Pull of the vacuum on a sealed object (N). */
  readonly vacuumForce: number;
  /** Material limit κ of the cup's torque about its tangent axes (see suction/wrench-resistance.ts for units). */
  readonly materialLimit: number;
}

/**
 * Dex-Net 3.0's cup (REFERENCE §8): 15 mm diameter, V = 250 N, κ = 0.005. The paper gives no cone height; 15 mm
 * (twice the radius) lets the rest cone tilt about 14° on a flat face before an apex spring strains 10 %.
 */
export const DEFAULT_SUCTION_GRIPPER: SuctionGripper = Object.freeze({
  kind: 'suction',
  name: 'dexnet-3-suction-15mm',
  radius: 0.0075,
  height: 0.015,
  vacuumForce: 250,
  materialLimit: 0.005,
});

/** Any gripper; stages switch on `kind` once and hand the narrowed value to that gripper's code. */
export type Gripper = ParallelJawGripper | SuctionGripper;

/** Checks a suction cup description from a user file; `source` names it in errors. */
export function validateSuctionGripper(g: Partial<SuctionGripper>, source = 'gripper'): SuctionGripper {
  const out: SuctionGripper = { ...DEFAULT_SUCTION_GRIPPER, ...g, kind: 'suction' };
  for (const key of ['radius', 'height', 'vacuumForce', 'materialLimit'] as const) {
    const v = out[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      throw new UserInputError(`${source}: ${key} must be a positive number, got ${v}`, { field: key });
  }
  return out;
}
