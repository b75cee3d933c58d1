// The fully-convolutional policy against its oracle: every q it reports equals the GQ-CNN on that grasp's own aligned crop; validity, order, NMS, determinism.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { centeredIntrinsics, type CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3 } from '../../src/geometry/vector.js';
import { graspAlignedCrop } from '../../src/image/crop.js';
import { createMask, type DepthImage, type Mask } from '../../src/image/depth-image.js';
import { initParameters } from '../../src/model/architecture.js';
import type { GqcnnModel } from '../../src/model/model-io.js';
import { randomJawModel } from '../helpers/jaw-scenes.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { centerInMask } from '../../src/policy/cross-entropy.js';
import { NoValidGraspError } from '../../src/core/errors.js';
import {
  fcAngle,
  fullyConvolutionalPlan,
  type FullyConvolutionalOptions,
} from '../../src/policy/fully-convolutional.js';
import { graspDistance, gripperWidthPx, type ScoredGrasp } from '../../src/grasp/image-grasp.js';
import { topBetweenJaws } from '../../src/grasp/local-top.js';
import { lookAtPose } from '../../src/render/camera-sampler.js';
import { join } from 'node:path';
import { GQCNN_COMPACT_DEPTH_SUB } from '../../src/model/architecture.js';
import { saveModel } from '../../src/model/model-io.js';
import { FC_COMPANION_DIR } from '../../src/model/predictor.js';
import { plan } from '../../src/policy/plan.js';
import { DepthRenderer, type Camera } from '../../src/render/depth-renderer.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('fc-companion');

const K: CameraIntrinsics = centeredIntrinsics(640, 480);
const MARGIN = (96 / 2) * Math.SQRT2;

/** A 9 × 4 × 5 cm box turned 0.4 rad, off the optical axis, on a table 0.7 m below the camera. */
function renderScene(): { depth: DepthImage; segmask: Mask } {
  const camera: Camera = { intrinsics: K, pose: lookAtPose({ radius: 0.7, polar: 0, azimuth: 0, roll: 0 }) };
  const pose = new RigidTransform(axisAngleToMat3([0, 0, 1], 0.4), [0.03, -0.02, 0.025], 'object', 'table');
  return new DepthRenderer(new MeshIndex(boxMesh(0.09, 0.04, 0.05))).render(pose, camera);
}

// Random weights with a normalisation at the scene's scale, so q varies strongly with the crop and the depth.
const randomModel = randomJawModel;

/** The oracle: predict() on each grasp's own grasp-aligned crop at its angle and depth. */
async function directQ(
  p: GqcnnPredictor,
  depth: DepthImage,
  grasps: readonly ScoredGrasp[],
  dx = 0,
): Promise<Float32Array> {
  const crops = new Float32Array(grasps.length * 1024);
  const depths = new Float32Array(grasps.length);
  grasps.forEach(({ grasp: g }, i) => {
    graspAlignedCrop(depth, { x: g.center.x + dx, y: g.center.y }, g.angle, crops, {
      cropSize: 96,
      outSize: 32,
      offset: i * 1024,
    });
    depths[i] = g.depth;
  });
  return p.predict(crops, depths, grasps.length);
}

const scene = renderScene();
let predictor: GqcnnPredictor;

beforeAll(async () => {
  predictor = await GqcnnPredictor.create(randomModel(3), { intraOpNumThreads: 2 });
});
afterAll(async () => {
  await predictor.release();
});

function expectValid(grasps: readonly ScoredGrasp[], segmask: Mask | null, nms: number): void {
  const inMask = centerInMask(K.width, K.height, segmask, MARGIN);
  const width = gripperWidthPx(K, 0.05);
  for (const [i, { grasp: g, q }] of grasps.entries()) {
    expect(Number.isFinite(q) && q >= 0 && q <= 1).toBe(true);
    expect(inMask(g)).toBe(true);
    // 0.75–3 cm below the object's top between the jaws (the opening as seen at the centre pixel's depth).
    const centre = scene.depth.data[Math.round(g.center.y) * K.width + Math.round(g.center.x)];
    const top = topBetweenJaws(scene.depth, segmask, g.center, g.angle, width(centre, g.angle));
    expect(g.depth).toBeGreaterThanOrEqual(top + 0.0075);
    expect(g.depth).toBeLessThanOrEqual(top + 0.03);
    expect(g.angle).toBeGreaterThan(-Math.PI / 2);
    expect(g.angle).toBeLessThanOrEqual(Math.PI / 2);
    expect(g.widthPx).toBeCloseTo(width(g.depth, g.angle), 9);
    if (i > 0) expect(q).toBeLessThanOrEqual(grasps[i - 1].q);
    for (let j = 0; j < i; j++) expect(graspDistance(g, grasps[j].grasp)).toBeGreaterThanOrEqual(nms);
  }
}

describe('fully-convolutional policy', () => {
  it('reports for every candidate the q of predict() on its own aligned crop (the rotated-image mapping is exact)', async () => {
    for (const phases of [1, 2]) {
      // No NMS and no top-k cut: every valid (centre, angle) with its best depth comes back.
      const r = await fullyConvolutionalPlan(predictor, scene.depth, scene.segmask, K, {
        topK: 100_000,
        nmsDistancePx: 0,
        phases,
      });
      expect(r.grasps.length).toBeGreaterThan(200 * phases * phases);
      expect(r.gridSpacingPx).toBe(12 / phases);
      const q = await directQ(predictor, scene.depth, r.grasps);
      let maxErr = 0;
      for (let i = 0; i < q.length; i++) maxErr = Math.max(maxErr, Math.abs(q[i] - r.grasps[i].q));
      expect(maxErr).toBeLessThan(1e-4);
      // The oracle can tell a mapping off by a few pixels apart: the same grasps 3 px to the side score differently.
      const shifted = await directQ(predictor, scene.depth, r.grasps, 3);
      let moved = 0;
      for (let i = 0; i < q.length; i++) moved = Math.max(moved, Math.abs(shifted[i] - q[i]));
      expect(moved).toBeGreaterThan(1e-2);
      // The grasps span several angles and depths, so all of the angle and depth bookkeeping is exercised.
      expect(new Set(r.grasps.map((g) => g.grasp.angle)).size).toBeGreaterThan(3);
      expect(new Set(r.grasps.map((g) => g.grasp.depth)).size).toBeGreaterThan(1);
    }
  });

  it('returns only valid grasps, best first and NMS-separated, and counts what it scored', async () => {
    const opts: FullyConvolutionalOptions = { topK: 10, nmsDistancePx: 20 };
    const r = await fullyConvolutionalPlan(predictor, scene.depth, scene.segmask, K, opts);
    expect(r.grasps.length).toBeGreaterThan(1);
    expectValid(r.grasps, scene.segmask, 20);
    expect([r.angles, r.depths]).toEqual([16, 16]);
    expect(r.validCount).toBeGreaterThan(r.grasps.length);
    expect(r.scoredCount).toBeGreaterThan(r.validCount);
    const angles = new Set(Array.from({ length: 16 }, (_, a) => fcAngle(a, 16)));
    for (const { grasp } of r.grasps) expect(angles.has(grasp.angle)).toBe(true);
    // The best grasp is the best of all valid candidates: NMS only removes grasps below it.
    const top1 = await fullyConvolutionalPlan(predictor, scene.depth, scene.segmask, K, { topK: 1 });
    expect(top1.grasps[0]).toEqual(r.grasps[0]);
  });

  it('without a segmask, plans over the whole image and keeps centres off the border', async () => {
    const r = await fullyConvolutionalPlan(predictor, scene.depth, null, K, {
      angles: 2,
      depthBins: 4,
      topK: 6,
      nmsDistancePx: 30,
    });
    expectValid(r.grasps, null, 30);
    const q = await directQ(predictor, scene.depth, r.grasps);
    for (let i = 0; i < q.length; i++) expect(Math.abs(q[i] - r.grasps[i].q)).toBeLessThan(1e-4);
  });

  it('returns only candidates its accept check passes, asking lazily in order of q', async () => {
    const all = await fullyConvolutionalPlan(predictor, scene.depth, scene.segmask, K, { topK: 3 });
    const banned = all.grasps[0].grasp;
    const isBanned = (g: typeof banned) =>
      g.center.x === banned.center.x && g.center.y === banned.center.y && g.angle === banned.angle;
    const asked: number[] = [];
    const r = await fullyConvolutionalPlan(predictor, scene.depth, scene.segmask, K, {
      topK: 3,
      accept: (s) => {
        asked.push(s.q);
        return !isBanned(s.grasp);
      },
    });
    expect(r.grasps.some((s) => isBanned(s.grasp))).toBe(false);
    expect(r.grasps[0].q).toBeLessThanOrEqual(all.grasps[0].q);
    expect(r.grasps).toHaveLength(3);
    // The banned grasp was asked first; no more candidates were asked than needed to fill the top 3.
    expect(asked[0]).toBe(all.grasps[0].q);
    expect(asked).toHaveLength(4);
    for (let i = 1; i < asked.length; i++) expect(asked[i]).toBeLessThanOrEqual(asked[i - 1]);
  });

  it('is deterministic', async () => {
    const a = await fullyConvolutionalPlan(predictor, scene.depth, scene.segmask, K, { topK: 5 });
    const b = await fullyConvolutionalPlan(predictor, scene.depth, scene.segmask, K, { topK: 5 });
    expect(b).toEqual(a);
  });

  it("plans with a model folder's FC companion when it has one, and with the model itself otherwise", async () => {
    const dir = tempDir();
    const main: GqcnnModel = {
      ...randomModel(5),
      arch: structuredClone(GQCNN_COMPACT_DEPTH_SUB),
      params: initParameters(GQCNN_COMPACT_DEPTH_SUB, 5),
    };
    await saveModel(dir, main);
    const alone = await GqcnnPredictor.load(dir);
    expect(alone.fullyConvolutional).toBe(alone);
    await alone.release();
    await saveModel(join(dir, FC_COMPANION_DIR), randomModel(3));
    const paired = await GqcnnPredictor.load(dir);
    expect(paired.model.arch.name).toBe('compact-depth-sub');
    expect(paired.fullyConvolutional.model.arch.name).toBe('compact');
    // Without re-ranking, the FC policy's grasps carry the companion's q (the same weights as `predictor` here).
    const r = await plan(scene.depth, K, paired, {
      policy: 'fc',
      segmask: scene.segmask,
      topK: 3,
      robustSelection: false,
      plausibility: false,
    });
    const fc = await fullyConvolutionalPlan(predictor, scene.depth, scene.segmask, K, { topK: 3 });
    expect(r.grasps.map((g) => g.q)).toEqual(fc.grasps.map((g) => g.q));
    await paired.release();
  });

  it('throws NoValidGraspError for an empty mask or one only near the border', async () => {
    const empty = createMask(K.width, K.height);
    await expect(fullyConvolutionalPlan(predictor, scene.depth, empty, K)).rejects.toBeInstanceOf(NoValidGraspError);
    const rim = createMask(K.width, K.height);
    for (let x = 0; x < K.width; x++) for (let y = 0; y < 40; y++) rim.data[y * K.width + x] = 1;
    await expect(fullyConvolutionalPlan(predictor, scene.depth, rim, K)).rejects.toBeInstanceOf(NoValidGraspError);
    await expect(fullyConvolutionalPlan(predictor, scene.depth, createMask(10, 10), K)).rejects.toThrow(
      /segmask is 10×10/,
    );
    await expect(fullyConvolutionalPlan(predictor, scene.depth, scene.segmask, K, { angles: 0 })).rejects.toThrow(
      /angles must be a positive integer/,
    );
  });
});
