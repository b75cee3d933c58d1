// The calibration map: the monotone fit against the closed form of isotonic regression (each point's fitted share is
// max over windows starting at or before it of min over windows ending at or after it of the window's mean), the
// pooling floor, the shrinkage, interpolation, the file round trip and what a broken calibration is told.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import {
  calibrateQ,
  fitCalibration,
  validateCalibration,
  type CalibrationSample,
  type QCalibration,
} from '../../src/model/calibration.js';
import { loadModel, saveCalibration, saveModel } from '../../src/model/model-io.js';
import { randomJawModel } from '../helpers/jaw-scenes.js';

/** Grasps at one q, `held` of them held. */
const at = (q: number, n: number, held: number): CalibrationSample[] =>
  Array.from({ length: n }, (_, i) => ({ q, success: i < held }));

describe('fitCalibration', () => {
  it('keeps shares that already rise, one knot each, shrunk as (held + 1) / (grasps + 2)', () => {
    const c = fitCalibration([...at(0.8, 20, 18), ...at(0.2, 20, 5), ...at(0.5, 20, 10)]);
    [0.2, 0.5, 0.8].forEach((q, i) => expect(c.q[i]).toBeCloseTo(q, 12));
    expect(c.held).toEqual([5, 10, 18]);
    expect(c.p).toEqual([6 / 22, 11 / 22, 19 / 22]);
    expect(c.grasps).toEqual([20, 20, 20]);
    expect(c.attempts).toBe(60);
  });

  it('pools shares that fall with q into one flat map at their joint share', () => {
    const c = fitCalibration([...at(0.3, 20, 15), ...at(0.7, 20, 5)]);
    expect(c.q).toHaveLength(1);
    expect(c.q[0]).toBeCloseTo(0.5, 12);
    expect(c.p).toEqual([21 / 42]);
    for (const q of [0, 0.3, 0.5, 0.9, 1]) expect(calibrateQ(c, q)).toBe(0.5);
  });

  it('equals the closed form of isotonic regression on random grasps (minPool 1)', () => {
    const rng = new Random(11);
    for (let trial = 0; trial < 30; trial++) {
      const n = 2 + Math.floor(rng.next() * 40);
      const samples = Array.from({ length: n }, () => {
        const q = rng.next();
        return { q, success: rng.next() < 0.2 + 0.7 * q };
      });
      const c = fitCalibration(samples, { minPool: 1 });
      const sorted = [...samples].sort((a, b) => a.q - b.q);
      const y = sorted.map((s): number => (s.success ? 1 : 0));
      const mean = (a: number, b: number) => y.slice(a, b + 1).reduce((s, v) => s + v, 0) / (b - a + 1);
      // Each knot is one pool: its raw share is checked at every grasp it holds.
      let k = 0,
        left = c.grasps![0]!;
      for (let i = 0; i < n; i++) {
        let best = -Infinity;
        for (let a = 0; a <= i; a++) {
          let worst = Infinity;
          for (let b = i; b < n; b++) worst = Math.min(worst, mean(a, b));
          best = Math.max(best, worst);
        }
        expect(c.held![k]! / c.grasps![k]!).toBeCloseTo(best, 9);
        expect(c.p[k]).toBeGreaterThanOrEqual((c.held![k]! + 1) / (c.grasps![k]! + 2) - 1e-12);
        if (--left === 0 && k + 1 < c.q.length) left = c.grasps![++k]!;
      }
    }
  });

  it('leaves no knot on fewer than minPool grasps, and the map rises with q', () => {
    const rng = new Random(5);
    const samples = Array.from({ length: 300 }, () => {
      const q = rng.next() ** 0.5;
      return { q, success: rng.next() < q };
    });
    const c = fitCalibration(samples, { minPool: 25 });
    expect(c.grasps!.every((g) => g >= 25)).toBe(true);
    expect(c.grasps!.reduce((s, g) => s + g, 0)).toBe(300);
    for (let i = 1; i < c.q.length; i++) {
      expect(c.q[i]).toBeGreaterThan(c.q[i - 1]!);
      expect(c.p[i]).toBeGreaterThanOrEqual(c.p[i - 1]!);
    }
    let last = -Infinity;
    for (let q = 0; q <= 1; q += 0.001) {
      const p = calibrateQ(c, q);
      expect(p).toBeGreaterThanOrEqual(last);
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
      last = p;
    }
  });

  it('refuses too few grasps and q outside [0, 1]', () => {
    expect(() => fitCalibration(at(0.5, 19, 10))).toThrow(/at least 20/);
    expect(() => fitCalibration([...at(0.5, 30, 10), { q: 1.5, success: true }])).toThrow(/\[0, 1\]/);
    expect(() => fitCalibration(at(0.5, 30, 10), { minPool: 0 })).toThrow(/minPool/);
  });
});

describe('calibrateQ', () => {
  const c: QCalibration = { q: [0.2, 0.6, 0.9], p: [0.3, 0.5, 0.95], attempts: 90 };
  it('is linear between knots and flat beyond them; without a map, q itself', () => {
    expect(calibrateQ(c, 0)).toBe(0.3);
    expect(calibrateQ(c, 0.2)).toBe(0.3);
    expect(calibrateQ(c, 0.4)).toBeCloseTo(0.4, 12);
    expect(calibrateQ(c, 0.75)).toBeCloseTo(0.725, 12);
    expect(calibrateQ(c, 0.9)).toBe(0.95);
    expect(calibrateQ(c, 1)).toBe(0.95);
    expect(calibrateQ(undefined, 0.42)).toBe(0.42);
  });
});

describe('calibration in the model folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dexnet-calibration-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  it('round-trips, is patched into config.json without touching the rest, and removed again', async () => {
    const d = path.join(dir, 'm');
    await saveModel(d, randomJawModel(3));
    expect((await loadModel(d)).calibration).toBeUndefined();
    const c = { ...fitCalibration([...at(0.3, 20, 8), ...at(0.9, 20, 19)]), sources: ['a/report.json'] };
    const before = JSON.parse(await fs.readFile(path.join(d, 'config.json'), 'utf8'));
    await saveCalibration(d, c);
    const after = JSON.parse(await fs.readFile(path.join(d, 'config.json'), 'utf8'));
    expect({ ...after, calibration: undefined }).toEqual({ ...before, calibration: undefined });
    expect((await loadModel(d)).calibration).toEqual(c);
    await saveModel(path.join(dir, 'n'), { ...randomJawModel(3), calibration: c });
    expect((await loadModel(path.join(dir, 'n'))).calibration).toEqual(c);
    await saveCalibration(d, null);
    expect((await loadModel(d)).calibration).toBeUndefined();
    expect(await fs.readdir(d)).toEqual(expect.arrayContaining(['config.json', 'model.onnx']));
  });

  it('a broken calibration is refused with the file and what was expected', async () => {
    const d = path.join(dir, 'bad');
    await saveModel(d, randomJawModel(3));
    const file = path.join(d, 'config.json');
    const cfg = JSON.parse(await fs.readFile(file, 'utf8'));
    for (const [calibration, message] of [
      [{ q: [0.2, 0.1], p: [0.3, 0.4], attempts: 5 }, /q must increase/],
      [{ q: [0.2, 0.5], p: [0.6, 0.4], attempts: 5 }, /p must not decrease/],
      [{ q: [0.2], p: [1.4], attempts: 5 }, /p\[0\] must be a number in \[0, 1\]/],
      [{ q: [0.2, 0.5], p: [0.3], attempts: 5 }, /arrays q and p/],
      [{ q: [0.2], p: [0.3], attempts: -1 }, /attempts/],
      [[1, 2], /must be an object/],
    ] as const) {
      await fs.writeFile(file, JSON.stringify({ ...cfg, calibration }));
      const err = await loadModel(d).catch((e) => e);
      expect(err).toBeInstanceOf(UserInputError);
      expect(err.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: calibration`));
      expect(err.message).toMatch(message);
    }
    expect(() => validateCalibration({ q: [0.5], p: [0.5], attempts: 3, grasps: [1, 2] }, 'x')).toThrow(/grasps/);
  });
});
