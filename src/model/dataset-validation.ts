// A trained model scored on a dataset it may never have seen (another seed, another object set, the user's own
// objects): accuracy, AP and ROC AUC against the dataset's labels, overall and per object source.
import { UserInputError } from '../core/errors.js';
import { SplitStream } from '../dataset/batches.js';
import { classificationMetrics, type ClassificationMetrics } from './metrics.js';
import { GqcnnPredictor } from './predictor.js';
import { validationBySource, type SourceMetrics } from './validation-by-source.js';
import type { ObjectSource } from '../dataset/mesh-sources.js';

export interface DatasetValidation {
  datapoints: number;
  /** The dataset's label threshold the labels were taken at. */
  threshold: number;
  metrics: ClassificationMetrics;
  bySource: Partial<Record<ObjectSource, SourceMetrics>>;
}

/**
 * Scores every datapoint of `datasetDir` (or one side of a split) with the model in `modelDir`. The model's pose
 * inputs must be the dataset's: a suction model on a jaw dataset is refused.
 */
export async function validateOnDataset(
  modelDir: string,
  datasetDir: string,
  options: { split?: string; side?: 'train' | 'val'; onProgress?: (done: number, total: number) => void } = {},
): Promise<DatasetValidation> {
  const stream = await SplitStream.open(datasetDir, options.split ?? 'all', options.side ?? 'val');
  const predictor = await GqcnnPredictor.load(modelDir);
  try {
    const poseDim = predictor.model.arch.poseDim;
    if (poseDim !== stream.poseDim)
      throw new UserInputError(
        `${modelDir}: the model takes ${poseDim} pose value(s) a grasp, the dataset ${datasetDir} has ${stream.poseDim} (a model for another gripper?)`,
        { file: modelDir },
      );
    const n = stream.size;
    const scores = new Float32Array(n),
      labels = new Uint8Array(n),
      indices = new Uint32Array(n);
    let k = 0;
    for await (const b of stream.batches({ batchSize: 1024 })) {
      scores.set(await predictor.predict(b.ims, b.poses, b.size), k);
      labels.set(b.labels.subarray(0, b.size), k);
      indices.set(b.indices.subarray(0, b.size), k);
      k += b.size;
      options.onProgress?.(k, n);
    }
    return {
      datapoints: n,
      threshold: stream.threshold,
      metrics: classificationMetrics(scores, labels),
      bySource: await validationBySource(datasetDir, indices, scores, labels),
    };
  } finally {
    await predictor.release();
  }
}
