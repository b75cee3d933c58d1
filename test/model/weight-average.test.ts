import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GQCNN_COMPACT, initParameters, type Params } from '../../src/model/architecture.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/model/checkpoint.js';
import { WeightAverage } from '../../src/model/weight-average.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('avg');

const params = (v: number[]): Params => new Map([['w', Float32Array.from(v)]]);

describe('weight average', () => {
  it('is the closed-form exponential average, with the early decay cap', () => {
    const avg = new WeightAverage(0.5, params([0, 0]));
    // Update t uses d = min(0.5, (1 + t) / (10 + t)): 0.1, 2/11, 0.25, …
    avg.update(params([10, -10]));
    expect(Array.from(avg.params.get('w')!)).toEqual([9, -9]);
    avg.update(params([0, 0]));
    const d1 = 2 / 11;
    expect(avg.params.get('w')![0]).toBeCloseTo(9 * d1, 5);
    avg.update(params([4, 4]));
    expect(avg.params.get('w')![0]).toBeCloseTo(0.25 * 9 * d1 + 0.75 * 4, 5);
    expect(avg.updates).toBe(3);
  });

  it('leaves constant weights unchanged and copies its start (training must not move it)', () => {
    const start = params([1, 2, 3]);
    const avg = new WeightAverage(0.999, start);
    start.get('w')![0] = 100;
    for (let i = 0; i < 50; i++) avg.update(params([1, 2, 3]));
    expect(Array.from(avg.params.get('w')!)).toEqual([1, 2, 3]);
  });

  it('rejects decays outside (0, 1) and resized parameters', () => {
    expect(() => new WeightAverage(1, params([1]))).toThrow(/decay must be in \(0, 1\)/);
    expect(() => new WeightAverage(0, params([1]))).toThrow(/decay/);
    expect(() => new WeightAverage(0.9, params([1])).update(params([1, 2]))).toThrow(/w missing or resized/);
  });

  it('round-trips through a checkpoint with its update count', async () => {
    const p = initParameters(GQCNN_COMPACT, 1);
    const avg = new WeightAverage(0.99, p);
    avg.update(initParameters(GQCNN_COMPACT, 2));
    const file = join(tempDir(), 'ck.bin');
    await saveCheckpoint(file, {
      arch: GQCNN_COMPACT,
      params: p,
      optimizer: { kind: 'momentum', iteration: 1, slots: {} },
      progress: {},
      average: { updates: avg.updates, params: avg.params },
    });
    const ck = await loadCheckpoint(file, GQCNN_COMPACT);
    expect(ck.average?.updates).toBe(1);
    for (const [k, v] of avg.params) expect(ck.average!.params.get(k)).toEqual(v);
    for (const [k, v] of p) expect(ck.params.get(k)).toEqual(v);
    await saveCheckpoint(file, {
      arch: GQCNN_COMPACT,
      params: p,
      optimizer: { kind: 'momentum', iteration: 1, slots: {} },
      progress: {},
    });
    expect((await loadCheckpoint(file)).average).toBeUndefined();
  });
});
