// Random virtual cameras above a table (Dex-Net 2.0's camera distribution), and the look-at pose they are built from.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { Random } from '../core/random.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import { axisAngleToMat3, type Mat3, type Vec3 } from '../geometry/vector.js';

/** Where a camera sits on a sphere around its target, and its roll about the optical axis. */
export interface CameraPlacement {
  /** Distance from the camera centre to the target (m). */
  radius: number;
  /** Angle between the world +z axis and the target→camera direction (rad); 0 = straight above. */
  polar: number;
  /** Angle of the target→camera direction about world +z, from world +x toward +y (rad). */
  azimuth: number;
  /** Rotation of the image about the optical axis (rad), positive from camera +x toward +y. */
  roll: number;
}

export interface SampledCamera {
  intrinsics: CameraIntrinsics;
  /** Camera → world (table) frame. */
  pose: RigidTransform;
  placement: CameraPlacement;
}

export interface CameraSamplerOptions {
  radius?: [number, number];
  polar?: [number, number];
  azimuth?: [number, number];
  roll?: [number, number];
  focal?: [number, number];
  width?: number;
  height?: number;
  /** World point the optical axis passes through (Dex-Net: the object origin). */
  target?: Vec3;
  cameraFrame?: string;
  worldFrame?: string;
}

const ROLL = (0.2 * Math.PI) / 180;

/** docs/dex-net-facts.md §1 defaults. */
export const DEX_NET_CAMERA: Required<Omit<CameraSamplerOptions, 'target'>> = {
  radius: [0.65, 0.75],
  polar: [0.05 * Math.PI, 0.1 * Math.PI],
  azimuth: [0, 2 * Math.PI],
  roll: [-ROLL, ROLL],
  focal: [520, 530],
  width: 600,
  height: 600,
  cameraFrame: 'camera',
  worldFrame: 'table',
};

/**
 * Camera → world pose of a camera at `target + radius·(sinθcosφ, sinθsinφ, cosθ)` whose optical axis (+z) passes
 * through `target`. Before roll, camera +x is the azimuth direction e_φ = (−sinφ, cosφ, 0) and camera +y (image
 * rows, "down") is e_θ = (cosθcosφ, cosθsinφ, −sinθ): the image is upright (image down has a world-down part) and
 * the table's near side is at the bottom. Straight above (θ = 0) world +x appears in the image at angle φ + π/2
 * (minus the roll) from the image x-axis; roll ρ turns camera +x toward +y by ρ.
 */
export function lookAtPose(
  placement: CameraPlacement,
  target: Vec3 = [0, 0, 0],
  cameraFrame = 'camera',
  worldFrame = 'table',
): RigidTransform {
  const { radius, polar, azimuth, roll } = placement;
  const st = Math.sin(polar),
    ct = Math.cos(polar),
    sp = Math.sin(azimuth),
    cp = Math.cos(azimuth);
  const er: Vec3 = [st * cp, st * sp, ct];
  const eTheta: Vec3 = [ct * cp, ct * sp, -st];
  const ePhi: Vec3 = [-sp, cp, 0];
  const cr = Math.cos(roll),
    sr = Math.sin(roll);
  const x: Vec3 = [cr * ePhi[0] + sr * eTheta[0], cr * ePhi[1] + sr * eTheta[1], cr * ePhi[2] + sr * eTheta[2]];
  const y: Vec3 = [-sr * ePhi[0] + cr * eTheta[0], -sr * ePhi[1] + cr * eTheta[1], -sr * ePhi[2] + cr * eTheta[2]];
  const z: Vec3 = [-er[0], -er[1], -er[2]];
  const r: Mat3 = [x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]];
  const t: Vec3 = [target[0] + radius * er[0], target[1] + radius * er[1], target[2] + radius * er[2]];
  return new RigidTransform(r, t, cameraFrame, worldFrame);
}

/**
 * Draws a camera from Dex-Net 2.0's distribution. The camera looks at `target` with the principal point at the
 * image centre ((width − 1)/2, (height − 1)/2 with pixel centres at integer coordinates), which puts the target at
 * the image centre — equivalent to Dex-Net's shifted principal point. Draw order (fixed, for reproducibility):
 * radius, polar, azimuth, roll, focal.
 */
export function sampleCamera(rng: Random, options: CameraSamplerOptions = {}): SampledCamera {
  const o = { ...DEX_NET_CAMERA, ...options };
  const placement: CameraPlacement = {
    radius: rng.uniform(o.radius[0], o.radius[1]),
    polar: rng.uniform(o.polar[0], o.polar[1]),
    azimuth: rng.uniform(o.azimuth[0], o.azimuth[1]),
    roll: rng.uniform(o.roll[0], o.roll[1]),
  };
  const f = rng.uniform(o.focal[0], o.focal[1]);
  if (!(Number.isInteger(o.width) && o.width > 0 && Number.isInteger(o.height) && o.height > 0))
    throw new RangeError(`camera image size must be positive integers, got ${o.width}×${o.height}`);
  const intrinsics: CameraIntrinsics = {
    fx: f,
    fy: f,
    cx: (o.width - 1) / 2,
    cy: (o.height - 1) / 2,
    skew: 0,
    width: o.width,
    height: o.height,
    frame: o.cameraFrame,
  };
  return {
    intrinsics,
    pose: lookAtPose(placement, options.target ?? [0, 0, 0], o.cameraFrame, o.worldFrame),
    placement,
  };
}

/**
 * Side (px) of a square image, centred on the camera's target, that holds every pixel a crop of `cropSize` (any
 * rotation) around any point of an object can touch, for every camera of `options` (default Dex-Net's). The object
 * lies within `radius` (m) of the target: a point there is at most `radius` off the optical axis and at least
 * `nearest radius − radius` deep, so it images within f·radius / (near − radius) px of the centre; the rotated crop
 * adds cropSize/√2. Never less than `minSize`. Even, so the centre falls between the two middle pixels as before.
 */
export function framedImageSize(
  radius: number,
  cropSize: number,
  options: { minSize?: number; camera?: CameraSamplerOptions } = {},
): number {
  const o = { ...DEX_NET_CAMERA, ...options.camera };
  const near = o.radius[0] - radius;
  if (!(near > 0))
    throw new RangeError(`an object of radius ${radius} m does not fit in front of a camera ${o.radius[0]} m away`);
  const half = (o.focal[1] * radius) / near + (cropSize / 2) * Math.SQRT2 + 1;
  return Math.max(options.minSize ?? 0, 2 * Math.ceil(half));
}

/** Largest distance (m) of a vertex from `center`: the radius framedImageSize needs. */
export function radiusAbout(vertices: Float32Array, center: Vec3): number {
  let r2 = 0;
  for (let i = 0; i < vertices.length; i += 3) {
    const dx = vertices[i] - center[0],
      dy = vertices[i + 1] - center[1],
      dz = vertices[i + 2] - center[2];
    r2 = Math.max(r2, dx * dx + dy * dy + dz * dz);
  }
  return Math.sqrt(r2);
}

/**
 * A random planar pose of an object resting on the table (table → world): a yaw about the table normal and a shift
 * of up to `range` metres in x and y (docs/dex-net-facts.md §1). Draws the yaw, then x, then y.
 */
export function randomPlanarPose(rng: Random, range: number): RigidTransform {
  return new RigidTransform(
    axisAngleToMat3([0, 0, 1], rng.uniform(0, 2 * Math.PI)),
    [rng.uniform(-range, range), rng.uniform(-range, range), 0],
    'table',
    'world',
  );
}
