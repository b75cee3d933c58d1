// Optimizers that update the parameter Float32Arrays in place from the training graph's
// gradients: SGD with momentum (gqcnn's default, with its staircase step decay) and Adam.
import type { Params } from './architecture.js';

export type Schedule = (iteration: number) => number;

export interface Optimizer {
  /** Steps taken so far. */
  readonly iteration: number;
  /** Learning rate the next step will use. */
  learningRate(): number;
  step(params: Params, grads: ReadonlyMap<string, Float32Array>): void;
  /** Slot buffers by parameter name, for checkpoints. */
  state(): { iteration: number; slots: Record<string, Float32Array[]> };
  loadState(s: { iteration: number; slots: Record<string, Float32Array[]> }): void;
}

export interface StepDecayOptions {
  batchSize: number;
  /** Training datapoints per epoch. */
  trainSize: number;
  baseLearningRate?: number;
  decayRate?: number;
  /** Decay every this many epochs. */
  decayStepMultiplier?: number;
}

/**
 * gqcnn's schedule: lr = base · rate^floor(samples seen / (multiplier · train size)), i.e. TF's
 * exponential_decay(staircase=True) on global_step · batch size; defaults 0.01, 0.95, 0.66 epoch.
 */
export function gqcnnStepDecay(o: StepDecayOptions): Schedule {
  const base = o.baseLearningRate ?? 0.01;
  const rate = o.decayRate ?? 0.95;
  const decaySamples = (o.decayStepMultiplier ?? 0.66) * o.trainSize;
  return (it) => base * rate ** Math.floor((it * o.batchSize) / decaySamples);
}

const constant =
  (lr: number): Schedule =>
  () =>
    lr;

abstract class BaseOptimizer implements Optimizer {
  protected it = 0;
  protected slots = new Map<string, Float32Array[]>();
  protected readonly schedule: Schedule;
  constructor(
    lr: number | Schedule,
    private readonly nSlots: number,
  ) {
    this.schedule = typeof lr === 'number' ? constant(lr) : lr;
  }
  get iteration(): number {
    return this.it;
  }
  learningRate(): number {
    return this.schedule(this.it);
  }
  protected slotsFor(name: string, size: number): Float32Array[] {
    let s = this.slots.get(name);
    if (!s) {
      s = Array.from({ length: this.nSlots }, () => new Float32Array(size));
      this.slots.set(name, s);
    }
    return s;
  }
  step(params: Params, grads: ReadonlyMap<string, Float32Array>): void {
    const lr = this.schedule(this.it);
    this.it++;
    // driven by the gradients: parameters without one (batch-norm running statistics) are not trained
    for (const [name, g] of grads) {
      const w = params.get(name);
      if (!w) throw new Error(`optimizer: gradient for unknown parameter ${name}`);
      if (g.length !== w.length)
        throw new Error(`optimizer: gradient of ${name} has ${g.length} values, parameter ${w.length}`);
      this.update(w, g, this.slotsFor(name, w.length), lr);
    }
  }
  protected abstract update(w: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void;
  state() {
    return { iteration: this.it, slots: Object.fromEntries(this.slots) };
  }
  loadState(s: { iteration: number; slots: Record<string, Float32Array[]> }): void {
    this.it = s.iteration;
    this.slots = new Map(Object.entries(s.slots).map(([k, v]) => [k, v.map((a) => Float32Array.from(a))]));
  }
}

/** TensorFlow's MomentumOptimizer: v ← μ·v + g; w ← w − lr·v. */
export class MomentumSGD extends BaseOptimizer {
  readonly momentum: number;
  constructor(o: { learningRate: number | Schedule; momentum?: number }) {
    super(o.learningRate, 1);
    this.momentum = o.momentum ?? 0.9;
  }
  protected update(w: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    const v = slots[0]!;
    const mu = this.momentum;
    for (let i = 0; i < w.length; i++) {
      const vi = mu * v[i]! + g[i]!;
      v[i] = vi;
      w[i] = w[i]! - lr * vi;
    }
  }
}

/** Adam as in Kingma & Ba's Algorithm 1 (ε added to the bias-corrected √v̂). */
export class Adam extends BaseOptimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  constructor(o: { learningRate: number | Schedule; beta1?: number; beta2?: number; epsilon?: number }) {
    super(o.learningRate, 2);
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? 1e-8;
  }
  protected update(w: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    const [m, v] = slots as [Float32Array, Float32Array];
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const t = this.it; // already incremented: 1 on the first step
    const c1 = 1 / (1 - b1 ** t);
    const c2 = 1 / (1 - b2 ** t);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const mi = b1 * m[i]! + (1 - b1) * gi;
      const vi = b2 * v[i]! + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = w[i]! - (lr * mi * c1) / (Math.sqrt(vi * c2) + eps);
    }
  }
}
