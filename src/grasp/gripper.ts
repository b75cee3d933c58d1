// Parallel-jaw gripper geometry: jaw opening, finger pads and the boxes used for collision checks.

export interface ParallelJawGripper {
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
  const out = { ...DEFAULT_GRIPPER, ...g };
  for (const key of ['maxWidth', 'fingerRadius', 'fingerThickness', 'fingerLength', 'palmThickness', 'approachDistance'] as const) {
    const v = out[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`${source}: ${key} must be a positive number of metres, got ${v}`);
  }
  if (!Number.isFinite(out.fingertipOffset) || out.fingertipOffset < 0 || out.fingertipOffset >= out.fingerLength)
    throw new Error(`${source}: fingertipOffset must be in [0, fingerLength), got ${out.fingertipOffset}`);
  return out;
}
