// The 3-D suction sampler: targets on the surface, approach along the inward normal, area-weighted, top-down limit.
import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { boxMesh, icosphereMesh } from '../../../src/geometry/primitives.js';
import { Random } from '../../../src/core/random.js';
import { angleBetween, dot, norm } from '../../../src/geometry/vector.js';
import { sampleSuctionGrasps } from '../../../src/grasp/suction/suction-sampler.js';

describe('suction sampler', () => {
  it('puts targets on the surface with the approach along the inward normal of the face they lie on', () => {
    const index = new MeshIndex(icosphereMesh(0.03, 3));
    const grasps = sampleSuctionGrasps(index, new Random(1), { targetGrasps: 200 });
    expect(grasps).toHaveLength(200);
    for (const g of grasps) {
      expect(index.closestPoint(g.point)!.distance).toBeLessThan(1e-7);
      expect(norm(g.approach)).toBeCloseTo(1, 9);
      // On a sphere the inward face normal is within a facet's angle of the inward radius.
      expect(angleBetween(g.approach, [-g.point[0], -g.point[1], -g.point[2]])).toBeLessThan(0.1);
    }
  });

  it('samples faces in proportion to their area', () => {
    // 10 × 2 × 1 cm box: the ±z faces hold 20 / 64 of the area each, the ±x faces 2 / 64.
    const index = new MeshIndex(boxMesh(0.1, 0.02, 0.01));
    const grasps = sampleSuctionGrasps(index, new Random(3), { targetGrasps: 4000, minSpacing: 0 });
    const share = (axis: number, sign: number) =>
      grasps.filter((g) => g.approach[axis] * sign < -0.99).length / grasps.length;
    // Binomial standard deviations are ≤ 0.0073 at n = 4000: allow 4σ.
    expect(Math.abs(share(2, 1) - 20 / 64)).toBeLessThan(0.03);
    expect(Math.abs(share(1, -1) - 10 / 64)).toBeLessThan(0.03);
    expect(Math.abs(share(0, 1) - 2 / 64)).toBeLessThan(0.012);
  });

  it('keeps only approaches within the angle of straight down when given the table normal, deterministically', () => {
    const index = new MeshIndex(icosphereMesh(0.03, 3));
    const up: [number, number, number] = [0, 0, 1];
    const options = { targetGrasps: 50, tableNormal: up, maxTableAngle: Math.PI / 6 };
    const a = sampleSuctionGrasps(index, new Random(7), options);
    expect(a).toHaveLength(50);
    for (const g of a) expect(dot(g.approach, [0, 0, -1])).toBeGreaterThanOrEqual(Math.cos(Math.PI / 6) - 1e-12);
    expect(sampleSuctionGrasps(index, new Random(7), options)).toEqual(a);
  });
});
