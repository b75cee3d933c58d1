// Training a GQ-CNN on a generated dataset: streamed shards, gqcnn normalisation and augmentation,
// SGD with step decay (or Adam), per-epoch validation, atomic checkpoints that resume after a kill,
// optional loss-prioritised sampling, and a final model folder with its report.
import { UserInputError } from '../core/errors.js';
import { readFile, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { Random } from '../core/random.js';
import { type Batch, newBatch, SplitStream } from '../dataset/batches.js';
import { CROP_SIZE } from '../dataset/fields.js';
import { deriveSeed } from '../core/seed.js';
import { type GqcnnArchitecture } from './architecture.js';
import { augmentCrops, NormalisationAccumulator } from './augment.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { validationBySource, type SourceMetrics } from './validation-by-source.js';
import type { ObjectSource } from '../dataset/mesh-sources.js';
import { classificationMetrics, precisionRecallCurve, rocCurve, type ClassificationMetrics } from './metrics.js';
import { datasetPlannerSettings } from './planner-settings.js';
import { loadModel, normaliseInputs, saveModel, type GqcnnModel, type Normalisation } from './model-io.js';
import { Adam, gqcnnStepDecay, MomentumSGD, type Optimizer } from './optimizer.js';
import { PrioritizedSampler } from './prioritized.js';
import { writeTrainingPlots } from './report-plots.js';
import { GqcnnTrainer } from './trainer.js';
import { WeightAverage } from './weight-average.js';

export interface TrainOptions {
  arch: GqcnnArchitecture;
  epochs: number;
  split: string;
  batchSize: number;
  seed: number;
  optimizer: 'sgd' | 'adam';
  learningRate: number;
  l2: number;
  augment: boolean;
  prioritized: boolean;
  /**
   * 'window' streams shards with a windowed shuffle (bounded memory); 'global' holds the training split in memory
   * (≈ 4 kB per datapoint) and shuffles all of it each epoch. Prioritised training always holds it in memory.
   */
  shuffle?: 'window' | 'global';
  /**
   * Decay of the running weight average that validation and the final model use (0.999 ≈ the last 1,000 steps);
   * 0 keeps the last weights.
   */
  average?: number;
  /**
   * Label value above which a grasp counts as positive (gqcnn's metric_thresh; default the one the dataset's config.json
   * records: robust ε 0.002 for the jaws, robust wrench resistance 0.2 for suction). A stricter
   * threshold trains the network to prefer grasps with a margin over the referee's.
   */
  metricThreshold?: number;
  threads: number;
  /**
   * A model folder to start from (fine-tuning, e.g. the bundled single-object model on heap data): its weights and its
   * input normalisation, which the weights were learnt under; the architecture must be the same.
   */
  init?: string;
}

export { DEFAULT_TRAIN_OPTIONS } from './train-defaults.js';

export interface EpochRecord {
  epoch: number;
  steps: number;
  trainLoss: number;
  trainErrorRate: number;
  valLoss: number;
  valErrorRate: number;
  /** With a weight average: the last (not averaged) weights' validation error, for comparison. */
  lastWeightsValErrorRate?: number;
  learningRate: number;
  seconds: number;
}

export interface TrainProgress {
  phase: 'statistics' | 'train' | 'validate';
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
}

export interface TrainReport {
  /** The dataset folder relative to the model folder: the files stay true when both move together. */
  dataset: string;
  split: string;
  trainSize: number;
  valSize: number;
  history: EpochRecord[];
  validation: ClassificationMetrics;
  /** The same metrics on procedural and on real validation objects apart (see validation-by-source.ts). */
  validationBySource: Partial<Record<ObjectSource, SourceMetrics>>;
  resumedFromEpoch: number;
  seconds: number;
}

const CHECKPOINT = 'checkpoint.bin';
const STATE = 'training-state.json';
const PIXELS = CROP_SIZE * CROP_SIZE;

interface State {
  dataset: string;
  options: Omit<TrainOptions, 'threads'>;
  normalisation: Normalisation;
  history: EpochRecord[];
  /** Epochs finished; the checkpoint holds the weights after them. */
  epochsDone: number;
  prioritized?: { losses: number[]; active: number[]; epoch: number };
}

/** The model a fine-tuning run starts from; a UserInputError naming the folder when its architecture differs. */
async function initialModel(dir: string, arch: GqcnnArchitecture): Promise<GqcnnModel> {
  const model = await loadModel(dir);
  if (JSON.stringify(model.arch) !== JSON.stringify(arch))
    throw new UserInputError(
      `${dir}: --init model has architecture ${model.arch.name}, this run trains ${arch.name} (they must be the same)`,
      { file: dir },
    );
  return model;
}

/** Trains (or resumes training) into `outDir`; `signal` stops cleanly after the current batch with a checkpoint. */
export async function trainModel(
  datasetDir: string,
  outDir: string,
  options: TrainOptions,
  onProgress?: (p: TrainProgress) => void,
  signal?: AbortSignal,
): Promise<TrainReport | null> {
  const start = performance.now();
  const train = await SplitStream.open(datasetDir, options.split, 'train', options.metricThreshold);
  const val = await SplitStream.open(datasetDir, options.split, 'val', options.metricThreshold);
  if (options.arch.poseDim !== train.poseDim)
    throw new UserInputError(
      `${datasetDir}: a ${train.layout.gripper} dataset gives ${train.poseDim} pose input(s) per datapoint, ` +
        `architecture ${options.arch.name} takes ${options.arch.poseDim}` +
        (train.layout.gripper === 'suction' ? ' (suction presets: compact-suction, GQCNN-3.0)' : ''),
      { file: datasetDir },
    );
  const poseDim = train.poseDim;
  if (train.size === 0)
    throw new UserInputError(`${datasetDir}: split ${options.split} has no training datapoints`, { file: datasetDir });
  if (val.size === 0)
    throw new UserInputError(`${datasetDir}: split ${options.split} has no validation datapoints`, {
      file: datasetDir,
    });
  const { threads, ...fixed } = options;

  let state = await readState(outDir);
  // Only the epoch count may change on resume (more epochs continue the same run: the schedule does not depend on it).
  const sameRun = (o: Omit<TrainOptions, 'threads'>) =>
    JSON.stringify({ ...o, epochs: 0 }) === JSON.stringify({ ...fixed, epochs: 0 });
  if (state && (state.dataset !== datasetDir || !sameRun(state.options)))
    throw new UserInputError(
      `${outDir}: holds training with other settings; resume with the same arguments (--epochs may grow) or choose a new --out`,
      { file: outDir },
    );
  if (state && options.epochs < state.epochsDone)
    throw new UserInputError(`${outDir}: ${state.epochsDone} epochs are already done; --epochs must be at least that`, {
      file: outDir,
    });
  if (state) state.options = fixed;
  const init = !state && options.init ? await initialModel(options.init, options.arch) : null;
  if (init)
    state = { dataset: datasetDir, options: fixed, normalisation: init.normalisation, history: [], epochsDone: 0 };
  if (!state) {
    const acc = new NormalisationAccumulator(poseDim);
    let seen = 0;
    const sub = options.arch.inputDepthMode === 'im_depth_sub';
    for await (const b of train.batches({ batchSize: 4096 })) {
      let ims = b.ims.subarray(0, b.size * PIXELS);
      // With depth subtraction the image statistics are those of the crops relative to their grasp depths.
      if (sub) {
        ims = ims.slice();
        for (let i = 0; i < b.size; i++)
          for (let j = i * PIXELS; j < (i + 1) * PIXELS; j++) ims[j] -= b.poses[i * poseDim];
      }
      acc.addImages(ims);
      acc.addPoses(b.poses, b.size);
      seen += b.size;
      onProgress?.({
        phase: 'statistics',
        epoch: 0,
        epochs: options.epochs,
        step: seen,
        stepsPerEpoch: train.size,
        loss: NaN,
      });
    }
    state = { dataset: datasetDir, options: fixed, normalisation: acc.result(), history: [], epochsDone: 0 };
  }
  const resumedFromEpoch = state.epochsDone;
  const stepsPerEpoch = Math.ceil(train.size / options.batchSize);
  const schedule = gqcnnStepDecay({
    batchSize: options.batchSize,
    trainSize: train.size,
    baseLearningRate: options.learningRate,
  });
  const optimizer: Optimizer =
    options.optimizer === 'adam'
      ? new Adam({ learningRate: options.learningRate })
      : new MomentumSGD({ learningRate: schedule, momentum: 0.9 });
  let params = init?.params,
    saved;
  if (state.epochsDone > 0) {
    const ck = await loadCheckpoint(join(outDir, CHECKPOINT), options.arch);
    params = ck.params;
    saved = ck.average;
    optimizer.loadState(ck.optimizer);
  }
  const trainer = await GqcnnTrainer.create({
    arch: options.arch,
    params,
    seed: options.seed,
    optimizer,
    l2: options.l2,
    intraOpNumThreads: threads,
  });
  const averaging = (options.average ?? 0) > 0;
  if (averaging && state.epochsDone > 0 && !saved)
    throw new UserInputError(`${join(outDir, CHECKPOINT)}: no weight average to resume from`);
  const average = averaging
    ? new WeightAverage(options.average!, saved?.params ?? trainer.params, saved?.updates ?? 0)
    : null;
  /** The weights validation and the model use. */
  const modelParams = () => average?.params ?? trainer.params;
  const norm = state.normalisation;
  const im = new Float32Array(options.batchSize * PIXELS);
  const pose = new Float32Array(options.batchSize * poseDim);
  const symmetries = train.layout.symmetries === 'left-right-flip' ? { rotateRate: 0, flipUpDownRate: 0 } : {};

  // Prioritised sampling and a global shuffle need random access, so the training split is held in memory.
  const memory = options.prioritized || options.shuffle === 'global' ? await loadSplit(train) : null;
  const sampler = memory
    ? new PrioritizedSampler(memory.size, { seed: options.seed, warmupEpochs: options.prioritized ? 3 : Infinity })
    : null;
  if (sampler && state.prioritized) {
    sampler.losses.set(state.prioritized.losses);
    sampler.active.set(state.prioritized.active);
    sampler.epoch = state.prioritized.epoch;
  }

  const prepare = (b: Batch, epoch: number, step: number) => {
    const raw = b.ims.subarray(0, b.size * PIXELS);
    // No multiplicative term here: it would scale the image but not the grasp depth fed beside it (the
    // dataset already draws that error per image, consistently for both).
    if (options.augment)
      augmentCrops(raw, b.size, CROP_SIZE, CROP_SIZE, new Random(deriveSeed(options.seed, epoch * 1_000_003 + step)), {
        gammaShape: 0,
        ...symmetries,
      });
    normaliseInputs(options.arch, norm, raw, b.poses, b.size, im, pose);
  };

  for (let epoch = state.epochsDone; epoch < options.epochs; epoch++) {
    const t0 = performance.now();
    let step = 0,
      lossSum = 0,
      errors = 0,
      count = 0;
    const batches = memory
      ? memory.epoch(sampler!.epochOrder(), options.batchSize)
      : train.batches({ batchSize: options.batchSize }, new Random(deriveSeed(options.seed, epoch)));
    for await (const b of batches) {
      prepare(b, epoch, step);
      const r = await trainer.stepDetailed(im, pose, b.labels, b.size);
      average?.update(trainer.params);
      sampler?.update(b.indices.subarray(0, b.size), r.losses);
      lossSum += r.loss * b.size;
      for (let i = 0; i < b.size; i++) if ((r.probs[2 * i + 1] >= 0.5 ? 1 : 0) !== b.labels[i]) errors++;
      count += b.size;
      step++;
      onProgress?.({ phase: 'train', epoch, epochs: options.epochs, step, stepsPerEpoch, loss: lossSum / count });
      if (signal?.aborted) break;
    }
    if (signal?.aborted) break; // the last finished epoch's checkpoint stands
    onProgress?.({ phase: 'validate', epoch, epochs: options.epochs, step, stepsPerEpoch, loss: lossSum / count });
    const v = await validate(trainer, val, norm, modelParams());
    const last = average ? await validate(trainer, val, norm) : null;
    sampler?.endEpoch();
    state.history.push({
      epoch: epoch + 1,
      steps: optimizer.iteration,
      trainLoss: lossSum / count,
      trainErrorRate: errors / count,
      valLoss: v.loss,
      valErrorRate: v.metrics.errorRate,
      ...(last ? { lastWeightsValErrorRate: last.metrics.errorRate } : {}),
      learningRate: optimizer.learningRate(),
      seconds: (performance.now() - t0) / 1000,
    });
    state.epochsDone = epoch + 1;
    if (sampler)
      state.prioritized = {
        losses: Array.from(sampler.losses),
        active: Array.from(sampler.active),
        epoch: sampler.epoch,
      };
    await saveCheckpoint(join(outDir, CHECKPOINT), {
      arch: options.arch,
      params: trainer.params,
      optimizer: { kind: options.optimizer, ...optimizer.state() },
      progress: { epoch: epoch + 1 },
      average: average ? { updates: average.updates, params: average.params } : undefined,
    });
    await writeFileAtomic(join(outDir, STATE), JSON.stringify(state));
  }
  if (state.epochsDone < options.epochs) return null; // interrupted: resume with the same command

  const v = await validate(trainer, val, norm, modelParams());
  const bySource = await validationBySource(datasetDir, v.indices, v.scores, v.labels);
  // Model folders get committed and shipped; an absolute path would record the machine that trained them.
  const datasetFromModel = relative(outDir, datasetDir).split(sep).join('/') || '.';
  await saveModel(outDir, {
    arch: options.arch,
    params: modelParams(),
    normalisation: norm,
    training: {
      dataset: datasetFromModel,
      gripper: train.layout.gripper,
      ...(await datasetPlannerSettings(datasetDir)),
      ...fixed,
      ...(fixed.init ? { init: relative(outDir, fixed.init).split(sep).join('/') } : {}),
      trainSize: train.size,
      valSize: val.size,
      history: state.history,
    },
    metrics: { validation: v.metrics, validationBySource: bySource, split: options.split },
  });
  await writeTrainingPlots(
    outDir,
    state.history,
    rocCurve(v.scores, v.labels),
    precisionRecallCurve(v.scores, v.labels),
    v.metrics,
  );
  const report: TrainReport = {
    dataset: datasetFromModel,
    split: options.split,
    trainSize: train.size,
    valSize: val.size,
    history: state.history,
    validation: v.metrics,
    validationBySource: bySource,
    resumedFromEpoch,
    seconds: (performance.now() - start) / 1000,
  };
  await writeFileAtomic(join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  await rm(join(outDir, CHECKPOINT), { force: true });
  await rm(join(outDir, STATE), { force: true });
  return report;
}

async function readState(outDir: string): Promise<State | null> {
  try {
    return JSON.parse(await readFile(join(outDir, STATE), 'utf8')) as State;
  } catch {
    return null;
  }
}

/** Validation predictions in dataset order (no augmentation) and their metrics. */
export async function validate(
  trainer: GqcnnTrainer,
  val: SplitStream,
  norm: Normalisation,
  params = trainer.params,
): Promise<{
  loss: number;
  metrics: ClassificationMetrics;
  scores: Float32Array;
  labels: Uint8Array;
  /** Dataset-wide datapoint index of each score. */
  indices: Uint32Array;
}> {
  const scores = new Float32Array(val.size);
  const labels = new Uint8Array(val.size);
  const indices = new Uint32Array(val.size);
  let k = 0,
    loss = 0;
  const batchSize = 1024;
  const im = new Float32Array(batchSize * PIXELS),
    pose = new Float32Array(batchSize * val.poseDim);
  for await (const b of val.batches({ batchSize })) {
    normaliseInputs(trainer.arch, norm, b.ims, b.poses, b.size, im, pose);
    const probs = await trainer.predict(im, pose, b.size, params);
    for (let i = 0; i < b.size; i++) {
      const p = probs[2 * i + 1];
      scores[k] = p;
      labels[k] = b.labels[i];
      indices[k] = b.indices[i];
      loss -= Math.log(Math.max(b.labels[i] ? p : probs[2 * i], 1e-12));
      k++;
    }
  }
  return { loss: loss / k, metrics: classificationMetrics(scores, labels), scores, labels, indices };
}

/** A split held in memory, batched in any order (for prioritised sampling). */
async function loadSplit(stream: SplitStream) {
  const n = stream.size,
    poseDim = stream.poseDim;
  const ims = new Float32Array(n * PIXELS),
    poses = new Float32Array(n * poseDim),
    labels = new Uint8Array(n),
    indices = new Uint32Array(n);
  let k = 0;
  for await (const b of stream.batches({ batchSize: 4096 })) {
    ims.set(b.ims.subarray(0, b.size * PIXELS), k * PIXELS);
    poses.set(b.poses.subarray(0, b.size * poseDim), k * poseDim);
    labels.set(b.labels.subarray(0, b.size), k);
    indices.set(b.indices.subarray(0, b.size), k);
    k += b.size;
  }
  return {
    size: n,
    /** Batches in the given order of split positions (0 … n − 1). */
    async *epoch(order: Uint32Array, batchSize: number): AsyncGenerator<Batch> {
      for (let s = 0; s < order.length; s += batchSize) {
        const size = Math.min(batchSize, order.length - s);
        const b: Batch = newBatch(size, poseDim);
        b.size = size;
        for (let i = 0; i < size; i++) {
          const j = order[s + i];
          b.ims.set(ims.subarray(j * PIXELS, (j + 1) * PIXELS), i * PIXELS);
          b.poses.set(poses.subarray(j * poseDim, (j + 1) * poseDim), i * poseDim);
          b.labels[i] = labels[j];
          b.indices[i] = j; // split position, which is what the sampler tracks
        }
        yield b;
      }
    },
    indices,
  };
}
