// Worker-thread entry for an evaluation's scenes: one task = one object and the trials that use it.
import { workerData } from 'node:worker_threads';
import { GqcnnPredictor } from '../model/predictor.js';
import type { TrialRecord } from './evaluation-report.js';
import type { EvaluationWorkerData, ObjectTrialsTask } from './evaluation-workers.js';
import { runSceneTrials } from './scene-trials.js';
import { assembleTrialObject } from './trial-scene.js';

const shared = workerData as EvaluationWorkerData;
// One inference thread per worker: the workers are the parallelism.
const predictor = GqcnnPredictor.create(shared.model, { intraOpNumThreads: 1 }, shared.fullyConvolutional);
// A model that fails to load fails the first task that awaits it, not the thread before any task has started.
predictor.catch(() => undefined);

export default async function task(t: ObjectTrialsTask): Promise<TrialRecord[]> {
  const target = {
    ...assembleTrialObject(t.id, t.mesh, t.gripper, t.poses),
    ...(t.source ? { source: t.source } : {}),
  };
  const records: TrialRecord[] = [];
  for (const trial of t.trials) records.push(...(await runSceneTrials(target, await predictor, trial, shared.options)));
  return records;
}
