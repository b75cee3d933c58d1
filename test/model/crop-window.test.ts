// The crop window travels from the dataset to the model to the planner: generation.json's cropSize is read at
// training, a model records it, and plan() cuts its crops from that window (a ramp's depth across a crop halves with
// a window half as wide).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centeredIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { createDepthImage } from '../../src/image/depth-image.js';
import { GQCNN_COMPACT_SUCTION, initParameters } from '../../src/model/architecture.js';
import { DEFAULT_CROP_WINDOW } from '../../src/dataset/fields.js';
import { datasetCropWindow, modelCropWindow } from '../../src/model/crop-window.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { plan } from '../../src/policy/plan.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crop-window-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('crop window', () => {
  it("reads a dataset's window from its generation.json, 96 without one, and refuses a bad one in one line", async () => {
    expect(await datasetCropWindow(join(dir, 'none'))).toBe(DEFAULT_CROP_WINDOW);
    await writeFile(join(dir, 'generation.json'), JSON.stringify({ options: { cropSize: 48 } }));
    expect(await datasetCropWindow(dir)).toBe(48);
    await writeFile(join(dir, 'generation.json'), JSON.stringify({ options: { cropSize: 'big' } }));
    await expect(datasetCropWindow(dir)).rejects.toThrow(/generation\.json: options\.cropSize must be a positive/);
    await writeFile(join(dir, 'generation.json'), '{');
    await expect(datasetCropWindow(dir)).rejects.toThrow(/generation\.json: not valid JSON/);
    expect(modelCropWindow({ training: {} })).toBe(96);
    expect(modelCropWindow({ training: { cropWindow: 48 } })).toBe(48);
  });

  it("plans with the window the model records: a ramp's depth across the crops halves from 96 to 48 px", async () => {
    const k = centeredIntrinsics(320, 240);
    const slope = 0.0004; // m per pixel along u: 38 mm across a 96 px window
    const depth = createDepthImage(k.width, k.height);
    for (let v = 0; v < k.height; v++)
      for (let u = 0; u < k.width; u++) depth.data[v * k.width + u] = 0.6 + slope * (u - k.cx);
    const arch = structuredClone(GQCNN_COMPACT_SUCTION);
    const spans = async (training: Record<string, unknown>) => {
      const predictor = await GqcnnPredictor.create(
        {
          arch,
          params: initParameters(arch, 3),
          normalisation: { imMean: 0.6, imStd: 0.05, poseMean: [0.6, 0.2], poseStd: [0.05, 0.2] },
          training,
          metrics: {},
        },
        { intraOpNumThreads: 1 },
      );
      const seen: number[] = [];
      const predict = predictor.predict.bind(predictor);
      predictor.predict = async (crops, poses, n) => {
        // Each crop's depth range: the ramp's slope times the window's extent along it, whatever the crop's rotation.
        for (let i = 0; i < n; i++) {
          const crop = crops.subarray(i * 1024, (i + 1) * 1024);
          seen.push(Math.max(...crop) - Math.min(...crop));
        }
        return predict(crops, poses, n);
      };
      await plan(depth, k, predictor, { gripper: 'suction', policy: 'ranking', plausibility: false }).catch(() => null);
      seen.sort((a, b) => a - b);
      return seen[seen.length >> 1]!;
    };
    const wide = await spans({});
    const narrow = await spans({ cropWindow: 48 });
    expect(wide).toBeGreaterThan(0.02);
    expect(narrow / wide).toBeGreaterThan(0.4);
    expect(narrow / wide).toBeLessThan(0.6);
  });
});
