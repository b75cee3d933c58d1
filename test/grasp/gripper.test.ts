// Gripper descriptions: the suction cup's defaults (REFERENCE §8) and its validation at the edge.
import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import {
  DEFAULT_GRIPPER,
  DEFAULT_SUCTION_GRIPPER,
  validateGripper,
  validateSuctionGripper,
} from '../../src/grasp/gripper.js';

describe('grippers', () => {
  it("the default suction cup is Dex-Net 3.0's and each gripper carries its kind", () => {
    expect(DEFAULT_SUCTION_GRIPPER).toMatchObject({
      kind: 'suction',
      radius: 0.0075,
      vacuumForce: 250,
      materialLimit: 0.005,
    });
    expect(DEFAULT_GRIPPER.kind).toBe('parallel-jaw');
    expect(validateGripper({ maxWidth: 0.08 }).kind).toBe('parallel-jaw');
    expect(validateSuctionGripper({ radius: 0.01 })).toEqual({ ...DEFAULT_SUCTION_GRIPPER, radius: 0.01 });
  });

  it('rejects a cup with a non-positive or non-numeric size, naming the field', () => {
    expect(() => validateSuctionGripper({ radius: -0.01 }, 'cup.json')).toThrow(UserInputError);
    expect(() => validateSuctionGripper({ radius: -0.01 }, 'cup.json')).toThrow(
      /cup\.json: radius must be a positive number/,
    );
    expect(() => validateSuctionGripper({ vacuumForce: Number.NaN })).toThrow(/vacuumForce/);
    expect(() => validateSuctionGripper({ height: '2' as unknown as number })).toThrow(/height/);
  });
});
