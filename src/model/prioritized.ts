// Loss-prioritised minibatch sampling ("learning what to learn", docs/dex-net-facts.md §6): after a few plain
// epochs, draw datapoints in proportion to their last loss, drop the lowest-loss 10% of the active
// set each epoch and re-admit ~1% of the dropped ones so forgotten points can come back.
import { Random } from '../core/random.js';

export interface PrioritizedOptions {
  seed?: number;
  /** Plain shuffled epochs before prioritising (3). */
  warmupEpochs?: number;
  /** Share of the active set dropped at the end of each prioritised epoch (0.1). */
  dropFraction?: number;
  /** Share of the dropped pool re-admitted at the end of each prioritised epoch (0.01). */
  readmitFraction?: number;
  /** Floor on a datapoint's sampling weight so none becomes unreachable (1e-4). */
  minWeight?: number;
}

export class PrioritizedSampler {
  /** Last seen loss per datapoint (NaN: never seen). */
  readonly losses: Float32Array;
  /** 1 where the datapoint takes part in the current epoch. */
  readonly active: Uint8Array;
  epoch = 0;
  private readonly rng: Random;
  private readonly o: Required<PrioritizedOptions>;

  constructor(
    readonly size: number,
    options: PrioritizedOptions = {},
  ) {
    this.o = { seed: 0, warmupEpochs: 3, dropFraction: 0.1, readmitFraction: 0.01, minWeight: 1e-4, ...options };
    this.rng = new Random(this.o.seed);
    this.losses = new Float32Array(size).fill(NaN);
    this.active = new Uint8Array(size).fill(1);
  }

  get prioritising(): boolean {
    return this.epoch >= this.o.warmupEpochs;
  }

  get activeCount(): number {
    let c = 0;
    for (let i = 0; i < this.size; i++) c += this.active[i]!;
    return c;
  }

  /**
   * The datapoints of the coming epoch, one per active point: a shuffle while warming up, then
   * draws with replacement weighted by last loss (unseen points get the mean seen loss).
   */
  epochOrder(): Uint32Array {
    const idx: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.active[i]) idx.push(i);
    const out = Uint32Array.from(idx);
    if (!this.prioritising) {
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(this.rng.next() * (i + 1));
        const t = out[i]!;
        out[i] = out[j]!;
        out[j] = t;
      }
      return out;
    }
    let seen = 0;
    let sum = 0;
    for (const i of idx)
      if (!Number.isNaN(this.losses[i]!)) {
        seen++;
        sum += this.losses[i]!;
      }
    const fallback = seen ? sum / seen : 1;
    const cum = new Float64Array(idx.length);
    let acc = 0;
    idx.forEach((i, k) => {
      const l = this.losses[i]!;
      acc += Math.max(Number.isNaN(l) ? fallback : l, this.o.minWeight);
      cum[k] = acc;
    });
    for (let k = 0; k < out.length; k++) {
      const r = this.rng.next() * acc;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      out[k] = idx[lo]!;
    }
    return out;
  }

  /** Records the losses of a trained batch (e.g. GradientResult.losses). */
  update(indices: ArrayLike<number>, losses: ArrayLike<number>): void {
    for (let k = 0; k < indices.length; k++) this.losses[indices[k]!] = losses[k]!;
  }

  /** Closes an epoch: once prioritising, drops the lowest-loss share and re-admits a few dropped. */
  endEpoch(): { dropped: number; readmitted: number } {
    const wasPrioritising = this.prioritising;
    this.epoch++;
    if (!wasPrioritising) return { dropped: 0, readmitted: 0 };
    const dropped: number[] = [];
    for (let i = 0; i < this.size; i++) if (!this.active[i]) dropped.push(i);
    // re-admit from points dropped in earlier epochs, before this epoch's drop
    const nRe = Math.min(dropped.length, Math.round(this.o.readmitFraction * dropped.length));
    for (let k = 0; k < nRe; k++) {
      const j = k + Math.floor(this.rng.next() * (dropped.length - k));
      [dropped[k], dropped[j]] = [dropped[j]!, dropped[k]!];
      this.active[dropped[k]!] = 1;
    }
    const act: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.active[i] && !Number.isNaN(this.losses[i]!)) act.push(i);
    act.sort((a, b) => this.losses[a]! - this.losses[b]!);
    const nDrop = Math.floor(this.o.dropFraction * this.activeCount);
    for (let k = 0; k < Math.min(nDrop, act.length); k++) this.active[act[k]!] = 0;
    return { dropped: Math.min(nDrop, act.length), readmitted: nRe };
  }
}
