// The small dataset both training tests learn from: the three example meshes, two images per pose, cheap labels.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateDataset } from '../../src/dataset/generate.js';
import type { GripperKind } from '../../src/dataset/fields.js';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from '../../src/model/train.js';

/** Writes the dataset of `gripper` under `root` (its meshes in root/meshes) and returns the dataset folder. */
export async function writeExampleDataset(root: string, gripper: GripperKind): Promise<string> {
  const meshes = join(root, 'meshes');
  const dataset = join(root, 'ds');
  mkdirSync(meshes);
  for (const f of ['box.obj', 'cylinder.stl', 'bracket.ply']) copyFileSync(join('examples/meshes', f), join(meshes, f));
  await generateDataset(meshes, dataset, {
    seed: 5,
    workers: 1,
    graspsPerObject: 30,
    imagesPerPose: 2,
    robustSamples: 4,
    gripper,
  });
  return dataset;
}

/** Training options for these tests: one thread, batches of 32, an image-wise split. */
export function testTrainOptions(arch: TrainOptions['arch'], epochs: number): TrainOptions {
  return { ...DEFAULT_TRAIN_OPTIONS, arch, epochs, split: 'image_wise', batchSize: 32, threads: 1 };
}
