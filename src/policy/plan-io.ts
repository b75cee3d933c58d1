// The edge of planning that `dexnet plan` and the HTTP service share: option limits, the checks that the
// depth image, intrinsics and segmask belong together, and the grasp JSON both of them return.
import { UserInputError } from '../core/errors.js';
import { type CameraIntrinsics, intrinsicsProblem } from '../geometry/camera-intrinsics.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import type { PlanJson, PlanResult } from './plan-types.js';
import { selectKth } from '../core/select.js';

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

/**
 * Camera distances a tabletop grasp planner can mean (m): the median observed depth must lie in `median`, and no
 * pixel beyond `max`. Outside them the image is in the wrong unit (millimetres read as metres: a 621.5 m grasp)
 * or garbage (1e30 m), and every policy must refuse it rather than plan (issue 16).
 */
export const DEPTH_LIMITS = { median: { min: 0.05, max: 20 }, max: 1000 } as const;

/**
 * The median of the valid (> 0) depths, from at most ~16,384 evenly spaced pixels (exact for smaller images): a
 * plausibility check needs no more, and selection (not a sort) keeps it a fraction of a millisecond on 640×480.
 */
function medianDepth(data: Float32Array): number {
  const pick = (step: number): Float32Array => {
    const out = new Float32Array(Math.ceil(data.length / step));
    let n = 0;
    for (let i = 0; i < data.length; i += step) if (data[i] > 0) out[n++] = data[i];
    return out.subarray(0, n);
  };
  let sample = pick(Math.max(1, Math.floor(data.length / 16_384)));
  if (sample.length === 0) sample = pick(1);
  return sample.length === 0 ? 0 : selectKth(sample, Math.floor(sample.length / 2));
}

/** Why the depth values are not plausible camera distances in metres (one line), or null when they are. */
export function depthProblem(
  depth: DepthImage,
  names: { depth: string; scaleHint: string } = { depth: 'depth', scaleHint: '--depth-scale' },
): string | null {
  const data = depth.data;
  const limit = DEPTH_LIMITS.max;
  let far = -1;
  for (let i = 0; i < data.length; i++) if (!(data[i] <= limit)) far = i; // also NaN
  if (far >= 0) {
    const at = `row ${Math.floor(far / depth.width)}, column ${far % depth.width}`;
    return `${names.depth}: depth ${data[far]} m at ${at} is not a plausible camera distance (at most ${DEPTH_LIMITS.max} m)${hint(data[far], names.scaleHint)}`;
  }
  const median = medianDepth(data);
  if (median === 0) return `${names.depth}: every pixel is missing (all zero)`;
  const { min, max } = DEPTH_LIMITS.median;
  if (median < min || median > max)
    return `${names.depth}: median depth ${median.toPrecision(4)} m is not a plausible camera distance (expected ${min}–${max} m)${hint(median, names.scaleHint)}`;
  return null;
}

function hint(metres: number, scaleHint: string): string {
  const { min, max } = DEPTH_LIMITS.median;
  if (metres / 1000 >= min && metres / 1000 <= max)
    return `; it looks like millimetres: pass ${scaleHint} 0.001 for a 16-bit PNG, or store metres in a .npy`;
  if (metres * 1000 >= min && metres * 1000 <= max) return `; it looks like kilometres (a wrong ${scaleHint}?)`;
  return '';
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
  names: PlanInputNames = DEFAULT_NAMES,
): void {
  if (intrinsics.width !== depth.width || intrinsics.height !== depth.height)
    throw new PlanInputError(
      `${names.intrinsics}: for a ${intrinsics.width}×${intrinsics.height} image, but the depth image is ${depth.width}×${depth.height}`,
      'intrinsics',
    );
  const problem = intrinsicsProblem(intrinsics);
  if (problem) throw new PlanInputError(`${names.intrinsics}: ${problem.problem}`, `intrinsics.${problem.field}`);
  const depthIssue = depthProblem(depth, {
    depth: names.depth ?? 'depth',
    scaleHint: names.scaleHint ?? '--depth-scale',
  });
  if (depthIssue) throw new PlanInputError(depthIssue, 'depth');
  if (segmask) {
    if (segmask.width !== depth.width || segmask.height !== depth.height)
      throw new PlanInputError(
        `${names.segmask}: mask is ${segmask.width}×${segmask.height}, the depth image is ${depth.width}×${depth.height}`,
        'segmask',
      );
    let inside = 0;
    let seen = 0;
    for (let i = 0; i < segmask.data.length; i++)
      if (segmask.data[i] !== 0) {
        inside++;
        if (depth.data[i] > 0) seen++;
      }
    // An empty mask is a valid request with nothing to grasp (NoValidGraspError); a mask over missing depth is not.
    if (inside > 0 && seen === 0)
      throw new PlanInputError(
        `${names.segmask}: every masked pixel has missing depth (is the mask for this image?)`,
        'segmask',
      );
  }
}

export interface PlanInputNames {
  intrinsics: string;
  segmask: string;
  /** The depth image's name (default 'depth'). */
  depth?: string;
  /** How the user sets the PNG depth scale: '--depth-scale' on the command line, 'depthScale' in a request. */
  scaleHint?: string;
}

const DEFAULT_NAMES: PlanInputNames = { intrinsics: 'intrinsics', segmask: 'segmask' };

export function planResultJson(result: PlanResult): PlanJson {
  const { policy, timeMs, scoredCount, grasps } = result;
  const json: PlanJson = { ...grasps[0], policy, timeMs, scoredCount, grasps };
  if (result.gripper) json.gripper = result.gripper;
  if (result.implausible) json.implausible = result.implausible;
  if (result.candidates) json.candidates = result.candidates;
  if (result.byGripper) json.byGripper = result.byGripper;
  return json;
}
