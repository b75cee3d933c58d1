// Shared by the dataset tests: a content digest of a dataset and a wait for its first finished part.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** sha256 of every file under a dataset's tensors/ and splits/, keyed by relative path. */
export function datasetDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}/${e.name}`);
      else
        out[`${rel}/${e.name}`] = createHash('sha256')
          .update(readFileSync(join(d, e.name)))
          .digest('hex');
    }
  };
  walk(join(dir, 'tensors'), 'tensors');
  walk(join(dir, 'splits'), 'splits');
  return out;
}

/** Resolves once some object's part of a run in `outDir` is complete (its JSON marker exists). */
export function firstPartFinished(outDir: string, abort?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      const parts = join(outDir, 'parts');
      if (existsSync(parts) && readdirSync(parts).some((f) => f.endsWith('.json'))) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    abort?.then(() => {
      clearInterval(timer);
      reject(new Error('the run ended before its first part was seen'));
    });
  });
}

/**
 * A small dataset written with the real shard writer and known values: datapoint i belongs to object i % 3,
 * is positive when i % 4 === 0 (robust ε 0.01, else 0.0005), has grasp depth 0.6 + i/1000 and a crop filled with i/100.
 */
export async function writeKnownDataset(dir: string, sizes: number[]): Promise<void> {
  const { DATASET_FIELDS } = await import('../../src/dataset/fields.js');
  const { allocateField, fieldSize, writeConfig, writeShard } = await import('../../src/dataset/tensor-dataset.js');
  let next = 0;
  for (const [shard, n] of sizes.entries()) {
    const data = Object.fromEntries(
      Object.entries(DATASET_FIELDS).map(([name, spec]) => [name, allocateField(spec, n)]),
    );
    for (let j = 0; j < n; j++, next++) {
      data.obj_labels[j] = next % 3;
      data.robust_ferrari_canny[j] = next % 4 === 0 ? 0.01 : 0.0005;
      data.hand_poses[j * 7 + 2] = 0.6 + next / 1000;
      const crop = fieldSize(DATASET_FIELDS.depth_ims_tf_table);
      data.depth_ims_tf_table.fill(next / 100, j * crop, (j + 1) * crop);
    }
    await writeShard(dir, DATASET_FIELDS, shard, data, n);
  }
  await writeConfig(dir, { datapoints_per_file: Math.max(...sizes), fields: DATASET_FIELDS, shard_sizes: sizes });
}
