// Inputs the suction planning tests share: a top-down camera, a box whose top is a plane tilted about the camera's
// y-axis (optionally rippled) on a table, and a suction GQ-CNN with seeded random weights.
import { centeredIntrinsics, type CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { createDepthImage, createMask, type DepthImage, type Mask } from '../../src/image/depth-image.js';
import { GQCNN_COMPACT_SUCTION, initParameters } from '../../src/model/architecture.js';
import type { GqcnnModel } from '../../src/model/model-io.js';

export const K: CameraIntrinsics = centeredIntrinsics(640, 480);

/**
 * A 640×480 view of a box top (pixels `box`, inclusive): the plane through 0.6 m on the optical axis with its normal
 * tilted by `tilt` rad about the camera's y-axis, plus a ripple of amplitude `bump` (m); the table at 0.7 m.
 */
export function tiltedBoxScene(
  box: { x0: number; x1: number; y0: number; y1: number },
  tilt = 0,
  bump = 0,
): { depth: DepthImage; mask: Mask } {
  const depth = createDepthImage(K.width, K.height),
    mask = createMask(K.width, K.height);
  const n = [Math.sin(tilt), 0, -Math.cos(tilt)],
    c = -0.6 * Math.cos(tilt);
  for (let v = 0; v < K.height; v++)
    for (let u = 0; u < K.width; u++) {
      const i = v * K.width + u;
      const on = u >= box.x0 && u <= box.x1 && v >= box.y0 && v <= box.y1;
      const ray = [(u - K.cx) / K.fx, (v - K.cy) / K.fy, 1];
      const wave = bump * Math.sin(u / 9) * Math.cos(v / 11);
      depth.data[i] = on ? c / (n[0] * ray[0] + n[2] * ray[2]) + wave : 0.7;
      mask.data[i] = on ? 255 : 0;
    }
  return { depth, mask };
}

/** A compact-suction model with seeded random weights and a normalisation at these scenes' scale. */
export function randomSuctionModel(seed: number): GqcnnModel {
  return {
    arch: structuredClone(GQCNN_COMPACT_SUCTION),
    params: initParameters(GQCNN_COMPACT_SUCTION, seed),
    normalisation: { imMean: 0.03, imStd: 0.02, poseMean: [0.65, 0.2], poseStd: [0.05, 0.2] },
    training: {},
    metrics: {},
  };
}
