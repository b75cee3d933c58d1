// What an evaluation run records per trial, and the per-policy summary computed from those records: success rate
// under each referee with 95 % Wilson intervals, precision at q > 0.5, mean planning time, referee agreement.
import { wilsonInterval } from './confidence-interval.js';
import type { AnalyticVerdict } from './analytic-referee.js';
import type { SuctionAnalyticVerdict } from './suction-referee.js';
import type { GroundTruthSummary } from './ground-truth.js';
import type { PhysicsOutcome, PhysicsVerdict } from '../physics/lift-and-shake.js';
import { reliabilityDiagram, type ReliabilityDiagram } from './reliability.js';

/** The planned grasp as the planner reports it in the image (gqcnn's grasp message fields). */
export interface TrialGrasp {
  /** Pixel centre (x = column, y = row). */
  center: { x: number; y: number };
  /** Grasp axis angle from the image x axis (rad). */
  angle: number;
  /** Gripper depth from the camera (m). */
  depth: number;
  /** Jaw opening (m). */
  width: number;
  /** Predicted probability of success. */
  q: number;
}

/** One evaluation trial: which object and pose, which policy, what it planned, and both referees' verdicts. */
export interface TrialRecord {
  trial: number;
  /** Object name (the mesh file's name). */
  object: string;
  /** Where the object comes from (procedural objects or real meshes), when known; reports summarise each apart. */
  source?: ObjectSource;
  /** Index of the stable pose the object rested in. */
  poseIndex: number;
  policy: string;
  /** Null when the planner found no valid grasp (a failure under both referees, q counted as 0). */
  grasp: TrialGrasp | null;
  /** Why the planner returned no grasp (its NoValidGraspError message), when it returned none. */
  noGrasp?: string;
  /** Planning wall time (ms). */
  planMs: number;
  /** The jaws' verdict, or a suction cup's (it carries `gripper: 'suction'`). */
  analytic: AnalyticVerdict | SuctionAnalyticVerdict;
  physics: PhysicsVerdict;
  /** The jaws' grasp executed again under the robust label's noise, when the run asked for it (`physicsDraws`). */
  physicsUnderNoise?: PhysicsUnderNoise;
  /** Friction coefficient of the physics trial (drawn per scene unless the run fixed it). */
  friction?: number;
  /** What the scene offered any planner (its pose's labelled ground-truth grasps), when the run computed it. */
  groundTruth?: GroundTruthSummary;
  /** Depth image with the grasp drawn, for trials worth looking at (failures, disagreements). */
  failurePng?: Uint8Array;
}

/** A jaw grasp executed again in MuJoCo under the robust label's noise (physics-under-noise.ts). */
export interface PhysicsUnderNoise {
  /** MuJoCo executions, each of the grasp moved by one pose-noise draw. */
  draws: number;
  /** Executions that lifted and held the object. */
  lifted: number;
  /**
   * Executions whose gripper met something on the way down. The robust ε checks collisions for the grasp as planned
   * only, so these are the draws the two referees cannot be compared on.
   */
  collided: number;
  /** How each execution ended. */
  outcomes: Partial<Record<PhysicsOutcome, number>>;
}

/** Share of the executions that did not collide on the way down which lifted the object (null when all collided). */
export function heldShare(p: Pick<PhysicsUnderNoise, 'draws' | 'lifted' | 'collided'>): number | null {
  const reached = p.draws - p.collided;
  return reached > 0 ? p.lifted / reached : null;
}

/** Procedural objects (`dexnet objects`) or real meshes (imported or the user's own). */
import type { ObjectSource } from '../dataset/mesh-sources.js';
export type { ObjectSource };

/** q above which the planner claims a grasp will succeed (precision counts these). */
export const CONFIDENT_Q = 0.5;

export interface RateSummary {
  successes: number;
  n: number;
  /** successes / n; null when n = 0. */
  rate: number | null;
  /** 95 % Wilson score interval. */
  ci95: [number, number];
}

export interface RefereeSummary {
  success: RateSummary;
  /** Among grasps with q > 0.5: the share that succeed. */
  precision: RateSummary;
}

export interface Disagreement {
  trial: number;
  object: string;
  poseIndex: number;
  q: number;
  analytic: boolean;
  /** The analytic referee's robust quality: robust ε for the jaws, the robust seal-and-hold share for suction. */
  epsilon: number;
  /** Jaws: the gripper's approach is collision-free; suction: the cup seals on the grasp as given. */
  collisionFree: boolean;
  physics: boolean;
  physicsReason: PhysicsVerdict['reason'];
  /** Friction coefficient of the physics trial, when recorded. */
  friction?: number;
  /** File name of the trial's image in the report folder, when it has one. */
  image?: string;
}

export interface FailureEntry {
  trial: number;
  object: string;
  poseIndex: number;
  q: number;
  analytic: boolean;
  physics: boolean;
  physicsReason: PhysicsVerdict['reason'];
  image: string;
}

/** Scenes a planner could win, as a share of the trials, and a policy's success on just those under each referee. */
export interface WinnableSummary {
  scenes: RateSummary;
  analytic: RateSummary;
  physics: RateSummary;
}

export interface PolicySummary {
  policy: string;
  n: number;
  analytic: RefereeSummary;
  physics: RefereeSummary;
  /** Mean planning wall time (ms). */
  meanPlanMs: number | null;
  /** Trials where both referees give the same verdict. */
  agreement: RateSummary;
  /**
   * The scenes any planner could win — some visible ground-truth grasp passes the analytic referee — as a share of all
   * trials (the ceiling of the analytic success rate), and the policy's success on just those under each referee. Null
   * when the run computed no ground truth.
   */
  winnable: WinnableSummary | null;
  /**
   * The same for the scenes some visible robust ground-truth grasp of which also passes the planner's plausibility
   * check on the noise-free image: winnable by a planner that returns only plausible grasps. Absent when the trials'
   * ground truth did not count them (suction, reports from before the count, runs without ground truth).
   */
  plausiblyWinnable?: WinnableSummary;
  /** Calibration of q: planned grasps in 10 q bins against the analytic referee's success rate in each. */
  reliability: ReliabilityDiagram;
  disagreements: Disagreement[];
  /** Trials with an image (failures under either referee), in trial order. */
  failures: FailureEntry[];
  /**
   * With executions under noise: how they ended for the trials on which both referees said the grasp holds, only the
   * analytic one, only MuJoCo, neither — do a disagreement's grasps hold like the agreed good ones or like the bad?
   */
  underNoise?: Record<VerdictPair, NoisyExecutions>;
  /** The same figures for each object source apart, when the trials record their source. */
  bySource?: Partial<Record<ObjectSource, SourceSummary>>;
}

/** The two referees' verdicts on one trial, analytic first. */
export const VERDICT_PAIRS = ['both hold', 'analytic only', 'physics only', 'neither'] as const;
export type VerdictPair = (typeof VERDICT_PAIRS)[number];

/** Executions under noise of a group of trials: counts summed over them. */
export interface NoisyExecutions extends Omit<PhysicsUnderNoise, 'outcomes'> {
  trials: number;
  /** Lifted / (draws − collided); null when every execution collided or there were none. */
  heldShare: number | null;
}

/** A policy's figures on the trials of one object source. */
export type SourceSummary = Omit<PolicySummary, 'policy' | 'disagreements' | 'failures' | 'bySource'>;

/** A trial as report.json lists it: the record with its image named (a file in the report folder), not inlined. */
export type TrialSummary = Omit<TrialRecord, 'failurePng'> & { image?: string };

export interface EvaluationReport {
  format: 'dexnet-evaluation-report';
  version: 1;
  /** Whatever the caller wants on record: seed, folders, options. */
  meta: Record<string, unknown>;
  /** Policies in order of first appearance in the records. */
  policies: PolicySummary[];
  trials: TrialSummary[];
}

/** File name, inside the report folder, of a trial's image. */
export function trialImageName(record: Pick<TrialRecord, 'policy' | 'trial'>): string {
  return `images/${record.policy.replace(/[^A-Za-z0-9_-]+/g, '_')}-trial-${record.trial}.png`;
}

/** Rate, count and 95 % Wilson interval of `successes` out of `n`. */
export function rateSummary(successes: number, n: number): RateSummary {
  return { successes, n, rate: n > 0 ? successes / n : null, ci95: wilsonInterval(successes, n) };
}

/** The report of a run: per-policy summaries and every trial (images referenced by file name, not inlined). */
export function summarizeTrials(records: readonly TrialRecord[], meta: Record<string, unknown> = {}): EvaluationReport {
  const byPolicy = new Map<string, TrialRecord[]>();
  const seen = new Set<string>();
  for (const r of records) {
    checkRecord(r);
    // Images are named by policy and trial, so a repeat would overwrite another trial's image.
    const key = `${r.policy}\u0000${r.trial}`;
    if (seen.has(key)) throw new Error(`evaluation report: trial ${r.trial} of policy ${r.policy} appears twice`);
    seen.add(key);
    const list = byPolicy.get(r.policy) ?? [];
    list.push(r);
    byPolicy.set(r.policy, list);
  }
  const policies = [...byPolicy].map(([policy, trials]) =>
    summarizePolicy(
      policy,
      [...trials].sort((a, b) => a.trial - b.trial),
    ),
  );
  const trials = records.map((r): TrialSummary => {
    const t: TrialSummary = {
      trial: r.trial,
      object: r.object,
      poseIndex: r.poseIndex,
      policy: r.policy,
      grasp: r.grasp,
      planMs: r.planMs,
      analytic: r.analytic,
      physics: r.physics,
    };
    if (r.noGrasp) t.noGrasp = r.noGrasp;
    if (r.source) t.source = r.source;
    if (r.physicsUnderNoise) t.physicsUnderNoise = r.physicsUnderNoise;
    if (r.friction !== undefined) t.friction = r.friction;
    if (r.groundTruth) t.groundTruth = r.groundTruth;
    if (r.failurePng) t.image = trialImageName(r);
    return t;
  });
  return { format: 'dexnet-evaluation-report', version: 1, meta, policies, trials };
}

function summarizePolicy(policy: string, trials: TrialRecord[]): PolicySummary {
  const summary = summarizeSource(policy, trials);
  const sources = [...new Set(trials.map((t) => t.source).filter((s) => s !== undefined))].sort();
  if (sources.length === 0) return summary;
  const bySource: Partial<Record<ObjectSource, SourceSummary>> = {};
  for (const source of sources) {
    const {
      policy: _p,
      disagreements: _d,
      failures: _f,
      ...figures
    } = summarizeSource(
      policy,
      trials.filter((t) => t.source === source),
    );
    bySource[source] = figures;
  }
  return { ...summary, bySource };
}

function summarizeSource(policy: string, trials: TrialRecord[]): PolicySummary {
  const confident = trials.filter((t) => (t.grasp?.q ?? 0) > CONFIDENT_Q);
  const referee = (ok: (t: TrialRecord) => boolean): RefereeSummary => ({
    success: rateSummary(count(trials, ok), trials.length),
    precision: rateSummary(count(confident, ok), confident.length),
  });
  const disagreements = trials
    .filter((t) => t.analytic.success !== t.physics.success)
    .map((t): Disagreement => {
      const d: Disagreement = {
        trial: t.trial,
        object: t.object,
        poseIndex: t.poseIndex,
        q: t.grasp?.q ?? 0,
        analytic: t.analytic.success,
        epsilon: analyticQuality(t.analytic),
        collisionFree: 'sealed' in t.analytic ? t.analytic.sealed : t.analytic.collisionFree,
        physics: t.physics.success,
        physicsReason: t.physics.reason,
      };
      if (t.friction !== undefined) d.friction = t.friction;
      if (t.failurePng) d.image = trialImageName(t);
      return d;
    });
  const failures = trials
    .filter((t) => t.failurePng)
    .map((t): FailureEntry => ({
      trial: t.trial,
      object: t.object,
      poseIndex: t.poseIndex,
      q: t.grasp?.q ?? 0,
      analytic: t.analytic.success,
      physics: t.physics.success,
      physicsReason: t.physics.reason,
      image: trialImageName(t),
    }));
  const planned = trials.reduce((s, t) => s + t.planMs, 0);
  const underNoise = noisyExecutions(trials);
  const judged = trials.filter((t) => t.groundTruth);
  const counted = judged.every((t) => t.groundTruth!.robustPlausible !== undefined);
  return {
    policy,
    n: trials.length,
    analytic: referee((t) => t.analytic.success),
    physics: referee((t) => t.physics.success),
    meanPlanMs: trials.length > 0 ? planned / trials.length : null,
    agreement: rateSummary(
      count(trials, (t) => t.analytic.success === t.physics.success),
      trials.length,
    ),
    winnable: winnableSummary(judged, (g) => g.robustVisible > 0),
    ...(judged.length > 0 && counted
      ? { plausiblyWinnable: winnableSummary(judged, (g) => (g.robustPlausible ?? 0) > 0)! }
      : {}),
    reliability: reliabilityDiagram(
      trials.filter((t) => t.grasp).map((t) => ({ q: t.grasp!.q, success: t.analytic.success })),
      'analytic',
    ),
    ...(underNoise ? { underNoise } : {}),
    disagreements,
    failures,
  };
}

/** The trials whose ground truth `winnable` accepts, among those that have one (null when none has). */
function winnableSummary(
  judged: readonly TrialRecord[],
  winnable: (g: GroundTruthSummary) => boolean,
): WinnableSummary | null {
  if (judged.length === 0) return null;
  const won = judged.filter((t) => winnable(t.groundTruth!));
  return {
    scenes: rateSummary(won.length, judged.length),
    analytic: rateSummary(
      count(won, (t) => t.analytic.success),
      won.length,
    ),
    physics: rateSummary(
      count(won, (t) => t.physics.success),
      won.length,
    ),
  };
}

function count(list: readonly TrialRecord[], ok: (t: TrialRecord) => boolean): number {
  return list.reduce((s, t) => s + (ok(t) ? 1 : 0), 0);
}

function verdictPair(t: TrialRecord): VerdictPair {
  if (t.analytic.success) return t.physics.success ? 'both hold' : 'analytic only';
  return t.physics.success ? 'physics only' : 'neither';
}

/** Executions under noise summed per verdict pair, or undefined when no trial has any. */
function noisyExecutions(trials: readonly TrialRecord[]): Record<VerdictPair, NoisyExecutions> | undefined {
  if (!trials.some((t) => t.physicsUnderNoise)) return undefined;
  const groups = Object.fromEntries(
    VERDICT_PAIRS.map((p) => [p, { trials: 0, draws: 0, lifted: 0, collided: 0, heldShare: null }]),
  ) as Record<VerdictPair, NoisyExecutions>;
  for (const t of trials) {
    if (!t.physicsUnderNoise) continue;
    const g = groups[verdictPair(t)];
    g.trials++;
    g.draws += t.physicsUnderNoise.draws;
    g.lifted += t.physicsUnderNoise.lifted;
    g.collided += t.physicsUnderNoise.collided;
  }
  for (const g of Object.values(groups)) g.heldShare = heldShare(g);
  return groups;
}

/** Robust ε of a jaw verdict, robust seal-and-hold share of a suction one. */
function analyticQuality(v: TrialRecord['analytic']): number {
  return 'robustQuality' in v ? v.robustQuality : v.robustEpsilon;
}

function checkRecord(r: TrialRecord): void {
  const where = `trial ${r.trial} (${r.policy})`;
  if (!Number.isInteger(r.trial)) throw new Error(`evaluation report: trial number must be an integer, got ${r.trial}`);
  if (typeof r.policy !== 'string' || r.policy === '')
    throw new Error(`evaluation report: ${where}: policy must be a non-empty string`);
  for (const [field, value] of [
    ['q', r.grasp ? r.grasp.q : 0],
    ['planMs', r.planMs],
    ['analytic quality', analyticQuality(r.analytic)],
  ] as const)
    if (!Number.isFinite(value))
      throw new Error(`evaluation report: ${where}: ${field} must be a finite number, got ${value}`);
}
