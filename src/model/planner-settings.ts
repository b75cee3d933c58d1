// What a model's planner must sample as its dataset did, read from the dataset's generation.json at training and
// recorded in the model: the image window its 32×32 crops are cut from (DatapointOptions.cropSize) and, for suction,
// the image sampler's largest approach angle from the optical axis (maxOpticalAxisAngle) and the depth edge its blur
// keeps (surfaceEdgeTolerance). Models trained before the record, and gqcnn's, used Dex-Net's 96 px, the sampler's 30°
// and a blur across edges.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { DEFAULT_CROP_WINDOW, DEFAULT_MAX_APPROACH_ANGLE } from '../dataset/fields.js';
import type { GqcnnModel } from './model-io.js';

/** The crop window (image pixels) a model was trained on. */
export function modelCropWindow(model: Pick<GqcnnModel, 'training'>): number {
  const w = model.training.cropWindow;
  return typeof w === 'number' && w > 0 ? w : DEFAULT_CROP_WINDOW;
}

/** The largest angle between a suction candidate's approach and the optical axis a suction model was trained on (rad). */
export function modelSuctionApproachLimit(model: Pick<GqcnnModel, 'training'>): number {
  const a = model.training.maxOpticalAxisAngle;
  return typeof a === 'number' && a > 0 ? a : DEFAULT_MAX_APPROACH_ANGLE;
}

/** The depth edge the suction sampler's blur keeps for a model (m): what it recorded, else 0 (it predates the record). */
export function modelSuctionEdgeTolerance(model: Pick<GqcnnModel, 'training'>): number {
  const e = model.training.surfaceEdgeTolerance;
  return typeof e === 'number' && e > 0 ? e : 0;
}

/** The settings a dataset's candidates were drawn with, as a model records them. */
export interface DatasetPlannerSettings {
  cropWindow: number;
  /** Suction datasets only (rad). */
  maxOpticalAxisAngle?: number;
  /** Suction datasets only (m). */
  surfaceEdgeTolerance?: number;
}

/** The planner settings of a generated dataset (its generation.json); 96 px and nothing else for datasets without one. */
export async function datasetPlannerSettings(datasetDir: string): Promise<DatasetPlannerSettings> {
  const file = join(datasetDir, 'generation.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { cropWindow: DEFAULT_CROP_WINDOW };
  }
  let options: Record<string, unknown>;
  try {
    options = (JSON.parse(text) as { options?: Record<string, unknown> }).options ?? {};
  } catch {
    throw new UserInputError(`${file}: not valid JSON`, { file });
  }
  // A named field must hold a number the test accepts; `expected` says what in the error.
  const read = (field: string, ok: (v: number) => boolean, expected: string): number | undefined => {
    const v = options[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !ok(v))
      throw new UserInputError(`${file}: options.${field} must be ${expected}, got ${String(v)}`, {
        file,
        field: `options.${field}`,
      });
    return v;
  };
  const positive = (v: number) => v > 0;
  const settings: DatasetPlannerSettings = {
    cropWindow: read('cropSize', positive, 'a positive number of pixels') ?? DEFAULT_CROP_WINDOW,
  };
  const angle = read('maxOpticalAxisAngle', positive, 'a positive number of radians');
  if (angle !== undefined) settings.maxOpticalAxisAngle = angle;
  const edge = read('surfaceEdgeTolerance', (v) => v >= 0, 'a length ≥ 0 in metres');
  if (edge !== undefined) settings.surfaceEdgeTolerance = edge;
  return settings;
}
