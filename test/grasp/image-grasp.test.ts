// The 2-D grasp type: endpoints, angle handling, feature round trip and non-maximum suppression.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  angleDifference,
  featuresToGrasp,
  graspDistance,
  graspEndpoints,
  graspToFeatures,
  gripperWidthPx,
  imageGrasp,
  nonMaximumSuppression,
} from '../../src/grasp/image-grasp.js';
import { widthToPixels } from '../../src/grasp/image-grasp.js';
import { centeredIntrinsics, type CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';

const intrinsics640 = (): CameraIntrinsics => centeredIntrinsics(640, 480, { fy: 530 });

describe('image grasp', () => {
  it('normalises the angle and puts the jaws widthPx apart along the axis, left jaw first', () => {
    const g = imageGrasp({ x: 100, y: 50 }, Math.PI, 0.6, 40);
    expect(g.angle).toBeCloseTo(0, 12);
    const [p1, p2] = graspEndpoints(g);
    expect(p1.x).toBeCloseTo(80, 9);
    expect(p2.x).toBeCloseTo(120, 9);
    expect(p1.y).toBeCloseTo(50, 9);
    const v = imageGrasp({ x: 0, y: 0 }, -Math.PI / 2, 0.6, 10);
    expect(v.angle).toBeCloseTo(Math.PI / 2, 12);
    const [q1, q2] = graspEndpoints(v);
    expect(q1.y).toBeCloseTo(-5, 9);
    expect(q2.y).toBeCloseTo(5, 9);
  });

  it('measures angle differences modulo π and combines them with the centre distance', () => {
    expect(angleDifference(1.5, -1.5)).toBeCloseTo(Math.PI - 3, 12);
    expect(angleDifference(0.2, 0.2 + Math.PI)).toBeCloseTo(0, 12);
    const a = imageGrasp({ x: 0, y: 0 }, 0, 0.6, 30);
    const b = imageGrasp({ x: 3, y: 4 }, Math.PI / 2, 0.7, 20);
    expect(graspDistance(a, b)).toBeCloseTo(5 + 10 * (Math.PI / 2), 9);
    expect(graspDistance(a, b, 0)).toBeCloseTo(5, 12);
  });

  it('round-trips through CEM features (the width comes from the gripper, not the endpoints)', () => {
    const k = intrinsics640();
    const width = gripperWidthPx(k, 0.05);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 639, noNaN: true }),
        fc.double({ min: 0, max: 479, noNaN: true }),
        fc.double({ min: -Math.PI / 2 + 1e-6, max: Math.PI / 2, noNaN: true }),
        fc.double({ min: 0.3, max: 1.2, noNaN: true }),
        (x, y, angle, depth) => {
          const g = imageGrasp({ x, y }, angle, depth, width(depth, angle));
          const f = graspToFeatures(g, new Float64Array(5));
          const back = featuresToGrasp(f, 0, width)!;
          expect(back.center.x).toBeCloseTo(x, 6);
          expect(back.center.y).toBeCloseTo(y, 6);
          expect(angleDifference(back.angle, angle)).toBeLessThan(1e-6);
          expect(back.depth).toBe(depth);
          expect(back.widthPx).toBeCloseTo(widthToPixels(0.05, depth, back.angle, k), 6);
        },
      ),
    );
    expect(featuresToGrasp(Float64Array.of(0, 0, 1, 1, -0.1), 0, width)).toBeNull();
    expect(featuresToGrasp(Float64Array.of(NaN, 0, 1, 1, 0.5), 0, width)).toBeNull();
  });

  it('suppresses near-duplicates, best first', () => {
    const g = (x: number, angle: number) => imageGrasp({ x, y: 100 }, angle, 0.6, 30);
    const scored = [
      { grasp: g(100, 0), q: 0.5 },
      { grasp: g(102, 0), q: 0.9 },
      { grasp: g(140, 0), q: 0.7 },
      { grasp: g(101, Math.PI / 2), q: 0.6 },
      { grasp: g(300, 0), q: NaN },
    ];
    const kept = nonMaximumSuppression(scored, 10);
    expect(kept.map((s) => s.q)).toEqual([0.9, 0.7, 0.6]);
    expect(nonMaximumSuppression(scored, 10, 2).length).toBe(2);
    expect(nonMaximumSuppression([], 10)).toEqual([]);
  });
});
