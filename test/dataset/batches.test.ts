import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SplitStream } from '../../src/dataset/batches.js';
import { generateDataset } from '../../src/dataset/generate.js';
import { TensorDatasetReader } from '../../src/dataset/tensor-dataset.js';
import { Random } from '../../src/core/random.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('batches');
const root = tempDir();
const out = join(root, 'ds');

beforeAll(async () => {
  const meshes = join(root, 'meshes');
  mkdirSync(meshes);
  for (const f of ['box.obj', 'bracket.ply']) copyFileSync(join('examples/meshes', f), join(meshes, f));
  await generateDataset(meshes, out, { seed: 3, workers: 1, graspsPerObject: 16, imagesPerPose: 2, robustSamples: 4 });
});

describe('training batches', () => {
  it('a shuffled epoch visits every datapoint of the split exactly once, with the stored values', async () => {
    const stream = await SplitStream.open(out, 'image_wise', 'train');
    const reader = await TensorDatasetReader.open(out);
    const ims = await reader.readWholeField('depth_ims_tf_table');
    const poses = await reader.readWholeField('hand_poses');
    const metric = await reader.readWholeField('robust_ferrari_canny');
    const seen: number[] = [];
    for await (const b of stream.batches({ batchSize: 7, shuffleWindow: 2 }, new Random(1))) {
      for (let i = 0; i < b.size; i++) {
        const idx = b.indices[i];
        seen.push(idx);
        expect(b.poses[i]).toBe(poses[idx * 7 + 2]);
        expect(b.labels[i]).toBe(metric[idx] > 0.002 ? 1 : 0);
        expect(b.ims[i * 1024 + 517]).toBe(ims[idx * 1024 + 517]);
      }
    }
    expect(seen.slice().sort((a, b) => a - b)).toEqual(Array.from(stream.indices).sort((a, b) => a - b));
    expect(seen).not.toEqual(seen.slice().sort((a, b) => a - b)); // shuffled
  });

  it('the same seed gives the same order; validation order is the dataset order', async () => {
    const stream = await SplitStream.open(out, 'object_wise', 'train');
    const order = async (rng?: Random) => {
      const o: number[] = [];
      for await (const b of stream.batches({ batchSize: 5 }, rng)) o.push(...b.indices.subarray(0, b.size));
      return o;
    };
    expect(await order(new Random(4))).toEqual(await order(new Random(4)));
    const plain = await order();
    expect(plain).toEqual(plain.slice().sort((a, b) => a - b));
  });

  it('labels follow the stream threshold (gqcnn metric_thresh); a bad threshold is refused', async () => {
    const reader = await TensorDatasetReader.open(out);
    const metric = await reader.readWholeField('robust_ferrari_canny');
    const sorted = Array.from(metric)
      .filter((m) => m > 0)
      .sort((a, b) => a - b);
    // A threshold between two stored values, so some default positives turn negative.
    const t = sorted[Math.floor(sorted.length / 2)]!;
    const stream = await SplitStream.open(out, 'all', 'train', t);
    let flipped = 0;
    for await (const b of stream.batches({ batchSize: 16 })) {
      for (let i = 0; i < b.size; i++) {
        const m = metric[b.indices[i]!]!;
        expect(b.labels[i]).toBe(m > t ? 1 : 0);
        if (m > 0.002 && m <= t) flipped++;
      }
    }
    expect(t).toBeGreaterThan(0.002);
    expect(flipped).toBeGreaterThan(0);
    await expect(SplitStream.open(out, 'all', 'train', Number.NaN)).rejects.toThrow(/threshold/);
    await expect(SplitStream.open(out, 'all', 'train', -1)).rejects.toThrow(/threshold/);
  });
});
