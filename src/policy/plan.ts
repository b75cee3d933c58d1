// Grasp planning on a depth image: validate and inpaint the input, run a policy (ranking, cross-entropy
// or fully convolutional) with a GQ-CNN, and return the best grasps with their 6-DoF poses.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { Random } from '../core/random.js';
import { DEFAULT_GRIPPER } from '../grasp/gripper.js';
import { createMask, type DepthImage, type Mask } from '../image/depth-image.js';
import { inpaint } from '../image/filters.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import { imageGraspToCamera } from '../render/grasp-projection.js';
import { sampleImageAntipodalGrasps } from '../grasp/image-antipodal-sampler.js';
import { centerInMask, crossEntropyPlan } from './cross-entropy.js';
import { NoValidGraspError } from '../core/errors.js';
import { fullyConvolutionalPlan } from './fully-convolutional.js';
import { scoreGrasps } from './grasp-scorer.js';
import { DEFAULT_ROBUST_SELECTION, robustSelection, type RobustSelectionOptions } from './robust-selection.js';
import { gripperWidthPx, nonMaximumSuppression, type ImageGrasp, type ScoredGrasp } from '../grasp/image-grasp.js';
import { checkPlanInputs } from './plan-io.js';
import { POLICIES, type PlannedGrasp, type PlanResult, type PolicyName } from './plan-types.js';

export { POLICIES, type PlannedGrasp, type PlanResult, type PolicyName };
export { NoValidGraspError };

export interface PlanOptions {
  policy?: PolicyName;
  /** How many grasps to return, best first (separated by non-maximum suppression). */
  topK?: number;
  seed?: number;
  /** Object pixels (non-zero); grasp centres must lie on them. */
  segmask?: Mask | null;
  /** Only centres inside this pixel rectangle [x0, y0, x1, y1] (inclusive). */
  workspace?: [number, number, number, number];
  /** Gripper opening (m). */
  gripperWidth?: number;
  /** Antipodal samples scored by the ranking policy / seeding the cross-entropy method (gqcnn: 250 for CEM). */
  samples?: number;
  /**
   * Re-rank the best candidates by their mean q under small perturbations (every policy but random; default on): the plain
   * argmax over many candidates favours grasps the network over-rates. The returned q is then that mean.
   */
  robustSelection?: boolean | RobustSelectionOptions;
  /** Side of the source window of a crop (px): the dataset's 96. */
  cropSize?: number;
}

/** The most robust grasps on a depth image. Throws NoValidGraspError when there is none — never a NaN grasp. */
export async function plan(depthIn: DepthImage, intrinsics: CameraIntrinsics, predictor: GqcnnPredictor, options: PlanOptions = {}): Promise<PlanResult> {
  const start = performance.now();
  const policy = options.policy ?? 'cem';
  const topK = options.topK ?? 1;
  const width = options.gripperWidth ?? DEFAULT_GRIPPER.maxWidth;
  const cropSize = options.cropSize ?? 96;
  const rng = new Random(options.seed ?? 0);
  // Every policy refuses what does not belong together or is no plausible camera (fc used to plan on 1e30 m).
  checkPlanInputs(depthIn, intrinsics, options.segmask ?? null);
  let valid = 0;
  for (const v of depthIn.data) if (v > 0) valid++;
  const depth = valid < depthIn.data.length ? inpaint(depthIn) : depthIn;
  const mask = regionMask(depth, options.segmask ?? null, options.workspace);

  let scored: ScoredGrasp[];
  let scoredCount: number;
  const selection = policy !== 'random' && options.robustSelection !== false
    ? { ...DEFAULT_ROBUST_SELECTION, ...(typeof options.robustSelection === 'object' ? options.robustSelection : {}) }
    : null;
  const score = (g: ImageGrasp[]) => scoreGrasps(predictor, depth, g, cropSize);
  if (policy === 'fc') {
    // With robust selection the FC map's best (NMS-separated) grasps are the finalists.
    // The FC map comes from the model's FC companion when it has one; finalists are then re-scored by the crop model.
    const r = await fullyConvolutionalPlan(predictor.fullyConvolutional, depth, mask, intrinsics, { topK: Math.max(topK, selection?.finalists ?? 0), gripperWidth: width, cropSize });
    scored = r.grasps;
    scoredCount = r.scoredCount;
    if (selection) {
      const s = await robustSelection(scored, score, selection);
      scored = s.grasps;
      scoredCount += s.scoredCount;
    }
  } else {
    const margin = Math.ceil((cropSize / 2) * Math.SQRT2);
    const samples = options.samples ?? (policy === 'cem' ? 250 : 100);
    const initial = sampleImageAntipodalGrasps(depth, mask, intrinsics, width, rng, { numSamples: samples, cropSize });
    if (initial.length === 0) throw new NoValidGraspError('no antipodal grasp candidates on the object (check the segmask, workspace and depth units)');
    if (policy === 'random') {
      const pick = initial[Math.floor(rng.next() * initial.length)]!;
      scored = [{ grasp: pick, q: (await score([pick]))[0]! }];
      scoredCount = 1;
    } else if (policy === 'ranking') {
      const q = await score(initial);
      scored = initial.map((g, i) => ({ grasp: g, q: q[i] }));
      scoredCount = initial.length;
    } else {
      const r = await crossEntropyPlan({
        initial,
        score,
        rng,
        isValid: centerInMask(depth.width, depth.height, mask, margin),
        widthPx: gripperWidthPx(intrinsics, width),
      });
      // Best over the whole search rather than gqcnn's last round only: never worse under the model.
      scored = r.all;
      scoredCount = r.scoredCount;
    }
    scored = scored.filter((s) => Number.isFinite(s.q)).sort((a, b) => b.q - a.q);
    if (selection) {
      const s = await robustSelection(scored, score, selection);
      scored = s.grasps;
      scoredCount += s.scoredCount;
    }
    scored = nonMaximumSuppression(scored, 0.2 * gripperWidthPx(intrinsics, width)(scored[0]?.grasp.depth ?? 0.7, 0), topK);
  }
  if (scored.length === 0) throw new NoValidGraspError('no valid grasp');

  const grasps = scored.slice(0, topK).map(({ grasp: g, q }) => ({
    center: { x: g.center.x, y: g.center.y },
    angle: g.angle,
    depth: g.depth,
    width,
    widthPx: g.widthPx,
    q,
    pose: imageGraspToCamera(g.center, g.angle, g.depth, intrinsics).pose.matrix(),
  }));
  return { policy, grasps, scoredCount, timeMs: performance.now() - start };
}

/** Segmask ∩ workspace rectangle, or null when neither restricts the image. */
function regionMask(depth: DepthImage, segmask: Mask | null, workspace?: [number, number, number, number]): Mask | null {
  if (segmask && (segmask.width !== depth.width || segmask.height !== depth.height))
    throw new Error(`segmask is ${segmask.width}×${segmask.height}, the depth image is ${depth.width}×${depth.height}`);
  if (!workspace) return segmask;
  const [x0, y0, x1, y1] = workspace;
  const out = createMask(depth.width, depth.height);
  for (let y = Math.max(0, y0); y <= Math.min(depth.height - 1, y1); y++)
    for (let x = Math.max(0, x0); x <= Math.min(depth.width - 1, x1); x++) {
      const i = y * depth.width + x;
      out.data[i] = segmask ? (segmask.data[i] ? 255 : 0) : 255;
    }
  return out;
}
