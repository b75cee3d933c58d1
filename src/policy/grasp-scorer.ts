// Scores image grasps with a GQ-CNN: each grasp's aligned crop (the dataset's own crop function) and its pose row go
// through the network in batches — for the jaws the grasp depth, for suction (suction-policy.ts) depth and approach.
import { CROP_SIZE } from '../dataset/fields.js';
import type { DepthImage } from '../image/depth-image.js';
import { graspAlignedCrop } from '../image/crop.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import type { ImageGrasp, PixelPoint } from '../grasp/image-grasp.js';

const PIXELS = CROP_SIZE * CROP_SIZE;

/** P(success) of every grasp on `depth` (inpainted), in order. */
export async function scoreGrasps(
  predictor: GqcnnPredictor,
  depth: DepthImage,
  grasps: readonly ImageGrasp[],
  cropSize = 96,
): Promise<Float32Array> {
  return scoreAlignedCrops(predictor, depth, grasps.length, cropSize, (i, pose) => {
    pose[0] = grasps[i].depth;
    return grasps[i];
  });
}

/**
 * P(success) of n network inputs on `depth`: `input(i, pose)` writes input i's pose row into `pose` and returns where
 * its crop lies (centre) and how it is turned (angle).
 */
export async function scoreAlignedCrops(
  predictor: GqcnnPredictor,
  depth: DepthImage,
  n: number,
  cropSize: number,
  input: (i: number, pose: Float32Array) => { center: PixelPoint; angle: number },
): Promise<Float32Array> {
  const poseDim = predictor.model.arch.poseDim;
  const crops = new Float32Array(n * PIXELS);
  const poses = new Float32Array(n * poseDim);
  for (let i = 0; i < n; i++) {
    const { center, angle } = input(i, poses.subarray(i * poseDim, (i + 1) * poseDim));
    graspAlignedCrop(depth, center, angle, crops, { cropSize, outSize: CROP_SIZE, offset: i * PIXELS });
  }
  return n === 0 ? new Float32Array(0) : predictor.predict(crops, poses, n);
}
