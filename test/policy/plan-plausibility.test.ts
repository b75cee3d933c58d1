// Every policy returns only grasps that pass the plausibility check, and none on an object too flat for the fingers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeshIndex } from '../../src/geometry/bvh.js';
import type { CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3 } from '../../src/geometry/vector.js';
import { DEFAULT_GRIPPER } from '../../src/grasp/gripper.js';
import { NoValidGraspError } from '../../src/core/errors.js';
import { GQCNN_COMPACT, initParameters } from '../../src/model/architecture.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { plan, POLICIES } from '../../src/policy/plan.js';
import { plausibilityCheck } from '../../src/policy/plausibility.js';
import { lookAtPose } from '../../src/render/camera-sampler.js';
import { DepthRenderer } from '../../src/render/depth-renderer.js';

const K: CameraIntrinsics = { fx: 525, fy: 525, cx: 319.5, cy: 239.5, skew: 0, width: 640, height: 480, frame: 'cam' };
const camera = { intrinsics: K, pose: lookAtPose({ radius: 0.7, polar: 0, azimuth: 0, roll: 0 }) };
const boxScene = (sx: number, sy: number, sz: number) =>
  new DepthRenderer(new MeshIndex(boxMesh(sx, sy, sz))).render(
    new RigidTransform(axisAngleToMat3([0, 0, 1], 0.4), [0.02, -0.01, sz / 2], 'object', 'table'),
    camera,
  );

let predictor: GqcnnPredictor;
beforeAll(async () => {
  // Random weights: q says nothing here, so whatever passes is down to the check, not to the network.
  predictor = await GqcnnPredictor.create(
    {
      arch: structuredClone(GQCNN_COMPACT),
      params: initParameters(GQCNN_COMPACT, 7),
      normalisation: { imMean: 0.68, imStd: 0.02, poseMean: [0.68], poseStd: [0.02] },
      training: {},
      metrics: {},
    },
    { intraOpNumThreads: 2 },
  );
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
