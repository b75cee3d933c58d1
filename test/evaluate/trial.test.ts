// Evaluation scenes and the reading of image grasps back onto the object: oracles from the dataset's own projection.
import { describe, expect, it } from 'vitest';
import { sceneFriction } from '../../src/evaluate/scene-trials.js';
import { judgeGraspAnalytic, REFEREE_ROBUST_SAMPLES } from '../../src/evaluate/analytic-referee.js';
import { tableDepthScale } from '../../src/evaluate/table-depth-scale.js';
import { imageGraspInObject } from '../../src/render/grasp-projection.js';
import { groundTruthSummary } from '../../src/evaluate/ground-truth.js';
import { prepareTrialObject, sampleTrialScene } from '../../src/evaluate/trial-scene.js';
import { trialPlausibility } from '../../src/evaluate/trial.js';
import { boxMesh, cylinderMesh } from '../../src/geometry/primitives.js';
import { Random } from '../../src/core/random.js';
import { deriveSeed } from '../../src/core/seed.js';
import {
  approachAngleToward,
  approachDirection,
  type ParallelJawGrasp,
} from '../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';
import { projectGrasp } from '../../src/render/grasp-projection.js';
import { applyDepthNoise } from '../../src/render/noise.js';
import type { Gripper } from '../../src/grasp/gripper.js';
import type { PlausibilityOptions } from '../../src/policy/plausibility.js';

const box = prepareTrialObject('box', boxMesh(0.03, 0.04, 0.05));

describe('sampleTrialScene', () => {
  it('is deterministic per seed, rests the object on the table and renders it in the middle of the image', () => {
    const a = sampleTrialScene(box, new Random(3), { width: 160, height: 120 });
    const b = sampleTrialScene(box, new Random(3), { width: 160, height: 120 });
    expect(b.depth.data).toEqual(a.depth.data);
    expect(b.objectToWorld.matrix()).toEqual(a.objectToWorld.matrix());
    // The lowest vertex touches the table.
    let minZ = Infinity;
    const v = box.object.mesh.vertices;
    for (let i = 0; i < v.length; i += 3)
      minZ = Math.min(minZ, a.objectToWorld.applyToPoint([v[i]!, v[i + 1]!, v[i + 2]!])[2]);
    expect(minZ).toBeCloseTo(0, 9);
    expect(a.segmask.data[60 * 160 + 80]).not.toBe(0);
  });

  it('draws stable poses in proportion to their probability (1×1×3 box: 4 × 0.234, 2 × 0.032)', () => {
    const tall = prepareTrialObject('tall', boxMesh(0.02, 0.02, 0.06));
    const rng = new Random(5);
    const counts = new Array<number>(tall.poses.length).fill(0);
    const n = 1500;
    for (let i = 0; i < n; i++) counts[sampleTrialScene(tall, rng, { width: 8, height: 6, noise: false }).poseIndex]!++;
    tall.poses.forEach((p, i) => expect(Math.abs(counts[i]! / n - p.probability / 0.999)).toBeLessThan(0.035));
  });
});

describe('tableDepthScale', () => {
  it('recovers the per-image depth multiplier from the table pixels', () => {
    const scene = sampleTrialScene(box, new Random(7), { width: 160, height: 120, noise: false });
    const clean = scene.depth.data.slice();
    expect(tableDepthScale(scene.depth, scene.segmask, scene.camera)).toBeCloseTo(1, 6);
    const { multiplier } = applyDepthNoise(scene.depth, new Random(8), { gpSigma: 0 });
    expect(tableDepthScale(scene.depth, scene.segmask, scene.camera)).toBeCloseTo(multiplier, 6);
    scene.depth.data.set(clean);
    const noisy = applyDepthNoise(scene.depth, new Random(9));
    expect(Math.abs(tableDepthScale(scene.depth, scene.segmask, scene.camera) / noisy.multiplier - 1)).toBeLessThan(
      0.003,
    );
  });
});

describe('imageGraspInObject', () => {
  it('reads a projected table-parallel grasp back as the same 3-D grasp, approaching straight down, with the same label', () => {
    const cyl = prepareTrialObject('cylinder', cylinderMesh(0.02, 0.06, 32));
    for (const target of [box, cyl]) {
      for (let s = 0; s < 4; s++) {
        const scene = sampleTrialScene(target, new Random(20 + s), { noise: false });
        const grasps = target.object.sampleGrasps(
          s,
          { targetGrasps: 10, maxTableAngle: 0 },
          target.poses[scene.poseIndex],
        );
        expect(grasps.length).toBeGreaterThan(0);
        for (const [i, g] of grasps.entries()) {
          const p = projectGrasp(g, scene.objectToWorld, scene.camera);
          const back = imageGraspInObject(p, scene, target.object.gripper);
          back.center.forEach((v, j) => expect(v).toBeCloseTo(g.center[j]!, 9));
          expect(Math.abs(back.axis[0] * g.axis[0] + back.axis[1] * g.axis[1] + back.axis[2] * g.axis[2])).toBeCloseTo(
            1,
            9,
          );
          const down = scene.tableFromObject.applyToDirection(approachDirection(back));
          expect(down[2]).toBeCloseTo(-1, 9);
          const seed = deriveSeed(s, i);
          // The image angle keeps the axis only up to sign; with the sign matched the label is the dataset's.
          const flip = back.axis[0] * g.axis[0] + back.axis[1] * g.axis[1] + back.axis[2] * g.axis[2] < 0;
          const axis = flip ? (back.axis.map((v) => -v) as [number, number, number]) : back.axis;
          const same: ParallelJawGrasp = {
            ...back,
            axis,
            approachAngle: approachAngleToward(axis, scene.tableFromObject.inverse().applyToDirection([0, 0, -1])),
          };
          expect(
            judgeGraspAnalytic(target.object, same, { tableFromObject: scene.tableFromObject, seed }).robustEpsilon,
          ).toBeCloseTo(
            judgeGraspAnalytic(target.object, g, { tableFromObject: scene.tableFromObject, seed }).robustEpsilon,
            9,
          );
        }
      }
    }
  });

  it('undoes a depth scale error when told the scale', () => {
    const scene = sampleTrialScene(box, new Random(31), { noise: false });
    const g = box.object.sampleGrasps(1, { targetGrasps: 1, maxTableAngle: 0 }, box.poses[scene.poseIndex])[0]!;
    const p = projectGrasp(g, scene.objectToWorld, scene.camera);
    const back = imageGraspInObject({ ...p, depth: p.depth * 1.03 }, scene, box.object.gripper, 1.03);
    back.center.forEach((v, j) => expect(v).toBeCloseTo(g.center[j]!, 9));
    expect(() => imageGraspInObject(p, scene, box.object.gripper, 0)).toThrow(/depth scale must be positive/);
  });
});

describe('analytic referee and ground truth', () => {
  it('a box pinched through its centre across its narrow side is robust; at its very corner it is not', () => {
    const scene = sampleTrialScene(box, new Random(40), { noise: false });
    const up = scene.tableFromObject.inverse().applyToDirection([0, 0, 1]);
    // A horizontal object axis: the box's x or y, whichever is level in this pose.
    const axis = Math.abs(up[0]) < 0.5 ? ([1, 0, 0] as const) : ([0, 1, 0] as const);
    const centreGrasp = {
      center: [0, 0, 0] as [number, number, number],
      axis: [...axis] as [number, number, number],
      width: 0.05,
      approachAngle: 0,
    };
    const down = scene.tableFromObject.inverse().applyToDirection([0, 0, -1]);
    const centred = { ...centreGrasp, approachAngle: approachAngleToward(centreGrasp.axis, down) };
    expect(judgeGraspAnalytic(box.object, centred, { tableFromObject: scene.tableFromObject, seed: 1 }).success).toBe(
      true,
    );
    const far = box.object.mesh.vertices.slice(0, 3);
    const corner = { ...centred, center: [far[0]! * 0.98, far[1]! * 0.98, far[2]! * 0.98] as [number, number, number] };
    expect(judgeGraspAnalytic(box.object, corner, { tableFromObject: scene.tableFromObject, seed: 1 }).success).toBe(
      false,
    );
    const gt = groundTruthSummary(box, scene, 3, { grasps: 30, samples: 25 });
    expect(gt.sampled).toBeGreaterThan(0);
    expect(gt.robustVisible).toBeGreaterThan(0);
    expect(gt.robustVisible).toBeLessThanOrEqual(gt.visible);
    expect(gt.robustPlausible).toBeGreaterThan(0);
    expect(gt.robustPlausible).toBeLessThanOrEqual(gt.robustVisible);
  });

  it('counts robust grasps on a 1.4 cm slab as winnable but none as plausible: they close within 4 mm of its top', () => {
    // A collision-free grasp keeps its fingertips, 1 cm below its centre, above the table: its centre is over 1 cm
    // up, so it closes less than the check's 5 mm below the top. A 5 cm box leaves room for both.
    const slab = prepareTrialObject('slab', boxMesh(0.03, 0.04, 0.014));
    let seed = 0,
      scene = sampleTrialScene(slab, new Random(seed), { noise: false });
    // The pose resting on its broad face: the object frame's z along the table's (row-major rotation, zz entry).
    while (Math.abs(scene.tableFromObject.rotation[8]!) < 0.99)
      scene = sampleTrialScene(slab, new Random(++seed), { noise: false });
    const gt = groundTruthSummary(slab, scene, 5, { grasps: 60, samples: 25 });
    expect(gt.robustVisible).toBeGreaterThan(0);
    expect(gt.robustPlausible).toBe(0);
  });

  it("skipping the draws of colliding grasps never changes a verdict; the default uses the referee's draws", () => {
    const scene = sampleTrialScene(box, new Random(41), { noise: false });
    const pose = box.poses[scene.poseIndex]!;
    const grasps = box.object.sampleGrasps(5, { targetGrasps: 40 }, pose);
    let colliding = 0;
    for (const [i, g] of grasps.entries()) {
      const full = judgeGraspAnalytic(box.object, g, { tableFromObject: scene.tableFromObject, seed: i, samples: 10 });
      const skipped = judgeGraspAnalytic(box.object, g, {
        tableFromObject: scene.tableFromObject,
        seed: i,
        samples: 10,
        skipRobustWhenColliding: true,
      });
      expect(skipped.success).toBe(full.success);
      expect(skipped.collisionFree).toBe(full.collisionFree);
      if (!full.collisionFree) {
        colliding++;
        expect(skipped.robustEpsilonRaw).toBe(0);
      } else expect(skipped.robustEpsilonRaw).toBe(full.robustEpsilonRaw);
    }
    const g = grasps[0]!;
    expect(
      judgeGraspAnalytic(box.object, g, { tableFromObject: scene.tableFromObject, seed: 9 }).robustEpsilonRaw,
    ).toBe(
      box.object.label(g, {
        seed: 9,
        noise: { samples: REFEREE_ROBUST_SAMPLES },
        tableFromObject: scene.tableFromObject,
      }).robustFerrariCanny,
    );
    expect(grasps.length).toBeGreaterThan(colliding);
  });
});

describe('trialPlausibility', () => {
  it("sweeps the jaws' fingers straight down onto the table, whatever the camera's tilt, unless told otherwise", () => {
    for (let s = 0; s < 5; s++) {
      const scene = sampleTrialScene(box, new Random(40 + s), { width: 160, height: 120, noise: false });
      const given = trialPlausibility({ policy: 'cem' }, scene) as PlausibilityOptions;
      const down = scene.camera.pose.applyToDirection(given.approach!);
      for (const [i, v] of [0, 0, -1].entries()) expect(down[i]).toBeCloseTo(v, 12);
    }
    const scene = sampleTrialScene(box, new Random(1), { width: 160, height: 120, noise: false });
    const own = { approach: [0, 0, 1] as [number, number, number], hiddenTips: 'refuse' as const };
    expect(trialPlausibility({ policy: 'cem', plan: { plausibility: own } }, scene)).toEqual(own);
    expect(trialPlausibility({ policy: 'cem', plan: { plausibility: false } }, scene)).toBe(false);
    const cup = { kind: 'suction', radius: 0.01 } as unknown as Gripper;
    expect(trialPlausibility({ policy: 'cem', gripper: cup }, scene)).toBeUndefined();
  });
});

describe('scene friction', () => {
  it('is Normal(0.5, 0.1) truncated to [0, 1], the same for the same trial seed', () => {
    const draws = Array.from({ length: 4000 }, (_, i) => sceneFriction(i));
    expect(sceneFriction(17)).toBe(draws[17]);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1);
    expect(mean).toBeCloseTo(0.5, 1);
    expect(Math.abs(sd - 0.1)).toBeLessThan(0.01);
  });
});
