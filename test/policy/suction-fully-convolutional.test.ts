// The fully-convolutional suction map against its oracle — every cell's q equals the crop model on that window turned
// by the pass's angle and shifted by the pass's depth, with the cell's own pose — and the policy's answers against
// ranking's: each returned q is the crop model's exact score of the sampler's grasp at that pixel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suctionGraspAtPixel } from '../../src/grasp/image-suction-sampler.js';
import { graspAlignedCrop } from '../../src/image/crop.js';
import type { DepthImage } from '../../src/image/depth-image.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { plan } from '../../src/policy/plan.js';
import { suctionMap } from '../../src/policy/suction-fully-convolutional.js';
import { suctionNetworkInput } from '../../src/grasp/image-suction-grasp.js';
import { scoreSuctionGrasps } from '../../src/policy/suction-policy.js';
import { K, randomSuctionModel, tiltedBoxScene } from '../helpers/suction-scenes.js';

const BOX = { x0: 250, x1: 390, y0: 180, y1: 300 };
const scene = (tilt: number, bump = 0) => tiltedBoxScene(BOX, tilt, bump);

let predictor: GqcnnPredictor;
beforeAll(async () => {
  predictor = await GqcnnPredictor.create(randomSuctionModel(11), { intraOpNumThreads: 1 });
});
afterAll(async () => {
  await predictor.release();
});

/** The crop model on the window the map scored: turned by the pass's θ, shifted by its depth, the cell's own pose. */
async function oracle(depth: DepthImage, cells: Awaited<ReturnType<typeof suctionMap>>['cells'], shiftPx = 0) {
  const n = cells.length;
  const crops = new Float32Array(n * 1024);
  const poses = new Float32Array(2 * n);
  cells.forEach((c, i) => {
    graspAlignedCrop(depth, { x: c.x + shiftPx, y: c.y }, c.theta, crops, {
      cropSize: 96,
      outSize: 32,
      offset: i * 1024,
    });
    // predict() subtracts the pose's depth; the map subtracted the pass's, so the crop carries the difference.
    for (let j = i * 1024; j < (i + 1) * 1024; j++) crops[j] += c.grasp.depth - c.binDepth;
    poses.set(suctionNetworkInput(c.grasp, K).pose, 2 * i);
  });
  return predictor.predict(crops, poses, n);
}

describe('fully-convolutional suction map', () => {
  it('scores every cell as the crop model scores its window, for one and for several turns and depth bins', async () => {
    for (const [tilt, bump, angles, phases] of [
      [0, 0, 1, 1],
      [0.25, 0.004, 4, 2],
    ] as const) {
      const { depth, mask } = scene(tilt, bump);
      const { cells, scoredCount } = await suctionMap(predictor, depth, depth, mask, K, {
        angles,
        phases,
        sampler: { blurSigma: 0, flatnessTolerance: 0.01 },
      });
      expect(cells.length).toBeGreaterThan(20);
      expect(scoredCount).toBe(cells.length);
      const q = await oracle(depth, cells);
      let worst = 0;
      for (let i = 0; i < q.length; i++) worst = Math.max(worst, Math.abs(q[i] - cells[i].q));
      expect(worst).toBeLessThan(1e-4);
      // The oracle tells a window 3 px to the side apart, so an off-by-some-pixels mapping would fail.
      const shifted = await oracle(depth, cells, 3);
      let moved = 0;
      for (let i = 0; i < q.length; i++) moved = Math.max(moved, Math.abs(shifted[i] - q[i]));
      expect(moved).toBeGreaterThan(1e-3);
      if (bump > 0) {
        expect(new Set(cells.map((c) => c.binDepth)).size).toBeGreaterThan(1);
        expect(new Set(cells.map((c) => c.theta)).size).toBeGreaterThan(1);
      }
    }
  });
});

describe('fully-convolutional suction policy', () => {
  it("returns the crop model's exact q of the sampler's grasp at each returned pixel (ranking's score there)", async () => {
    const { depth, mask } = scene(0.25, 0.002);
    const options = { gripper: 'suction', segmask: mask, topK: 4, suctionSampler: { blurSigma: 0 } } as const;
    const r = await plan(depth, K, predictor, { ...options, policy: 'fc' });
    expect(r.grasps.length).toBe(4);
    const atPixels = r.grasps.map((g) => suctionGraspAtPixel(depth, K, g.center.x, g.center.y, { blurSigma: 0 })!);
    const exact = await scoreSuctionGrasps(predictor, depth, K, atPixels);
    r.grasps.forEach((g, i) => {
      expect(g.q).toBe(exact[i]);
      expect(g.suction!.approach).toEqual(atPixels[i].approach);
      expect(g.plausibility!.plausible).toBe(true);
    });
    for (let i = 1; i < r.grasps.length; i++) expect(r.grasps[i].q).toBeLessThanOrEqual(r.grasps[i - 1].q);
    // Ranking confined to the top choice's pixel (a one-pixel workspace) scores it exactly as fc did.
    const { x, y } = r.grasps[0].center;
    const ranking = await plan(depth, K, predictor, {
      ...options,
      policy: 'ranking',
      topK: 1,
      workspace: [x, y, x, y],
    });
    expect(ranking.grasps[0].center).toEqual({ x, y });
    expect(ranking.grasps[0].q).toBe(r.grasps[0].q);
  });
});
