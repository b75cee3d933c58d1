// Paging through a generated dataset's crops with their labels, filtered by object and label (the viewer's
// dataset browser). Labels are read once; crops one shard at a time, so memory stays bounded for any size.
import { UserInputError } from '../core/errors.js';
import { CROP_SIZE, ROBUST_EPSILON_THRESHOLD } from './fields.js';
import { TensorDatasetReader } from './tensor-dataset.js';

export interface DatasetCrop {
  index: number;
  object: number;
  label: 0 | 1;
  robustEpsilon: number;
  /** Grasp depth (m): hand_poses column 2. */
  depth: number;
  /** CROP_SIZE² depths (m), row-major. */
  crop: Float32Array;
}

export interface DatasetFilter {
  object?: number;
  label?: 'positive' | 'negative';
}

export class DatasetBrowser {
  /** First datapoint index of each shard, plus the total at the end. */
  private readonly shardStarts: number[];
  private cached: { shard: number; crops: Float32Array; poses: Float32Array } | null = null;
  private counts: { objects: number; positives: number } | null = null;

  private constructor(
    private readonly reader: TensorDatasetReader,
    private readonly objects: Uint32Array,
    private readonly robust: Float32Array,
  ) {
    this.shardStarts = [0];
    for (const n of reader.shardSizes) this.shardStarts.push(this.shardStarts[this.shardStarts.length - 1] + n);
  }

  static async open(dir: string): Promise<DatasetBrowser> {
    const reader = await TensorDatasetReader.open(dir);
    for (const f of ['obj_labels', 'robust_ferrari_canny', 'depth_ims_tf_table', 'hand_poses'])
      if (!reader.config.fields[f])
        throw new UserInputError(`${dir}: not a grasp dataset (no field ${f})`, { file: dir });
    const objects = (await reader.readWholeField('obj_labels')) as Uint32Array;
    const robust = (await reader.readWholeField('robust_ferrari_canny')) as Float32Array;
    return new DatasetBrowser(reader, objects, robust);
  }

  summary() {
    if (!this.counts) {
      let positives = 0;
      for (const r of this.robust) if (r > ROBUST_EPSILON_THRESHOLD) positives++;
      this.counts = { objects: new Set(this.objects).size, positives };
    }
    return { datapoints: this.robust.length, ...this.counts, threshold: ROBUST_EPSILON_THRESHOLD, cropSize: CROP_SIZE };
  }

  /** The `limit` matching datapoints from the `offset`-th match on, and how many match in all. */
  async page(filter: DatasetFilter, offset: number, limit: number): Promise<{ total: number; items: DatasetCrop[] }> {
    const matches = (i: number) =>
      (filter.object === undefined || this.objects[i] === filter.object) &&
      (filter.label === undefined || this.robust[i] > ROBUST_EPSILON_THRESHOLD === (filter.label === 'positive'));
    const picked: number[] = [];
    let total = 0;
    for (let i = 0; i < this.robust.length; i++) {
      if (!matches(i)) continue;
      if (total >= offset && picked.length < limit) picked.push(i);
      total++;
    }
    const items: DatasetCrop[] = [];
    for (const index of picked) {
      const { shard, at } = this.locate(index);
      const { crops, poses } = await this.shard(shard);
      const size = CROP_SIZE * CROP_SIZE;
      items.push({
        index,
        object: this.objects[index],
        label: this.robust[index] > ROBUST_EPSILON_THRESHOLD ? 1 : 0,
        robustEpsilon: this.robust[index],
        depth: poses[at * 7 + 2],
        crop: crops.slice(at * size, (at + 1) * size),
      });
    }
    return { total, items };
  }

  private locate(index: number): { shard: number; at: number } {
    let lo = 0,
      hi = this.shardStarts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.shardStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { shard: lo, at: index - this.shardStarts[lo] };
  }

  /** One shard's crops and poses; consecutive pages mostly hit the same shard, so the last one is kept. */
  private async shard(shard: number) {
    if (this.cached?.shard !== shard) {
      const crops = (await this.reader.readField('depth_ims_tf_table', shard)) as Float32Array;
      const poses = (await this.reader.readField('hand_poses', shard)) as Float32Array;
      this.cached = { shard, crops, poses };
    }
    return this.cached;
  }
}
