// Inputs the jaw planning tests share: a camera 0.7 m straight above the table, a box turned 0.4 rad about the
// vertical on it, and a compact jaw GQ-CNN with seeded random weights (the tests check checks and plumbing, not q).
import { MeshIndex } from '../../src/geometry/bvh.js';
import type { CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3 } from '../../src/geometry/vector.js';
import { GQCNN_COMPACT, initParameters } from '../../src/model/architecture.js';
import type { GqcnnModel } from '../../src/model/model-io.js';
import { lookAtPose } from '../../src/render/camera-sampler.js';
import { DepthRenderer } from '../../src/render/depth-renderer.js';

export const K: CameraIntrinsics = {
  fx: 525,
  fy: 525,
  cx: 319.5,
  cy: 239.5,
  skew: 0,
  width: 640,
  height: 480,
  frame: 'cam',
};
const camera = { intrinsics: K, pose: lookAtPose({ radius: 0.7, polar: 0, azimuth: 0, roll: 0 }) };

/** A sx × sy × sz box (m) standing on the table, seen from above: depth and segmask. */
export const boxScene = (sx: number, sy: number, sz: number) =>
  new DepthRenderer(new MeshIndex(boxMesh(sx, sy, sz))).render(
    new RigidTransform(axisAngleToMat3([0, 0, 1], 0.4), [0.02, -0.01, sz / 2], 'object', 'table'),
    camera,
  );

/** A compact jaw model with seeded random weights and a normalisation at these scenes' scale. */
export function randomJawModel(seed: number): GqcnnModel {
  return {
    arch: structuredClone(GQCNN_COMPACT),
    params: initParameters(GQCNN_COMPACT, seed),
    normalisation: { imMean: 0.68, imStd: 0.02, poseMean: [0.68], poseStd: [0.02] },
    training: {},
    metrics: {},
  };
}
