// The fields of a grasp dataset and their per-datapoint shapes: Dex-Net 2.0's for the jaws (docs/dex-net-facts.md §3), Dex-Net
// 3.0's for suction (§8); `datasetLayout` is where generation, parts and shards switch on the gripper.
import type { Gripper } from '../grasp/gripper.js';
import { DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS } from '../grasp/image-suction-sampler.js';
import { UserInputError } from '../core/errors.js';
import type { FieldSpec } from './tensor-dataset.js';

export const CROP_SIZE = 32;
/** Image pixels a crop is cut from unless a dataset says otherwise (Dex-Net's 96). */
export const DEFAULT_CROP_WINDOW = 96;

/** Where a datapoint comes from (object, pose, image, camera) and its object mask: the same for both grippers. */
const CONTEXT_FIELDS = {
  obj_labels: { dtype: 'uint32' },
  pose_labels: { dtype: 'uint32' },
  image_labels: { dtype: 'uint32' },
  obj_masks: { dtype: 'uint8', height: CROP_SIZE, width: CROP_SIZE, channels: 1 },
  /** Camera → world: [tx, ty, tz, qw, qx, qy, qz] */
  camera_poses: { dtype: 'float32', height: 7 },
  /** [fx, fy, cx, cy] */
  camera_intrs: { dtype: 'float32', height: 4 },
} as const satisfies Record<string, FieldSpec>;

export const DATASET_FIELDS = {
  depth_ims_tf_table: { dtype: 'float32', height: CROP_SIZE, width: CROP_SIZE, channels: 1 },
  /** [center_row, center_col, depth_m, angle_rad, center_row − cy, center_col − cx, width_px] */
  hand_poses: { dtype: 'float32', height: 7 },
  robust_ferrari_canny: { dtype: 'float32' },
  ferrari_canny: { dtype: 'float32' },
  force_closure: { dtype: 'float32' },
  collision_free: { dtype: 'float32' },
  ...CONTEXT_FIELDS,
} as const satisfies Record<string, FieldSpec>;

export type DatasetField = keyof typeof DATASET_FIELDS;

/** A datapoint is a positive example when its robust ε exceeds this (Dex-Net 2.0). */
export const ROBUST_EPSILON_THRESHOLD = 0.002;

/** Dex-Net 3.0 suction datapoints, with gqcnn's field names (its suction configs read hand_poses columns 2 and 4). */
export const SUCTION_DATASET_FIELDS = {
  depth_ims_tf_table: { dtype: 'float32', height: CROP_SIZE, width: CROP_SIZE, channels: 1 },
  /** [center_row, center_col, depth_m, crop_angle_rad, approach_angle_rad, center_row − cy, center_col − cx] */
  hand_poses: { dtype: 'float32', height: 7 },
  robust_suction_wrench_resistance: { dtype: 'float32' },
  /** The grasp as sampled (no noise): 1 when the cup seals, and when it also holds the object. */
  suction_seal: { dtype: 'float32' },
  suction_wrench_resistance: { dtype: 'float32' },
  ...CONTEXT_FIELDS,
} as const satisfies Record<string, FieldSpec>;

/**
 * A suction datapoint is positive when its robust wrench resistance exceeds this: gqcnn's Dex-Net 3.0 training
 * config uses 0.2 (the supplement says 0.5). We keep 0.2 so a model trained here reads like gqcnn's, and because
 * with §8's noise a well-placed cup holds in ~20–80 % of draws: 0.5 leaves only 4.5 % of top-down grasps positive,
 * 0.2 gives 10.9 % (bench:quality-suction), close to Dex-Net 3.0's 11.8 %.
 */
export const SUCTION_POSITIVE_THRESHOLD = 0.2;

export type GripperKind = Gripper['kind'];

export interface DatasetLayout {
  gripper: GripperKind;
  fields: Record<string, FieldSpec>;
  /** The robust metric that decides positives. */
  labelField: string;
  positiveThreshold: number;
  /** hand_poses columns a GQ-CNN reads as its pose input, in order (the first is the grasp depth). */
  poseColumns: readonly number[];
  /**
   * Crop symmetries that keep the label: a jaw crop's 180° rotation and both flips; a suction crop's rows follow the
   * approach axis down the middle column, so only the left–right mirror keeps that convention.
   */
  symmetries: 'rotations-and-flips' | 'left-right-flip';
}

const LAYOUTS: Record<GripperKind, DatasetLayout> = {
  'parallel-jaw': {
    gripper: 'parallel-jaw',
    fields: DATASET_FIELDS,
    labelField: 'robust_ferrari_canny',
    positiveThreshold: ROBUST_EPSILON_THRESHOLD,
    poseColumns: [2],
    symmetries: 'rotations-and-flips',
  },
  suction: {
    gripper: 'suction',
    fields: SUCTION_DATASET_FIELDS,
    labelField: 'robust_suction_wrench_resistance',
    positiveThreshold: SUCTION_POSITIVE_THRESHOLD,
    // GQCNN-3.0's pose input: grasp depth and the approach's angle (Dex-Net 3.0: from the table normal; here from the
    // optical axis, as the planner reads it: suction-candidates.ts).
    poseColumns: [2, 4],
    symmetries: 'left-right-flip',
  },
};

/** The dataset layout of a gripper kind (parallel-jaw when none is given). */
export function datasetLayout(kind: GripperKind = 'parallel-jaw'): DatasetLayout {
  return LAYOUTS[kind];
}

/**
 * The layout of a dataset from its config.json: the recorded gripper (parallel-jaw for datasets made before it was
 * recorded) and, where recorded, its label field and positive threshold. `where` names the config in errors.
 */
export function datasetLayoutOfConfig(config: Record<string, unknown>, where: string): DatasetLayout {
  const kind = config.gripper ?? 'parallel-jaw';
  if (kind !== 'parallel-jaw' && kind !== 'suction')
    throw new UserInputError(`${where}: gripper must be "parallel-jaw" or "suction", got ${JSON.stringify(kind)}`);
  const layout = LAYOUTS[kind];
  const labelField = config.label_field ?? layout.labelField;
  if (typeof labelField !== 'string') throw new UserInputError(`${where}: label_field must be a field name`);
  const threshold = config.positive_threshold ?? layout.positiveThreshold;
  if (typeof threshold !== 'number' || !(threshold >= 0) || !Number.isFinite(threshold))
    throw new UserInputError(
      `${where}: positive_threshold must be a finite number ≥ 0, got ${JSON.stringify(threshold)}`,
    );
  return { ...layout, labelField, positiveThreshold: threshold };
}

/** Default largest angle between a suction candidate's approach and the optical axis (rad): the planner's sampler's. */
export const DEFAULT_MAX_APPROACH_ANGLE = DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS.maxApproachAngle;

/** Default depth edge the suction sampler's blur keeps (m): the planner's sampler's. */
export const DEFAULT_SURFACE_EDGE_TOLERANCE = DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS.edgeTolerance;
