// `dexnet validate <dataset> --model <dir>`: how well a trained model predicts the labels of another dataset (a
// held-out object set, another seed, the user's own objects), overall and per object source.
import type { Command } from 'commander';
import { metricsLine, progressBar } from './output.js';

interface ValidateFlags {
  model: string;
  split?: string;
  json?: boolean;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description("score a trained model on a dataset's labels: accuracy, AP and ROC AUC, per object source too")
    .argument('<dataset>', 'dataset folder from `dexnet generate`')
    .requiredOption('--model <dir>', 'model folder from `dexnet train` (or a bundled one, e.g. models/gqcnn-compact)')
    .option('--split <name>', 'only the validation side of this split of the dataset (default: every datapoint)')
    .option('--json', 'print the figures as JSON')
    .action(async (dataset: string, flags: ValidateFlags) => {
      const { validateOnDataset } = await import('../model/dataset-validation.js');
      let bar: ReturnType<typeof progressBar> | undefined;
      let shown = 0;
      const v = await validateOnDataset(flags.model, dataset, {
        split: flags.split,
        onProgress: (done, total) => {
          bar ??= progressBar(total, 'datapoints');
          bar.tick(done - shown);
          shown = done;
        },
      });
      bar?.stop();
      if (flags.json) {
        process.stdout.write(JSON.stringify(v, null, 2) + '\n');
        return;
      }
      console.log(`model ${flags.model} on ${dataset}: ${v.datapoints} datapoints, positive above ${v.threshold}`);
      console.log(metricsLine('all', v.metrics));
      for (const [source, m] of Object.entries(v.bySource))
        console.log(metricsLine(`  ${source} (${m.objects} objects, ${m.n} datapoints)`, m));
    });
}
