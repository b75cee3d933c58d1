// Prioritised training against uniform sampling in the same run (issue 4, the "learning what to learn" idea):
// both train the default architecture from the same seed on the same split, held in memory and shuffled globally
// (so the only difference is the sampler); after 3 plain epochs the prioritised
// run samples minibatches by last loss and drops the easiest 10 % each epoch. Prints each run's validation error
// per epoch and the training steps each needed to reach the target error (default: the uniform run's best).
// Usage: tsx bench/prioritized.ts --dataset dir [--epochs 8] [--split object_wise] [--target e] [--json]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ARCHITECTURE } from '../src/model/architecture.js';
import { DEFAULT_TRAIN_OPTIONS, trainModel, type EpochRecord } from '../src/model/train.js';
import { flag, opt } from './args.js';

const dataset = opt('dataset', '');
if (!dataset) {
  console.error('bench:prioritized needs --dataset <dir> (a dataset from `dexnet generate`)');
  process.exit(1);
}
const json = flag('json');
const epochs = Number(opt('epochs', '8'));
const split = opt('split', 'object_wise');

const runs: Record<'uniform' | 'prioritized', EpochRecord[]> = { uniform: [], prioritized: [] };
for (const mode of ['uniform', 'prioritized'] as const) {
  const dir = await mkdtemp(join(tmpdir(), `dexnet-bench-${mode}-`));
  const report = await trainModel(dataset, dir, {
    ...DEFAULT_TRAIN_OPTIONS,
    arch: DEFAULT_ARCHITECTURE,
    epochs,
    split,
    prioritized: mode === 'prioritized',
    shuffle: 'global',
  });
  runs[mode] = report!.history;
  await rm(dir, { recursive: true, force: true });
  if (!json)
    console.error(
      `${mode}: validation error by epoch ${report!.history.map((h) => h.valErrorRate.toFixed(4)).join(' ')}`,
    );
}
const target = Number(opt('target', String(Math.min(...runs.uniform.map((h) => h.valErrorRate)))));
const stepsTo = (h: EpochRecord[]) => h.find((r) => r.valErrorRate <= target)?.steps ?? null;
const result = {
  dataset,
  split,
  epochs,
  target,
  uniformSteps: stepsTo(runs.uniform),
  prioritizedSteps: stepsTo(runs.prioritized),
  speedup:
    stepsTo(runs.uniform) && stepsTo(runs.prioritized) ? stepsTo(runs.uniform)! / stepsTo(runs.prioritized)! : null,
  uniform: runs.uniform.map((h) => h.valErrorRate),
  prioritized: runs.prioritized.map((h) => h.valErrorRate),
};
console.log(
  `target validation error ${target.toFixed(4)}: uniform ${result.uniformSteps ?? 'not reached'} steps, prioritised ${result.prioritizedSteps ?? 'not reached'} steps${result.speedup ? ` (${result.speedup.toFixed(2)}× fewer)` : ''}`,
);
if (json) console.log(JSON.stringify(result));
