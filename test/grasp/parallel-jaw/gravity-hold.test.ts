import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/core/random.js';
import { cross, dot, normalize, type Vec3 } from '../../../src/geometry/vector.js';
import { pinchLoad, type PinchStrength } from '../../../src/grasp/parallel-jaw/gravity-hold.js';
import type { ParallelJawGrasp } from '../../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';

// The MuJoCo referee's pinch: 5 N a pad, μ 0.5, a 5 mm pad patch (torsion arm ⅔ · 5 mm).
const PINCH: PinchStrength = { gripForce: 5, friction: 0.5, torsionArm: (2 / 3) * 0.005 };
const grasp = (center: Vec3, axis: Vec3): ParallelJawGrasp => ({ center, axis, width: 0.05, approachAngle: 0 });
const down: Vec3 = [0, 0, -1];

describe('pinchLoad', () => {
  it('matches the hand computation for a weight hanging off the closing axis', () => {
    // 0.5 N at 2 cm beside the axis: friction carries 2 μ F = 5 N, torsion 5 N × 3.33 mm = 16.7 mN·m.
    const load = pinchLoad(grasp([0, 0, 0], [1, 0, 0]), [0, 0.02, 0], down, 0.5, PINCH);
    expect(load).toBeCloseTo(Math.hypot(0.5 / 5, (0.5 * 0.02) / (5 * PINCH.torsionArm)), 12);
    expect(load).toBeCloseTo(Math.hypot(0.1, 0.6), 12);
  });

  it('puts no torque on the pads when the centre of mass lies on the axis or straight below the grasp', () => {
    const g = grasp([0.01, 0.02, 0.03], [1, 0, 0]);
    expect(pinchLoad(g, [0.05, 0.02, 0.03], down, 2, PINCH)).toBeCloseTo(2 / 5, 12);
    expect(pinchLoad(g, [0.01, 0.02, -0.04], down, 2, PINCH)).toBeCloseTo(2 / 5, 12);
    // Closing along gravity: the weight presses on the lower pad and twists nothing about the axis.
    expect(pinchLoad(grasp([0, 0, 0], [0, 0, 1]), [0.03, 0, 0], down, 2, PINCH)).toBe(0);
  });

  it('holds up to the lever where torsion runs out, and not past it', () => {
    const weight = 0.1 * 9.81; // 100 g
    const across = weight / 5;
    const lever = (Math.sqrt(1 - across * across) * 5 * PINCH.torsionArm) / weight;
    const at = (d: number) => pinchLoad(grasp([0, 0, 0], [0, 1, 0]), [d, 0, 0], down, weight, PINCH);
    expect(at(lever)).toBeCloseTo(1, 9);
    expect(at(0.99 * lever)).toBeLessThan(1);
    expect(at(1.01 * lever)).toBeGreaterThan(1);
    expect(lever * 1000).toBeGreaterThan(16.5); // ~16.7 mm for 100 g
    expect(lever * 1000).toBeLessThan(16.8);
  });

  it('is invariant to moving grasp, centre of mass and gravity together', () => {
    const rng = new Random(5);
    for (let t = 0; t < 50; t++) {
      const v = (): Vec3 => [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)];
      const axis = normalize(v()),
        g = normalize(v());
      const center = v().map((x) => x * 0.05) as Vec3,
        com = v().map((x) => x * 0.05) as Vec3;
      const before = pinchLoad(grasp(center, axis), com, g, 0.3, PINCH);
      // A random rotation (orthonormal frame from two random vectors) and a translation.
      const e1 = normalize(v());
      const e2 = normalize(cross(e1, v()));
      const e3 = cross(e1, e2);
      const rot = (p: Vec3): Vec3 => [dot(e1, p), dot(e2, p), dot(e3, p)];
      const shift: Vec3 = [0.3, -0.2, 0.1];
      const move = (p: Vec3): Vec3 => {
        const r = rot(p);
        return [r[0] + shift[0], r[1] + shift[1], r[2] + shift[2]];
      };
      const after = pinchLoad(grasp(move(center), rot(axis)), move(com), rot(g), 0.3, PINCH);
      expect(after).toBeCloseTo(before, 9);
    }
  });

  it('carries nothing without a grip', () => {
    expect(pinchLoad(grasp([0, 0, 0], [1, 0, 0]), [0, 0, 0], down, 0.1, { ...PINCH, gripForce: 0 })).toBe(Infinity);
    expect(pinchLoad(grasp([0, 0, 0], [1, 0, 0]), [0, 0, 0], down, 0, { ...PINCH, gripForce: 0 })).toBe(0);
  });
});
