import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPng } from '../../src/image/png.js';
import { GQCNN_COMPACT, GQCNN_COMPACT_DEPTH_SUB } from '../../src/model/architecture.js';
import { loadModel } from '../../src/model/model-io.js';
import { trainModel } from '../../src/model/train.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { testTrainOptions, writeExampleDataset } from './example-dataset.js';

const tempDir = tempDirs('train');
const root = tempDir();
let dataset = '';
const options = testTrainOptions(GQCNN_COMPACT, 3);

beforeAll(async () => {
  dataset = await writeExampleDataset(root, 'parallel-jaw');
});

describe('training', () => {
  let uninterrupted = '';

  it('writes a loadable model folder with its report and plots', async () => {
    uninterrupted = join(root, 'model');
    const report = await trainModel(dataset, uninterrupted, options);
    if (!report) throw new Error('training did not finish');
    expect(report.history).toHaveLength(3);
    for (const h of report.history) {
      expect(Number.isFinite(h.trainLoss)).toBe(true);
      expect(h.valErrorRate).toBeGreaterThanOrEqual(0);
      expect(h.lastWeightsValErrorRate).toBeGreaterThanOrEqual(0); // the weight average is on by default
    }
    expect(report.validation.n).toBe(report.valSize);
    const model = await loadModel(uninterrupted);
    expect(model.arch.name).toBe('compact');
    expect(model.normalisation.imStd).toBeGreaterThan(0);
    expect(model.normalisation.poseMean[0]).toBeGreaterThan(0.5);
    for (const f of ['loss.png', 'error.png', 'roc.png', 'precision-recall.png']) {
      const png = readPng(readFileSync(join(uninterrupted, f)), f);
      expect(png.width).toBe(640);
    }
    expect(existsSync(join(uninterrupted, 'checkpoint.bin'))).toBe(false);
    // The folder records its dataset relative to itself, never as a path of this machine.
    expect(report.dataset).toBe('../ds');
    expect(JSON.parse(readFileSync(join(uninterrupted, 'report.json'), 'utf8')).dataset).toBe('../ds');
    expect(JSON.parse(readFileSync(join(uninterrupted, 'config.json'), 'utf8')).training.dataset).toBe('../ds');
    expect(readFileSync(join(uninterrupted, 'report.json'), 'utf8')).not.toContain(root);
  });

  it('an interrupted run resumes from its checkpoint and ends with the same weights', async () => {
    const out = join(root, 'resumed');
    const stop = new AbortController();
    let steps = 0;
    const first = await trainModel(
      dataset,
      out,
      options,
      (p) => {
        if (p.phase === 'train' && p.epoch === 1 && ++steps === 3) stop.abort();
      },
      stop.signal,
    );
    expect(first).toBeNull();
    expect(existsSync(join(out, 'checkpoint.bin'))).toBe(true);
    const second = await trainModel(dataset, out, options);
    expect(second?.resumedFromEpoch).toBe(1);
    const a = await loadModel(uninterrupted),
      b = await loadModel(out);
    for (const [name, w] of a.params) expect(b.params.get(name)).toEqual(w);
  });

  it('a global shuffle takes one pass over the training split per epoch and is deterministic per seed', async () => {
    const run = async (name: string) => {
      const r = await trainModel(dataset, join(root, name), { ...options, epochs: 2, shuffle: 'global' });
      return {
        history: r!.history.map((h) => [h.trainLoss, h.valErrorRate]),
        steps: r!.history.map((h) => h.steps),
        trainSize: r!.trainSize,
      };
    };
    const a = await run('global-a'),
      b = await run('global-b');
    expect(b.history).toEqual(a.history);
    expect(a.steps).toEqual([Math.ceil(a.trainSize / 32), 2 * Math.ceil(a.trainSize / 32)]);
  });

  it('saves the averaged weights by default and the last weights with average 0', async () => {
    const r = await trainModel(dataset, join(root, 'last'), { ...options, average: 0 });
    expect(r!.history[0]!.lastWeightsValErrorRate).toBeUndefined();
    const averaged = await loadModel(uninterrupted),
      last = await loadModel(join(root, 'last'));
    // Same seed and batches: the two runs differ only in which weights were saved.
    const name = [...last.params.keys()][0]!;
    expect(averaged.params.get(name)).not.toEqual(last.params.get(name));
    expect(r!.history.map((h) => h.trainLoss)).toEqual(
      (
        JSON.parse(readFileSync(join(uninterrupted, 'report.json'), 'utf8')) as { history: { trainLoss: number }[] }
      ).history.map((h) => h.trainLoss),
    );
  });

  it('an interrupted run can continue for more epochs, never fewer than it has done', async () => {
    const out = join(root, 'longer');
    const stop = new AbortController();
    await trainModel(
      dataset,
      out,
      { ...options, epochs: 3 },
      (p) => {
        if (p.phase === 'train' && p.epoch === 2) stop.abort();
      },
      stop.signal,
    );
    await expect(trainModel(dataset, out, { ...options, epochs: 1 })).rejects.toThrow(/2 epochs are already done/);
    const r = await trainModel(dataset, out, { ...options, epochs: 4 });
    expect(r!.resumedFromEpoch).toBe(2);
    expect(r!.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
  });

  it('refuses to resume with other settings', async () => {
    const out = join(root, 'mixed');
    const stop = new AbortController();
    await trainModel(
      dataset,
      out,
      { ...options, epochs: 2 },
      (p) => {
        if (p.phase === 'train' && p.epoch === 1) stop.abort();
      },
      stop.signal,
    );
    await expect(trainModel(dataset, out, { ...options, epochs: 2, seed: 9 })).rejects.toThrow(/other settings/);
  });

  it('fine-tuning starts from the init model: its weights and normalisation, not fresh ones', async () => {
    const init = await loadModel(uninterrupted);
    // A step too small to move the weights: what comes out is what went in.
    const still = { ...options, epochs: 1, average: 0, learningRate: 1e-9 };
    await trainModel(dataset, join(root, 'tuned'), { ...still, init: uninterrupted });
    await trainModel(dataset, join(root, 'fresh'), still);
    const tuned = await loadModel(join(root, 'tuned')),
      fresh = await loadModel(join(root, 'fresh'));
    expect(tuned.normalisation).toEqual(init.normalisation);
    const maxDiff = (m: typeof init) => {
      let d = 0;
      for (const [name, w] of init.params) {
        const v = m.params.get(name)!;
        for (let i = 0; i < w.length; i++) d = Math.max(d, Math.abs(w[i]! - v[i]!));
      }
      return d;
    };
    expect(maxDiff(tuned)).toBeLessThan(1e-5);
    expect(maxDiff(fresh)).toBeGreaterThan(1e-2);
    expect(JSON.parse(readFileSync(join(root, 'tuned', 'config.json'), 'utf8')).training.init).toBe('../model');
    await expect(
      trainModel(dataset, join(root, 'other'), { ...still, arch: GQCNN_COMPACT_DEPTH_SUB, init: uninterrupted }),
    ).rejects.toThrow(/--init model has architecture compact, this run trains compact-depth-sub/);
  });
});
