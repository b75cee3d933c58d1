// Train/validation splits of a dataset by image, stable pose or object (gqcnn's splits/<name>/ folders):
// whole label groups go to one side, so object-wise validation never sees a training object.
import { UserInputError } from '../core/errors.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { Random } from '../core/random.js';
import { readNpz, writeNpz } from '../image/npz.js';
import type { TensorDatasetReader } from './tensor-dataset.js';

export const SPLITS = {
  image_wise: 'image_labels',
  stable_pose_wise: 'pose_labels',
  object_wise: 'obj_labels',
} as const;
export type SplitName = keyof typeof SPLITS;

export interface Split {
  train: Uint32Array;
  val: Uint32Array;
}

/**
 * Splits datapoint indices so that each distinct label lands wholly in train or in val; the val side
 * gets round((1 − trainFraction) · #labels) labels (at least one when there are two or more).
 */
export function splitByLabel(labels: ArrayLike<number>, trainFraction: number, seed: number): Split {
  const distinct = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  new Random(seed).shuffle(distinct);
  let nVal = Math.round((1 - trainFraction) * distinct.length);
  if (distinct.length >= 2) nVal = Math.min(distinct.length - 1, Math.max(1, nVal));
  const valLabels = new Set(distinct.slice(0, nVal));
  const train: number[] = [],
    val: number[] = [];
  for (let i = 0; i < labels.length; i++) (valLabels.has(labels[i]) ? val : train).push(i);
  return { train: Uint32Array.from(train), val: Uint32Array.from(val) };
}

/** Writes all three standard splits of a dataset under splits/<name>/{train,val}_indices.npz. */
export async function writeStandardSplits(
  reader: TensorDatasetReader,
  seed: number,
  trainFraction = 0.8,
): Promise<Record<SplitName, Split>> {
  const out = {} as Record<SplitName, Split>;
  for (const [name, field] of Object.entries(SPLITS) as [SplitName, string][]) {
    const split = splitByLabel(await reader.readWholeField(field), trainFraction, seed);
    for (const side of ['train', 'val'] as const) {
      const arr = split[side];
      await writeFileAtomic(
        join(reader.dir, 'splits', name, `${side}_indices.npz`),
        writeNpz({ arr_0: { data: arr, shape: [arr.length] } }),
      );
    }
    out[name] = split;
  }
  return out;
}

export async function readSplit(dir: string, name: string): Promise<Split> {
  const read = async (side: 'train' | 'val') => {
    const path = join(dir, 'splits', name, `${side}_indices.npz`);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch {
      throw new UserInputError(
        `${path}: split "${name}" not found (expected one of ${Object.keys(SPLITS).join(', ')})`,
        { file: path },
      );
    }
    const arr = readNpz(bytes, path).arr_0;
    if (!arr || arr.shape.length !== 1)
      throw new UserInputError(`${path}: expected a 1-D index array in arr_0`, { file: path });
    return Uint32Array.from(arr.data as ArrayLike<number>);
  };
  return { train: await read('train'), val: await read('val') };
}
