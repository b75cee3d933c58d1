// What a plan is, as plain data with no imports: shared by the planner, the JSON of the CLI and the service,
// and the browser viewer (which must not pull in Node-only modules).

/** 'random' is the evaluation baseline: one antipodal candidate drawn uniformly (scored, not chosen, by the network). */
export const POLICIES = ['fc', 'cem', 'ranking', 'random'] as const;
export type PolicyName = (typeof POLICIES)[number];

export interface PlannedGrasp {
  /** Pixel centre: x = column, y = row. */
  center: { x: number; y: number };
  /** Grasp axis angle in the image (rad, from the x-axis toward +rows), in (−π/2, π/2]. */
  angle: number;
  /** Gripper depth along the optical axis (m). */
  depth: number;
  /** Jaw opening (m) and its width in pixels at `depth`. */
  width: number;
  widthPx: number;
  /** Predicted probability of a robust grasp. */
  q: number;
  /** Gripper → camera transform, row-major 4×4 (approach = camera +z, y = grasp axis). */
  pose: number[];
}

export interface PlanResult {
  policy: PolicyName;
  grasps: PlannedGrasp[];
  /** Grasp candidates the network scored. */
  scoredCount: number;
  timeMs: number;
}

/** What `dexnet plan --json` prints and `POST /v1/plan` answers: the best grasp's fields at the top, then all grasps. */
export interface PlanJson extends PlannedGrasp {
  policy: PolicyName;
  timeMs: number;
  scoredCount: number;
  grasps: PlannedGrasp[];
}
