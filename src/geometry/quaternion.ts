// Unit quaternions (w, x, y, z — autolab_core's order) and their conversion to and from rotation matrices.
import type { Mat3, Vec3 } from './vector.js';

export type Quaternion = [number, number, number, number];

/** Rotation matrix of a quaternion (normalised first, so small drift does not shear). */
export function quaternionToMat3(q: Quaternion): Mat3 {
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  if (!(n > 0)) throw new Error('quaternion has zero length');
  const w = q[0] / n,
    x = q[1] / n,
    y = q[2] / n,
    z = q[3] / n;
  return [
    1 - 2 * (y * y + z * z),
    2 * (x * y - w * z),
    2 * (x * z + w * y),
    2 * (x * y + w * z),
    1 - 2 * (x * x + z * z),
    2 * (y * z - w * x),
    2 * (x * z - w * y),
    2 * (y * z + w * x),
    1 - 2 * (x * x + y * y),
  ];
}

/** Quaternion of a rotation matrix (Shepperd's method, stable for every angle); w ≥ 0. */
export function mat3ToQuaternion(m: Mat3): Quaternion {
  const trace = m[0] + m[4] + m[8];
  let w: number, x: number, y: number, z: number;
  if (trace > 0) {
    const s = 2 * Math.sqrt(1 + trace);
    w = s / 4;
    x = (m[7] - m[5]) / s;
    y = (m[2] - m[6]) / s;
    z = (m[3] - m[1]) / s;
  } else if (m[0] > m[4] && m[0] > m[8]) {
    const s = 2 * Math.sqrt(1 + m[0] - m[4] - m[8]);
    w = (m[7] - m[5]) / s;
    x = s / 4;
    y = (m[1] + m[3]) / s;
    z = (m[2] + m[6]) / s;
  } else if (m[4] > m[8]) {
    const s = 2 * Math.sqrt(1 + m[4] - m[0] - m[8]);
    w = (m[2] - m[6]) / s;
    x = (m[1] + m[3]) / s;
    y = s / 4;
    z = (m[5] + m[7]) / s;
  } else {
    const s = 2 * Math.sqrt(1 + m[8] - m[0] - m[4]);
    w = (m[3] - m[1]) / s;
    x = (m[2] + m[6]) / s;
    y = (m[5] + m[7]) / s;
    z = s / 4;
  }
  const sign = w < 0 ? -1 : 1;
  const n = Math.hypot(w, x, y, z) * sign;
  return [w / n, x / n, y / n, z / n];
}

export function quaternionMultiply(a: Quaternion, b: Quaternion): Quaternion {
  return [
    a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
    a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
    a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
    a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0],
  ];
}

export function quaternionFromAxisAngle(axis: Vec3, angle: number): Quaternion {
  const n = Math.hypot(axis[0], axis[1], axis[2]);
  if (!(n > 0)) throw new Error('rotation axis has zero length');
  const s = Math.sin(angle / 2) / n;
  return [Math.cos(angle / 2), axis[0] * s, axis[1] * s, axis[2] * s];
}
