// Rigid transforms between named frames (autolab_core's RigidTransform), with gqcnn's `.tf` text format.
import { mat3ToQuaternion, quaternionToMat3, type Quaternion } from './quaternion.js';
import { IDENTITY3, mat3Det, mat3Mul, mat3MulVec, mat3Transpose, type Mat3, type Vec3 } from './vector.js';

export class RigidTransform {
  readonly rotation: Mat3;
  readonly translation: Vec3;
  /** Maps points expressed in `fromFrame` to `toFrame`. */
  constructor(
    rotation: Mat3 = [...IDENTITY3] as Mat3,
    translation: Vec3 = [0, 0, 0],
    readonly fromFrame = 'unassigned',
    readonly toFrame = 'world',
  ) {
    if (rotation.length !== 9 || rotation.some((v) => !Number.isFinite(v)))
      throw new Error('rotation must be 9 finite numbers');
    if (translation.length !== 3 || translation.some((v) => !Number.isFinite(v)))
      throw new Error('translation must be 3 finite numbers');
    if (!isRotation(rotation)) throw new Error('rotation matrix is not orthonormal with determinant 1');
    this.rotation = [...rotation] as Mat3;
    this.translation = [...translation] as Vec3;
  }

  static fromQuaternion(q: Quaternion, translation: Vec3, fromFrame?: string, toFrame?: string): RigidTransform {
    return new RigidTransform(quaternionToMat3(q), translation, fromFrame, toFrame);
  }

  get quaternion(): Quaternion {
    return mat3ToQuaternion(this.rotation);
  }

  /** this ∘ other: first `other`, then `this` (other.toFrame must be this.fromFrame). */
  compose(other: RigidTransform): RigidTransform {
    if (other.toFrame !== this.fromFrame)
      throw new Error(`cannot compose ${this.fromFrame}→${this.toFrame} after ${other.fromFrame}→${other.toFrame}`);
    const t = mat3MulVec(this.rotation, other.translation);
    return new RigidTransform(
      mat3Mul(this.rotation, other.rotation),
      [t[0] + this.translation[0], t[1] + this.translation[1], t[2] + this.translation[2]],
      other.fromFrame,
      this.toFrame,
    );
  }

  inverse(): RigidTransform {
    const rt = mat3Transpose(this.rotation);
    const t = mat3MulVec(rt, this.translation);
    return new RigidTransform(rt, [-t[0], -t[1], -t[2]], this.toFrame, this.fromFrame);
  }

  applyToPoint(p: Vec3): Vec3 {
    const r = mat3MulVec(this.rotation, p);
    return [r[0] + this.translation[0], r[1] + this.translation[1], r[2] + this.translation[2]];
  }

  /** Directions and normals rotate but do not translate (rotations keep normals normal). */
  applyToDirection(d: Vec3): Vec3 {
    return mat3MulVec(this.rotation, d);
  }

  /** Transforms packed xyz points in place (typed-array form for meshes and clouds). */
  applyToPoints(points: Float32Array | Float64Array): void {
    const m = this.rotation,
      t = this.translation;
    for (let i = 0; i < points.length; i += 3) {
      const x = points[i],
        y = points[i + 1],
        z = points[i + 2];
      points[i] = m[0] * x + m[1] * y + m[2] * z + t[0];
      points[i + 1] = m[3] * x + m[4] * y + m[5] * z + t[1];
      points[i + 2] = m[6] * x + m[7] * y + m[8] * z + t[2];
    }
  }

  /** Row-major 4×4 homogeneous matrix. */
  matrix(): number[] {
    const m = this.rotation,
      t = this.translation;
    return [m[0], m[1], m[2], t[0], m[3], m[4], m[5], t[1], m[6], m[7], m[8], t[2], 0, 0, 0, 1];
  }

  /** gqcnn/autolab_core `.tf` text: from frame, to frame, translation, then the rotation's three rows. */
  toTfString(): string {
    const f = (v: number) => String(v); // the shortest text that reads back to the same double
    const m = this.rotation,
      t = this.translation;
    return [
      this.fromFrame,
      this.toFrame,
      `${f(t[0])} ${f(t[1])} ${f(t[2])}`,
      `${f(m[0])} ${f(m[1])} ${f(m[2])}`,
      `${f(m[3])} ${f(m[4])} ${f(m[5])}`,
      `${f(m[6])} ${f(m[7])} ${f(m[8])}`,
      '',
    ].join('\n');
  }

  /** Parses `.tf` text; `source` names the file in error messages. */
  static fromTfString(text: string, source = '<tf>'): RigidTransform {
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    if (lines.length < 6)
      throw new Error(
        `${source}: expected 6 lines (from frame, to frame, translation, 3 rotation rows), got ${lines.length}`,
      );
    const numbers = (line: string, what: string): Vec3 => {
      const parts = line.split(/\s+/).map(Number);
      if (parts.length !== 3 || parts.some((v) => !Number.isFinite(v)))
        throw new Error(`${source}: ${what} must be 3 finite numbers, got "${line}"`);
      return parts as Vec3;
    };
    const t = numbers(lines[2], 'translation (line 3)');
    const rows = [
      numbers(lines[3], 'rotation row 1'),
      numbers(lines[4], 'rotation row 2'),
      numbers(lines[5], 'rotation row 3'),
    ];
    const rotation = rows.flat() as Mat3;
    if (!isRotation(rotation, 1e-4)) throw new Error(`${source}: rotation is not orthonormal with determinant 1`);
    return new RigidTransform(orthonormalize(rotation), t, lines[0], lines[1]);
  }
}

/** True when R·Rᵀ = I and det R = +1 within `tol` (files store rotations to ~6 decimals). */
export function isRotation(m: Mat3, tol = 1e-6): boolean {
  const p = mat3Mul(m, mat3Transpose(m));
  for (let i = 0; i < 9; i++) if (Math.abs(p[i] - (i % 4 === 0 ? 1 : 0)) > tol) return false;
  return Math.abs(mat3Det(m) - 1) <= tol * 3;
}

/** Nearest rotation to a slightly non-orthogonal matrix, via its quaternion. */
export function orthonormalize(m: Mat3): Mat3 {
  return quaternionToMat3(mat3ToQuaternion(m));
}
