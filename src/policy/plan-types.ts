// What a plan is, as plain data with no imports: shared by the planner, the JSON of the CLI and the service,
// and the browser viewer (which must not pull in Node-only modules).

/** 'random' is the evaluation baseline: one antipodal candidate drawn uniformly (scored, not chosen, by the network). */
export const POLICIES = ['fc', 'cem', 'ranking', 'random'] as const;
export type PolicyName = (typeof POLICIES)[number];

/** The gripper kinds a plan is made for: the jaws, or Dex-Net 3.0's suction cup. */
export const PLAN_GRIPPERS = ['parallel-jaw', 'suction'] as const;
export type PlanGripperKind = (typeof PLAN_GRIPPERS)[number];

/** What a plan may be asked for: one gripper, or both (Dex-Net 4.0's ambidextrous policy: the best grasp over both). */
export const PLAN_GRIPPER_CHOICES = [...PLAN_GRIPPERS, 'both'] as const;
export type PlanGripperChoice = (typeof PLAN_GRIPPER_CHOICES)[number];

/** One gripper's part of an ambidextrous plan: its best q, or why it has none. */
export interface GripperOutcome {
  gripper: PlanGripperKind;
  /** Its best grasp's q (absent when it has none). */
  q?: number;
  scoredCount: number;
  timeMs: number;
  /** Why it returned no grasp (absent when it did). */
  reason?: string;
}

/** A suction grasp's own fields (camera frame, metres). */
export interface PlannedSuction {
  /** Target point on the surface. */
  point: number[];
  /** Unit approach axis, from the cup into the surface. */
  approach: number[];
  /** Angle between the approach and the optical axis (rad): the network's second pose input. */
  approachAngle: number;
  /** Cup radius (m) and its radius in pixels at the target's depth. */
  cupRadius: number;
  cupRadiusPx: number;
  /** Pixel where the axis is 3 cm back toward the cup (for drawing the axis). */
  axisTailPx: { x: number; y: number };
}

export interface PlannedGrasp {
  /** The gripper this grasp is for: set in ambidextrous plans, where the grasps of both kinds are ranked together. */
  gripper?: PlanGripperKind;
  /** Pixel centre: x = column, y = row. */
  center: { x: number; y: number };
  /** Grasp axis angle in the image (rad, from the x-axis toward +rows), in (−π/2, π/2]. */
  angle: number;
  /** Gripper depth along the optical axis (m). */
  depth: number;
  /** Jaw opening (m) and its width in pixels at `depth`. */
  width: number;
  widthPx: number;
  /**
   * Predicted probability of a robust grasp: the network's, or with a calibrated model (`dexnet calibrate`) the share
   * of the model's executed grasps at the network's q that held.
   */
  q: number;
  /** The network's own q, when a calibration turned it into `q`. */
  networkQ?: number;
  /**
   * Gripper → camera transform, row-major 4×4. Jaws: approach = camera +z, y = grasp axis. Suction: origin at the
   * target, z = the approach axis.
   */
  pose: number[];
  /** The plausibility check on the observed depth (every returned grasp passes it). */
  plausibility?: GraspPlausibility | SuctionPlausibility;
  /**
   * Suction grasps only; `angle` is then the crop angle (the approach's direction in the image, as the network saw
   * it), `width` the cup's diameter and `widthPx` its pixels.
   */
  suction?: PlannedSuction;
}

/** Why a grasp fails the plausibility check on the observed depth. */
export type PlausibilityFailure =
  'finger-collision' | 'palm-collision' | 'finger-unobserved' | 'off-image' | 'not-on-object' | 'on-air' | 'shallow';

/** The plausibility check of one grasp: whether the fingers reach the grasp depth and the jaws engage the object. */
export interface GraspPlausibility {
  plausible: boolean;
  /** The first condition that failed, null when plausible. */
  reason: PlausibilityFailure | null;
  /** One line for people. */
  message: string;
  /** Per finger: how far the highest observed surface in its footprint lies below its tip (m; negative = above). */
  fingerClearance: [number, number];
  /**
   * How far the highest observed surface under the palm's sweep lies below its underside (m; negative = above);
   * Infinity when nothing there comes up to the underside.
   */
  palmClearance: number;
  /** Per finger: share of its footprint that was missing in the sensor's image (judged by the inpainted depth). */
  fingerMissing: [number, number];
  /** How far the grasp depth lies below the object's highest point between the jaws (m; negative = above it). */
  engagement: number;
  /** Whether that highest point is on the object (the segmask) rather than a neighbour. */
  onObject: boolean;
}

/** Why a suction grasp fails the plausibility check on the observed depth. */
export type SuctionPlausibilityFailure =
  'off-image' | 'not-on-object' | 'cup-unobserved' | 'cup-collision' | 'not-flat';

/** The plausibility check of one suction grasp: the cup's footprint seen and flat, and the cup free to reach it. */
export interface SuctionPlausibility {
  plausible: boolean;
  reason: SuctionPlausibilityFailure | null;
  message: string;
  /** Largest distance of the footprint's points from their plane (m). */
  flatness: number;
  /** Share of the footprint missing in the sensor's image. */
  cupMissing: number;
  /**
   * Least depth margin of the surface behind the cup on its way along the axis, from flatness-tolerance behind the
   * target back (m; negative = a surface in front).
   */
  cupClearance: number;
}

/** A scored candidate as `--explain` lists it: the best ones by q, whether or not they passed the check. */
export interface ExplainedCandidate {
  /** Set in ambidextrous plans, as on PlannedGrasp. */
  gripper?: PlanGripperKind;
  center: { x: number; y: number };
  angle: number;
  depth: number;
  q: number;
  plausibility: GraspPlausibility | SuctionPlausibility;
  /** Suction candidates: the approach axis (camera frame). */
  approach?: number[];
}

export interface PlanResult {
  policy: PolicyName;
  /** The gripper planned for (absent in results from before suction: parallel-jaw). */
  gripper?: PlanGripperKind;
  grasps: PlannedGrasp[];
  /** Grasp candidates the network scored. */
  scoredCount: number;
  timeMs: number;
  /** Scored candidates dropped by the plausibility check, by reason. */
  implausible?: Partial<Record<PlausibilityFailure | SuctionPlausibilityFailure, number>>;
  /** With `explain`: the best scored candidates by q, plausible or not. */
  candidates?: ExplainedCandidate[];
  /** Ambidextrous plans: what each gripper's own plan gave. */
  byGripper?: GripperOutcome[];
}

/** What `dexnet plan --json` prints and `POST /v1/plan` answers: the best grasp's fields at the top, then all grasps. */
export interface PlanJson extends PlannedGrasp {
  policy: PolicyName;
  gripper?: PlanGripperKind;
  timeMs: number;
  scoredCount: number;
  grasps: PlannedGrasp[];
  /** Scored candidates dropped by the plausibility check, by reason. */
  implausible?: PlanResult['implausible'];
  /** With --explain: the best scored candidates by q, plausible or not. */
  candidates?: ExplainedCandidate[];
  /** Ambidextrous plans: what each gripper's own plan gave. */
  byGripper?: GripperOutcome[];
}
