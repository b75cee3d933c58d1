// The image window a model's 32×32 crops are cut from (the dataset's DatapointOptions.cropSize). A model plans with
// the window its dataset was cut with, recorded at training; models trained before the record, and gqcnn's, used
// Dex-Net's 96 px.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { DEFAULT_CROP_WINDOW } from '../dataset/fields.js';
import type { GqcnnModel } from './model-io.js';

/** The crop window (image pixels) a model was trained on. */
export function modelCropWindow(model: Pick<GqcnnModel, 'training'>): number {
  const w = model.training.cropWindow;
  return typeof w === 'number' && w > 0 ? w : DEFAULT_CROP_WINDOW;
}

/** The crop window a generated dataset was cut with (its generation.json); 96 for datasets without one. */
export async function datasetCropWindow(datasetDir: string): Promise<number> {
  const file = join(datasetDir, 'generation.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return DEFAULT_CROP_WINDOW;
  }
  let window: unknown;
  try {
    window = (JSON.parse(text) as { options?: { cropSize?: unknown } }).options?.cropSize;
  } catch {
    throw new UserInputError(`${file}: not valid JSON`, { file });
  }
  if (window === undefined) return DEFAULT_CROP_WINDOW;
  if (typeof window !== 'number' || !(window > 0))
    throw new UserInputError(`${file}: options.cropSize must be a positive number of pixels, got ${String(window)}`, {
      file,
      field: 'options.cropSize',
    });
  return window;
}
