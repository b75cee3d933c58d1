// The ambidextrous policy returns exactly the best grasps of the two single-gripper plans by q (brute force: both plans
// run on their own with the same options), names each grasp's gripper, falls back to the one gripper that has a grasp,
// and refuses only when neither has one — with the higher of the two best q under minQ.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { boxScene, K, randomJawModel } from '../helpers/jaw-scenes.js';
import { planAmbidextrous } from '../../src/policy/ambidextrous.js';
import { BelowMinQError, NoValidGraspError, plan, type PlanResult } from '../../src/policy/plan.js';
import { planResultJson } from '../../src/policy/plan-io.js';
import { randomSuctionModel } from '../helpers/suction-scenes.js';

let jaw: GqcnnPredictor, suction: GqcnnPredictor;
beforeAll(async () => {
  // Random weights: the tests check how the two plans are combined, not grasp quality.
  [jaw, suction] = await Promise.all([
    GqcnnPredictor.create(randomJawModel(7), { intraOpNumThreads: 1 }),
    GqcnnPredictor.create(randomSuctionModel(3), { intraOpNumThreads: 1 }),
  ]);
});
afterAll(async () => {
  await Promise.all([jaw?.release(), suction?.release()]);
});

/** A plan's grasps without the fields that differ between runs. */
const grasps = (r: PlanResult) =>
  r.grasps.map(({ center, angle, depth, q, suction: s }) => ({ center, angle, depth, q, s }));

describe('planAmbidextrous', () => {
  it.each(['ranking', 'fc'] as const)(
    '%s: the best grasps over both single-gripper plans, each named',
    async (policy) => {
      const scene = boxScene(0.03, 0.08, 0.05);
      const options = { policy, segmask: scene.segmask, topK: 4, seed: 3, explain: 6 };
      const both = await planAmbidextrous(scene.depth, K, { jaw, suction }, options);
      const alone = {
        // Beside the cup the jaws plan with robust selection (their default there).
        'parallel-jaw': await plan(scene.depth, K, jaw, { ...options, gripper: 'parallel-jaw', robustSelection: true }),
        suction: await plan(scene.depth, K, suction, { ...options, gripper: 'suction' }),
      };
      const union = [...alone['parallel-jaw'].grasps, ...alone.suction.grasps].sort((a, b) => b.q - a.q).slice(0, 4);
      expect(grasps(both)).toEqual(grasps({ ...both, grasps: union }));
      for (const g of both.grasps) expect(g.gripper).toBe(g.suction ? 'suction' : 'parallel-jaw');
      expect(both.gripper).toBe(both.grasps[0].gripper);
      expect(both.byGripper?.map((o) => [o.gripper, o.q, o.scoredCount])).toEqual([
        ['parallel-jaw', alone['parallel-jaw'].grasps[0].q, alone['parallel-jaw'].scoredCount],
        ['suction', alone.suction.grasps[0].q, alone.suction.scoredCount],
      ]);
      expect(both.scoredCount).toBe(alone['parallel-jaw'].scoredCount + alone.suction.scoredCount);
      // Explained candidates: the best six of both lists, named.
      const candidates = [...alone['parallel-jaw'].candidates!, ...alone.suction.candidates!].sort((a, b) => b.q - a.q);
      expect(both.candidates?.map((c) => c.q)).toEqual(candidates.slice(0, 6).map((c) => c.q));
      for (const c of both.candidates!) expect(c.gripper).toBe(c.approach ? 'suction' : 'parallel-jaw');
      const json = planResultJson(both);
      expect(json.gripper).toBe(both.grasps[0].gripper);
      expect(json.byGripper).toHaveLength(2);
    },
  );

  it('takes the cup where the jaws cannot open wide enough, and says why the jaws have none', async () => {
    // 12 cm square: wider than the 5 cm opening every way, with a flat top for the cup.
    const wide = boxScene(0.12, 0.12, 0.03);
    const r = await planAmbidextrous(wide.depth, K, { jaw, suction }, { policy: 'ranking', segmask: wide.segmask });
    expect(r.gripper).toBe('suction');
    expect(r.grasps[0].suction).toBeDefined();
    const [jawOutcome, cupOutcome] = r.byGripper!;
    expect(jawOutcome.q).toBeUndefined();
    expect(jawOutcome.reason).toMatch(/grasp/);
    expect(cupOutcome.q).toBe(r.grasps[0].q);
  });

  it('refuses only when neither gripper has a grasp: under minQ with the higher best q', async () => {
    const scene = boxScene(0.03, 0.08, 0.05);
    const options = { policy: 'ranking' as const, segmask: scene.segmask, seed: 1 };
    const best = await planAmbidextrous(scene.depth, K, { jaw, suction }, options);
    const top = Math.max(...best.byGripper!.map((o) => o.q!));
    expect(best.grasps[0].q).toBe(top);
    const refused = await planAmbidextrous(scene.depth, K, { jaw, suction }, { ...options, minQ: 1 }).catch((e) => e);
    expect(refused).toBeInstanceOf(BelowMinQError);
    expect(refused.bestQ).toBe(top);
    // Between the two best q: only the better gripper's grasp is left.
    const low = Math.min(...best.byGripper!.map((o) => o.q!));
    if (top > low) {
      const r = await planAmbidextrous(scene.depth, K, { jaw, suction }, { ...options, minQ: (top + low) / 2 });
      expect(r.grasps[0].q).toBe(top);
      expect(r.byGripper!.filter((o) => o.reason).map((o) => o.reason)).toEqual([expect.stringMatching(/q ≥/)]);
    }
    // A segmask on no pixel: both fail, and the message names both.
    const empty = { ...scene.segmask, data: new Uint8Array(scene.segmask.data.length) };
    const none = await planAmbidextrous(scene.depth, K, { jaw, suction }, { ...options, segmask: empty }).catch(
      (e) => e,
    );
    expect(none).toBeInstanceOf(NoValidGraspError);
    expect(none.message).toMatch(/^parallel-jaw: no antipodal grasp candidates .*; suction: no suction candidates/);
  });

  it('compares the grippers on calibrated q and returns the network q beside it; minQ reads the calibrated q', async () => {
    const scene = boxScene(0.03, 0.08, 0.05);
    const options = { policy: 'ranking' as const, segmask: scene.segmask, seed: 1 };
    // A flat map: every grasp of that model held with share p.
    const flat = (p: number) => ({ q: [0.5], p: [p], attempts: 40 });
    for (const [jawP, cupP, winner] of [
      [0.9, 0.2, 'parallel-jaw'],
      [0.2, 0.9, 'suction'],
    ] as const) {
      const j = await GqcnnPredictor.create(
        { ...randomJawModel(7), calibration: flat(jawP) },
        { intraOpNumThreads: 1 },
      );
      const s = await GqcnnPredictor.create(
        { ...randomSuctionModel(3), calibration: flat(cupP) },
        { intraOpNumThreads: 1 },
      );
      try {
        const r = await planAmbidextrous(scene.depth, K, { jaw: j, suction: s }, options);
        const alone = await plan(scene.depth, K, winner === 'suction' ? suction : jaw, {
          ...options,
          gripper: winner,
          robustSelection: winner === 'parallel-jaw',
        });
        expect(r.gripper).toBe(winner);
        expect(r.grasps[0].q).toBe(winner === 'suction' ? cupP : jawP);
        expect(r.grasps[0].networkQ).toBe(alone.grasps[0].q);
        expect(r.grasps[0].center).toEqual(alone.grasps[0].center);
        expect(r.byGripper!.map((o) => o.q)).toEqual([jawP, cupP]);
        // minQ against the calibrated q: 0.85 keeps the winner whatever its network q; 0.95 refuses with 0.9.
        const kept = await planAmbidextrous(scene.depth, K, { jaw: j, suction: s }, { ...options, minQ: 0.85 });
        expect(kept.gripper).toBe(winner);
        const refused = await planAmbidextrous(
          scene.depth,
          K,
          { jaw: j, suction: s },
          { ...options, minQ: 0.95 },
        ).catch((e) => e);
        expect(refused).toBeInstanceOf(BelowMinQError);
        expect(refused.bestQ).toBe(0.9);
      } finally {
        await Promise.all([j.release(), s.release()]);
      }
    }
  });
});
