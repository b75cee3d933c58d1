// The pretrained GQ-CNN that ships in the package's models/ folder, found from the installed package so it works
// from any working directory.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserInputError } from '../core/errors.js';
import type { GqcnnPredictor, PredictorOptions } from './predictor.js';

/** Absolute path of the bundled model folder (model.onnx, config.json, report, and its FC companion in fc/). */
export const BUNDLED_MODEL_DIR = fileURLToPath(new URL('../../models/gqcnn-compact', import.meta.url));

/** Where the bundled suction model goes (models/gqcnn-suction); it may be absent — see bundledModelDir. */
export const BUNDLED_SUCTION_MODEL_DIR = fileURLToPath(new URL('../../models/gqcnn-suction', import.meta.url));

/**
 * The bundled models fine-tuned on heaps (Dex-Net 4.0's setting): bin-clearing episodes use them by default. On the
 * tuning heaps both grippers cleared 94.5 % of their picks with them against 88.1 % with the single-object models.
 */
export const BUNDLED_HEAP_MODEL_DIRS = {
  'parallel-jaw': fileURLToPath(new URL('../../models/gqcnn-heap', import.meta.url)),
  suction: fileURLToPath(new URL('../../models/gqcnn-heap-suction', import.meta.url)),
} as const;

/**
 * The bundled model folder for a gripper kind; throws a one-line UserInputError when the package ships none for it
 * (a suction model is trained separately and may not be installed yet).
 */
export function bundledModelDir(gripper: 'parallel-jaw' | 'suction', field = '--model'): string {
  if (gripper === 'parallel-jaw') return BUNDLED_MODEL_DIR;
  if (existsSync(join(BUNDLED_SUCTION_MODEL_DIR, 'config.json'))) return BUNDLED_SUCTION_MODEL_DIR;
  throw new UserInputError(
    `no bundled suction model (${BUNDLED_SUCTION_MODEL_DIR} is missing): give ${field} <dir> with a model trained ` +
      'on a `dexnet generate --gripper suction` dataset',
    { field: field.replace(/^--/, '') },
  );
}

/** A predictor for the bundled model (with its FC companion); call `release()` when done. */
// ONNX Runtime is imported when a predictor is wanted, so importing the folder's path stays cheap (CLI start-up).
export async function loadBundledPredictor(options: PredictorOptions = {}): Promise<GqcnnPredictor> {
  const { GqcnnPredictor } = await import('./predictor.js');
  return GqcnnPredictor.load(BUNDLED_MODEL_DIR, options);
}
