// Scores image grasps with a GQ-CNN: each grasp's aligned crop (the dataset's own crop function) and
// its depth go through the network in batches.
import { CROP_SIZE } from '../dataset/fields.js';
import type { DepthImage } from '../image/depth-image.js';
import { graspAlignedCrop } from '../image/crop.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import type { ImageGrasp } from '../grasp/image-grasp.js';

const PIXELS = CROP_SIZE * CROP_SIZE;

/** P(success) of every grasp on `depth` (inpainted), in order. */
export async function scoreGrasps(
  predictor: GqcnnPredictor,
  depth: DepthImage,
  grasps: readonly ImageGrasp[],
  cropSize = 96,
): Promise<Float32Array> {
  const n = grasps.length;
  const crops = new Float32Array(n * PIXELS);
  const depths = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    graspAlignedCrop(depth, grasps[i].center, grasps[i].angle, crops, {
      cropSize,
      outSize: CROP_SIZE,
      offset: i * PIXELS,
    });
    depths[i] = grasps[i].depth;
  }
  return n === 0 ? new Float32Array(0) : predictor.predict(crops, depths, n);
}
