// What the image policies need to plan suction grasps: GQ-CNN scores on the dataset's crops (approach down the crop's
// middle column, pose = target depth and approach angle), the cross-entropy features (the target pixel; the approach
// and depth are read again from the image there), separation of the results, and the plan's record of a grasp.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { DEFAULT_SUCTION_GRIPPER } from '../grasp/gripper.js';
import { greedySeparation } from '../grasp/image-grasp.js';
import {
  suctionNetworkInput,
  suctionPoseInCamera,
  suctionTargetInCamera,
  type ImageSuctionGrasp,
} from '../grasp/image-suction-grasp.js';
import { suctionGraspAtPixel, type ImageSuctionSamplerOptions } from '../grasp/image-suction-sampler.js';
import type { DepthImage } from '../image/depth-image.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import type { GraspFeatureCodec, Scored } from './cross-entropy.js';
import { scoreAlignedCrops } from './grasp-scorer.js';
import type { PlannedGrasp } from './plan-types.js';

/** P(success) of every suction grasp, crops from `depth` (inpainted), in order; the model takes 2 pose inputs. */
export function scoreSuctionGrasps(
  predictor: GqcnnPredictor,
  depth: DepthImage,
  k: CameraIntrinsics,
  grasps: readonly ImageSuctionGrasp[],
  cropSize = 96,
): Promise<Float32Array> {
  return scoreAlignedCrops(predictor, depth, grasps.length, cropSize, (i, pose) => {
    const g = grasps[i]!;
    const input = suctionNetworkInput(g, k);
    pose.set(input.pose);
    return { center: g.center, angle: input.cropAngle };
  });
}

/** Cross-entropy features of a suction grasp: its target pixel; a drawn pixel becomes the sampler's grasp there. */
export function suctionFeatureCodec(
  surface: DepthImage,
  k: CameraIntrinsics,
  sampler: ImageSuctionSamplerOptions,
): GraspFeatureCodec<ImageSuctionGrasp> {
  return {
    dim: 2,
    toFeatures: (g, out, offset) => {
      out[offset] = g.center.x;
      out[offset + 1] = g.center.y;
    },
    fromFeatures: (rows, offset) => {
      const x = Math.round(rows[offset]!),
        y = Math.round(rows[offset + 1]!);
      if (!(x >= 0 && y >= 0 && x < surface.width && y < surface.height)) return null;
      return suctionGraspAtPixel(surface, k, x, y, sampler);
    },
  };
}

/** The best suction grasps whose targets lie at least `minDistancePx` apart, best first. */
export function separateSuctionGrasps(
  scored: readonly Scored<ImageSuctionGrasp>[],
  minDistancePx: number,
  maxCount: number,
): Scored<ImageSuctionGrasp>[] {
  return greedySeparation(scored, minDistancePx, maxCount, (a, b) =>
    Math.hypot(a.center.x - b.center.x, a.center.y - b.center.y),
  );
}

/** Cup radius in pixels at `depth` (m). */
export function cupRadiusPx(k: CameraIntrinsics, depth: number, cupRadius = DEFAULT_SUCTION_GRIPPER.radius): number {
  return (cupRadius * k.fx) / depth;
}

/** The plan's record of a suction grasp (its plausibility is added by the planner). */
export function plannedSuctionGrasp(
  g: ImageSuctionGrasp,
  q: number,
  k: CameraIntrinsics,
  cupRadius = DEFAULT_SUCTION_GRIPPER.radius,
): PlannedGrasp {
  const p = suctionTargetInCamera(g, k);
  const a = g.approach;
  const tail = [p[0] - 0.03 * a[0], p[1] - 0.03 * a[1], p[2] - 0.03 * a[2]] as const;
  const { cropAngle, pose } = suctionNetworkInput(g, k);
  const radiusPx = cupRadiusPx(k, g.depth, cupRadius);
  return {
    center: { x: g.center.x, y: g.center.y },
    angle: cropAngle,
    depth: g.depth,
    width: 2 * cupRadius,
    widthPx: 2 * radiusPx,
    q,
    pose: suctionPoseInCamera(g, k).matrix(),
    suction: {
      point: [...p],
      approach: [...a],
      approachAngle: pose[1],
      cupRadius,
      cupRadiusPx: radiusPx,
      axisTailPx: { x: (k.fx * tail[0] + k.skew * tail[1]) / tail[2] + k.cx, y: (k.fy * tail[1]) / tail[2] + k.cy },
    },
  };
}
