// Evaluation scenes on worker threads: every record (plans, both referees' verdicts, ground truth, failure pictures)
// is the one the same run makes in one thread, in the same order; only the wall-clock timings differ.
import { describe, expect, it } from 'vitest';
import { runEvaluation, type EvaluationOptions } from '../../src/evaluate/evaluation.js';
import type { TrialRecord } from '../../src/evaluate/evaluation-report.js';
import { prepareTrialObject } from '../../src/evaluate/trial-scene.js';
import { boxMesh, cylinderMesh } from '../../src/geometry/primitives.js';
import { BUNDLED_MODEL_DIR, bundledModelDir } from '../../src/model/bundled-model.js';
import { DEFAULT_SUCTION_GRIPPER } from '../../src/grasp/gripper.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';

/** The record without its wall-clock timings (plan and simulation time), which no two runs share. */
function untimed(record: TrialRecord): unknown {
  return JSON.parse(
    JSON.stringify(record, (key, value: unknown) =>
      key === 'planMs' || key === 'wallMs' ? undefined : value instanceof Uint8Array ? Array.from(value) : value,
    ),
  );
}

describe('runEvaluation on worker threads', () => {
  it('gives the one-thread records, in trial order, for 5 scenes of 3 objects and two policies', async () => {
    const objects = [
      { ...prepareTrialObject('box', boxMesh(0.03, 0.04, 0.05)), source: 'procedural' as const },
      prepareTrialObject('can', cylinderMesh(0.02, 0.06, 32)),
      prepareTrialObject('slab', boxMesh(0.025, 0.05, 0.02)),
    ];
    const predictor = await GqcnnPredictor.load(BUNDLED_MODEL_DIR);
    const options: EvaluationOptions = { policies: ['ranking', 'fc'], trials: 5, seed: 3, robustSamples: 10 };
    const seen: number[] = [];
    const single = await runEvaluation(objects, predictor, options);
    const threaded = await runEvaluation(objects, predictor, {
      ...options,
      workers: 2,
      onTrial: (_r, done, total) => {
        seen.push(done);
        expect(total).toBe(10);
      },
    });
    await predictor.release();
    expect(single.map((r) => [r.trial, r.policy])).toEqual(threaded.map((r) => [r.trial, r.policy]));
    expect(threaded.map((r) => r.object)).toEqual([
      'box',
      'box',
      'can',
      'can',
      'slab',
      'slab',
      'box',
      'box',
      'can',
      'can',
    ]);
    expect(threaded.map(untimed)).toEqual(single.map(untimed));
    expect(threaded.filter((r) => r.physics.reason !== 'no grasp planned').length).toBeGreaterThan(0);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }, 300_000);

  it('does the same for the suction cup and its referees', async () => {
    const objects = [
      prepareTrialObject('box', boxMesh(0.04, 0.05, 0.03)),
      prepareTrialObject('can', cylinderMesh(0.025, 0.05, 32)),
    ];
    const predictor = await GqcnnPredictor.load(bundledModelDir('suction'));
    const options: EvaluationOptions = {
      policies: ['ranking'],
      gripper: DEFAULT_SUCTION_GRIPPER,
      trials: 3,
      seed: 4,
      robustSamples: 10,
    };
    const single = await runEvaluation(objects, predictor, options);
    const threaded = await runEvaluation(objects, predictor, { ...options, workers: 2 });
    await predictor.release();
    expect(threaded.map(untimed)).toEqual(single.map(untimed));
    expect(threaded.some((r) => r.grasp !== null)).toBe(true);
  }, 300_000);
});
