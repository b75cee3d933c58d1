// An evaluation's scenes on worker threads: each task is one object with every trial that uses it, so its caches
// (physics pieces, mesh index, stable poses) are built once, in one thread. Each scene depends only on its object, the
// seed and its index (scene-trials.ts), so the records come back the same as in one thread and are put in trial order.
import { runOnWorkers, siblingWorker } from '../core/worker-pool.js';
import type { ParallelJawGripper } from '../grasp/gripper.js';
import type { StablePose } from '../geometry/stable-poses.js';
import type { Mesh } from '../geometry/mesh.js';
import type { GqcnnModel } from '../model/model-io.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import type { TrialRecord } from './evaluation-report.js';
import { EVALUATION_POLICIES } from './evaluation-policies.js';
import type { SceneTrialOptions } from './scene-trials.js';
import type { TrialObject } from './trial-scene.js';

/** What every thread shares: the networks (a thread builds its own predictor) and how scenes are judged. */
export interface EvaluationWorkerData {
  model: GqcnnModel;
  /** The fully-convolutional companion, when the model has one. */
  fullyConvolutional: GqcnnModel | null;
  options: SceneTrialOptions;
}

/** One object and the scenes that use it. */
export interface ObjectTrialsTask {
  id: string;
  source?: TrialObject['source'];
  mesh: Mesh;
  gripper: ParallelJawGripper;
  poses: StablePose[];
  trials: number[];
}

export async function runScenesOnWorkers(
  objects: readonly TrialObject[],
  predictor: GqcnnPredictor,
  trials: number,
  workers: number,
  options: SceneTrialOptions,
  onRecord: (record: TrialRecord, done: number) => void,
): Promise<TrialRecord[]> {
  const tasks: ObjectTrialsTask[] = [];
  for (let k = 0; k < Math.min(objects.length, trials); k++) {
    const o = objects[k]!;
    const mine: number[] = [];
    for (let t = k; t < trials; t += objects.length) mine.push(t);
    tasks.push({
      id: o.id,
      ...(o.source ? { source: o.source } : {}),
      mesh: o.object.mesh,
      gripper: o.object.gripper,
      poses: o.poses,
      trials: mine,
    });
  }
  const fc = predictor.fullyConvolutional;
  const workerData: EvaluationWorkerData = {
    model: predictor.model,
    fullyConvolutional: fc === predictor ? null : fc.model,
    options,
  };
  const policies: readonly string[] = options.policies ?? EVALUATION_POLICIES;
  const records: TrialRecord[] = new Array<TrialRecord>(trials * policies.length);
  let done = 0;
  await runOnWorkers<ObjectTrialsTask, TrialRecord[]>(siblingWorker(import.meta.url, 'evaluation-worker'), tasks, {
    workers,
    workerData,
    onResult: (result) => {
      for (const record of result) {
        records[record.trial * policies.length + policies.indexOf(record.policy)] = record;
        onRecord(record, ++done);
      }
    },
  });
  return records;
}
