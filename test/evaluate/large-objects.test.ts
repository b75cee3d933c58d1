// Objects larger than the old 4–10 cm scale (Dex-Net's min:0.04 rule leaves the largest extent free) go through the
// dataset and an evaluation trial with every crop's window inside the rendered image.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/dataset/generate.js';
import { TensorDatasetReader } from '../../src/dataset/tensor-dataset.js';
import { loadTrialObjects } from '../../src/evaluate/evaluation.js';
import { summarizeTrials } from '../../src/evaluate/evaluation-report.js';
import { saveMesh } from '../../src/geometry/mesh-io/index.js';
import { scaleMesh } from '../../src/geometry/mesh-properties.js';
import { Random } from '../../src/core/random.js';
import { DEFAULT_DATAPOINT_OPTIONS, objectDatapoints } from '../../src/dataset/object-datapoints.js';
import { runEvaluation } from '../../src/evaluate/evaluation.js';
import { prepareTrialObject, sampleTrialScene } from '../../src/evaluate/trial-scene.js';
import { boxMesh, icosphereMesh } from '../../src/geometry/primitives.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { BUNDLED_MODEL_DIR as BUNDLED_MODEL } from '../../src/model/bundled-model.js';
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
    const hp = d.fields.hand_poses!,
      k = d.fields.camera_intrs!;
    let widest = 0;
    for (let i = 0; i < d.count; i++) {
      const row = hp[i * 7]!,
        col = hp[i * 7 + 1]!;
      // The principal point is the image centre: width = 2·cx + 1.
      const w = 2 * k[i * 4 + 2]! + 1,
        h = 2 * k[i * 4 + 3]! + 1;
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

const dir = mkdtempSync(join(tmpdir(), 'dexnet-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--scale in generate and evaluate', () => {
  it('a mesh in millimetres is refused as it is and sized by min:0.04 on request; every crop fits its image', async () => {
    const meshes = join(dir, 'mm');
    await saveMesh(join(meshes, 'bar-mm.obj'), scaleMesh(bar, 1000));
    const small = { graspsPerObject: 8, imagesPerPose: 1, robustSamples: 4, workers: 1 };
    const raw = await generateDataset(meshes, join(dir, 'raw'), small);
    expect(raw.datapoints).toBe(0);
    expect(raw.skipped[0]!.reason).toMatch(/millimetres.*--scale/);
    const sized = await generateDataset(meshes, join(dir, 'sized'), { ...small, scale: { kind: 'min', extent: 0.04 } });
    expect(sized.datapoints).toBeGreaterThan(0);
    const reader = await TensorDatasetReader.open(join(dir, 'sized'));
    const hp = await reader.readField('hand_poses', 0),
      k = await reader.readField('camera_intrs', 0);
    for (let i = 0; i < reader.numDatapoints; i++) {
      const w = 2 * k[i * 4 + 2]! + 1;
      expect(Math.min(hp[i * 7]!, hp[i * 7 + 1]!)).toBeGreaterThanOrEqual(HALF_DIAGONAL);
      expect(Math.max(hp[i * 7]!, hp[i * 7 + 1]!)).toBeLessThanOrEqual(w - 1 - HALF_DIAGONAL);
    }
    // A resumed run must use the same rule.
    await expect(generateDataset(meshes, join(dir, 'sized'), small)).rejects.toThrow(/scale differs/);
  }, 120_000);

  it("tags objects procedural or real from the folders' manifests, and reports each source apart", async () => {
    const procedural = join(dir, 'procedural'),
      real = join(dir, 'real');
    await saveMesh(join(procedural, 'p.obj'), boxMesh(0.04, 0.05, 0.06));
    writeFileSync(join(procedural, 'manifest.json'), JSON.stringify({ source: 'procedural', objects: [] }));
    await saveMesh(join(real, 'r.obj'), boxMesh(0.04, 0.04, 0.08));
    const { objects } = await loadTrialObjects([procedural, real]);
    expect(objects.map((o) => [o.id, o.source])).toEqual([
      ['p', 'procedural'],
      ['r', 'real'],
    ]);
    const verdict = (success: boolean) => ({
      success,
      robustEpsilon: 0,
      robustEpsilonRaw: 0,
      forceClosure: success,
      collisionFree: true,
    });
    const physics = (success: boolean) =>
      ({ success, reason: success ? 'lifted' : 'slipped', liftedHeight: 0, simSeconds: 0, wallMs: 0 }) as const;
    const record = (trial: number, source: 'procedural' | 'real', a: boolean, p: boolean) => ({
      trial,
      object: source,
      source,
      poseIndex: 0,
      policy: 'cem',
      grasp: null,
      planMs: 1,
      analytic: verdict(a),
      physics: physics(p),
    });
    const report = summarizeTrials([
      record(0, 'procedural', true, true),
      record(1, 'real', true, false),
      record(2, 'real', false, false),
    ]);
    const cem = report.policies[0]!;
    expect(cem.agreement.successes).toBe(2);
    expect(cem.bySource!.procedural!.agreement).toMatchObject({ successes: 1, n: 1 });
    expect(cem.bySource!.real!.agreement).toMatchObject({ successes: 1, n: 2 });
    expect(cem.bySource!.real!.analytic.success).toMatchObject({ successes: 1, n: 2 });
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

  // A ball far wider than the opening: every chord short enough to grasp meets the surface far off antipodal (a cube
  // would not do: the jaws fit diagonally across any of its corners).
  it('records why the planner returned no grasp on a ball wider than the opening', async () => {
    const predictor = await GqcnnPredictor.load(BUNDLED_MODEL);
    try {
      const wide = prepareTrialObject('ball', icosphereMesh(0.08, 1));
      const [r] = await runEvaluation([wide], predictor, {
        policies: ['cem'],
        trials: 1,
        seed: 1,
        physics: false,
        groundTruth: false,
      });
      expect(r!.grasp).toBeNull();
      expect(r!.physics.reason).toBe('not simulated');
      expect(r!.noGrasp).toMatch(/grasp/);
      expect(summarizeTrials([r!]).trials[0]!.noGrasp).toBe(r!.noGrasp);
    } finally {
      await predictor.release();
    }
  }, 60_000);
});
