// Training batches streamed from a dataset split: crops, pose rows and binary robustness labels, shuffled across a
// window of shards so memory stays bounded however large the dataset is. The label field, its threshold and the pose
// columns come from the dataset's layout (its gripper, recorded in config.json).
import { UserInputError } from '../core/errors.js';
import { Random } from '../core/random.js';
import { join } from 'node:path';
import { CROP_SIZE, type DatasetLayout, datasetLayoutOfConfig } from './fields.js';
import { readSplit } from './splits.js';
import { TensorDatasetReader } from './tensor-dataset.js';

export interface Batch {
  size: number;
  /** size × 32 × 32 depth crops (metres), row-major. */
  ims: Float32Array;
  /**
   * size × poseDim pose inputs, row-major: the layout's hand_poses columns (jaws: grasp depth; suction: grasp depth and
   * approach angle). The first column is always the grasp depth (m).
   */
  poses: Float32Array;
  /** 1 when the label field exceeds the threshold. */
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

  private constructor(
    readonly reader: TensorDatasetReader,
    readonly indices: Uint32Array,
    readonly threshold: number,
    readonly layout: DatasetLayout,
  ) {
    this.shardStart = [];
    let s = 0;
    for (const n of reader.shardSizes) {
      this.shardStart.push(s);
      s += n;
    }
    const buckets: number[][] = reader.shardSizes.map(() => []);
    let shard = 0;
    const sorted = Uint32Array.from(indices).sort();
    for (const i of sorted) {
      while (shard + 1 < this.shardStart.length && i >= this.shardStart[shard + 1]) shard++;
      if (i >= s)
        throw new UserInputError(`${reader.dir}: split index ${i} beyond the ${s} datapoints`, { file: reader.dir });
      buckets[shard].push(i);
    }
    this.byShard = buckets.map((b) => Uint32Array.from(b));
  }

  /**
   * Opens `splits/<name>` of a dataset; `side` is train or val. `name` 'all' uses every datapoint. Labels are 1 where
   * the dataset's label field exceeds `threshold` (gqcnn's metric_thresh; default the one config.json records).
   */
  static async open(dir: string, name: string, side: 'train' | 'val', threshold?: number): Promise<SplitStream> {
    if (threshold !== undefined && (!(threshold >= 0) || !Number.isFinite(threshold)))
      throw new Error(`label threshold must be a finite value ≥ 0, got ${threshold}`);
    const reader = await TensorDatasetReader.open(dir);
    const layout = datasetLayoutOfConfig(reader.config, join(dir, 'config.json'));
    if (!reader.config.fields[layout.labelField])
      throw new Error(
        `${join(dir, 'config.json')}: label_field ${layout.labelField} is not among the dataset's fields`,
      );
    const indices =
      name === 'all'
        ? Uint32Array.from({ length: reader.numDatapoints }, (_, i) => i)
        : (await readSplit(dir, name))[side];
    return new SplitStream(reader, indices, threshold ?? layout.positiveThreshold, layout);
  }

  /** Values per pose row (the network's poseDim). */
  get poseDim(): number {
    return this.layout.poseColumns.length;
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
    const { labelField, poseColumns } = this.layout;
    const poseDim = poseColumns.length;
    const order = this.byShard.map((_, i) => i).filter((i) => this.byShard[i].length > 0);
    if (rng) rng.shuffle(order);
    let batch = newBatch(batchSize, poseDim);
    for (let w = 0; w < order.length; w += rng ? shuffleWindow : 1) {
      const window = order.slice(w, w + (rng ? shuffleWindow : 1));
      // Pool the window's datapoints, then emit them in (shuffled) order.
      const ims: Float32Array[] = [],
        handPoses: Float32Array[] = [],
        metric: Float32Array[] = [];
      const refs: number[] = [];
      for (const [k, shard] of window.entries()) {
        const s = await this.reader.readShard(shard, ['depth_ims_tf_table', 'hand_poses', labelField]);
        ims.push(s.fields.depth_ims_tf_table as Float32Array);
        handPoses.push(s.fields.hand_poses as Float32Array);
        metric.push(s.fields[labelField] as Float32Array);
        for (const i of this.byShard[shard]) refs.push(k, i - this.shardStart[shard]);
      }
      const count = refs.length / 2;
      const perm = Array.from({ length: count }, (_, i) => i);
      if (rng) rng.shuffle(perm);
      for (const p of perm) {
        const k = refs[2 * p],
          local = refs[2 * p + 1];
        const b = batch.size;
        batch.ims.set(ims[k].subarray(local * PIXELS, (local + 1) * PIXELS), b * PIXELS);
        for (let d = 0; d < poseDim; d++) batch.poses[b * poseDim + d] = handPoses[k][local * 7 + poseColumns[d]];
        batch.labels[b] = metric[k][local] > threshold ? 1 : 0;
        batch.indices[b] = this.shardStart[window[k]] + local;
        if (++batch.size === batchSize) {
          yield batch;
          batch = newBatch(batchSize, poseDim);
        }
      }
    }
    if (batch.size > 0) yield batch;
  }
}

export function newBatch(n: number, poseDim: number): Batch {
  const ims = new Float32Array(n * PIXELS),
    poses = new Float32Array(n * poseDim);
  return { size: 0, ims, poses, labels: new Uint8Array(n), indices: new Uint32Array(n) };
}
