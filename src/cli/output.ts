// Shared CLI plumbing: parsing numeric flags with clear messages, progress on stderr.
import { InvalidArgumentError, Option } from 'commander';
import { UserInputError } from '../core/errors.js';
import { parseScaleRule, type ScaleRule } from '../geometry/object-scale.js';
import { DEFAULT_GRIPPER } from '../grasp/gripper.js';
import { parseObjectMass, type ObjectMass } from '../grasp/object-mass.js';
import { PLAN_GRIPPERS, type PlanGripperKind } from '../policy/plan-types.js';
import { parseObjectCount, type ObjectCount } from '../physics/heap-contents.js';
import { HEAP_CAMERAS, type HeapCameraName } from '../render/heap-cameras.js';
import type { ClassificationMetrics } from '../model/metrics.js';
import { defaultWorkers } from '../dataset/default-workers.js';
import { progress } from './progress.js';

/** `--workers <w>`: worker threads, one per core by default. */
export function workersOption(description = 'worker threads'): Option {
  return new Option('--workers <w>', description)
    .argParser(numberOption('--workers', 1, 256, true))
    .default(defaultWorkers(), 'one per core');
}

/**
 * `--robust-selection` / `--no-robust-selection`: the jaws' robust selection on or off. Neither given leaves plan()'s
 * default: off for one gripper, on for the jaws beside the cup (docs/guide.md).
 */
export function robustSelectionOptions(): [Option, Option] {
  return [
    new Option(
      '--robust-selection',
      "jaws: re-rank the best candidates by their mean q under small perturbations and return that mean as q (default: only with both grippers, where the jaws' q meets the cup's; docs/guide.md)",
    ),
    new Option('--no-robust-selection', 'jaws: no robust selection, with both grippers too'),
  ];
}

/** A commander option parser for numbers within [min, max] (integers when `integer`). */
export function numberOption(name: string, min: number, max = Infinity, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
      throw new InvalidArgumentError(
        `${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${value}"`,
      );
    return n;
  };
}

/** A commander option parser from a parser whose bad input throws a UserInputError (commander then reports it). */
function userInputOption<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (err) {
      if (err instanceof UserInputError) throw new InvalidArgumentError(err.message);
      throw err;
    }
  };
}

/** A commander option parser for a `--scale` rule (`egad` sizes to the default gripper's opening). */
export const scaleOption = userInputOption((v): ScaleRule => parseScaleRule(v, DEFAULT_GRIPPER.maxWidth));

/** A commander option parser for `--object-mass` (a mass in kg, or density:<kg/m³>). */
export const objectMassOption = userInputOption((v): ObjectMass => parseObjectMass(v));

/** A progress bar on stderr when it is a terminal, plain lines every half minute otherwise (progress.ts). */
export function progressBar(total: number, label: string) {
  const bar = progress(`${label} [{bar}] {value}/{total} {percentage}% | {rate}/s | ETA {eta_formatted}`);
  const start = Date.now();
  let done = 0;
  bar.start(total, 0, { rate: '0' });
  return {
    tick: (n = 1) => {
      done += n;
      bar.update(done, { rate: (done / Math.max(1e-3, (Date.now() - start) / 1000)).toFixed(1) });
    },
    stop: () => bar.stop(),
  };
}

export const fmt = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

/** A commander option parser for a flag that takes one of `choices`. */
export function choiceOption<T extends string>(flag: string, choices: readonly T[]): (v: string) => T {
  return (v) => {
    if (!(choices as readonly string[]).includes(v))
      throw new InvalidArgumentError(`${flag} must be one of ${choices.join(', ')}, got "${v}"`);
    return v as T;
  };
}

/** A commander option parser for `--gripper <kind>` (one gripper). */
export const gripperKindOption: (v: string) => PlanGripperKind = choiceOption('--gripper', PLAN_GRIPPERS);

/** `--model <dir>` for commands that default to the bundled model of the chosen gripper (plan, evaluate). */
export const bundledModelOption = (more = ''): Option =>
  new Option('--model <dir>', 'model folder from `dexnet train`').default(
    undefined,
    `the bundled model for the gripper (models/gqcnn-compact; suction: models/gqcnn-suction${more})`,
  );

/** A commander option parser for `--objects <spec>` (objects per heap: poisson:<mean> or a whole number). */
export const objectsOption = userInputOption((v): ObjectCount => parseObjectCount(v));

/** A commander option parser for `--camera <name>` of a heap (phoxi or primesense). */
export const cameraOption: (v: string) => HeapCameraName = choiceOption('--camera', HEAP_CAMERAS);

/** One line of a model's classification figures, as `train` and `validate` print them. */
export function metricsLine(what: string, m: ClassificationMetrics): string {
  return (
    `  ${what}: accuracy ${(100 * m.accuracy).toFixed(1)}% (majority class ${(100 * (1 - m.majorityErrorRate)).toFixed(1)}%), ` +
    `precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, AP ${m.averagePrecision.toFixed(3)}, ROC AUC ${m.rocAuc.toFixed(3)}`
  );
}
