// `dexnet train <dataset> --out <model-dir>`: train a GQ-CNN; re-run the same command to resume.
import { UserInputError } from '../core/errors.js';
import { readFile } from 'node:fs/promises';
import { progress } from './progress.js';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { join } from 'node:path';
import { datasetLayoutOfConfig } from '../dataset/fields.js';
import {
  defaultArchitectureFor,
  getPreset,
  validateArchitecture,
  type GqcnnArchitecture,
} from '../model/architecture.js';
import type { TrainOptions } from '../model/train.js';
import type { ClassificationMetrics } from '../model/metrics.js';
import { DEFAULT_TRAIN_OPTIONS } from '../model/train-defaults.js';
import { metricsLine, numberOption } from './output.js';

interface TrainFlags {
  out: string;
  arch: string;
  epochs: number;
  split: string;
  batchSize: number;
  seed: number;
  optimizer: string;
  learningRate: number;
  augment: boolean;
  prioritized?: boolean;
  shuffle: 'window' | 'global';
  average: number;
  metricThreshold?: number;
  threads: number;
  init?: string;
  json?: boolean;
}

/**
 * A preset name (GQCNN-2.0, GQCNN-3.0, compact, …) or a JSON file with an architecture; 'default' is the default
 * preset for the gripper the dataset's config.json records.
 */
async function resolveArchitecture(value: string, dataset: string): Promise<GqcnnArchitecture> {
  if (value === 'default') {
    const config = join(dataset, 'config.json');
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(await readFile(config, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const message =
        code === 'ENOENT'
          ? `${dataset}: not a dataset (no config.json)`
          : `${config}: cannot read the dataset config (${(err as Error).message})`;
      throw new UserInputError(message, { file: config });
    }
    return defaultArchitectureFor(datasetLayoutOfConfig(parsed, config).gripper);
  }
  if (!value.endsWith('.json')) return getPreset(value);
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch {
    throw new UserInputError(`${value}: cannot read the architecture file`, { file: value });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserInputError(`${value}: not valid JSON (${(err as Error).message})`, { file: value });
  }
  return validateArchitecture(parsed, value);
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a GQ-CNN on a generated dataset; writes model.onnx, config.json, report.json and plots')
    .argument('<dataset>', 'dataset folder from `dexnet generate`')
    .requiredOption('--out <model-dir>', 'model folder (re-run the same command to resume after an interruption)')
    .addOption(
      new Option(
        '--arch <preset|file.json>',
        'architecture: a preset (compact, compact-depth-sub, compact-suction, ' +
          'GQCNN-2.0, GQCNN-3.0, GQCNN-4.0-PJ) or a JSON file',
      ).default('default', 'compact-depth-sub, or compact-suction for a suction dataset'),
    )
    .option('--epochs <e>', 'training epochs', numberOption('--epochs', 1, 10_000, true), DEFAULT_TRAIN_OPTIONS.epochs)
    .option(
      '--split <name>',
      'split to train and validate on: object_wise, stable_pose_wise, image_wise',
      DEFAULT_TRAIN_OPTIONS.split,
    )
    .option(
      '--batch-size <n>',
      'datapoints per step',
      numberOption('--batch-size', 1, 65_536, true),
      DEFAULT_TRAIN_OPTIONS.batchSize,
    )
    .option('--seed <s>', 'random seed', numberOption('--seed', 0, 2 ** 32 - 1, true), DEFAULT_TRAIN_OPTIONS.seed)
    .option(
      '--optimizer <sgd|adam>',
      'SGD with momentum 0.9 and gqcnn step decay, or Adam',
      (v: string) => {
        if (v !== 'sgd' && v !== 'adam') throw new InvalidArgumentError(`--optimizer must be sgd or adam, got "${v}"`);
        return v;
      },
      DEFAULT_TRAIN_OPTIONS.optimizer,
    )
    .option(
      '--learning-rate <lr>',
      'base learning rate',
      numberOption('--learning-rate', 1e-8, 10),
      DEFAULT_TRAIN_OPTIONS.learningRate,
    )
    .option('--no-augment', 'no sensor noise, rotation or flips during training')
    .option('--prioritized', 'loss-prioritised minibatches after 3 plain epochs (holds the training split in memory)')
    .option(
      '--shuffle <window|global>',
      'windowed shuffle of streamed shards, or a global shuffle of the split held in memory (~4 kB per datapoint)',
      (v: string) => {
        if (v !== 'window' && v !== 'global')
          throw new InvalidArgumentError(`--shuffle must be window or global, got "${v}"`);
        return v;
      },
      'window',
    )
    .option(
      '--average <decay>',
      'validate and save a running average of the weights with this decay per step (0: the last weights)',
      numberOption('--average', 0, 0.999999),
      DEFAULT_TRAIN_OPTIONS.average,
    )
    .option(
      '--metric-threshold <eps>',
      "label above which a grasp is a positive (gqcnn's metric_thresh; default: the threshold the dataset records, " +
        '0.002 for jaw datasets, 0.2 for suction)',
      numberOption('--metric-threshold', 0, 1),
    )
    .option(
      '--threads <n>',
      'ONNX Runtime threads',
      numberOption('--threads', 1, 256, true),
      DEFAULT_TRAIN_OPTIONS.threads,
    )
    .option(
      '--init <model-dir>',
      "fine-tune: start from this model's weights and normalisation (its architecture unless --arch is given)",
    )
    .option('--json', 'print the report as JSON')
    .action(async (dataset: string, flags: TrainFlags) => {
      if (!['object_wise', 'stable_pose_wise', 'image_wise'].includes(flags.split))
        throw new UserInputError(`--split must be object_wise, stable_pose_wise or image_wise, got "${flags.split}"`);
      const options: TrainOptions = {
        arch:
          flags.init && flags.arch === 'default'
            ? (await (await import('../model/model-io.js')).loadModel(flags.init)).arch
            : await resolveArchitecture(flags.arch, dataset),
        epochs: flags.epochs,
        split: flags.split,
        batchSize: flags.batchSize,
        seed: flags.seed,
        optimizer: flags.optimizer as 'sgd' | 'adam',
        learningRate: flags.learningRate,
        l2: DEFAULT_TRAIN_OPTIONS.l2,
        augment: flags.augment,
        prioritized: flags.prioritized === true,
        shuffle: flags.shuffle,
        average: flags.average,
        ...(flags.metricThreshold === undefined ? {} : { metricThreshold: flags.metricThreshold }),
        threads: flags.threads,
        ...(flags.init ? { init: flags.init } : {}),
      };
      const bar = progress(
        '{phase} epoch {epoch}/{epochs} [{bar}] {value}/{total} | loss {loss} | ETA {eta_formatted}',
      );
      let current = '';
      const stop = new AbortController();
      process.once('SIGINT', () => {
        console.error(
          '\ntrain: stopping after this batch; re-run the same command to resume from the last finished epoch',
        );
        stop.abort();
      });
      // Loaded when the command runs so that other commands start without ONNX Runtime.
      const { trainModel } = await import('../model/train.js');
      const report = await trainModel(
        dataset,
        flags.out,
        options,
        (p) => {
          const key = `${p.phase}${p.epoch}`;
          if (key !== current) {
            if (current) bar.stop();
            bar.start(p.phase === 'statistics' ? p.stepsPerEpoch : p.stepsPerEpoch, 0, {
              phase: p.phase,
              epoch: p.epoch + 1,
              epochs: p.epochs,
              loss: '-',
            });
            current = key;
          }
          bar.update(p.step, { loss: Number.isFinite(p.loss) ? p.loss.toFixed(4) : '-' });
        },
        stop.signal,
      );
      bar.stop();
      if (!report) {
        console.error('train: interrupted; the checkpoint of the last finished epoch is kept');
        process.exitCode = 130;
        return;
      }
      if (flags.json) {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        return;
      }
      console.log(
        `model ${flags.out}: ${options.arch.name}, ${report.history.length} epochs on ${report.trainSize} datapoints, validated on ${report.valSize} (${report.split}), ${report.seconds.toFixed(0)} s`,
      );
      const line = (what: string, m: ClassificationMetrics) => console.log(metricsLine(what, m));
      line('validation', report.validation);
      const sources = Object.entries(report.validationBySource);
      if (sources.length > 1)
        for (const [source, sm] of sources) line(`  ${source} (${sm.objects} objects, ${sm.n} datapoints)`, sm);
      console.log(`  plots: loss.png, error.png, roc.png, precision-recall.png`);
    });
}
