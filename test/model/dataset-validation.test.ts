// A model scored on a dataset: the figures equal the ones computed from the dataset's raw fields (crops, grasp depth
// column, robust ε over the threshold), a split side scores only its datapoints, a model of the other gripper is
// refused in one line, and the CLI prints them.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSplit } from '../../src/dataset/splits.js';
import { TensorDatasetReader } from '../../src/dataset/tensor-dataset.js';
import { BUNDLED_MODEL_DIR, BUNDLED_SUCTION_MODEL_DIR } from '../../src/model/bundled-model.js';
import { validateOnDataset } from '../../src/model/dataset-validation.js';
import { classificationMetrics } from '../../src/model/metrics.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { dexnet } from '../helpers/dexnet.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { writeExampleDataset } from './example-dataset.js';

const tempDir = tempDirs('dataset-validation');
let dataset: string;
beforeAll(async () => {
  dataset = await writeExampleDataset(tempDir(), 'parallel-jaw');
}, 120_000);

describe('validateOnDataset', () => {
  it('scores every datapoint as the model scores the raw crops at their grasp depth against robust ε > 0.002', async () => {
    const reader = await TensorDatasetReader.open(dataset);
    const ims = (await reader.readWholeField('depth_ims_tf_table')) as Float32Array;
    const hand = (await reader.readWholeField('hand_poses')) as Float32Array;
    const eps = await reader.readWholeField('robust_ferrari_canny');
    const n = eps.length;
    const depths = Float32Array.from({ length: n }, (_, i) => hand[7 * i + 2]!);
    const labels = Uint8Array.from(eps, (e) => (Number(e) > 0.002 ? 1 : 0));
    const predictor = await GqcnnPredictor.load(BUNDLED_MODEL_DIR);
    const scores = await predictor.predict(ims, depths, n);
    await predictor.release();
    const v = await validateOnDataset(BUNDLED_MODEL_DIR, dataset);
    expect(v.datapoints).toBe(n);
    expect(v.threshold).toBe(0.002);
    const expected = classificationMetrics(scores, labels);
    expect(v.metrics.positives).toBe(expected.positives);
    expect(v.metrics.accuracy).toBeCloseTo(expected.accuracy, 6);
    expect(v.metrics.averagePrecision).toBeCloseTo(expected.averagePrecision, 4);
    // The example meshes sit in a folder without a manifest: real objects, all three.
    expect(v.bySource.real).toMatchObject({ n, objects: 3 });
  }, 60_000);

  it('scores only the validation side of a split when asked, and refuses a suction model on jaw data', async () => {
    const v = await validateOnDataset(BUNDLED_MODEL_DIR, dataset, { split: 'image_wise' });
    expect(v.datapoints).toBe((await readSplit(dataset, 'image_wise')).val.length);
    await expect(validateOnDataset(BUNDLED_SUCTION_MODEL_DIR, dataset)).rejects.toThrow(
      /takes 2 pose value\(s\) a grasp, the dataset .* has 1 \(a model for another gripper\?\)/,
    );
  }, 60_000);

  it('dexnet validate prints the figures, and JSON with --json', async () => {
    const text = await dexnet(['validate', dataset, '--model', BUNDLED_MODEL_DIR]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/datapoints, positive above 0.002\n {2}all: accuracy [\d.]+% \(majority class/);
    const json = await dexnet(['validate', dataset, '--model', BUNDLED_MODEL_DIR, '--json']);
    expect(JSON.parse(json.stdout).datapoints).toBeGreaterThan(0);
    const missing = await dexnet(['validate', join(dataset, 'nope'), '--model', BUNDLED_MODEL_DIR]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/nope: not a dataset \(no config\.json\)$/);
  }, 60_000);
});
