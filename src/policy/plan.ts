// Grasp planning on a depth image: validate and inpaint the input, run a policy (ranking, cross-entropy
// or fully convolutional) with a GQ-CNN, and return the best grasps with their 6-DoF poses — parallel-jaw grasps, or
// suction grasps (Dex-Net 3.0) through the same policy body (gripper-planner.ts says what each kind supplies).
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { Random } from '../core/random.js';
import { DEFAULT_GRIPPER } from '../grasp/gripper.js';
import { createMask, type DepthImage, type Mask } from '../image/depth-image.js';
import { inpaintMissing } from '../image/filters.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import { crossEntropyPlan, NoPlausibleGraspError, type Scored } from './cross-entropy.js';
import { NoValidGraspError, UserInputError } from '../core/errors.js';
import type { GripperPlanner, Verdict } from './gripper-planner.js';
import { jawPlanner } from './jaw-planner.js';
import { DEFAULT_ROBUST_SELECTION, type RobustSelectionOptions } from './robust-selection.js';
import { checkPlanInputs, PlanInputError } from './plan-io.js';
import { POLICIES, type PlanGripperKind, type PlannedGrasp, type PlanResult, type PolicyName } from './plan-types.js';
import type { ExplainedCandidate } from './plan-types.js';
import type { PlausibilityOptions } from './plausibility.js';
import {
  suctionSamplerSettings,
  suctionSurface,
  type ImageSuctionSamplerOptions,
} from '../grasp/image-suction-sampler.js';
import { calibrateQ, type QCalibration } from '../model/calibration.js';
import { modelCropWindow, modelSuctionApproachLimit, modelSuctionEdgeTolerance } from '../model/planner-settings.js';
import { suctionPlanner } from './suction-planner.js';
import type { SuctionPlausibilityOptions } from './suction-plausibility.js';
import type { SuctionFcOptions } from './suction-fully-convolutional.js';

export { POLICIES, type PlanGripperKind, type PlannedGrasp, type PlanResult, type PolicyName };
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
  /** The gripper to plan for (default parallel-jaw); suction needs a suction model (pose = depth and approach angle). */
  gripper?: PlanGripperKind;
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
   * Re-rank the best candidates by their mean q under small perturbations (jaw policies but random; default off, but
   * on for the jaws in planAmbidextrous): meant to keep the argmax off grasps the network over-rates, it planned no
   * better alone at Dex-Net's scale, but compares the jaws' q with the cup's more fairly (docs/guide.md). The returned
   * q is then that mean.
   */
  robustSelection?: boolean | RobustSelectionOptions;
  /** Side of the source window of a crop (px); default the window the model's dataset was cut with (96). */
  cropSize?: number;
  /**
   * The plausibility check on the observed depth (default on): every policy drops scored candidates that fail it
   * before it picks — jaws whose fingers meet the surface or do not close around the object, suction cups whose
   * footprint is unseen or not flat or that meet a surface on the way. `false` turns it off.
   */
  plausibility?: boolean | PlausibilityOptions | SuctionPlausibilityOptions;
  /** Suction only: the image suction sampler's settings (approach limit, flatness tolerance, smoothing, …). */
  suctionSampler?: ImageSuctionSamplerOptions;
  /** Suction only: the fully-convolutional policy's settings (turns, depth bins, grid phases, re-scoring). */
  suctionFc?: SuctionFcOptions;
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

/** The most robust grasps on a depth image. Throws NoValidGraspError when there is none — never a NaN grasp. */
export async function plan(
  depthIn: DepthImage,
  intrinsics: CameraIntrinsics,
  predictor: GqcnnPredictor,
  options: PlanOptions = {},
): Promise<PlanResult> {
  const start = performance.now();
  // The window the model's crops were cut from in its dataset (96 px unless it records another).
  const cropSize = options.cropSize ?? modelCropWindow(predictor.model);
  // Every policy refuses what does not belong together or is no plausible camera (fc used to plan on 1e30 m).
  checkPlanInputs(depthIn, intrinsics, options.segmask ?? null);
  const depth = inpaintMissing(depthIn);
  const observed = depth === depthIn ? null : depthIn;
  const segmask = options.segmask ?? null;
  const region = regionMask(depth, segmask, options.workspace);
  const plausibility = options.plausibility === false ? false : { ...Object(options.plausibility) };

  if (options.gripper === 'suction') {
    // The approach limit and surface the model's candidates were drawn with, unless the caller sets others.
    const sampler = suctionSamplerSettings(cropSize, {
      maxApproachAngle: modelSuctionApproachLimit(predictor.model),
      edgeTolerance: modelSuctionEdgeTolerance(predictor.model),
      ...options.suctionSampler,
    });
    // Targets, normals and flatness come from a smoothed copy; the network's crops from the image itself.
    const surface = suctionSurface(depth, region, intrinsics, sampler);
    const planner = suctionPlanner({
      depth,
      observed,
      surface,
      intrinsics,
      segmask,
      region,
      predictor,
      cropSize,
      sampler,
      plausibility,
      fc: options.suctionFc,
    });
    return runPolicy(planner, options, start, predictor.model.calibration);
  }
  if (predictor.model.arch.poseDim !== 1)
    throw new UserInputError(
      `the model (${predictor.model.arch.name}) takes ${predictor.model.arch.poseDim} pose inputs: it is a suction ` +
        'model; plan with gripper suction, or give a parallel-jaw model',
      { field: 'model' },
    );
  const policy = options.policy ?? 'cem';
  const chosen = options.robustSelection;
  const selection =
    policy !== 'random' && chosen
      ? { ...DEFAULT_ROBUST_SELECTION, ...(typeof chosen === 'object' ? chosen : {}) }
      : null;
  const planner = jawPlanner({
    depth,
    observed,
    intrinsics,
    segmask,
    region,
    predictor,
    width: options.gripperWidth ?? DEFAULT_GRIPPER.maxWidth,
    cropSize,
    plausibility,
    selection,
  });
  return runPolicy(planner, options, start, predictor.model.calibration);
}

/** The policy body every gripper kind shares: sample or map, score, check, search, select, separate, record. */
async function runPolicy<G extends object, V extends Verdict>(
  planner: GripperPlanner<G, V>,
  options: PlanOptions,
  start: number,
  calibration: QCalibration | undefined,
): Promise<PlanResult> {
  const policy = options.policy ?? 'cem';
  const topK = options.topK ?? 1;
  const rng = new Random(options.seed ?? 0);
  // Every candidate a policy might pick is judged once; the verdicts also feed --explain and the reason counts.
  const check = planner.check;
  const verdicts = new Map<G, { q: number; verdict: V }>();
  let overBudget = false;
  const judge = (s: Scored<G>): V | null => {
    if (!check) return null;
    const known = verdicts.get(s.grasp);
    if (known) return known.verdict;
    if (verdicts.size >= MAX_CHECKS) {
      overBudget = true;
      return { ...planner.unchecked, message: `not checked: over the ${MAX_CHECKS} checks of one plan` };
    }
    const verdict = check(s.grasp);
    verdicts.set(s.grasp, { q: s.q, verdict });
    return verdict;
  };
  const plausible = (s: Scored<G>) => judge(s)?.plausible ?? true;

  let scored: Scored<G>[];
  let scoredCount: number;
  if (policy === 'fc') {
    // With robust selection the FC map's best (separated) grasps are the finalists.
    const r = await planner.fullyConvolutional(Math.max(topK, planner.finalists), plausible);
    scored = r.grasps;
    scoredCount = r.scoredCount;
    if (planner.robust) {
      const s = await planner.robust(scored);
      scored = s.grasps;
      scoredCount += s.scoredCount;
    }
  } else {
    const initial = planner.sample(options.samples ?? (policy === 'cem' ? 250 : 100), rng);
    if (initial.length === 0) throw new NoValidGraspError(planner.noSeeds);
    if (policy === 'random') {
      // The baseline draws among the candidates that pass the check, as any policy only returns those.
      const q = await planner.score(initial);
      const candidates = initial.map((g, i) => ({ grasp: g, q: q[i]! })).filter(plausible);
      scored = candidates.length > 0 ? [candidates[Math.floor(rng.next() * candidates.length)]!] : [];
      scoredCount = initial.length;
    } else if (policy === 'ranking') {
      const q = await planner.score(initial);
      scored = initial.map((g, i) => ({ grasp: g, q: q[i]! }));
      scoredCount = initial.length;
    } else {
      const r = await crossEntropyPlan<G>({ initial, score: planner.score, rng, plausible, ...planner.cem }).catch(
        (e: unknown) => {
          // Nothing plausible: reported below with the reasons the verdicts give.
          if (e instanceof NoPlausibleGraspError) return null;
          throw e;
        },
      );
      // Best over the whole search rather than gqcnn's last round only: never worse under the model.
      scored = r?.all ?? [];
      scoredCount = r?.scoredCount ?? verdicts.size;
    }
    // Judged in order of q, only as far as the picks below can reach: enough for the separation to find topK grasps
    // apart, and with robust selection its finalists, every one of which it re-scores.
    const ranked = scored.filter((s) => Number.isFinite(s.q)).sort((a, b) => b.q - a.q);
    const reach = Math.max(planner.finalists, 8 * topK);
    scored = [];
    for (const s of ranked) {
      if (plausible(s)) scored.push(s);
      if (scored.length === reach) break;
    }
    if (planner.robust && policy !== 'random') {
      const s = await planner.robust(scored);
      scored = s.grasps;
      scoredCount += s.scoredCount;
    }
    scored = planner.separate(scored, topK);
  }
  const implausible: Record<string, number> = {};
  for (const { verdict: v } of verdicts.values())
    if (v.reason) implausible[v.reason] = (implausible[v.reason] ?? 0) + 1;
  const explain = options.explain === true ? 10 : options.explain || 0;
  const explained = explain > 0 ? explainCandidates(planner, verdicts, explain, calibration) : undefined;
  if (scored.length === 0) {
    const dropped = Object.entries(implausible)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    const which = overBudget ? `the ${MAX_CHECKS} best candidates` : 'every scored candidate';
    throw new NoValidGraspError(
      dropped ? `no plausible grasp: ${which} failed the check on the observed depth (${dropped})` : 'no valid grasp',
    );
  }
  // A calibrated model's q is the share of its executed grasps that held at that q (monotone: the order stays).
  const minQ = options.minQ ?? 0;
  const kept = scored.slice(0, topK).filter((s) => calibrateQ(calibration, s.q) >= minQ);
  if (kept.length === 0) throw new BelowMinQError(minQ, calibrateQ(calibration, scored[0]!.q));

  const grasps = kept.map(({ grasp, q }) => {
    const planned: PlannedGrasp = planner.planned(grasp, calibrateQ(calibration, q));
    if (calibration) planned.networkQ = q;
    const verdict = judge({ grasp, q });
    if (verdict) planned.plausibility = verdict;
    return planned;
  });
  const result: PlanResult = { policy, grasps, scoredCount, timeMs: 0 };
  if (planner.gripper === 'suction') result.gripper = 'suction';
  if (check) result.implausible = implausible;
  if (explained) result.candidates = explained;
  result.timeMs = performance.now() - start;
  return result;
}

/** The best `count` judged candidates by q (each grasp once, q calibrated as the plan's), for --explain. */
function explainCandidates<G extends object, V extends Verdict>(
  planner: GripperPlanner<G, V>,
  verdicts: Map<G, { q: number; verdict: V }>,
  count: number,
  calibration: QCalibration | undefined,
): ExplainedCandidate[] {
  return [...verdicts]
    .filter(([, v]) => Number.isFinite(v.q))
    .sort((a, b) => b[1].q - a[1].q)
    .slice(0, count)
    .map(([g, v]) => planner.explained(g, calibrateQ(calibration, v.q), v.verdict));
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
