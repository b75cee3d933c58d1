import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageGrasp, type ImageGrasp } from '../../src/grasp/image-grasp.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { plan } from '../../src/policy/plan.js';
import { scoreGrasps } from '../../src/policy/grasp-scorer.js';
import { boxScene, K, randomJawModel } from '../helpers/jaw-scenes.js';
import { DEFAULT_ROBUST_SELECTION, perturbedGrasps, robustSelection } from '../../src/policy/robust-selection.js';

describe('robustSelection', () => {
  it('prefers a grasp whose neighbourhood scores well over a higher but isolated spike', async () => {
    const spike = imageGrasp({ x: 100, y: 100 }, 0, 0.7, 40);
    const broad = imageGrasp({ x: 200, y: 100 }, 0, 0.7, 40);
    // The network's q: 0.95 exactly at the spike and 0.1 around it; 0.8 everywhere near the broad grasp.
    const q = (g: ImageGrasp) =>
      Math.abs(g.center.x - 100) < 1e-9 && g.center.y === 100 && g.angle === 0 ? 0.95 : g.center.x < 150 ? 0.1 : 0.8;
    const calls: number[] = [];
    const score = async (gs: ImageGrasp[]) => {
      calls.push(gs.length);
      return Float32Array.from(gs, q);
    };
    const r = await robustSelection(
      [
        { grasp: spike, q: 0.95 },
        { grasp: broad, q: 0.8 },
      ],
      score,
    );
    expect(r.grasps[0]!.grasp).toBe(broad);
    expect(r.grasps[0]!.q).toBeCloseTo(0.8, 6);
    expect(r.grasps[1]!.q).toBeCloseTo((0.95 + 12 * 0.1) / 13, 6);
    expect(r.scoredCount).toBe(2 * DEFAULT_ROBUST_SELECTION.perturbations);
    expect(calls).toEqual([24]);
  });

  it('re-scores every candidate given, so an unperturbed single score never outranks a mean', async () => {
    const gs = Array.from({ length: 5 }, (_, i) => ({
      grasp: imageGrasp({ x: 10 * i, y: 0 }, 0.2, 0.7, 30),
      q: 0.9 - 0.1 * i,
    }));
    // Every perturbed copy scores 0.5: each mean is (q + 12 · 0.5) / 13, in the single scores' order.
    const r = await robustSelection(gs, async (b) => new Float32Array(b.length).fill(0.5), { finalists: 2 });
    expect(r.scoredCount).toBe(5 * DEFAULT_ROBUST_SELECTION.perturbations);
    expect(r.grasps.map((g) => g.grasp)).toEqual(gs.map((g) => g.grasp));
    r.grasps.forEach((g, i) => expect(g.q).toBeCloseTo((gs[i]!.q + 12 * 0.5) / 13, 6));
    const p = perturbedGrasps(gs[0]!.grasp, DEFAULT_ROBUST_SELECTION);
    for (const g of p) {
      expect(Math.hypot(g.center.x - gs[0]!.grasp.center.x, g.center.y - gs[0]!.grasp.center.y)).toBeCloseTo(3, 9);
      expect(Math.abs(g.angle - 0.2)).toBeCloseTo(0.1, 9);
      expect(Math.abs(g.depth - 0.7)).toBeCloseTo(0.004, 9);
    }
  });

  it('never returns a NaN q: non-finite perturbed scores are left out, a non-finite finalist is dropped', async () => {
    const a = { grasp: imageGrasp({ x: 10, y: 10 }, 0, 0.7, 30), q: 0.9 };
    const b = { grasp: imageGrasp({ x: 50, y: 10 }, 0, 0.7, 30), q: NaN };
    const r = await robustSelection([a, b], async (gs) => Float32Array.from(gs, (_g, i) => (i % 2 ? NaN : 0.6)));
    expect(r.grasps.map((g) => g.grasp)).toEqual([a.grasp]);
    expect(r.grasps[0]!.q).toBeCloseTo((0.9 + 6 * 0.6) / 7, 6);
  });
});

describe('plan() and robust selection', () => {
  let predictor: GqcnnPredictor;
  beforeAll(async () => {
    predictor = await GqcnnPredictor.create(randomJawModel(3), { intraOpNumThreads: 2 });
  });
  afterAll(async () => {
    await predictor.release();
  });
  const tall = boxScene(0.03, 0.08, 0.05);

  it('is off by default: the plan scores only its samples and returns the network q of its own crop', async () => {
    const r = await plan(tall.depth, K, predictor, { policy: 'ranking', segmask: tall.segmask, seed: 4 });
    expect(r.scoredCount).toBe(100);
    const g = r.grasps[0]!;
    const [q] = await scoreGrasps(predictor, tall.depth, [imageGrasp(g.center, g.angle, g.depth, g.widthPx)]);
    expect(g.q).toBeCloseTo(q!, 6);
  });

  it('on request re-scores the finalists under perturbation and returns their mean q', async () => {
    const base = await plan(tall.depth, K, predictor, { policy: 'ranking', segmask: tall.segmask, seed: 4 });
    const r = await plan(tall.depth, K, predictor, {
      policy: 'ranking',
      segmask: tall.segmask,
      seed: 4,
      robustSelection: { finalists: 4 },
    });
    // Four finalists, but the plan re-scores the 8 it may separate a grasp from: every one it can return carries a mean.
    expect(r.scoredCount).toBe(100 + 8 * DEFAULT_ROBUST_SELECTION.perturbations);
    const g = r.grasps[0]!;
    const own = imageGrasp(g.center, g.angle, g.depth, g.widthPx);
    const q = await scoreGrasps(predictor, tall.depth, [own, ...perturbedGrasps(own, DEFAULT_ROBUST_SELECTION)]);
    expect(g.q).toBeCloseTo(q.reduce((a, b) => a + b, 0) / q.length, 5);
    // Before every candidate in reach was re-scored, a candidate past the four finalists won here by its single score.
    expect(Math.abs(g.q - q[0]!)).toBeGreaterThan(1e-3);
    expect(g.q).toBeLessThanOrEqual(base.grasps[0]!.q + 1e-6);
  });
});
