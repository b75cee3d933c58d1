// Training loop core: one ONNX Runtime session of the training graph fed the current weights each
// step, an optimizer updating them in TypeScript, and evaluation through a weights-as-inputs
// inference session (so evaluation always sees the latest weights without rebuilding a graph).
import * as ort from 'onnxruntime-node';
import {
  type GqcnnArchitecture,
  type Params,
  initParameters,
  parameterSpecs,
  trainableSpecs,
  validateArchitecture,
} from './architecture.js';
import {
  type TrainingGraphOptions,
  buildInferenceGraph,
  buildTrainingGraph,
  gradName,
  statName,
} from './onnx-builder.js';
import { MomentumSGD, type Optimizer } from './optimizer.js';

export interface SessionSettings {
  intraOpNumThreads?: number;
  /** Write an ORT JSON profile with this file prefix (to find slow ops). */
  profileFilePrefix?: string;
}

export function sessionOptions(s: SessionSettings = {}): ort.InferenceSession.SessionOptions {
  const o: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: s.intraOpNumThreads ?? 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  };
  if (s.profileFilePrefix) {
    o.enableProfiling = true;
    o.profileFilePrefix = s.profileFilePrefix;
  }
  return o;
}

/**
 * Class labels (length n, 0 = fail / 1 = success) or one-hot/soft rows (length 2n) → [n, 2] floats.
 */
export function toOneHot(labels: Uint8Array | Float32Array, n: number, classes = 2): Float32Array {
  if (labels instanceof Float32Array && labels.length === n * classes) return labels;
  if (labels.length < n) throw new Error(`labels: ${labels.length} values for a batch of ${n}`);
  const out = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (!(c >= 0 && c < classes && Number.isInteger(c)))
      throw new Error(`labels[${i}] = ${c}; expected an integer class in [0, ${classes})`);
    out[i * classes + c] = 1;
  }
  return out;
}

export interface GradientResult {
  loss: number;
  /** Cross-entropy of each datapoint (no L2), e.g. for prioritised sampling. */
  losses: Float32Array;
  probs: Float32Array;
  grads: Map<string, Float32Array>;
  /** Batch mean / variance of each batch-norm layer, keyed by its running buffer's name. */
  batchStats: Map<string, Float32Array>;
  /** Only when the trainer was created with inputGradient. */
  dIm?: Float32Array;
}

export interface EvaluationResult {
  loss: number;
  errorRate: number;
  /** P(success) per datapoint. */
  pSuccess: Float32Array;
}

export interface TrainerOptions extends SessionSettings, TrainingGraphOptions {
  arch: GqcnnArchitecture;
  /** Initial weights (used in place and updated by step); default He init from `seed`. */
  params?: Params;
  seed?: number;
  optimizer?: Optimizer;
  /** L2 regulariser on weights (gqcnn: 5e-4). */
  l2?: number;
  /** Running batch-norm statistics: running ← m·running + (1 − m)·batch. Default 0.9. */
  bnMomentum?: number;
}

export class GqcnnTrainer {
  readonly arch: GqcnnArchitecture;
  readonly params: Params;
  optimizer: Optimizer;
  l2: number;
  bnMomentum: number;
  private readonly specs;
  private readonly trainable;
  private readonly buffers;
  private inference: ort.InferenceSession | null = null;

  private constructor(
    o: TrainerOptions,
    private readonly session: ort.InferenceSession,
    private readonly settings: SessionSettings,
  ) {
    this.arch = o.arch;
    this.specs = parameterSpecs(o.arch);
    this.trainable = trainableSpecs(o.arch);
    this.buffers = this.specs.filter((p) => p.role === 'buffer');
    this.params = o.params ?? initParameters(o.arch, o.seed ?? 0);
    for (const s of this.specs) {
      const p = this.params.get(s.name);
      if (!p || p.length !== s.shape.reduce((a, b) => a * b, 1))
        throw new Error(`trainer: parameter ${s.name} missing or of the wrong size`);
    }
    this.optimizer = o.optimizer ?? new MomentumSGD({ learningRate: 0.01, momentum: 0.9 });
    this.l2 = o.l2 ?? 5e-4;
    this.bnMomentum = o.bnMomentum ?? 0.9;
  }

  static async create(o: TrainerOptions): Promise<GqcnnTrainer> {
    validateArchitecture(o.arch);
    const settings: SessionSettings = {
      intraOpNumThreads: o.intraOpNumThreads,
      profileFilePrefix: o.profileFilePrefix,
    };
    const bytes = buildTrainingGraph(o.arch, {
      inputGradient: o.inputGradient,
      convWeightGrad: o.convWeightGrad,
      convInputGrad: o.convInputGrad,
    });
    const session = await ort.InferenceSession.create(bytes, sessionOptions(settings));
    return new GqcnnTrainer(o, session, settings);
  }

  private paramFeeds(feeds: Record<string, ort.Tensor>, specs = this.specs, params = this.params): void {
    for (const s of specs) feeds[s.name] = new ort.Tensor('float32', params.get(s.name)!, s.shape);
  }

  private inputFeeds(im: Float32Array, pose: Float32Array, n: number): Record<string, ort.Tensor> {
    const { imChannels: c, imHeight: h, imWidth: w, poseDim } = this.arch;
    if (im.length < n * c * h * w) throw new Error(`im: ${im.length} values for ${n} crops of ${c}×${h}×${w}`);
    if (pose.length < n * poseDim) throw new Error(`pose: ${pose.length} values for ${n} poses of ${poseDim}`);
    return {
      im: new ort.Tensor('float32', im.length === n * c * h * w ? im : im.subarray(0, n * c * h * w), [n, c, h, w]),
      pose: new ort.Tensor('float32', pose.length === n * poseDim ? pose : pose.subarray(0, n * poseDim), [n, poseDim]),
    };
  }

  /** Loss, probabilities and gradients at the current weights (normalised inputs). */
  async computeGradients(
    im: Float32Array,
    pose: Float32Array,
    labels: Uint8Array | Float32Array,
    n: number,
  ): Promise<GradientResult> {
    const feeds = this.inputFeeds(im, pose, n);
    feeds.labels = new ort.Tensor('float32', toOneHot(labels, n, this.arch.outputs), [n, this.arch.outputs]);
    feeds.l2 = new ort.Tensor('float32', Float32Array.of(this.l2), []);
    this.paramFeeds(feeds, this.trainable);
    const out = await this.session.run(feeds);
    const grads = new Map<string, Float32Array>();
    for (const s of this.trainable) grads.set(s.name, out[gradName(s.name)]!.data as Float32Array);
    const batchStats = new Map<string, Float32Array>();
    for (const s of this.buffers) batchStats.set(s.name, out[statName(s.name)]!.data as Float32Array);
    return {
      loss: (out.loss!.data as Float32Array)[0]!,
      losses: out.losses!.data as Float32Array,
      probs: out.probs!.data as Float32Array,
      grads,
      batchStats,
      dIm: out['grad.im'] ? (out['grad.im'].data as Float32Array) : undefined,
    };
  }

  /** One optimizer step on a batch of n (normalised) datapoints; returns the batch loss before the step. */
  async step(im: Float32Array, pose: Float32Array, labels: Uint8Array | Float32Array, n: number): Promise<number> {
    return (await this.stepDetailed(im, pose, labels, n)).loss;
  }

  /** step() that also returns the per-datapoint losses and probabilities before the update. */
  async stepDetailed(
    im: Float32Array,
    pose: Float32Array,
    labels: Uint8Array | Float32Array,
    n: number,
  ): Promise<GradientResult> {
    const r = await this.computeGradients(im, pose, labels, n);
    if (!Number.isFinite(r.loss))
      throw new Error(`training diverged: loss ${r.loss} at iteration ${this.optimizer.iteration}`);
    this.optimizer.step(this.params, r.grads);
    const m = this.bnMomentum;
    for (const [name, batch] of r.batchStats) {
      const run = this.params.get(name)!;
      for (let i = 0; i < run.length; i++) run[i] = m * run[i]! + (1 - m) * batch[i]!;
    }
    return r;
  }

  /** [n, 2] probabilities at the current weights (or at `params`, e.g. their running average). */
  async predict(im: Float32Array, pose: Float32Array, n: number, params: Params = this.params): Promise<Float32Array> {
    if (!this.inference)
      this.inference = await ort.InferenceSession.create(
        buildInferenceGraph(this.arch, null),
        sessionOptions({ intraOpNumThreads: this.settings.intraOpNumThreads }),
      );
    const feeds = this.inputFeeds(im, pose, n);
    this.paramFeeds(feeds, this.specs, params);
    const out = await this.inference.run(feeds);
    return out.probs!.data as Float32Array;
  }

  /** Mean cross-entropy (without L2) and error rate at threshold 0.5, in batches. */
  async evaluate(
    im: Float32Array,
    pose: Float32Array,
    labels: Uint8Array,
    n: number,
    batchSize = 256,
  ): Promise<EvaluationResult> {
    const { imChannels: c, imHeight: h, imWidth: w, poseDim } = this.arch;
    const crop = c * h * w;
    const pSuccess = new Float32Array(n);
    let loss = 0;
    let errors = 0;
    for (let s = 0; s < n; s += batchSize) {
      const b = Math.min(batchSize, n - s);
      const probs = await this.predict(
        im.subarray(s * crop, (s + b) * crop),
        pose.subarray(s * poseDim, (s + b) * poseDim),
        b,
      );
      for (let i = 0; i < b; i++) {
        const p1 = probs[i * 2 + 1]!;
        const y = labels[s + i]!;
        pSuccess[s + i] = p1;
        loss -= Math.log(Math.max(y === 1 ? p1 : probs[i * 2]!, 1e-12));
        if ((p1 >= 0.5 ? 1 : 0) !== y) errors++;
      }
    }
    return { loss: n ? loss / n : 0, errorRate: n ? errors / n : 0, pSuccess };
  }

  async release(): Promise<void> {
    await this.session.release();
    if (this.inference) await this.inference.release();
    this.inference = null;
  }
}
