import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOXI_INTRINSICS } from '../../src/geometry/camera-intrinsics.js';
import { boxMesh, cylinderMesh } from '../../src/geometry/primitives.js';
import {
  dropEpisodeHeap,
  runBinEpisode,
  type BinEpisodeOptions,
  type EpisodeResult,
} from '../../src/evaluate/bin-episode.js';
import { prepareTrialObject } from '../../src/evaluate/trial-scene.js';
import { BUNDLED_SUCTION_MODEL_DIR, loadBundledPredictor } from '../../src/model/bundled-model.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';

// Small procedural objects the jaws (5 cm opening) can close on, and an 8 cm cube they cannot close on at all.
const small = [
  prepareTrialObject('box', boxMesh(0.03, 0.04, 0.03)),
  prepareTrialObject('slab', boxMesh(0.025, 0.05, 0.02)),
  prepareTrialObject('can', cylinderMesh(0.015, 0.05, 24)),
];
const cube = [prepareTrialObject('cube', boxMesh(0.08, 0.08, 0.08))];

let jaw: GqcnnPredictor;
beforeAll(async () => {
  jaw = await loadBundledPredictor();
});
afterAll(async () => {
  await jaw.release();
});

const options = (extra: Partial<BinEpisodeOptions> = {}): BinEpisodeOptions => ({
  gripper: 'parallel-jaw',
  predictors: { jaw },
  camera: { intrinsics: PHOXI_INTRINSICS, structuredLight: {} },
  images: false,
  ...extra,
});

/** The records without what depends on the machine (timings). */
const outcome = (r: EpisodeResult) => ({
  ...r,
  attempts: r.attempts.map(({ wallMs: _w, planMs: _p, ...a }) => a),
});

describe('runBinEpisode', () => {
  it('clears a tiny heap: every success takes its object out, failures leave the heap, and it ends when empty', async () => {
    const heap = await dropEpisodeHeap(small, 3, 7);
    expect(heap.poses.every((p) => p !== null)).toBe(true);
    const r = await runBinEpisode(heap, options());
    const picks = r.attempts.filter((a) => a.success);
    // Each success names the object taken out at that attempt, and each object is picked at most once.
    for (const a of picks) {
      const o = r.objects.find((x) => x.id === a.picked)!;
      expect(o.removed).toEqual({ how: 'picked', at: a.attempt });
    }
    expect(new Set(picks.map((a) => a.picked)).size).toBe(picks.length);
    expect(r.attempts.filter((a) => !a.success).every((a) => a.picked === null)).toBe(true);
    // It stopped for one of its reasons: the bin is empty exactly when every object is out.
    const left = r.objects.filter((o) => !o.removed).length;
    expect(r.stop === 'bin empty').toBe(left === 0);
    expect(r.attempts.length).toBeLessThanOrEqual(2 * 3 + 5);
    // These objects are easy for the jaws: most attempts succeed.
    expect(picks.length).toBeGreaterThanOrEqual(2);
    // Each grasp on an object reports how its weight loads the pinch: 17–25 g at 700 kg/m³ load the pads' friction
    // (5 N at μ 0.5) by 3.4–4.9 %, and no lever inside these objects adds half the torsion's reach.
    for (const a of r.attempts) {
      expect(a.pinchLoad !== undefined).toBe(a.target !== null);
      if (a.target !== null) {
        expect(a.pinchLoad!).toBeGreaterThan(0.02);
        expect(a.pinchLoad!).toBeLessThan(0.6);
      }
    }
  }, 60_000);

  it("reports, for each cup on an object, whether the seal model seals it on the target's true surface", async () => {
    // Box tops 3 × 4 cm and more: the cup (1.5 cm) seals on most; a pick MuJoCo lifts was sealed by both referees.
    const suction = await GqcnnPredictor.load(BUNDLED_SUCTION_MODEL_DIR);
    try {
      const heap = await dropEpisodeHeap(small.slice(0, 2), 2, 7);
      const r = await runBinEpisode(heap, options({ gripper: 'suction', predictors: { suction }, maxAttempts: 3 }));
      const onObjects = r.attempts.filter((a) => a.target !== null);
      expect(onObjects.length).toBeGreaterThan(0);
      for (const a of r.attempts) {
        expect(a.seal !== undefined).toBe(a.target !== null);
        expect(a.pinchLoad).toBeUndefined();
        if (a.success) expect(a.seal).toBe('sealed');
      }
    } finally {
      await suction.release();
    }
  }, 60_000);

  it('is deterministic: the same heap and seed give the same attempts, grasps and outcomes', async () => {
    const heap = await dropEpisodeHeap(small, 2, 3);
    const again = await dropEpisodeHeap(small, 2, 3);
    expect(again.poses.map((p) => p?.translation)).toEqual(heap.poses.map((p) => p?.translation));
    const a = await runBinEpisode(heap, options());
    const b = await runBinEpisode(again, options());
    expect(outcome(b)).toEqual(outcome(a));
  }, 60_000);

  it('stops after 5 failures in a row on an object the jaws cannot pick, or at the attempt limit', async () => {
    const heap = await dropEpisodeHeap(cube, 1, 1);
    const r = await runBinEpisode(heap, options({ images: true }));
    expect(r.stop).toBe('failures in a row');
    expect(r.attempts).toHaveLength(5);
    expect(r.attempts.every((a) => !a.success)).toBe(true);
    expect(r.objects[0].removed).toBeUndefined();
    // Every attempt has its picture (a PNG), whether or not a grasp was planned.
    for (const a of r.attempts) expect(Array.from(a.png!.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    const limited = await runBinEpisode(heap, options({ maxFailures: 10, maxAttempts: 2 }));
    expect(limited.stop).toBe('attempt limit');
    expect(limited.attempts).toHaveLength(2);
  }, 60_000);

  it('executes only grasps whose q reaches minQ; below it an attempt plans nothing and counts as a failure in a row', async () => {
    const cubeHeap = await dropEpisodeHeap(cube, 1, 1);
    const refused = await runBinEpisode(cubeHeap, options({ minQ: 1 }));
    expect(refused.stop).toBe('failures in a row');
    expect(refused.attempts.map((a) => [a.gripper, a.grasp, a.reason])).toEqual(
      Array.from({ length: 5 }, () => [null, null, 'no grasp planned']),
    );
    const heap = await dropEpisodeHeap(small, 3, 7);
    const all = await runBinEpisode(heap, options());
    const confident = await runBinEpisode(heap, options({ minQ: 0.5 }));
    for (const a of confident.attempts) expect(a.gripper === null || a.q! >= 0.5).toBe(true);
    // The first plan sees the same image either way: executed alike when its q clears the bar, refused otherwise.
    expect(confident.attempts[0].grasp !== null).toBe(all.attempts[0].q! >= 0.5);
  }, 60_000);

  it('after a failure, plans away from the failed grasp while the heap there looks the same', async () => {
    // Nearly frictionless pads plan as usual but never lift: every attempt fails and leaves the heap as it was.
    const heap = await dropEpisodeHeap(small, 1, 5);
    const slippery = { friction: 0.02 };
    const failedAt = (r: EpisodeResult) => r.attempts.filter((a) => a.grasp).map((a) => a.grasp!);
    const run = await runBinEpisode(heap, options(slippery));
    const avoiding = failedAt(run);
    expect(avoiding.length).toBeGreaterThanOrEqual(2);
    // Each plan keeps clear of every earlier failure it still remembers: those where the heap looks unchanged.
    let remembered = 0;
    for (const a of run.attempts) {
      expect(a.avoiding!.every((n) => n < a.attempt)).toBe(true);
      for (const n of a.avoiding!) {
        const earlier = run.attempts.find((e) => e.attempt === n)!.grasp!;
        const radius = (PHOXI_INTRINSICS.fx * 0.01) / earlier.depth;
        if (a.grasp)
          expect(Math.hypot(a.grasp.center.x - earlier.center.x, a.grasp.center.y - earlier.center.y)).toBeGreaterThan(
            radius - 1,
          );
        remembered++;
      }
    }
    expect(remembered).toBeGreaterThanOrEqual(2);
    // Without the memory the planner comes back to where it failed (the heap barely moved).
    const repeating = failedAt(await runBinEpisode(heap, options({ ...slippery, avoidFailed: 0 })));
    const returns = repeating.filter((g, i) =>
      repeating
        .slice(0, i)
        .some(
          (e) => Math.hypot(g.center.x - e.center.x, g.center.y - e.center.y) < (PHOXI_INTRINSICS.fx * 0.01) / e.depth,
        ),
    );
    expect(returns.length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
