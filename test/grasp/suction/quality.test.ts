// Suction quality: rigid-motion invariance, the robust label's range and determinism (fuzzed), and its values on
// grasps whose outcome is clear.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { transformMesh } from '../../../src/geometry/mesh-properties.js';
import { boxMesh, ellipsoidMesh, icosphereMesh, torusMesh } from '../../../src/geometry/primitives.js';
import { Random } from '../../../src/core/random.js';
import { axisAngleToMat3, mat3MulVec, normalize, type Vec3 } from '../../../src/geometry/vector.js';
import { DEFAULT_SUCTION_GRIPPER } from '../../../src/grasp/gripper.js';
import { SuctionQualityEvaluator } from '../../../src/grasp/suction/quality.js';
import { sampleSuctionGrasps } from '../../../src/grasp/suction/suction-sampler.js';

const cup = DEFAULT_SUCTION_GRIPPER;

describe('suction quality', () => {
  it('is unchanged when object, centre of mass, gravity, grasp and ring reference move together', () => {
    const r = axisAngleToMat3(normalize([0.3, -1, 0.4]), 1.1);
    const t: Vec3 = [0.2, -0.4, 0.1];
    const tr = (p: Vec3): Vec3 => {
      const q = mat3MulVec(r, p);
      return [q[0] + t[0], q[1] + t[1], q[2] + t[2]];
    };
    const mesh = ellipsoidMesh(0.04, 0.03, 0.02);
    const com: Vec3 = [0.002, -0.001, 0.001];
    const base = new SuctionQualityEvaluator(new MeshIndex(mesh), com, cup);
    const moved = new SuctionQualityEvaluator(new MeshIndex(transformMesh(mesh, r, t)), tr(com), cup, {
      seal: { tangentFrame: r },
      gravity: mat3MulVec(r, [0, 0, -1]),
    });
    const grasps = sampleSuctionGrasps(base.index, new Random(5), { targetGrasps: 60 });
    const outcomes = new Set<string>();
    for (const g of grasps) {
      const a = base.quality(g);
      const b = moved.quality({ point: tr(g.point), approach: mat3MulVec(r, g.approach) });
      expect(b.failure).toBe(a.failure);
      expect(b.resists).toBe(a.resists);
      if (Number.isFinite(a.maxStrain)) expect(b.maxStrain).toBeCloseTo(a.maxStrain, 4);
      outcomes.add(a.failure ?? 'holds');
    }
    expect(outcomes.size).toBeGreaterThanOrEqual(3); // the grasps exercise several outcomes, holding among them
    expect(outcomes.has('holds')).toBe(true);
  });

  it('a box face centred over the centre of mass is robust; an edge, a corner and a side face are not', () => {
    const box = new SuctionQualityEvaluator(new MeshIndex(boxMesh(0.05, 0.06, 0.03)), [0, 0, 0], cup);
    expect(box.quality({ point: [0, 0, 0.015], approach: [0, 0, -1] })).toMatchObject({ sealed: true, resists: true });
    expect(box.robustQuality({ point: [0, 0, 0.015], approach: [0, 0, -1] }, 1, { samples: 100 })).toBeGreaterThan(0.5);
    expect(box.robustQuality({ point: [0.025, 0, 0.015], approach: [0, 0, -1] }, 1, { samples: 100 })).toBe(0);
    const corner = { point: [0.025, 0.03, 0.015] as Vec3, approach: normalize([-1, -1, -1]) };
    expect(box.robustQuality(corner, 1, { samples: 100 })).toBe(0);
    expect(box.robustQuality({ point: [0.025, 0, 0], approach: [-1, 0, 0] }, 1, { samples: 100 })).toBe(0);
  });

  it('the robust label is in [0, 1], never NaN and the same for the same seed, on any grasp (fuzzed)', () => {
    const objects = [boxMesh(0.05, 0.03, 0.02), icosphereMesh(0.03, 3), torusMesh(0.03, 0.01, 30, 20)].map(
      (m) => new SuctionQualityEvaluator(new MeshIndex(m), [0.001, 0, -0.002], cup),
    );
    const coord = fc.double({ min: -0.06, max: 0.06, noNaN: true });
    const unit = fc.double({ min: -1, max: 1, noNaN: true });
    const dir = fc.tuple(unit, unit, unit).filter(([x, y, z]) => Math.hypot(x, y, z) > 0.1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.tuple(coord, coord, coord), dir, fc.nat(), (k, p, d, seed) => {
        const g = { point: p as Vec3, approach: normalize(d as Vec3) };
        const q = objects[k].robustQuality(g, seed, { samples: 8 });
        return q >= 0 && q <= 1 && !Number.isNaN(q) && objects[k].robustQuality(g, seed, { samples: 8 }) === q;
      }),
      { numRuns: 150, seed: 3 },
    );
    // Surface grasps too, where the label is not almost always 0.
    const rng = new Random(9);
    for (const ev of objects)
      for (const g of sampleSuctionGrasps(ev.index, rng, { targetGrasps: 10 })) {
        const q = ev.robustQuality(g, 42, { samples: 10 });
        expect(q).toBeGreaterThanOrEqual(0);
        expect(q).toBeLessThanOrEqual(1);
        expect(ev.robustQuality(g, 42, { samples: 10 })).toBe(q);
      }
  });

  it('the robust fast path (early exits) agrees with the full per-draw check when the noise is zero', () => {
    const ev = new SuctionQualityEvaluator(new MeshIndex(ellipsoidMesh(0.04, 0.03, 0.02)), [0, 0, 0], cup);
    const zero = {
      graspTranslationSigma: 0,
      graspRotationSigma: 0,
      objectTranslationSigma: 0,
      objectRotationSigma: 0,
      centerOfMassSigma: 0,
      frictionSigma: 0,
      disturbanceSigma: 0,
      samples: 3,
    };
    const grasps = sampleSuctionGrasps(ev.index, new Random(2), { targetGrasps: 80 });
    let holds = 0;
    for (const g of grasps) {
      const full = ev.quality(g).resists ? 1 : 0;
      holds += full;
      expect(ev.robustQuality(g, 1, zero)).toBe(full);
    }
    expect(holds).toBeGreaterThan(0);
    expect(holds).toBeLessThan(grasps.length);
  });
});
