// Training defaults (gqcnn's where it has one), apart from the trainer so `dexnet train --help` shows them
// without loading ONNX Runtime.
import type { TrainOptions } from './train.js';

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'arch'> = {
  epochs: 10,
  split: 'object_wise',
  batchSize: 64,
  seed: 0,
  optimizer: 'sgd',
  learningRate: 0.01,
  l2: 5e-4,
  augment: true,
  prioritized: false,
  average: 0.999,
  threads: 2,
};
