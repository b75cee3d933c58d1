// The planner settings travel from the dataset to the model to the planner: generation.json's cropSize (and a suction
// dataset's approach limit) is read at training, a model records it, and plan() cuts its crops from that window (a
// ramp's depth across a crop halves with a window half as wide) and draws its suction targets within that limit.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centeredIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { createDepthImage, createMask } from '../../src/image/depth-image.js';
import { GQCNN_COMPACT_SUCTION, initParameters } from '../../src/model/architecture.js';
import { DEFAULT_CROP_WINDOW } from '../../src/dataset/fields.js';
import {
  datasetPlannerSettings,
  modelCropWindow,
  modelSuctionApproachLimit,
  modelSuctionEdgeTolerance,
} from '../../src/model/planner-settings.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { plan } from '../../src/policy/plan.js';

let dir: string;

/** An untrained suction model recording `training`. */
function suctionPredictor(training: Record<string, unknown>): Promise<GqcnnPredictor> {
  const arch = structuredClone(GQCNN_COMPACT_SUCTION);
  return GqcnnPredictor.create(
    {
      arch,
      params: initParameters(arch, 3),
      normalisation: { imMean: 0.6, imStd: 0.05, poseMean: [0.6, 0.2], poseStd: [0.05, 0.2] },
      training,
      metrics: {},
    },
    { intraOpNumThreads: 1 },
  );
}
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'planner-settings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('crop window', () => {
  it("reads a dataset's window from its generation.json, 96 without one, and refuses a bad one in one line", async () => {
    expect(await datasetPlannerSettings(join(dir, 'none'))).toEqual({ cropWindow: DEFAULT_CROP_WINDOW });
    await writeFile(join(dir, 'generation.json'), JSON.stringify({ options: { cropSize: 48 } }));
    expect(await datasetPlannerSettings(dir)).toEqual({ cropWindow: 48 });
    await writeFile(join(dir, 'generation.json'), JSON.stringify({ options: { maxOpticalAxisAngle: 0.8 } }));
    expect(await datasetPlannerSettings(dir)).toEqual({ cropWindow: DEFAULT_CROP_WINDOW, maxOpticalAxisAngle: 0.8 });
    await writeFile(join(dir, 'generation.json'), JSON.stringify({ options: { surfaceEdgeTolerance: 0.015 } }));
    expect(await datasetPlannerSettings(dir)).toEqual({ cropWindow: DEFAULT_CROP_WINDOW, surfaceEdgeTolerance: 0.015 });
    await writeFile(join(dir, 'generation.json'), JSON.stringify({ options: { surfaceEdgeTolerance: '1 cm' } }));
    await expect(datasetPlannerSettings(dir)).rejects.toThrow(/options\.surfaceEdgeTolerance must be a length/);
    await writeFile(join(dir, 'generation.json'), JSON.stringify({ options: { cropSize: 'big' } }));
    await expect(datasetPlannerSettings(dir)).rejects.toThrow(/generation\.json: options\.cropSize must be a positive/);
    await writeFile(join(dir, 'generation.json'), JSON.stringify({ options: { maxOpticalAxisAngle: -1 } }));
    await expect(datasetPlannerSettings(dir)).rejects.toThrow(/options\.maxOpticalAxisAngle must be a positive number/);
    await writeFile(join(dir, 'generation.json'), '{');
    await expect(datasetPlannerSettings(dir)).rejects.toThrow(/generation\.json: not valid JSON/);
    expect(modelCropWindow({ training: {} })).toBe(96);
    expect(modelCropWindow({ training: { cropWindow: 48 } })).toBe(48);
    expect(modelSuctionApproachLimit({ training: {} })).toBeCloseTo(Math.PI / 6, 12);
    expect(modelSuctionApproachLimit({ training: { maxOpticalAxisAngle: 0.8 } })).toBe(0.8);
    expect(modelSuctionEdgeTolerance({ training: {} })).toBe(0);
    expect(modelSuctionEdgeTolerance({ training: { surfaceEdgeTolerance: 0.015 } })).toBe(0.015);
  });

  it("plans with the window the model records: a ramp's depth across the crops halves from 96 to 48 px", async () => {
    const k = centeredIntrinsics(320, 240);
    const slope = 0.0004; // m per pixel along u: 38 mm across a 96 px window
    const depth = createDepthImage(k.width, k.height);
    for (let v = 0; v < k.height; v++)
      for (let u = 0; u < k.width; u++) depth.data[v * k.width + u] = 0.6 + slope * (u - k.cx);
    const spans = async (training: Record<string, unknown>) => {
      const predictor = await suctionPredictor(training);
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

  it('draws suction targets within the approach limit the model records: a plane 40° off the optical axis', async () => {
    const k = centeredIntrinsics(320, 240);
    // The plane n·X = d in the camera frame, n 40° from the optical axis, 0.6 m away along it.
    const tilt = (40 * Math.PI) / 180;
    const n = [Math.sin(tilt), 0, -Math.cos(tilt)];
    const d = -0.6 * Math.cos(tilt);
    const depth = createDepthImage(k.width, k.height);
    for (let v = 0; v < k.height; v++)
      for (let u = 0; u < k.width; u++)
        depth.data[v * k.width + u] = d / (n[0] * ((u - k.cx) / k.fx) + n[1] * ((v - k.cy) / k.fy) + n[2]);
    const settings = { gripper: 'suction', policy: 'ranking', plausibility: false } as const;
    await expect(plan(depth, k, await suctionPredictor({}), settings)).rejects.toThrow(/30° of the optical axis/);
    const wide = await plan(depth, k, await suctionPredictor({ maxOpticalAxisAngle: (45 * Math.PI) / 180 }), settings);
    const a = wide.grasps[0]!.suction!.approach;
    expect((Math.acos(a[2]) * 180) / Math.PI).toBeCloseTo(40, 0);
  });

  it('reads suction targets from the surface the model records: a 2 cm face needs the edge-keeping blur', async () => {
    const k = centeredIntrinsics(320, 240);
    // A strip 0.6 m away, columns 150..169, over the 0.7 m table; the segmask is the strip.
    const depth = createDepthImage(k.width, k.height);
    const segmask = createMask(k.width, k.height);
    for (let v = 0; v < k.height; v++)
      for (let u = 0; u < k.width; u++) {
        const strip = u >= 150 && u <= 169 && v >= 40;
        depth.data[v * k.width + u] = strip ? 0.6 : 0.7;
        segmask.data[v * k.width + u] = strip ? 255 : 0;
      }
    const settings = { gripper: 'suction', policy: 'ranking', segmask } as const;
    await expect(plan(depth, k, await suctionPredictor({}), settings)).rejects.toThrow(/no suction candidates/);
    const kept = await plan(depth, k, await suctionPredictor({ surfaceEdgeTolerance: 0.015 }), settings);
    expect(kept.grasps[0]!.depth).toBeCloseTo(0.6, 5);
  });
});
