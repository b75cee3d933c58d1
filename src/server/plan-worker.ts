// Child-process entry of the planning pool: decodes the uploaded images and plans with this process's own
// predictor, made once from the model the server sent. A process, not a thread, so the server can kill a plan
// past its deadline (or an ONNX Runtime abort or out-of-memory can end it) without taking the server along:
// terminating a worker thread in the middle of an ORT call aborted the whole server (issue 16).
// Bad input comes back as a value, not a throw, so its status and field survive the trip between processes.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { UserInputError } from '../core/errors.js';
import { decodeDepth, DepthInputError, depthFormatOf, DepthTooLargeError } from '../image/depth-io.js';
import { PngFormatError, pngSize, readMaskPng } from '../image/png.js';
import type { GqcnnModel } from '../model/model-io.js';
import { GqcnnPredictor } from '../model/predictor.js';
import { planAmbidextrous } from '../policy/ambidextrous.js';
import { BelowMinQError, NoValidGraspError, plan, type PolicyName } from '../policy/plan.js';
import type { PlanGripperChoice } from '../policy/plan-types.js';
import { checkPlanInputs, PlanInputError, planResultJson, type PlanJson } from '../policy/plan-io.js';

export interface PlanTask {
  depth: Uint8Array;
  segmask: Uint8Array | null;
  intrinsics: CameraIntrinsics;
  depthScale: number;
  policy: PolicyName;
  /** Default: the served model's kind (a suction model reads 2 pose inputs); `both` needs a served suction model. */
  gripper?: PlanGripperChoice;
  topK: number;
  seed: number;
  workspace?: [number, number, number, number];
  /** Smallest q worth returning (422 on the `minQ` field when no grasp reaches it). */
  minQ?: number;
  maxPixels: number;
}

export type PlanTaskResult = { ok: true; json: PlanJson } | { ok: false; status: number; field: string; error: string };

export interface PlanWorkerData {
  model: GqcnnModel;
  /** The folder's FC companion, when it has one. */
  fullyConvolutional: GqcnnModel | null;
  /** A suction model served beside a jaw model (`dexnet serve --suction-model`): for gripper suction and both. */
  suction?: { model: GqcnnModel; fullyConvolutional: GqcnnModel | null };
  intraOpThreads: number;
}

/** Messages between the pool and a planner process. */
export type ToPlanner = { type: 'init'; data: PlanWorkerData } | { type: 'task'; id: number; task: PlanTask };
export type FromPlanner =
  | { type: 'ready'; rss: number }
  | { type: 'result'; id: number; result: PlanTaskResult; rss: number }
  | { type: 'failed'; id: number | null; error: string };

const reject = (status: number, field: string, error: string): PlanTaskResult => ({ ok: false, status, field, error });

/**
 * Plans one task with `predictor` (and `suction`, the suction model served beside it, if any); every refusal of the
 * input comes back as `{ ok: false }`.
 */
export async function planTask(
  task: PlanTask,
  predictor: GqcnnPredictor,
  suction: GqcnnPredictor | null = null,
): Promise<PlanTaskResult> {
  const format = depthFormatOf(task.depth);
  if (!format) return reject(400, 'depth', 'depth: not a .npy or PNG file (unrecognised signature)');
  let depth;
  try {
    depth = decodeDepth(task.depth, 'depth', format, { depthScale: task.depthScale, maxPixels: task.maxPixels });
  } catch (e) {
    if (!(e instanceof DepthInputError)) throw e;
    return reject(e instanceof DepthTooLargeError ? 413 : 400, 'depth', e.message);
  }
  let segmask = null;
  if (task.segmask) {
    // Refuse a mask of the wrong size from its header, before inflating it.
    const size = pngSize(task.segmask);
    if (!size) return reject(400, 'segmask', 'segmask: not a PNG file');
    if (size.width !== depth.width || size.height !== depth.height)
      return reject(
        400,
        'segmask',
        `segmask: mask is ${size.width}×${size.height}, the depth image is ${depth.width}×${depth.height}`,
      );
    try {
      segmask = readMaskPng(task.segmask, 'segmask', { maxPixels: task.maxPixels });
    } catch (e) {
      if (!(e instanceof PngFormatError)) throw e;
      return reject(400, 'segmask', e.message);
    }
  }
  try {
    checkPlanInputs(depth, task.intrinsics, segmask, {
      intrinsics: 'intrinsics',
      segmask: 'segmask',
      depth: 'depth',
      scaleHint: 'the depthScale field',
    });
  } catch (e) {
    if (e instanceof PlanInputError) return reject(400, e.field, e.message);
    throw e;
  }
  const gripper = task.gripper ?? (predictor.model.arch.poseDim === 2 ? 'suction' : 'parallel-jaw');
  if (gripper === 'both' && !suction)
    return reject(
      400,
      'gripper',
      'gripper: both needs a suction model served beside the jaw model (start the service with --suction-model <dir>)',
    );
  try {
    const options = { policy: task.policy, topK: task.topK, seed: task.seed, segmask, workspace: task.workspace };
    const result =
      gripper === 'both'
        ? await planAmbidextrous(
            depth,
            task.intrinsics,
            { jaw: predictor, suction: suction! },
            {
              ...options,
              minQ: task.minQ,
            },
          )
        : await plan(depth, task.intrinsics, gripper === 'suction' && suction ? suction : predictor, {
            ...options,
            gripper,
            minQ: task.minQ,
          });
    return { ok: true, json: planResultJson(result) };
  } catch (e) {
    if (e instanceof BelowMinQError) return reject(422, 'minQ', e.message);
    if (e instanceof NoValidGraspError) return reject(422, 'depth', `no valid grasp: ${e.message}`);
    // A gripper the served model cannot plan for is about the request's gripper, the one field a client can change.
    if (e instanceof UserInputError)
      return e.field === 'model'
        ? reject(400, 'gripper', `gripper: ${e.message.replace(/^the model/, 'the served model')}`)
        : reject(400, e.field ?? 'depth', e.message);
    // The inputs passed every check above, so whatever else plan() refuses is still about this input.
    return reject(422, 'depth', `cannot plan on this input: ${(e as Error).message}`);
  }
}

/** The loop of a planner process: one init, then tasks one at a time, until the pool disconnects. */
function serve(): void {
  const send = (m: FromPlanner) => process.send!(m);
  let predictor: Promise<GqcnnPredictor> | null = null;
  let suction: Promise<GqcnnPredictor | null> = Promise.resolve(null);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ToPlanner) => {
    if (message.type === 'init') {
      const threads = { intraOpNumThreads: message.data.intraOpThreads };
      predictor = GqcnnPredictor.create(message.data.model, threads, message.data.fullyConvolutional);
      const extra = message.data.suction;
      if (extra) suction = GqcnnPredictor.create(extra.model, threads, extra.fullyConvolutional);
      Promise.all([predictor, suction]).then(
        () => send({ type: 'ready', rss: process.memoryUsage.rss() }),
        (e: Error) => send({ type: 'failed', id: null, error: `the planner could not load the model (${e.message})` }),
      );
      return;
    }
    const { id, task } = message;
    (async () => planTask(task, await predictor!, await suction))().then(
      (result) => send({ type: 'result', id, result, rss: process.memoryUsage.rss() }),
      (e: Error) => send({ type: 'failed', id, error: e.message.split('\n')[0] }),
    );
  });
}

if (process.send && process.env.DEXNET_PLANNER === '1') serve();
