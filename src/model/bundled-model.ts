// The pretrained GQ-CNN that ships in the package's models/ folder, found from the installed package so it works
// from any working directory.
import { fileURLToPath } from 'node:url';
import type { GqcnnPredictor, PredictorOptions } from './predictor.js';

/** Absolute path of the bundled model folder (model.onnx, config.json, report, and its FC companion in fc/). */
export const BUNDLED_MODEL_DIR = fileURLToPath(new URL('../../models/gqcnn-compact', import.meta.url));

/** A predictor for the bundled model (with its FC companion); call `release()` when done. */
// ONNX Runtime is imported when a predictor is wanted, so importing the folder's path stays cheap (CLI start-up).
export async function loadBundledPredictor(options: PredictorOptions = {}): Promise<GqcnnPredictor> {
  const { GqcnnPredictor } = await import('./predictor.js');
  return GqcnnPredictor.load(BUNDLED_MODEL_DIR, options);
}
