// Training batches streamed from a dataset split: crops, grasp depths and binary robustness labels,
// shuffled across a window of shards so memory stays bounded however large the dataset is.
import { UserInputError } from '../core/errors.js';
import { Random } from '../core/random.js';
import { CROP_SIZE, ROBUST_EPSILON_THRESHOLD } from './fields.js';
import { readSplit } from './splits.js';
import { TensorDatasetReader } from './tensor-dataset.js';

export interface Batch {
  size: number;
  /** size × 32 × 32 depth crops (metres), row-major. */
  ims: Float32Array;
  /** Grasp depth (m) per datapoint: hand_poses column 2. */
  depths: Float32Array;
  /** 1 when robust ε > threshold. */
  labels: Uint8Array;
  /** Dataset-wide datapoint indices (for prioritised sampling and reports). */
  indices: Uint32Array;
}

export interface BatchStreamOptions {
  batchSize: number;
  /** Shards held at once for shuffling (memory ≈ this × 4 MB). */
  shuffleWindow?: number;
}

const PIXELS = CROP_SIZE * CROP_SIZE;

/** The datapoints of one split side, readable shard by shard. */
export class SplitStream {
  /** Per shard, the split's datapoint indices inside it (sorted, dataset-wide). */
  private readonly byShard: Uint32Array[];
  private readonly shardStart: number[];

  private constructor(readonly reader: TensorDatasetReader, readonly indices: Uint32Array, readonly threshold: number) {
    this.shardStart = [];
    let s = 0;
    for (const n of reader.shardSizes) { this.shardStart.push(s); s += n; }
    const buckets: number[][] = reader.shardSizes.map(() => []);
    let shard = 0;
    const sorted = Uint32Array.from(indices).sort();
    for (const i of sorted) {
      while (shard + 1 < this.shardStart.length && i >= this.shardStart[shard + 1]) shard++;
      if (i >= s) throw new UserInputError(`${reader.dir}: split index ${i} beyond the ${s} datapoints`, { file: reader.dir });
      buckets[shard].push(i);
    }
    this.byShard = buckets.map((b) => Uint32Array.from(b));
  }

  /**
   * Opens `splits/<name>` of a dataset; `side` is train or val. `name` 'all' uses every datapoint. Labels are 1 where
   * the robust ε exceeds `threshold` (gqcnn's metric_thresh).
   */
  static async open(dir: string, name: string, side: 'train' | 'val', threshold = ROBUST_EPSILON_THRESHOLD): Promise<SplitStream> {
    if (!(threshold >= 0) || !Number.isFinite(threshold)) throw new Error(`label threshold must be a finite robust ε ≥ 0, got ${threshold}`);
    const reader = await TensorDatasetReader.open(dir);
    const indices = name === 'all' ? Uint32Array.from({ length: reader.numDatapoints }, (_, i) => i) : (await readSplit(dir, name))[side];
    return new SplitStream(reader, indices, threshold);
  }

  get size(): number {
    return this.indices.length;
  }

  /**
   * Yields batches over the whole split once. With an `rng` the order is shuffled: shards in random
   * order, `shuffleWindow` of them pooled and shuffled together; without one, dataset order (validation).
   */
  async *batches(options: BatchStreamOptions, rng?: Random): AsyncGenerator<Batch> {
    const { batchSize, shuffleWindow = 8 } = options;
    const threshold = this.threshold;
    const order = this.byShard.map((_, i) => i).filter((i) => this.byShard[i].length > 0);
    if (rng) rng.shuffle(order);
    let batch = newBatch(batchSize);
    for (let w = 0; w < order.length; w += rng ? shuffleWindow : 1) {
      const window = order.slice(w, w + (rng ? shuffleWindow : 1));
      // Pool the window's datapoints, then emit them in (shuffled) order.
      const ims: Float32Array[] = [], depths: Float32Array[] = [], metric: Float32Array[] = [];
      const refs: number[] = [];
      for (const [k, shard] of window.entries()) {
        const s = await this.reader.readShard(shard, ['depth_ims_tf_table', 'hand_poses', 'robust_ferrari_canny']);
        ims.push(s.fields.depth_ims_tf_table as Float32Array);
        depths.push(s.fields.hand_poses as Float32Array);
        metric.push(s.fields.robust_ferrari_canny as Float32Array);
        for (const i of this.byShard[shard]) refs.push(k, i - this.shardStart[shard]);
      }
      const count = refs.length / 2;
      const perm = Array.from({ length: count }, (_, i) => i);
      if (rng) rng.shuffle(perm);
      for (const p of perm) {
        const k = refs[2 * p], local = refs[2 * p + 1];
        const b = batch.size;
        batch.ims.set(ims[k].subarray(local * PIXELS, (local + 1) * PIXELS), b * PIXELS);
        batch.depths[b] = depths[k][local * 7 + 2];
        batch.labels[b] = metric[k][local] > threshold ? 1 : 0;
        batch.indices[b] = this.shardStart[window[k]] + local;
        if (++batch.size === batchSize) {
          yield batch;
          batch = newBatch(batchSize);
        }
      }
    }
    if (batch.size > 0) yield batch;
  }
}

function newBatch(n: number): Batch {
  return { size: 0, ims: new Float32Array(n * PIXELS), depths: new Float32Array(n), labels: new Uint8Array(n), indices: new Uint32Array(n) };
}
