// Executions under the robust label's noise: without noise each one is the nominal MuJoCo trial; with noise the same
// seed repeats and a wider noise loses more of a box; the report sums them per pair of referee verdicts.
import { describe, expect, it } from 'vitest';
import { heldShare, summarizeTrials, type TrialRecord } from '../../src/evaluate/evaluation-report.js';
import { judgeGraspPhysicsUnderNoise } from '../../src/evaluate/physics-under-noise.js';
import { renderReportHtml } from '../../src/evaluate/report-html.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { centerOfMass } from '../../src/geometry/mesh-properties.js';
import type { Vec3 } from '../../src/geometry/vector.js';
import { judgeGraspPhysics } from '../../src/physics/lift-and-shake.js';
import { inObjectFrame, restingOnTable, topDownGrasp } from './scenes.js';

const NO_NOISE = {
  graspTranslationSigma: 0,
  graspRotationSigma: 0,
  objectTranslationSigma: 0,
  objectRotationSigma: 0,
  frictionSigma: 0,
};

/** The 4 cm box on the table, grasped top-down across two faces, `offset` m off its centre along the pads. */
function boxGrasp(offset: number) {
  const mesh = boxMesh(0.04, 0.04, 0.04);
  const objectToWorld = restingOnTable(mesh, { x: 0.02, y: -0.01, yaw: 0.3 });
  const axis = inObjectFrame(objectToWorld, [Math.cos(0.3), Math.sin(0.3), 0]);
  const along = inObjectFrame(objectToWorld, [-Math.sin(0.3), Math.cos(0.3), 0]);
  const center: Vec3 = [along[0] * offset, along[1] * offset, along[2] * offset];
  return { mesh, objectToWorld, grasp: topDownGrasp(objectToWorld, center, axis), centerOfMass: centerOfMass(mesh) };
}

describe('judgeGraspPhysicsUnderNoise', () => {
  it('without noise repeats the nominal trial: the centred box lifts every time, the edge grasp at μ 0.05 never', async () => {
    const centred = boxGrasp(0);
    const r = await judgeGraspPhysicsUnderNoise(centred, { draws: 2, seed: 4, friction: 0.5, noise: NO_NOISE });
    expect(r).toEqual({ draws: 2, lifted: 2, collided: 0, outcomes: { lifted: 2 } });
    const edge = boxGrasp(0.0285);
    const nominal = await judgeGraspPhysics({ ...edge, friction: 0.05, seed: 1 });
    const e = await judgeGraspPhysicsUnderNoise(edge, { draws: 2, seed: 4, friction: 0.05, noise: NO_NOISE });
    expect(nominal.success).toBe(false);
    expect(e).toMatchObject({ draws: 2, lifted: 0, outcomes: { [nominal.reason]: 2 } });
  }, 60_000);

  it('repeats per seed, and a grasp 3 cm off target misses the box more often than the robust noise does', async () => {
    const centred = boxGrasp(0);
    const robust = await judgeGraspPhysicsUnderNoise(centred, { draws: 4, seed: 9 });
    expect(await judgeGraspPhysicsUnderNoise(centred, { draws: 4, seed: 9 })).toEqual(robust);
    const wide = await judgeGraspPhysicsUnderNoise(centred, {
      draws: 4,
      seed: 9,
      noise: { graspTranslationSigma: 0.03 },
    });
    expect(wide.lifted).toBeLessThan(robust.lifted);
    for (const r of [robust, wide]) expect(Object.values(r.outcomes).reduce((s, n) => s + (n ?? 0), 0)).toBe(r.draws);
    await expect(judgeGraspPhysicsUnderNoise(centred, { draws: 0, seed: 1 })).rejects.toThrow(
      /draws must be an integer ≥ 1/,
    );
  }, 120_000);

  it('counts held among the executions that reached the object', () => {
    expect(heldShare({ draws: 10, lifted: 3, collided: 4 })).toBeCloseTo(0.5, 12);
    expect(heldShare({ draws: 3, lifted: 0, collided: 3 })).toBeNull();
  });
});

function record(trial: number, analytic: boolean, physics: boolean, noisy?: [number, number, number]): TrialRecord {
  return {
    trial,
    object: 'o',
    poseIndex: 0,
    policy: 'cem',
    grasp: { center: { x: 1, y: 2 }, angle: 0, depth: 0.7, width: 0.05, q: 0.6 },
    planMs: 1,
    analytic: {
      success: analytic,
      robustEpsilon: analytic ? 0.004 : 0.001,
      robustEpsilonRaw: 0,
      forceClosure: true,
      collisionFree: true,
    },
    physics: { success: physics, reason: physics ? 'lifted' : 'dropped', liftedHeight: 0, simSeconds: 0, wallMs: 0 },
    ...(noisy ? { physicsUnderNoise: { draws: noisy[0], lifted: noisy[1], collided: noisy[2], outcomes: {} } } : {}),
  };
}

describe('executions under noise in the evaluation report', () => {
  it('sums them per pair of verdicts, and shows them in the HTML only when the run made some', () => {
    const report = summarizeTrials([
      record(0, true, true, [4, 3, 1]),
      record(1, true, true, [4, 1, 1]),
      record(2, false, true, [4, 2, 2]),
      record(3, false, false, [4, 0, 4]),
      record(4, true, false),
    ]);
    const u = report.policies[0]!.underNoise!;
    expect(u['both hold']).toEqual({ trials: 2, draws: 8, lifted: 4, collided: 2, heldShare: 4 / 6 });
    expect(u['physics only']).toEqual({ trials: 1, draws: 4, lifted: 2, collided: 2, heldShare: 1 });
    expect(u['neither']).toEqual({ trials: 1, draws: 4, lifted: 0, collided: 4, heldShare: null });
    expect(u['analytic only']).toEqual({ trials: 0, draws: 0, lifted: 0, collided: 0, heldShare: null });
    expect(report.trials[0]!.physicsUnderNoise).toEqual({ draws: 4, lifted: 3, collided: 1, outcomes: {} });
    expect(renderReportHtml(report, new Map())).toContain('Executions under the robust label');
    const plain = summarizeTrials([record(0, true, true)]);
    expect(plain.policies[0]!.underNoise).toBeUndefined();
    expect(renderReportHtml(plain, new Map())).not.toContain('Executions under the robust label');
  });
});
