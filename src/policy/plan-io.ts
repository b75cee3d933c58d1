// The edge of planning that `dexnet plan` and the HTTP service share: option limits, the checks that the
// depth image, intrinsics and segmask belong together, and the grasp JSON both of them return.
import { UserInputError } from '../core/errors.js';
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import type { PlanJson, PlanResult } from './plan-types.js';

export type { PlanJson };

/** Bounds of the numeric plan options, the same for command-line flags and request fields. */
export const PLAN_LIMITS = {
  topK: { min: 1, max: 1000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  depthScale: { min: 1e-9, max: 1e3 },
  minQ: { min: 0, max: 1 },
} as const;

/** An input that does not fit the others; `field` names it (`intrinsics`, `segmask`, …). */
export class PlanInputError extends UserInputError {
  override name = 'PlanInputError';
  declare readonly field: string;
  constructor(message: string, field: string) {
    super(message, { field });
  }
}

/** Why [x0, y0, x1, y1] is not a workspace rectangle of pixel integers, or null when it is one. */
export function workspaceProblem(parts: readonly number[]): string | null {
  if (parts.length !== 4) return `needs 4 numbers x0,y0,x1,y1, got ${parts.length}`;
  if (parts.some((p) => !Number.isInteger(p) || p < 0)) return 'must be non-negative pixel integers';
  if (parts[2] < parts[0] || parts[3] < parts[1]) return 'needs x1 ≥ x0 and y1 ≥ y0';
  return null;
}

/**
 * Throws PlanInputError unless the intrinsics and the segmask are for the depth image's size; `names` are
 * what the messages call them (file names on the command line, field names in a request).
 */
export function checkPlanInputs(
  depth: DepthImage,
  intrinsics: CameraIntrinsics,
  segmask: Mask | null,
  names: { intrinsics: string; segmask: string } = { intrinsics: 'intrinsics', segmask: 'segmask' },
): void {
  if (intrinsics.width !== depth.width || intrinsics.height !== depth.height)
    throw new PlanInputError(`${names.intrinsics}: for a ${intrinsics.width}×${intrinsics.height} image, but the depth image is ${depth.width}×${depth.height}`, 'intrinsics');
  if (segmask && (segmask.width !== depth.width || segmask.height !== depth.height))
    throw new PlanInputError(`${names.segmask}: mask is ${segmask.width}×${segmask.height}, the depth image is ${depth.width}×${depth.height}`, 'segmask');
}

export function planResultJson(result: PlanResult): PlanJson {
  const { policy, timeMs, scoredCount, grasps } = result;
  const json: PlanJson = { ...grasps[0], policy, timeMs, scoredCount, grasps };
  if (result.implausible) json.implausible = result.implausible;
  if (result.candidates) json.candidates = result.candidates;
  return json;
}
