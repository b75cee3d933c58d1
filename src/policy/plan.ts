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
import { centerInMask, crossEntropyPlan, NoPlausibleGraspError } from './cross-entropy.js';
import { NoValidGraspError } from '../core/errors.js';
import { fullyConvolutionalPlan } from './fully-convolutional.js';
import { scoreGrasps } from './grasp-scorer.js';
import { DEFAULT_ROBUST_SELECTION, robustSelection, type RobustSelectionOptions } from './robust-selection.js';
import { featuresToGrasp, gripperWidthPx, nonMaximumSuppression } from '../grasp/image-grasp.js';
import type { GraspWidthPx, ImageGrasp, ScoredGrasp } from '../grasp/image-grasp.js';
import { topBetweenJaws } from '../grasp/local-top.js';
import { DEFAULT_IMAGE_SAMPLER_OPTIONS } from '../grasp/image-antipodal-sampler.js';
import { checkPlanInputs, PlanInputError } from './plan-io.js';
import { POLICIES, type PlannedGrasp, type PlanResult, type PolicyName } from './plan-types.js';
import type { ExplainedCandidate, GraspPlausibility } from './plan-types.js';
import { plausibilityCheck, type PlausibilityFailure, type PlausibilityOptions } from './plausibility.js';

export { POLICIES, type PlannedGrasp, type PlanResult, type PolicyName };
export { NoValidGraspError };

/** No grasp reached the caller's minimum q (`minQ`); the best one's q is in the message. */
export class BelowMinQError extends NoValidGraspError {
  override name = 'BelowMinQError';
  constructor(
    readonly minQ: number,
    readonly bestQ: number,
  ) {
    super(`no grasp with q ≥ ${minQ}: the best plausible grasp has q ${bestQ.toFixed(3)}`);
  }
}

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
  /**
   * The plausibility check on the observed depth (default on): every policy drops scored candidates whose fingers
   * meet the surface or whose jaws do not close around the object, before it picks. `false` turns it off.
   */
  plausibility?: boolean | PlausibilityOptions;
  /** Smallest q worth returning: with none at or above it, planning throws NoValidGraspError (default 0). */
  minQ?: number;
  /** Also list the best scored candidates by q, plausible or not, with their checks (true = 10 of them). */
  explain?: boolean | number;
}

/**
 * Most candidates one plan checks (in order of q): CEM scores under 600 and the others find a plausible grasp within
 * a few hundred, but on an image where nothing is plausible the FC map offers every cell; past this, the rest fail.
 */
const MAX_CHECKS = 2000;
const OVER_BUDGET: GraspPlausibility = {
  plausible: false,
  reason: null,
  message: `not checked: over the ${MAX_CHECKS} checks of one plan`,
  fingerClearance: [NaN, NaN],
  fingerMissing: [0, 0],
  engagement: NaN,
  onObject: false,
};

/**
 * Depths at which CEM's resampled grasps close below the object's top between their jaws (m): the image sampler's
 * offset range, whose lower end is 2.5 mm past the plausibility check's 5 mm so sensor noise does not throw the draws
 * away; the mixture is fitted to depths of every kind and its draws otherwise wander above the object or to its edge.
 */
const ENGAGED_DEPTH = {
  min: DEFAULT_IMAGE_SAMPLER_OPTIONS.minDepthOffset,
  max: DEFAULT_IMAGE_SAMPLER_OPTIONS.maxDepthOffset,
};

/** The most robust grasps on a depth image. Throws NoValidGraspError when there is none — never a NaN grasp. */
export async function plan(
  depthIn: DepthImage,
  intrinsics: CameraIntrinsics,
  predictor: GqcnnPredictor,
  options: PlanOptions = {},
): Promise<PlanResult> {
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

  // Every candidate a policy might pick is judged once; the verdicts also feed --explain and the reason counts.
  const check =
    options.plausibility === false
      ? null
      : plausibilityCheck(
          {
            depth,
            intrinsics,
            observed: valid < depthIn.data.length ? depthIn : null,
            segmask: options.segmask ?? null,
          },
          { width, ...(typeof options.plausibility === 'object' ? options.plausibility : {}) },
        );
  const verdicts = new Map<ImageGrasp, { q: number; verdict: GraspPlausibility }>();
  let overBudget = false;
  const judge = (s: ScoredGrasp): GraspPlausibility | null => {
    if (!check) return null;
    const known = verdicts.get(s.grasp);
    if (known) return known.verdict;
    if (verdicts.size >= MAX_CHECKS) {
      overBudget = true;
      return OVER_BUDGET;
    }
    const verdict = check(s.grasp);
    verdicts.set(s.grasp, { q: s.q, verdict });
    return verdict;
  };
  const plausible = (s: ScoredGrasp) => judge(s)?.plausible ?? true;

  let scored: ScoredGrasp[];
  let scoredCount: number;
  const selection =
    policy !== 'random' && options.robustSelection !== false
      ? { ...DEFAULT_ROBUST_SELECTION, ...(typeof options.robustSelection === 'object' ? options.robustSelection : {}) }
      : null;
  const score = (g: ImageGrasp[]) => scoreGrasps(predictor, depth, g, cropSize);
  if (policy === 'fc') {
    // With robust selection the FC map's best (NMS-separated) grasps are the finalists.
    // The FC map comes from the model's FC companion when it has one; finalists are then re-scored by the crop model.
    const r = await fullyConvolutionalPlan(predictor.fullyConvolutional, depth, mask, intrinsics, {
      topK: Math.max(topK, selection?.finalists ?? 0),
      gripperWidth: width,
      cropSize,
      accept: plausible,
    });
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
    if (initial.length === 0)
      throw new NoValidGraspError(
        'no antipodal grasp candidates on the object (check the segmask, workspace and depth units)',
      );
    if (policy === 'random') {
      // The baseline draws among the candidates that pass the check, as any policy only returns those.
      const q = await score(initial);
      const candidates = initial.map((g, i) => ({ grasp: g, q: q[i]! })).filter(plausible);
      scored = candidates.length > 0 ? [candidates[Math.floor(rng.next() * candidates.length)]!] : [];
      scoredCount = initial.length;
    } else if (policy === 'ranking') {
      const q = await score(initial);
      scored = initial.map((g, i) => ({ grasp: g, q: q[i] }));
      scoredCount = initial.length;
    } else {
      const widthPx = gripperWidthPx(intrinsics, width);
      const r = await crossEntropyPlan({
        initial,
        score,
        rng,
        isValid: centerInMask(depth.width, depth.height, mask, margin),
        widthPx,
        plausible,
        featuresToGrasp: engagedFeaturesToGrasp(depth, options.segmask ?? null, widthPx),
      }).catch((e: unknown) => {
        // Nothing plausible: reported below with the reasons the verdicts give.
        if (e instanceof NoPlausibleGraspError) return null;
        throw e;
      });
      // Best over the whole search rather than gqcnn's last round only: never worse under the model.
      scored = r?.all ?? [];
      scoredCount = r?.scoredCount ?? verdicts.size;
    }
    // Judged in order of q, only as far as the picks below can reach: robust selection's finalists, then enough for
    // non-maximum suppression to find topK separated grasps among them.
    const ranked = scored.filter((s) => Number.isFinite(s.q)).sort((a, b) => b.q - a.q);
    const reach = (selection?.finalists ?? 0) + 8 * topK;
    scored = [];
    for (const s of ranked) {
      if (plausible(s)) scored.push(s);
      if (scored.length === reach) break;
    }
    if (selection) {
      const s = await robustSelection(scored, score, selection);
      scored = s.grasps;
      scoredCount += s.scoredCount;
    }
    scored = nonMaximumSuppression(
      scored,
      0.2 * gripperWidthPx(intrinsics, width)(scored[0]?.grasp.depth ?? 0.7, 0),
      topK,
    );
  }
  const implausible: Partial<Record<PlausibilityFailure, number>> = {};
  for (const { verdict: v } of verdicts.values())
    if (v.reason) implausible[v.reason] = (implausible[v.reason] ?? 0) + 1;
  const explain = options.explain === true ? 10 : options.explain || 0;
  const explained = explain > 0 ? explainCandidates(verdicts, explain) : undefined;
  if (scored.length === 0) {
    const dropped = Object.entries(implausible)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    const which = overBudget ? `the ${MAX_CHECKS} best candidates` : 'every scored candidate';
    throw new NoValidGraspError(
      dropped ? `no plausible grasp: ${which} failed the check on the observed depth (${dropped})` : 'no valid grasp',
    );
  }
  const minQ = options.minQ ?? 0;
  const kept = scored.slice(0, topK).filter((s) => s.q >= minQ);
  if (kept.length === 0) throw new BelowMinQError(minQ, scored[0]!.q);

  const grasps = kept.map(({ grasp: g, q }) => {
    const planned: PlannedGrasp = {
      center: { x: g.center.x, y: g.center.y },
      angle: g.angle,
      depth: g.depth,
      width,
      widthPx: g.widthPx,
      q,
      pose: imageGraspToCamera(g.center, g.angle, g.depth, intrinsics).pose.matrix(),
    };
    const verdict = judge({ grasp: g, q });
    if (verdict) planned.plausibility = verdict;
    return planned;
  });
  const result: PlanResult = { policy, grasps, scoredCount, timeMs: 0 };
  if (check) result.implausible = implausible;
  if (explained) result.candidates = explained;
  result.timeMs = performance.now() - start;
  return result;
}

/** The best `count` judged candidates by q (each grasp once), for --explain. */
function explainCandidates(
  verdicts: Map<ImageGrasp, { q: number; verdict: GraspPlausibility }>,
  count: number,
): ExplainedCandidate[] {
  return [...verdicts]
    .filter(([, v]) => Number.isFinite(v.q))
    .sort((a, b) => b[1].q - a[1].q)
    .slice(0, count)
    .map(([g, v]) => ({
      center: { x: g.center.x, y: g.center.y },
      angle: g.angle,
      depth: g.depth,
      q: v.q,
      plausibility: v.verdict,
    }));
}

/**
 * CEM's feature row → grasp, with the depth clamped to ENGAGED_DEPTH below the object's top between the jaws; with no
 * object between the jaws, null (the draw is invalid).
 */
function engagedFeaturesToGrasp(depth: DepthImage, segmask: Mask | null, widthPx: GraspWidthPx) {
  return (features: ArrayLike<number>, offset: number): ImageGrasp | null => {
    const g = featuresToGrasp(features, offset, widthPx);
    if (!g) return null;
    const top = topBetweenJaws(depth, segmask, g.center, g.angle, g.widthPx);
    if (!(top > 0)) return null;
    const z = Math.min(top + ENGAGED_DEPTH.max, Math.max(top + ENGAGED_DEPTH.min, g.depth));
    return z === g.depth ? g : { ...g, depth: z, widthPx: widthPx(z, g.angle) };
  };
}

/** Segmask ∩ workspace rectangle, or null when neither restricts the image. */
function regionMask(
  depth: DepthImage,
  segmask: Mask | null,
  workspace?: [number, number, number, number],
): Mask | null {
  if (segmask && (segmask.width !== depth.width || segmask.height !== depth.height))
    throw new PlanInputError(
      `segmask is ${segmask.width}×${segmask.height}, the depth image is ${depth.width}×${depth.height}`,
      'segmask',
    );
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
