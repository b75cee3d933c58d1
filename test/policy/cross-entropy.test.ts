// The cross-entropy policy with synthetic quality functions: it climbs towards a known optimum, is reproducible, and fails with a typed error.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { centerInMask, crossEntropyPlan, NoPlausibleGraspError } from '../../src/policy/cross-entropy.js';
import { NoValidGraspError } from '../../src/core/errors.js';
import { angleDifference, imageGrasp, type ImageGrasp } from '../../src/grasp/image-grasp.js';

const TARGET = imageGrasp({ x: 400, y: 200 }, 0.6, 0.68, 40);

/** Quality peaked at TARGET: Gaussian in centre (σ 25 px), angle (σ 0.4 rad) and depth (σ 2 cm). */
function peaked(g: ImageGrasp): number {
  const dc = Math.hypot(g.center.x - TARGET.center.x, g.center.y - TARGET.center.y);
  const da = angleDifference(g.angle, TARGET.angle);
  const dz = g.depth - TARGET.depth;
  return Math.exp(-(dc * dc) / (2 * 25 * 25) - (da * da) / (2 * 0.4 * 0.4) - (dz * dz) / (2 * 0.02 * 0.02));
}

function seeds(rng: Random, n: number): ImageGrasp[] {
  const out: ImageGrasp[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      imageGrasp(
        { x: rng.uniform(100, 540), y: rng.uniform(100, 380) },
        rng.uniform(-Math.PI / 2, Math.PI / 2),
        rng.uniform(0.665, 0.7),
        40,
      ),
    );
  return out;
}

const inImage = (g: ImageGrasp) => g.center.x >= 0 && g.center.x <= 639 && g.center.y >= 0 && g.center.y <= 479;
const score = (gs: ImageGrasp[]) => Float32Array.from(gs, peaked);

describe('cross-entropy policy', () => {
  it('concentrates samples around the optimum and beats the best seed on average', async () => {
    let seedBest = 0,
      cemBest = 0,
      seedMean = 0,
      finalMean = 0;
    const runs = 12;
    for (let s = 0; s < runs; s++) {
      const initial = seeds(new Random(100 + s), 250);
      const q0 = initial.map(peaked);
      const r = await crossEntropyPlan({ initial, score, rng: new Random(s), isValid: inImage });
      seedBest += Math.max(...q0) / runs;
      seedMean += q0.reduce((a, b) => a + b, 0) / q0.length / runs;
      cemBest += r.best.q / runs;
      finalMean += r.final.reduce((a, b) => a + b.q, 0) / r.final.length / runs;
      expect(r.scoredCount).toBe(250 + 3 * 50);
      expect(r.final.length).toBe(50);
      expect(r.best.q).toBe(Math.max(...r.final.map((x) => x.q)));
      expect(Math.hypot(r.best.grasp.center.x - 400, r.best.grasp.center.y - 200)).toBeLessThan(60);
    }
    // gqcnn's settings (3 rounds, 50 samples, many small components) sharpen the distribution more than the maximum.
    expect(finalMean).toBeGreaterThan(10 * seedMean);
    expect(cemBest).toBeGreaterThan(seedBest);
  });

  it('keeps only valid resampled grasps and gives them the gripper width for their depth', async () => {
    const initial = seeds(new Random(1), 100);
    const left = (g: ImageGrasp) => g.center.x < 320;
    const r = await crossEntropyPlan({ initial, score, rng: new Random(2), isValid: left, widthPx: (z) => 27.2 / z });
    for (const s of r.all.slice(100)) {
      expect(s.grasp.center.x).toBeLessThan(320);
      expect(s.grasp.widthPx).toBeCloseTo(27.2 / s.grasp.depth, 9);
      expect(s.grasp.angle).toBeGreaterThan(-Math.PI / 2);
      expect(s.grasp.angle).toBeLessThanOrEqual(Math.PI / 2);
    }
  });

  it('is deterministic per seed and accepts an async score function', async () => {
    const initial = seeds(new Random(3), 120);
    const asyncScore = async (gs: ImageGrasp[]) => {
      await new Promise((res) => setTimeout(res, 1));
      return gs.map(peaked);
    };
    const a = await crossEntropyPlan({ initial, score: asyncScore, rng: new Random(9) });
    const b = await crossEntropyPlan({ initial, score, rng: new Random(9) });
    const c = await crossEntropyPlan({ initial, score, rng: new Random(10) });
    expect(a.best.grasp).toEqual(b.best.grasp);
    expect(a.all.map((s) => s.grasp)).toEqual(b.all.map((s) => s.grasp));
    expect(a.best.grasp).not.toEqual(c.best.grasp);
  });

  it('throws NoValidGraspError for no seeds, no valid resample, or no finite quality', async () => {
    const initial = seeds(new Random(4), 20);
    await expect(crossEntropyPlan({ initial: [], score, rng: new Random(1) })).rejects.toBeInstanceOf(
      NoValidGraspError,
    );
    await expect(
      crossEntropyPlan({ initial, score, rng: new Random(1), isValid: () => false, maxResampleRounds: 3 }),
    ).rejects.toThrow(/no valid grasps/);
    await expect(
      crossEntropyPlan({ initial, score: (gs) => gs.map(() => NaN), rng: new Random(1), iterations: 0 }),
    ).rejects.toBeInstanceOf(NoValidGraspError);
    await expect(crossEntropyPlan({ initial, score: () => [1], rng: new Random(1) })).rejects.toThrow(
      /returned 1 values for 20/,
    );
  });

  it('with zero iterations is plain ranking: the argmax of the seeds', async () => {
    const initial = seeds(new Random(5), 40);
    const r = await crossEntropyPlan({ initial, score, rng: new Random(1), iterations: 0 });
    expect(r.scoredCount).toBe(40);
    expect(r.best.q).toBe(Math.max(...Array.from(score(initial))));
  });

  it('validates centres against the image, a border margin and the segmask', () => {
    const mask = { width: 10, height: 8, data: new Uint8Array(80) };
    mask.data[3 * 10 + 4] = 1;
    const at = (x: number, y: number) => imageGrasp({ x, y }, 0, 0.6, 5);
    const onObject = centerInMask(10, 8, mask);
    expect(onObject(at(4.2, 2.8))).toBe(true);
    expect(onObject(at(5, 3))).toBe(false);
    expect(onObject(at(-1, 3))).toBe(false);
    const inside = centerInMask(10, 8, null, 2);
    expect(inside(at(2, 2))).toBe(true);
    expect(inside(at(1, 4))).toBe(false);
    expect(inside(at(7, 6))).toBe(false);
    expect(inside(at(Number.NaN, 4))).toBe(false);
    expect(() => centerInMask(11, 8, mask)).toThrow(/10×8/);
  });
});

describe('cross-entropy policy with a plausibility check', () => {
  it('leaves implausible grasps out of the elite and the result, even where they score best', async () => {
    // The optimum (x 400) is implausible: only grasps left of x 300 may be picked.
    const initial = seeds(new Random(3), 250);
    const ok = (s: { grasp: ImageGrasp }) => s.grasp.center.x < 300;
    const r = await crossEntropyPlan({ initial, score, rng: new Random(4), plausible: ok });
    expect(r.best.grasp.center.x).toBeLessThan(300);
    const bestPlausible = Math.max(...r.final.filter(ok).map((s) => s.q));
    expect(r.best.q).toBe(bestPlausible);
    // Refitted to plausible grasps only, the resampled rounds stay mostly on the plausible side; without the check
    // they move to the optimum.
    const resampled = r.all.slice(250);
    expect(resampled.filter(ok).length / resampled.length).toBeGreaterThan(0.6);
    const free = await crossEntropyPlan({ initial, score, rng: new Random(4) });
    const freeResampled = free.all.slice(250);
    expect(freeResampled.filter(ok).length / freeResampled.length).toBeLessThan(0.3);
  });

  it('throws NoPlausibleGraspError (a NoValidGraspError) when nothing it scored is plausible', async () => {
    const initial = seeds(new Random(5), 50);
    const attempt = crossEntropyPlan({ initial, score, rng: new Random(6), plausible: () => false });
    await expect(attempt).rejects.toBeInstanceOf(NoPlausibleGraspError);
    await expect(attempt).rejects.toBeInstanceOf(NoValidGraspError);
  });
});
