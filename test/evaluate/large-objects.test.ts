// Objects larger than the old 4–10 cm scale (Dex-Net's min:0.04 rule leaves the largest extent free) go through the
// dataset and an evaluation trial with every crop's window inside the rendered image.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { DEFAULT_DATAPOINT_OPTIONS, objectDatapoints } from '../../src/dataset/object-datapoints.js';
import { runEvaluation } from '../../src/evaluate/evaluation.js';
import { prepareTrialObject, sampleTrialScene } from '../../src/evaluate/trial-scene.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { BUNDLED_MODEL } from '../../src/cli/plan.js';
import { framedImageSize } from '../../src/render/camera-sampler.js';

/** A 4 × 4 × 30 cm bar: smallest extent 4 cm, as min:0.04 sizes it, and three times the old largest extent. */
const bar = boxMesh(0.04, 0.04, 0.3);
const CROP = 96;
const HALF_DIAGONAL = (CROP / 2) * Math.SQRT2;

describe('a long object in the dataset', () => {
  const options = { ...DEFAULT_DATAPOINT_OPTIONS, graspsPerObject: 12, imagesPerPose: 2, robustSamples: 4 };
  const d = objectDatapoints(bar, 0, 3, options);

  it('gives datapoints whose whole rotated 96-px crop lies inside the rendered image', () => {
    expect(d.count).toBeGreaterThan(0);
    const hp = d.fields.hand_poses!, k = d.fields.camera_intrs!;
    let widest = 0;
    for (let i = 0; i < d.count; i++) {
      const row = hp[i * 7]!, col = hp[i * 7 + 1]!;
      // The principal point is the image centre: width = 2·cx + 1.
      const w = 2 * k[i * 4 + 2]! + 1, h = 2 * k[i * 4 + 3]! + 1;
      widest = Math.max(widest, w);
      expect(col - HALF_DIAGONAL).toBeGreaterThanOrEqual(0);
      expect(row - HALF_DIAGONAL).toBeGreaterThanOrEqual(0);
      expect(col + HALF_DIAGONAL).toBeLessThanOrEqual(w - 1);
      expect(row + HALF_DIAGONAL).toBeLessThanOrEqual(h - 1);
    }
    // The old fixed 256-px window could not hold them: the bar reaches ~115 px from the centre.
    expect(widest).toBeGreaterThan(256);
  });

  it('keeps the 256-px window for objects that fit it (small datasets are unchanged)', () => {
    expect(framedImageSize(0.05, CROP, { minSize: 256 })).toBe(256);
    expect(framedImageSize(0.15, CROP, { minSize: 256 })).toBeGreaterThan(256);
  });
});

describe('a long object in an evaluation', () => {
  const target = prepareTrialObject('bar', bar);

  it('frames every object pixel at least half a crop diagonal from the border', () => {
    for (let s = 0; s < 6; s++) {
      const scene = sampleTrialScene(target, new Random(40 + s), { noise: false });
      const { width: w, height: h, data } = scene.segmask;
      let seen = 0;
      for (let r = 0; r < h; r++)
        for (let c = 0; c < w; c++) {
          if (!data[r * w + c]) continue;
          seen++;
          expect(Math.min(r, c, h - 1 - r, w - 1 - c)).toBeGreaterThanOrEqual(HALF_DIAGONAL);
        }
      expect(seen).toBeGreaterThan(0);
    }
  });

  it('runs cem trials with both referees without errors', async () => {
    const predictor = await GqcnnPredictor.load(BUNDLED_MODEL);
    try {
      const records = await runEvaluation([target], predictor, { policies: ['cem'], trials: 2, seed: 1 });
      expect(records).toHaveLength(2);
      for (const r of records) {
        expect(r.groundTruth!.visible).toBeGreaterThan(0);
        if (r.grasp) expect(r.physics.reason).not.toBe('not simulated');
      }
    } finally {
      await predictor.release();
    }
  }, 120_000);
});
