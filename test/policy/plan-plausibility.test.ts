// Every policy returns only grasps that pass the plausibility check, and none on an object too flat for the fingers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRIPPER } from '../../src/grasp/gripper.js';
import { NoValidGraspError } from '../../src/core/errors.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { boxScene, K, randomJawModel } from '../helpers/jaw-scenes.js';
import { plan, POLICIES } from '../../src/policy/plan.js';
import { plausibilityCheck } from '../../src/policy/plausibility.js';

let predictor: GqcnnPredictor;
beforeAll(async () => {
  // Random weights: q says nothing here, so whatever passes is down to the check, not to the network.
  predictor = await GqcnnPredictor.create(randomJawModel(7), { intraOpNumThreads: 2 });
});
afterAll(async () => {
  await predictor.release();
});

describe('planning with the plausibility check', () => {
  const tall = boxScene(0.03, 0.08, 0.05);

  it.each(POLICIES)('%s returns only grasps that pass the check, with the verdict attached', async (policy) => {
    const r = await plan(tall.depth, K, predictor, { policy, segmask: tall.segmask, topK: 3, seed: 2, explain: true });
    const check = plausibilityCheck({ depth: tall.depth, intrinsics: K, segmask: tall.segmask });
    for (const g of r.grasps) {
      expect(g.plausibility?.plausible).toBe(true);
      const v = check({ center: g.center, angle: g.angle, depth: g.depth, widthPx: g.widthPx });
      expect(v).toEqual(g.plausibility);
    }
    expect(r.implausible).toBeDefined();
    expect(r.candidates!.length).toBeGreaterThan(0);
  });

  it('finds nothing plausible on a 1 cm flat box: the fingertips reach 1 cm past the grasp depth', async () => {
    expect(DEFAULT_GRIPPER.fingertipOffset).toBe(0.01);
    const flat = boxScene(0.03, 0.08, 0.01);
    for (const policy of POLICIES) {
      const attempt = plan(flat.depth, K, predictor, { policy, segmask: flat.segmask, seed: 2 });
      await expect(attempt).rejects.toBeInstanceOf(NoValidGraspError);
      await expect(attempt).rejects.toThrow(/no plausible grasp: .*finger-collision/);
    }
    // Without the check the planner still returns a grasp there (the old behaviour).
    const unchecked = await plan(flat.depth, K, predictor, {
      policy: 'ranking',
      segmask: flat.segmask,
      seed: 2,
      plausibility: false,
    });
    expect(unchecked.grasps).toHaveLength(1);
    expect(unchecked.grasps[0].plausibility).toBeUndefined();
  });
});
