// Dex-Net 4.0's ambidextrous policy: plan with the jaws and with the suction cup on the same image, each with its own
// GQ-CNN, and take the grasps with the highest q over both. Each network predicts the probability that its grasp
// succeeds, so the two q are compared as they are (as Dex-Net 4.0 does) — after each model's calibration, where it
// has one, maps its q to the share of its executed grasps that held; the result names each grasp's gripper.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import { BelowMinQError, NoValidGraspError, plan, type PlanOptions } from './plan.js';
import type { GripperOutcome, PlanGripperKind, PlannedGrasp, PlanResult } from './plan-types.js';

export interface AmbidextrousPredictors {
  /** A parallel-jaw model (one pose input). */
  jaw: GqcnnPredictor;
  /** A suction model (two pose inputs). */
  suction: GqcnnPredictor;
}

const KINDS: PlanGripperKind[] = ['parallel-jaw', 'suction'];

/**
 * The best `topK` grasps over both grippers by q, each carrying `gripper`; the result's `gripper` is the best one's.
 * Throws NoValidGraspError (BelowMinQError under `minQ`) only when neither gripper has a grasp, naming both reasons.
 */
export async function planAmbidextrous(
  depth: DepthImage,
  intrinsics: CameraIntrinsics,
  predictors: AmbidextrousPredictors,
  options: Omit<PlanOptions, 'gripper'> & {
    /** A gripper's own segmask in place of `segmask` (e.g. a bin cell that keeps each gripper off its failed spots). */
    segmasks?: Partial<Record<PlanGripperKind, Mask>>;
  } = {},
): Promise<PlanResult> {
  const start = performance.now();
  const { segmasks, ...planOptions } = options;
  // One after the other: each plan already keeps the cores busy with its network's batches.
  const settled: (PlanResult | NoValidGraspError)[] = [];
  const times: number[] = [];
  for (const gripper of KINDS) {
    const t0 = performance.now();
    const predictor = gripper === 'suction' ? predictors.suction : predictors.jaw;
    settled.push(
      await plan(depth, intrinsics, predictor, {
        ...planOptions,
        // The jaws' best single score over hundreds of candidates is biased high against the cup's: a mean over each
        // finalist's neighbourhood meets it on fairer terms (docs/guide.md: bins picked 88.2 % against 84.5 %).
        robustSelection: planOptions.robustSelection ?? true,
        gripper,
        segmask: segmasks?.[gripper] ?? planOptions.segmask,
      }).catch((e: unknown) => {
        if (e instanceof NoValidGraspError) return e;
        throw e;
      }),
    );
    times.push(performance.now() - t0);
  }
  const byGripper: GripperOutcome[] = settled.map((r, i) =>
    r instanceof NoValidGraspError
      ? { gripper: KINDS[i]!, scoredCount: 0, timeMs: times[i]!, reason: r.message }
      : { gripper: KINDS[i]!, q: r.grasps[0]!.q, scoredCount: r.scoredCount, timeMs: times[i]! },
  );
  const results = settled.filter((r): r is PlanResult => !(r instanceof NoValidGraspError));
  if (results.length === 0) {
    const [jaw, cup] = settled as NoValidGraspError[];
    if (jaw instanceof BelowMinQError && cup instanceof BelowMinQError)
      throw new BelowMinQError(jaw.minQ, Math.max(jaw.bestQ, cup.bestQ));
    throw new NoValidGraspError(`parallel-jaw: ${jaw!.message}; suction: ${cup!.message}`);
  }
  const topK = options.topK ?? 1;
  const grasps: PlannedGrasp[] = results
    .flatMap((r) => r.grasps.map((g) => ({ ...g, gripper: r.gripper ?? 'parallel-jaw' })))
    .sort((a, b) => b.q - a.q || (b.networkQ ?? b.q) - (a.networkQ ?? a.q))
    .slice(0, topK);
  const implausible: NonNullable<PlanResult['implausible']> = {};
  for (const r of results)
    for (const [reason, n] of Object.entries(r.implausible ?? {}))
      implausible[reason as keyof typeof implausible] = (implausible[reason as keyof typeof implausible] ?? 0) + n!;
  const merged: PlanResult = {
    policy: results[0]!.policy,
    gripper: grasps[0]!.gripper,
    grasps,
    scoredCount: results.reduce((n, r) => n + r.scoredCount, 0),
    timeMs: 0,
    byGripper,
  };
  if (results.some((r) => r.implausible)) merged.implausible = implausible;
  const explain = options.explain === true ? 10 : options.explain || 0;
  if (explain > 0)
    merged.candidates = results
      .flatMap((r) => (r.candidates ?? []).map((c) => ({ ...c, gripper: r.gripper ?? 'parallel-jaw' })))
      .sort((a, b) => b.q - a.q)
      .slice(0, explain);
  merged.timeMs = performance.now() - start;
  return merged;
}
