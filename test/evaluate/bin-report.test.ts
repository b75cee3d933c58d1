import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../src/evaluate/bin-episode.js';
import { picksPerHour, summarizeEpisodes, type EpisodeRecord } from '../../src/evaluate/bin-report.js';
import { wilsonInterval } from '../../src/evaluate/confidence-interval.js';

/** An attempt with the fields the figures read; the rest as a plain failed plan would have them. */
function attempt(a: Partial<AttemptRecord> & Pick<AttemptRecord, 'attempt'>): EpisodeRecord['attempts'][number] {
  return {
    gripper: 'parallel-jaw',
    q: 0.9,
    planMs: 1000,
    grasp: null,
    target: null,
    success: false,
    reason: 'missed',
    picked: null,
    lost: [],
    wallMs: 2000,
    ...a,
  };
}

const both = { 'parallel-jaw': true, suction: true };
const neither = { 'parallel-jaw': false, suction: false };

// Heap 0, ambidextrous: four objects in the bin, one fell out when dropped (not counted). Attempts: the jaws pick a,
// the cup misses, the cup picks c while aiming at b (counted as c's pick), nothing is planned; d, which no gripper
// picks alone, stays; b is pushed out by attempt 1.
const heap0: EpisodeRecord = {
  heap: 0,
  seed: 11,
  gripper: 'both',
  objects: [
    { slot: 0, id: 'a', pickable: both, removed: { how: 'picked', at: 0 } },
    { slot: 1, id: 'b', pickable: both, removed: { how: 'left the bin', at: 1 } },
    { slot: 2, id: 'c', pickable: both, removed: { how: 'picked', at: 2 } },
    { slot: 3, id: 'd', pickable: neither },
    { slot: 4, id: 'e', pickable: both, removed: { how: 'left the bin', at: -1 } },
  ],
  attempts: [
    attempt({ attempt: 0, success: true, reason: 'lifted', target: 'a', picked: 'a', planMs: 500 }),
    attempt({ attempt: 1, gripper: 'suction', reason: 'no seal', target: 'b', lost: ['b'], planMs: 1500 }),
    attempt({ attempt: 2, gripper: 'suction', success: true, reason: 'lifted', target: 'b', picked: 'c', planMs: 700 }),
    attempt({ attempt: 3, gripper: null, q: null, reason: 'no grasp planned', planMs: 300 }),
  ],
  stop: 'failures in a row',
};

describe('bin report figures', () => {
  it('picks per hour: picks over grasps executed × motion + plans × mean planning time, by the formula', () => {
    // 3 picks in 5 grasps of 8 s motion, each planned in 2 s: 3 / 50 s = 216 per hour.
    expect(picksPerHour(3, 5, 5, 8, 2000)).toBeCloseTo(216, 9);
    // One more plan that found nothing adds its 2 s of planning, no motion: 3 / 52 s.
    expect(picksPerHour(3, 5, 6, 8, 2000)).toBeCloseTo((3 / 52) * 3600, 9);
    expect(picksPerHour(0, 0, 0, 8, 0)).toBeNull();
  });

  it('counts reliability, clearance (all and pickable), other-object picks and picks by gripper from the records', () => {
    const [g] = summarizeEpisodes([heap0], 8).grippers;
    expect(g.attempts).toBe(4);
    // Attempt 3 planned nothing: three grasps executed, two of them picks.
    expect(g.executed).toBe(3);
    expect(g.reliability).toEqual({ successes: 2, n: 3, rate: 2 / 3, ci95: wilsonInterval(2, 3) });
    // e fell out of the bin before the first attempt: four objects were there to clear, two were picked.
    expect(g.objects).toBe(4);
    expect(g.clearance).toMatchObject({ successes: 2, n: 4, rate: 0.5 });
    // d no gripper picks alone: of the three pickable objects (a, b, c), two were picked.
    expect(g.pickableClearance).toMatchObject({ successes: 2, n: 3 });
    expect(g.notPickable).toEqual({ ids: ['d'], picked: 0 });
    expect(g.otherObjectPicks).toBe(1);
    expect(g.noGrasp).toBe(1);
    expect(g.lost).toBe(1);
    expect(g.byGripper).toEqual({ 'parallel-jaw': { attempts: 1, picks: 1 }, suction: { attempts: 2, picks: 1 } });
    expect(g.failures).toEqual({ 'no seal': 1, 'no grasp planned': 1 });
    expect(g.stops).toEqual({ 'failures in a row': 1 });
    // Mean planning (500 + 1500 + 700 + 300) / 4 = 750 ms: 2 picks / (3 × 8 s + 4 × 0.75 s) per hour.
    expect(g.meanPlanMs).toBe(750);
    expect(g.picksPerHour).toBeCloseTo((2 / (3 * 8 + 4 * 0.75)) * 3600, 9);
    expect(g.meanAttemptSeconds).toBe(2);
  });

  it('keeps the gripper settings apart, in the order they first appear, and omits pickable figures when unchecked', () => {
    const jaws: EpisodeRecord = {
      ...heap0,
      gripper: 'parallel-jaw',
      objects: heap0.objects.map((o) => ({ ...o, pickable: null })),
      attempts: [attempt({ attempt: 0, success: true, reason: 'lifted', target: 'a', picked: 'a' })],
      stop: 'bin empty',
    };
    const report = summarizeEpisodes([jaws, heap0], 5, { seed: 1 });
    expect(report.grippers.map((g) => g.gripper)).toEqual(['parallel-jaw', 'both']);
    expect(report.grippers[0].reliability.rate).toBe(1);
    expect(report.grippers[0].pickableClearance).toBeUndefined();
    expect(report.grippers[0].picksPerHour).toBeCloseTo(3600 / 6, 9);
    expect(report.meta).toEqual({ seed: 1 });
    expect(report.episodes).toHaveLength(2);
  });
});
