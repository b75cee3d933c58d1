// Training on a suction dataset: the layout in config.json picks the label field, its threshold and the two pose
// columns (depth, approach angle); a compact-suction model trains, loads and predicts on suction crops.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SplitStream } from '../../src/dataset/batches.js';
import { readSplit } from '../../src/dataset/splits.js';
import { TensorDatasetReader } from '../../src/dataset/tensor-dataset.js';
import { GQCNN_COMPACT, GQCNN_COMPACT_SUCTION } from '../../src/model/architecture.js';
import { loadModel } from '../../src/model/model-io.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { trainModel } from '../../src/model/train.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { testTrainOptions, writeExampleDataset } from './example-dataset.js';

const root = tempDirs('train-suction')();
let dataset = '';
const options = testTrainOptions(GQCNN_COMPACT_SUCTION, 1);

beforeAll(async () => {
  dataset = await writeExampleDataset(root, 'suction');
}, 120_000);

describe('training on a suction dataset', () => {
  it('batches carry (depth, approach angle) from hand_poses columns 2 and 4 and labels at the recorded 0.2', async () => {
    const stream = await SplitStream.open(dataset, 'all', 'train');
    expect([stream.poseDim, stream.threshold, stream.layout.labelField]).toEqual([
      2,
      0.2,
      'robust_suction_wrench_resistance',
    ]);
    const reader = await TensorDatasetReader.open(dataset);
    const poses = await reader.readWholeField('hand_poses');
    const robust = await reader.readWholeField('robust_suction_wrench_resistance');
    let seen = 0,
      positives = 0;
    for await (const b of stream.batches({ batchSize: 13 })) {
      for (let i = 0; i < b.size; i++) {
        const idx = b.indices[i];
        expect([b.poses[2 * i], b.poses[2 * i + 1]]).toEqual([poses[idx * 7 + 2], poses[idx * 7 + 4]]);
        expect(b.labels[i]).toBe(robust[idx] > 0.2 ? 1 : 0);
        positives += b.labels[i];
        seen++;
      }
    }
    expect(seen).toBe(reader.numDatapoints);
    expect(positives).toBeGreaterThan(0);
    expect(positives).toBeLessThan(seen);
  });

  it('a jaw architecture (one pose input) is refused, naming the suction presets', async () => {
    const run = trainModel(dataset, join(root, 'wrong'), { ...options, arch: GQCNN_COMPACT });
    await expect(run).rejects.toThrow(/gives 2 pose input\(s\).*compact takes 1.*compact-suction/);
  });

  it("one epoch of compact-suction gives a model whose pose statistics are the training split's, and it predicts", async () => {
    const out = join(root, 'model');
    const report = await trainModel(dataset, out, options);
    if (!report) throw new Error('training did not finish');
    const model = await loadModel(out);
    expect(model.arch.poseDim).toBe(2);
    expect(model.training.gripper).toBe('suction');
    expect(model.training.cropWindow).toBe(96); // the window its dataset was cut with, which plan() then uses
    // Brute-force per-column means over the training split.
    const reader = await TensorDatasetReader.open(dataset);
    const poses = await reader.readWholeField('hand_poses');
    const { train } = await readSplit(dataset, 'image_wise');
    let depth = 0,
      angle = 0;
    for (const i of train) {
      depth += poses[i * 7 + 2];
      angle += poses[i * 7 + 4];
    }
    expect(model.normalisation.poseMean[0]).toBeCloseTo(depth / train.length, 5);
    expect(model.normalisation.poseMean[1]).toBeCloseTo(angle / train.length, 5);

    const predictor = await GqcnnPredictor.load(out, { intraOpNumThreads: 1 });
    const ims = (await reader.readWholeField('depth_ims_tf_table')) as Float32Array;
    const n = 16,
      rows = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) rows.set([poses[i * 7 + 2], poses[i * 7 + 4]], 2 * i);
    const p = await predictor.predict(ims.subarray(0, n * 1024), rows, n);
    expect(p).toHaveLength(n);
    for (const v of p) expect(v > 0 && v < 1).toBe(true);
    // The approach angle reaches the network: tilting every pose by 0.5 rad changes some prediction.
    const tilted = rows.map((v, j) => (j % 2 ? v + 0.5 : v));
    const q = await predictor.predict(ims.subarray(0, n * 1024), tilted, n);
    expect(Array.from(q).some((v, i) => Math.abs(v - p[i]) > 1e-6)).toBe(true);
  });
});
