// The fields of a Dex-Net 2.0 grasp dataset (docs/dex-net-facts.md §3) and their per-datapoint shapes.
import type { FieldSpec } from './tensor-dataset.js';

export const CROP_SIZE = 32;

export const DATASET_FIELDS = {
  depth_ims_tf_table: { dtype: 'float32', height: CROP_SIZE, width: CROP_SIZE, channels: 1 },
  /** [center_row, center_col, depth_m, angle_rad, center_row − cy, center_col − cx, width_px] */
  hand_poses: { dtype: 'float32', height: 7 },
  robust_ferrari_canny: { dtype: 'float32' },
  ferrari_canny: { dtype: 'float32' },
  force_closure: { dtype: 'float32' },
  collision_free: { dtype: 'float32' },
  obj_labels: { dtype: 'uint32' },
  pose_labels: { dtype: 'uint32' },
  image_labels: { dtype: 'uint32' },
  obj_masks: { dtype: 'uint8', height: CROP_SIZE, width: CROP_SIZE, channels: 1 },
  /** Camera → world: [tx, ty, tz, qw, qx, qy, qz] */
  camera_poses: { dtype: 'float32', height: 7 },
  /** [fx, fy, cx, cy] */
  camera_intrs: { dtype: 'float32', height: 4 },
} as const satisfies Record<string, FieldSpec>;

export type DatasetField = keyof typeof DATASET_FIELDS;

/** A datapoint is a positive example when its robust ε exceeds this (Dex-Net 2.0). */
export const ROBUST_EPSILON_THRESHOLD = 0.002;
