// The pose part of a robust Monte-Carlo draw, shared by the jaw and suction labels: the gripper misses its
// target by a small rotation and translation, and the object sits slightly off its estimated pose.
import type { Random } from '../core/random.js';
import { mat3MulVec, mat3Transpose, type Mat3, type Vec3 } from '../geometry/vector.js';

/** Standard deviations of one draw (m and rad; rotations are axis-angle vectors with N(0, σ) components). */
export interface PoseNoiseSigmas {
  graspTranslationSigma: number;
  graspRotationSigma: number;
  objectTranslationSigma: number;
  objectRotationSigma: number;
}

export interface PoseNoiseDraw {
  graspRotation: Mat3;
  graspTranslation: Vec3;
  /** Rotation of the object about its centre of mass. */
  objectRotation: Mat3;
  objectTranslation: Vec3;
}

/** One draw, always consuming the generator in the same order (grasp rotation, grasp shift, object rotation, shift). */
export function drawPoseNoise(rng: Random, sigmas: PoseNoiseSigmas): PoseNoiseDraw {
  const graspRotation = rng.smallRotation(sigmas.graspRotationSigma);
  const graspTranslation = rng.normalVec3(sigmas.graspTranslationSigma);
  const objectRotation = rng.smallRotation(sigmas.objectRotationSigma);
  const objectTranslation = rng.normalVec3(sigmas.objectTranslationSigma);
  return { graspRotation, graspTranslation, objectRotation, objectTranslation };
}

/**
 * A grasp point and axis after the draw, in the object's frame. The object's motion (about `centerOfMass`) is
 * applied to the grasp as the inverse motion, which leaves every contact–object relation as a moved object would;
 * directions fixed in the world (gravity) see that inverse rotation too: `mat3MulVec(transpose(objectRotation), g)`.
 */
export function perturbInObjectFrame(
  point: Vec3,
  axis: Vec3,
  draw: PoseNoiseDraw,
  centerOfMass: Vec3,
): { point: Vec3; axis: Vec3 } {
  const tg = draw.graspTranslation,
    to = draw.objectTranslation,
    com = centerOfMass;
  const a = mat3MulVec(draw.graspRotation, axis);
  const roT = mat3Transpose(draw.objectRotation);
  const rel = mat3MulVec(roT, [
    point[0] + tg[0] - com[0] - to[0],
    point[1] + tg[1] - com[1] - to[1],
    point[2] + tg[2] - com[2] - to[2],
  ]);
  return { point: [rel[0] + com[0], rel[1] + com[1], rel[2] + com[2]], axis: mat3MulVec(roT, a) };
}
