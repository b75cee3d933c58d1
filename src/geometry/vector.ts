// Small 3-vector and 3×3 matrix helpers for non-hot code (hot loops inline their arithmetic on typed arrays).

export type Vec3 = [number, number, number];
/** Row-major 3×3 matrix: [r00, r01, r02, r10, r11, r12, r20, r21, r22]. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

export const vec3 = (x: number, y: number, z: number): Vec3 => [x, y, z];
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const addScaled = (a: Vec3, b: Vec3, s: number): Vec3 => [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const distance = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
export const negate = (a: Vec3): Vec3 => [-a[0], -a[1], -a[2]];

/** Unit vector along `a`; throws on a zero vector since a direction is then undefined. */
export function normalize(a: Vec3): Vec3 {
  const n = norm(a);
  if (!(n > 0)) throw new Error('cannot normalize a zero-length vector');
  return [a[0] / n, a[1] / n, a[2] / n];
}

/** Angle between two vectors in radians, robust near 0 and π. */
export function angleBetween(a: Vec3, b: Vec3): number {
  return Math.atan2(norm(cross(a, b)), dot(a, b));
}

/** Any unit vector perpendicular to the unit vector `n`. */
export function perpendicular(n: Vec3): Vec3 {
  const helper: Vec3 = Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  return normalize(cross(n, helper));
}

export const IDENTITY3: Readonly<Mat3> = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export const mat3MulVec = (m: Mat3, v: Vec3): Vec3 => [
  m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
  m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
  m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
];

export function mat3Mul(a: Mat3, b: Mat3): Mat3 {
  const r = new Array<number>(9) as Mat3;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
  return r;
}

export const mat3Transpose = (m: Mat3): Mat3 => [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];

export function mat3Det(m: Mat3): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

/** Matrix whose columns are the given vectors. */
export const mat3FromColumns = (c0: Vec3, c1: Vec3, c2: Vec3): Mat3 => [
  c0[0],
  c1[0],
  c2[0],
  c0[1],
  c1[1],
  c2[1],
  c0[2],
  c1[2],
  c2[2],
];

export const mat3Column = (m: Mat3, j: number): Vec3 => [m[j], m[3 + j], m[6 + j]];

/** Rotation by `angle` about the unit `axis` (Rodrigues). */
export function axisAngleToMat3(axis: Vec3, angle: number): Mat3 {
  const [x, y, z] = normalize(axis);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  return [
    t * x * x + c,
    t * x * y - s * z,
    t * x * z + s * y,
    t * x * y + s * z,
    t * y * y + c,
    t * y * z - s * x,
    t * x * z - s * y,
    t * y * z + s * x,
    t * z * z + c,
  ];
}

/** The rotation taking unit vector `from` onto unit vector `to` by the shortest arc. */
export function rotationBetween(from: Vec3, to: Vec3): Mat3 {
  const axis = cross(from, to);
  const s = norm(axis);
  const c = dot(from, to);
  if (s < 1e-12) {
    if (c > 0) return [...IDENTITY3] as Mat3;
    return axisAngleToMat3(perpendicular(from), Math.PI);
  }
  return axisAngleToMat3(scale(axis, 1 / s), Math.atan2(s, c));
}
