// The figures of a bin-clearing run (Dex-Net 4.0), per gripper setting: reliability (successful picks per grasp
// executed; a plan that finds no grasp moves no robot and is counted apart),
// clearance (share of the heaps' objects picked, over all and over those some gripper can pick on its own), mean
// picks per hour at a stated motion time per attempt plus the measured planning time, and which gripper picked what.
import type { PhysicsOutcome } from '../physics/lift-and-shake.js';
import type { PlanGripperKind } from '../policy/plan-types.js';
import type { AttemptRecord, EpisodeObject, EpisodeStop } from './bin-episode.js';
import type { EpisodeGripper } from './episode-gripper.js';
import { rateSummary, type RateSummary } from './evaluation-report.js';

/** Whether each gripper picks the object when it lies alone (ground truth); null when not checked. */
export type Pickable = Record<PlanGripperKind, boolean> | null;

/** One episode as report.json keeps it: attempts name their picture instead of holding it. */
export interface EpisodeRecord {
  /** Heap number (every gripper setting meets heap k). */
  heap: number;
  seed: number;
  gripper: EpisodeGripper;
  objects: (EpisodeObject & { pickable: Pickable })[];
  attempts: (Omit<AttemptRecord, 'png'> & { image?: string })[];
  stop: EpisodeStop;
}

export interface GripperSummary {
  gripper: EpisodeGripper;
  episodes: number;
  /** Plans made (each an entry in the episodes' attempts, whether or not it found a grasp). */
  attempts: number;
  /** Grasps executed: attempts that planned a grasp. */
  executed: number;
  /**
   * Successful picks / grasps executed, as Dex-Net 4.0 counts it. A plan without a grasp moves no robot: it is
   * counted in noGrasp and towards the episode's failures in a row, not here.
   */
  reliability: RateSummary;
  /** Objects in the bins at the start of the episodes (those that fell out of the bin when dropped are not). */
  objects: number;
  /** Objects picked / objects. */
  clearance: RateSummary;
  /** Over the objects that either gripper picks on its own (absent when that was not checked). */
  pickableClearance?: RateSummary;
  /** Objects no gripper picks on its own (ids, one per heap they were in), and how many of them were picked anyway. */
  notPickable?: { ids: string[]; picked: number };
  /** Objects pushed out of the bin by an attempt. */
  lost: number;
  /** Successful picks that held another object than the one under the grasp's centre (counted as that one's pick). */
  otherObjectPicks: number;
  /** Attempts where nothing was planned (no robot motion). */
  noGrasp: number;
  meanPlanMs: number | null;
  /** Seconds of robot motion assumed per grasp executed (stated, not simulated). */
  motionSeconds: number;
  /** Successful picks / (grasps executed × motion time + attempts × mean planning time) × 3600. */
  picksPerHour: number | null;
  /** Attempts and successful picks by the gripper that made them (both: as the policy chose). */
  byGripper: Partial<Record<PlanGripperKind, { attempts: number; picks: number }>>;
  /** What the failed attempts ended in. */
  failures: Partial<Record<PhysicsOutcome, number>>;
  /** How the episodes ended. */
  stops: Partial<Record<EpisodeStop, number>>;
  /** Mean wall-clock time of an attempt in this run: render, plan, simulate, settle (s). */
  meanAttemptSeconds: number | null;
}

export interface BinReport {
  format: 'dexnet-bin-report';
  version: 1;
  meta: Record<string, unknown>;
  grippers: GripperSummary[];
  episodes: EpisodeRecord[];
}

/**
 * Mean picks per hour: picks over the time the run takes, the motion time for each grasp executed plus the mean
 * planning time for every plan (those that found no grasp too).
 */
export function picksPerHour(
  picks: number,
  executed: number,
  plans: number,
  motionSeconds: number,
  meanPlanMs: number,
): number | null {
  if (plans === 0) return null;
  return (picks / (executed * motionSeconds + (plans * meanPlanMs) / 1000)) * 3600;
}

/** The summary of every gripper setting's episodes, in the order the settings first appear. */
export function summarizeEpisodes(
  episodes: readonly EpisodeRecord[],
  motionSeconds: number,
  meta: Record<string, unknown> = {},
): BinReport {
  const settings = [...new Set(episodes.map((e) => e.gripper))];
  const grippers = settings.map((g) =>
    summarizeGripper(
      g,
      episodes.filter((e) => e.gripper === g),
      motionSeconds,
    ),
  );
  return { format: 'dexnet-bin-report', version: 1, meta, grippers, episodes: [...episodes] };
}

function summarizeGripper(
  gripper: EpisodeGripper,
  episodes: readonly EpisodeRecord[],
  motionSeconds: number,
): GripperSummary {
  const attempts = episodes.flatMap((e) => e.attempts);
  const picks = attempts.filter((a) => a.success).length;
  const noGrasp = attempts.filter((a) => a.gripper === null).length;
  const executed = attempts.length - noGrasp;
  const inBin = episodes.flatMap((e) => e.objects.filter((o) => o.removed?.at !== -1));
  const picked = (o: EpisodeObject) => o.removed?.how === 'picked';
  const checked = inBin.every((o) => o.pickable !== null);
  const pickable = inBin.filter((o) => o.pickable && (o.pickable['parallel-jaw'] || o.pickable.suction));
  const rest = inBin.filter((o) => o.pickable && !(o.pickable['parallel-jaw'] || o.pickable.suction));
  const planMs = attempts.map((a) => a.planMs);
  const meanPlanMs = planMs.length > 0 ? planMs.reduce((s, v) => s + v, 0) / planMs.length : null;
  const byGripper: GripperSummary['byGripper'] = {};
  const failures: GripperSummary['failures'] = {};
  for (const a of attempts) {
    if (a.gripper) {
      const g = (byGripper[a.gripper] ??= { attempts: 0, picks: 0 });
      g.attempts++;
      if (a.success) g.picks++;
    }
    if (!a.success) failures[a.reason] = (failures[a.reason] ?? 0) + 1;
  }
  const stops: GripperSummary['stops'] = {};
  for (const e of episodes) stops[e.stop] = (stops[e.stop] ?? 0) + 1;
  const summary: GripperSummary = {
    gripper,
    episodes: episodes.length,
    attempts: attempts.length,
    executed,
    reliability: rateSummary(picks, executed),
    objects: inBin.length,
    clearance: rateSummary(inBin.filter(picked).length, inBin.length),
    lost: attempts.reduce((n, a) => n + a.lost.length, 0),
    otherObjectPicks: attempts.filter((a) => a.success && a.picked !== a.target).length,
    noGrasp,
    meanPlanMs,
    motionSeconds,
    picksPerHour:
      meanPlanMs === null ? null : picksPerHour(picks, executed, attempts.length, motionSeconds, meanPlanMs),
    byGripper,
    failures,
    stops,
    meanAttemptSeconds:
      attempts.length > 0 ? attempts.reduce((s, a) => s + a.wallMs, 0) / attempts.length / 1000 : null,
  };
  if (checked && inBin.length > 0) {
    summary.pickableClearance = rateSummary(pickable.filter(picked).length, pickable.length);
    summary.notPickable = { ids: rest.map((o) => o.id), picked: rest.filter(picked).length };
  }
  return summary;
}
