import { describe, expect, it } from 'vitest';
import { projectPoint } from '../../src/geometry/camera-intrinsics.js';
import { Random } from '../../src/core/random.js';
import { isRotation } from '../../src/geometry/rigid-transform.js';
import type { Vec3 } from '../../src/geometry/vector.js';
import { lookAtPose, sampleCamera } from '../../src/render/camera-sampler.js';

const worldToCamera = (pose: ReturnType<typeof lookAtPose>, p: Vec3) => pose.inverse().applyToPoint(p);

describe('lookAtPose', () => {
  it('puts the camera at the spherical position with +z through the target, right-handed', () => {
    const target: Vec3 = [0.05, -0.02, 0.01];
    const pose = lookAtPose({ radius: 0.7, polar: 0.3, azimuth: 1.1, roll: 0.1 }, target);
    expect(isRotation(pose.rotation, 1e-12)).toBe(true);
    const c = pose.translation;
    expect(Math.hypot(c[0] - target[0], c[1] - target[1], c[2] - target[2])).toBeCloseTo(0.7, 12);
    expect(Math.acos((c[2] - target[2]) / 0.7)).toBeCloseTo(0.3, 12);
    expect(Math.atan2(c[1] - target[1], c[0] - target[0])).toBeCloseTo(1.1, 12);
    const t = worldToCamera(pose, target);
    expect(t[0]).toBeCloseTo(0, 12);
    expect(t[1]).toBeCloseTo(0, 12);
    expect(t[2]).toBeCloseTo(0.7, 12);
    expect([pose.fromFrame, pose.toFrame]).toEqual(['camera', 'table']);
  });

  it('seen straight down, world +x appears at image angle azimuth + π/2 (+ roll)', () => {
    for (const [azimuth, roll] of [
      [0, 0],
      [0.4, 0],
      [2.5, 0],
      [-1, 0.003],
    ]) {
      const pose = lookAtPose({ radius: 0.7, polar: 0, azimuth, roll });
      const k = { fx: 525, fy: 525, cx: 299.5, cy: 299.5, skew: 0, width: 600, height: 600, frame: 'camera' };
      const [x0, y0] = projectPoint(k, worldToCamera(pose, [0, 0, 0]));
      const [x1, y1] = projectPoint(k, worldToCamera(pose, [0.01, 0, 0]));
      const expected = Math.atan2(Math.sin(azimuth + Math.PI / 2 - roll), Math.cos(azimuth + Math.PI / 2 - roll));
      const got = Math.atan2(y1 - y0, x1 - x0);
      expect(Math.cos(got - expected)).toBeCloseTo(1, 12);
    }
  });

  it('tilted, the image is upright: the table’s near side is at the bottom, higher points nearer the top', () => {
    // Camera out along world +x, tilted 30°: the near side (+x) of the scene is lower in the image (larger row).
    const pose = lookAtPose({ radius: 0.7, polar: Math.PI / 6, azimuth: 0, roll: 0 });
    const near = worldToCamera(pose, [0.05, 0, 0]),
      far = worldToCamera(pose, [-0.05, 0, 0]);
    expect(near[1] / near[2]).toBeGreaterThan(far[1] / far[2]);
    const low = worldToCamera(pose, [0, 0, 0]),
      high = worldToCamera(pose, [0, 0, 0.05]);
    expect(high[1] / high[2]).toBeLessThan(low[1] / low[2]);
  });
});

describe('sampleCamera', () => {
  it('draws from docs/dex-net-facts.md §1 ranges and aims the principal point at the target', () => {
    const rng = new Random(3);
    const target: Vec3 = [0.03, 0.08, 0.02];
    for (let i = 0; i < 500; i++) {
      const { intrinsics: k, pose, placement: p } = sampleCamera(rng, { target });
      expect(p.radius).toBeGreaterThanOrEqual(0.65);
      expect(p.radius).toBeLessThanOrEqual(0.75);
      expect(p.polar).toBeGreaterThanOrEqual(0.05 * Math.PI);
      expect(p.polar).toBeLessThanOrEqual(0.1 * Math.PI);
      expect(p.azimuth).toBeGreaterThanOrEqual(0);
      expect(p.azimuth).toBeLessThan(2 * Math.PI);
      expect(Math.abs(p.roll)).toBeLessThanOrEqual((0.2 * Math.PI) / 180);
      expect(k.fx).toBeGreaterThanOrEqual(520);
      expect(k.fx).toBeLessThanOrEqual(530);
      expect(k.fy).toBe(k.fx);
      expect([k.width, k.height, k.cx, k.cy, k.skew]).toEqual([600, 600, 299.5, 299.5, 0]);
      const c = pose.translation;
      const d = Math.hypot(c[0] - target[0], c[1] - target[1], c[2] - target[2]);
      expect(d).toBeCloseTo(p.radius, 10);
      // Polar angle from vertical, measured from the pose itself: the optical axis vs world −z.
      expect(Math.acos(-pose.rotation[8])).toBeCloseTo(p.polar, 9);
      const [x, y] = projectPoint(k, worldToCamera(pose, target));
      expect(x).toBeCloseTo(k.cx, 8);
      expect(y).toBeCloseTo(k.cy, 8);
    }
  });

  it('is deterministic per seed, differs across seeds, and takes a custom size', () => {
    const a = sampleCamera(new Random(9)),
      b = sampleCamera(new Random(9)),
      c = sampleCamera(new Random(10));
    expect(a.pose.matrix()).toEqual(b.pose.matrix());
    expect(a.intrinsics).toEqual(b.intrinsics);
    expect(c.pose.matrix()).not.toEqual(a.pose.matrix());
    const small = sampleCamera(new Random(1), { width: 64, height: 48, cameraFrame: 'cam', worldFrame: 'world' });
    expect([small.intrinsics.width, small.intrinsics.height, small.intrinsics.cx, small.intrinsics.cy]).toEqual([
      64, 48, 31.5, 23.5,
    ]);
    expect([small.pose.fromFrame, small.pose.toFrame, small.intrinsics.frame]).toEqual(['cam', 'world', 'cam']);
    expect(() => sampleCamera(new Random(1), { width: 0 })).toThrow(/positive integers/);
  });
});
