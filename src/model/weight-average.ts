// Exponential moving average of the weights (Polyak averaging). gqcnn's slow step decay leaves SGD
// bouncing between minibatches at the end of training (validation error swings 13–16 % between late
// epochs); the average of the recent weights sits in the middle of that bounce and validates better.
import type { Params } from './architecture.js';

export class WeightAverage {
  /** The averaged weights (same names and sizes as the trained ones). */
  readonly params: Params;
  /** Updates folded in so far. */
  updates: number;

  /**
   * @param decay weight of the old average per update (0.999 ≈ the last 1,000 steps)
   * @param from  the trained weights to start from (copied), or a saved average to continue
   */
  constructor(
    readonly decay: number,
    from: Params,
    updates = 0,
  ) {
    if (!(decay > 0 && decay < 1)) throw new RangeError(`weight average decay must be in (0, 1), got ${decay}`);
    this.params = new Map([...from].map(([k, v]) => [k, Float32Array.from(v)]));
    this.updates = updates;
  }

  /**
   * Folds in the current weights. Early on the decay is capped at (1 + t) / (10 + t), as TensorFlow's
   * ExponentialMovingAverage does with num_updates, so the average is not dominated by the initial weights.
   */
  update(current: Params): void {
    const t = this.updates++;
    const d = Math.min(this.decay, (1 + t) / (10 + t));
    for (const [name, avg] of this.params) {
      const w = current.get(name);
      if (!w || w.length !== avg.length) throw new Error(`weight average: parameter ${name} missing or resized`);
      for (let i = 0; i < avg.length; i++) avg[i] = d * avg[i]! + (1 - d) * w[i]!;
    }
  }
}
