import { describe, expect, it } from 'vitest';
import { boxMesh } from '../../../src/geometry/primitives.js';
import { RigidTransform } from '../../../src/geometry/rigid-transform.js';
import type { Vec3 } from '../../../src/geometry/vector.js';
import { DEFAULT_GRIPPER } from '../../../src/grasp/gripper.js';
import { closeJaws } from '../../../src/grasp/parallel-jaw/contacts.js';
import { forceClosure } from '../../../src/grasp/parallel-jaw/force-closure.js';
import { GraspableObject } from '../../../src/grasp/parallel-jaw/grasp-labels.js';
import { approachAngleToward, type ParallelJawGrasp } from '../../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';
import { settleSqueeze } from '../../../src/grasp/parallel-jaw/squeeze-settle.js';
import { judgeGraspAnalytic, SQUEEZE_MAX_TURN } from '../../../src/evaluate/analytic-referee.js';

const deg = Math.PI / 180;
// A block 2 cm along x, 3 cm along y (wider than the 2 cm pads), 2 cm tall, resting on the table (z up).
const box = new GraspableObject(boxMesh(0.02, 0.03, 0.02), DEFAULT_GRIPPER);
const table = new RigidTransform([1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0.01], 'object', 'table');

// A bar 2 cm along x and 6 cm along y: caught far askew, its squeeze turns it further than the block's.
const bar = new GraspableObject(boxMesh(0.02, 0.06, 0.02), DEFAULT_GRIPPER);

/** Top-down grasp through the block's centre whose axis is turned by `yaw` from x, the block's 2 cm side. */
function turnedGrasp(yaw: number): ParallelJawGrasp {
  const axis: Vec3 = [Math.cos(yaw), Math.sin(yaw), 0];
  return { center: [0, 0, 0.002], axis, width: 0.05, approachAngle: approachAngleToward(axis, [0, 0, -1]) };
}

describe('settleSqueeze', () => {
  it('leaves a grasp square across the block as it is: already in force closure, no turn', () => {
    const g = turnedGrasp(0);
    const s = settleSqueeze(box.index, g, DEFAULT_GRIPPER, { frictionCoef: 0.5 });
    expect(s).toEqual({ settled: true, grasp: g, turn: 0 });
    // Both closings then give the referee the same verdict, bit for bit.
    const judge = { tableFromObject: table, seed: 3, samples: 20 };
    expect(judgeGraspAnalytic(box, g, { ...judge, closing: 'settled' })).toEqual(judgeGraspAnalytic(box, g, judge));
  });

  it('turns a block caught askew by 10° toward flush, about the vertical, and stops at the first rest', () => {
    const g = turnedGrasp(10 * deg);
    const fc = (grasp: ParallelJawGrasp) => {
      const c = closeJaws(box.index, grasp, DEFAULT_GRIPPER);
      return c.ok && forceClosure(c.contacts[0], c.contacts[1], 0.5);
    };
    // As placed: the pads' rims land on the long faces at opposite ends, a couple and no force closure.
    expect(fc(g)).toBe(false);
    const s = settleSqueeze(box.index, g, DEFAULT_GRIPPER, { frictionCoef: 0.5 });
    if (!s.settled) throw new Error(s.reason);
    // The couple turns the block toward its faces lying on the pads, about the vertical (the approach stays down):
    // the axis is then 10° − turn from x.
    expect(s.turn).toBeGreaterThan(0);
    expect(s.turn).toBeLessThanOrEqual(10 * deg);
    expect(Math.atan2(s.grasp.axis[1], s.grasp.axis[0])).toBeCloseTo(10 * deg - s.turn, 9);
    expect(Math.abs(s.grasp.axis[2])).toBeLessThan(1e-9);
    // It rests where force closure first holds: there, and not half a degree (one step) earlier.
    expect(fc(s.grasp)).toBe(true);
    expect(fc(turnedGrasp(10 * deg - s.turn + 0.5 * deg))).toBe(false);
    // The referee judges the settled contacts: a failure as placed passes once the block has settled.
    const judge = { tableFromObject: table, seed: 3, samples: 20 };
    expect(judgeGraspAnalytic(box, g, judge).forceClosure).toBe(false);
    const settled = judgeGraspAnalytic(box, g, { ...judge, closing: 'settled' });
    expect(settled).toMatchObject({ forceClosure: true, settled: { turn: s.turn } });
  });

  it('turns the other way for a grasp askew the other way (mirror symmetry)', () => {
    const a = settleSqueeze(box.index, turnedGrasp(10 * deg), DEFAULT_GRIPPER, { frictionCoef: 0.5 });
    const b = settleSqueeze(box.index, turnedGrasp(-10 * deg), DEFAULT_GRIPPER, { frictionCoef: 0.5 });
    if (!a.settled || !b.settled) throw new Error('both must settle');
    expect(b.turn).toBeCloseTo(a.turn, 9);
    expect(b.grasp.axis[1]).toBeCloseTo(-a.grasp.axis[1], 6);
  });

  it('gives up past maxTurn, and reports a pad that loses the object', () => {
    const s = settleSqueeze(box.index, turnedGrasp(10 * deg), DEFAULT_GRIPPER, { frictionCoef: 0.5, maxTurn: 5 * deg });
    expect(s).toEqual({ settled: false, reason: 'the squeeze turns the object too far' });
    const beside = { ...turnedGrasp(0), center: [0, 0.05, 0] as Vec3 };
    expect(settleSqueeze(box.index, beside, DEFAULT_GRIPPER, { frictionCoef: 0.5 }).settled).toBe(false);
  });

  it("lets the referee's squeeze turn a bar caught 40° askew by more than settleSqueeze's default 30°", () => {
    const g = turnedGrasp(40 * deg);
    expect(settleSqueeze(bar.index, g, DEFAULT_GRIPPER, { frictionCoef: 0.5 })).toEqual({
      settled: false,
      reason: 'the squeeze turns the object too far',
    });
    const s = settleSqueeze(bar.index, g, DEFAULT_GRIPPER, { frictionCoef: 0.5, maxTurn: SQUEEZE_MAX_TURN });
    if (!s.settled) throw new Error(s.reason);
    expect(s.turn).toBeGreaterThan(30 * deg);
    // It ends as the block does when caught 10° askew: its long faces on the pads, the axis a few degrees from x.
    expect(Math.abs(Math.atan2(s.grasp.axis[1], s.grasp.axis[0]))).toBeLessThan(10 * deg);
    const judge = { tableFromObject: table, seed: 3, samples: 20 };
    expect(judgeGraspAnalytic(bar, g, judge).forceClosure).toBe(false);
    expect(judgeGraspAnalytic(bar, g, { ...judge, closing: 'settled' })).toMatchObject({
      forceClosure: true,
      settled: { turn: s.turn },
    });
  });
});
