// Pinhole camera intrinsics (gqcnn's CameraIntrinsics): projection, deprojection and the `.intr` JSON file.
import { UserInputError } from '../core/errors.js';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { Mat3, Vec3 } from './vector.js';

export interface CameraIntrinsics {
  readonly fx: number;
  readonly fy: number;
  /** Principal point, pixels: cx along columns (x), cy along rows (y). */
  readonly cx: number;
  readonly cy: number;
  readonly skew: number;
  readonly width: number;
  readonly height: number;
  readonly frame: string;
}

/**
 * A skew-free camera with its principal point at the image centre; the focal length defaults to 525 px, the
 * PrimeSense Carmine of Dex-Net's datasets (640 × 480).
 */
export function centeredIntrinsics(
  width: number,
  height: number,
  options: { fx?: number; fy?: number; frame?: string } = {},
): CameraIntrinsics {
  const fx = options.fx ?? 525;
  return {
    fx,
    fy: options.fy ?? fx,
    cx: (width - 1) / 2,
    cy: (height - 1) / 2,
    skew: 0,
    width,
    height,
    frame: options.frame ?? 'camera',
  };
}

/**
 * The Photoneo PhoXi S of gqcnn's clutter examples and Dex-Net 4.0's bin picking, as gqcnn's calibration file
 * (data/calib/phoxi/phoxi.intr) gives it: 516 × 386 pixels, f = 552.5 px, principal point (255.5, 191.75).
 */
export const PHOXI_INTRINSICS: CameraIntrinsics = Object.freeze({
  fx: 552.5,
  fy: 552.5,
  cx: 255.5,
  cy: 191.75,
  skew: 0,
  width: 516,
  height: 386,
  frame: 'phoxi',
});

/** Pixel (x = column, y = row, both continuous) of a camera-frame point (z forward, metres). */
export function projectPoint(k: CameraIntrinsics, p: Vec3): [number, number] {
  return [(k.fx * p[0] + k.skew * p[1]) / p[2] + k.cx, (k.fy * p[1]) / p[2] + k.cy];
}

/** Camera-frame point at pixel (x = column, y = row) and depth z. */
export function deprojectPixel(k: CameraIntrinsics, x: number, y: number, z: number): Vec3 {
  const py = ((y - k.cy) * z) / k.fy;
  const px = ((x - k.cx) * z - k.skew * py) / k.fx;
  return [px, py, z];
}

/** Row-major K = [fx skew cx; 0 fy cy; 0 0 1]. */
export function intrinsicsMatrix(k: CameraIntrinsics): Mat3 {
  return [k.fx, k.skew, k.cx, 0, k.fy, k.cy, 0, 0, 1];
}

/**
 * Intrinsics of a `width`×`height` window whose top-left pixel is (left, top) in the original image.
 * Pixel centres sit at integer coordinates, so only the principal point moves.
 */
export function cropIntrinsics(
  k: CameraIntrinsics,
  window: { top: number; left: number; width: number; height: number },
): CameraIntrinsics {
  requireSize('crop width', window.width);
  requireSize('crop height', window.height);
  return { ...k, cx: k.cx - window.left, cy: k.cy - window.top, width: window.width, height: window.height };
}

/**
 * Intrinsics after resizing the image by `scale` (new size = round(size·scale)). With pixel centres at
 * integer coordinates, old coordinate u lands at (u + 0.5)·scale − 0.5 — the same as gqcnn's `resize`.
 */
export function resizeIntrinsics(k: CameraIntrinsics, scale: number): CameraIntrinsics {
  if (!(Number.isFinite(scale) && scale > 0))
    throw new RangeError(`resize scale must be a positive number, got ${scale}`);
  const width = Math.round(k.width * scale),
    height = Math.round(k.height * scale);
  requireSize('resized width', width);
  requireSize('resized height', height);
  return {
    ...k,
    fx: k.fx * scale,
    fy: k.fy * scale,
    skew: k.skew * scale,
    cx: (k.cx + 0.5) * scale - 0.5,
    cy: (k.cy + 0.5) * scale - 0.5,
    width,
    height,
  };
}

/** A bad `.intr` file or object; `field` names the offending key (`_fx`, …) when there is one. */
export class IntrinsicsError extends UserInputError {
  override name = 'IntrinsicsError';
  constructor(message: string, field?: string) {
    super(message, { field });
  }
}

/**
 * Bounds of physically plausible pinhole intrinsics. Focal lengths span fields of view from ~170° (fisheye-like,
 * f ≈ 0.05·size) to ~1° (f ≈ 50·size); beyond them `_fx = 1e-300` planned happily with q 0.71 (issue 16).
 */
export const INTRINSICS_LIMITS = {
  /** Focal length over the image's larger side. */
  focalPerSide: { min: 0.05, max: 50 },
  /** fx / fy: pixels are never more than twice as wide as tall. */
  aspect: { min: 0.5, max: 2 },
  /** |skew| / fx. */
  skew: 0.1,
  /** Largest image side (pixels). */
  side: 65_536,
} as const;

/**
 * Why `k` is not a plausible camera (one line, and the `.intr` field at fault), or null when it is one. Separate
 * from parsing: planning checks it once the depth image is known (policy/plan-io.ts, checkPlanInputs).
 */
export function intrinsicsProblem(k: CameraIntrinsics): { field: string; problem: string } | null {
  const L = INTRINSICS_LIMITS;
  if (k.width > L.side || k.height > L.side)
    return {
      field: k.width > L.side ? '_width' : '_height',
      problem: `image size ${k.width}×${k.height} is larger than ${L.side} pixels a side`,
    };
  const side = Math.max(k.width, k.height);
  for (const [field, f] of [
    ['_fx', k.fx],
    ['_fy', k.fy],
  ] as const)
    if (!(f >= L.focalPerSide.min * side && f <= L.focalPerSide.max * side))
      return {
        field,
        problem: `${field} = ${f} px is not a plausible focal length for a ${k.width}×${k.height} image (expected ${L.focalPerSide.min * side}–${L.focalPerSide.max * side} px)`,
      };
  const aspect = k.fx / k.fy;
  if (!(aspect >= L.aspect.min && aspect <= L.aspect.max))
    return {
      field: '_fy',
      problem: `_fx / _fy = ${aspect.toPrecision(3)}: pixels that much wider than tall are not plausible (expected ${L.aspect.min}–${L.aspect.max})`,
    };
  if (!(k.cx >= -0.5 && k.cx <= k.width - 0.5))
    return {
      field: '_cx',
      problem: `_cx = ${k.cx} lies outside the ${k.width}-pixel-wide image (expected -0.5–${k.width - 0.5})`,
    };
  if (!(k.cy >= -0.5 && k.cy <= k.height - 0.5))
    return {
      field: '_cy',
      problem: `_cy = ${k.cy} lies outside the ${k.height}-pixel-tall image (expected -0.5–${k.height - 0.5})`,
    };
  if (!(Math.abs(k.skew) <= L.skew * k.fx))
    return {
      field: '_skew',
      problem: `_skew = ${k.skew} is implausibly large (expected |skew| ≤ ${L.skew} × _fx; real cameras have about 0)`,
    };
  return null;
}

/**
 * Parses gqcnn `.intr` JSON (`_fx _fy _cx _cy _skew _height _width _K _frame`). `_K` is ignored (gqcnn writes 0
 * there); `_skew` defaults to 0 and `_frame` to "camera" when absent. `source` names the file in errors.
 */
export function parseIntrinsics(text: string, source = '<intr>'): CameraIntrinsics {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new IntrinsicsError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  return intrinsicsFromJson(raw, source);
}

/** The same validation as parseIntrinsics for an already-parsed `.intr` object (e.g. from an HTTP request body). */
export function intrinsicsFromJson(raw: unknown, source = '<intr>'): CameraIntrinsics {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new IntrinsicsError(`${source}: expected a JSON object with _fx, _fy, _cx, _cy, _height, _width`);
  const o = raw as Record<string, unknown>;
  const fail = (field: string, problem: string): never => {
    throw new IntrinsicsError(`${source}: ${problem}`, field);
  };
  const num = (field: string, fallback?: number): number => {
    const v = o[field];
    if (v === undefined && fallback !== undefined) return fallback;
    if (v === undefined) return fail(field, `missing field ${field}`);
    if (typeof v !== 'number' || !Number.isFinite(v))
      return fail(field, `field ${field} must be a finite number, got ${JSON.stringify(v)}`);
    return v;
  };
  const positive = (field: string): number => {
    const v = num(field);
    return v > 0 ? v : fail(field, `field ${field} must be > 0, got ${v}`);
  };
  const size = (field: string): number => {
    const v = num(field);
    return Number.isInteger(v) && v > 0 ? v : fail(field, `field ${field} must be a positive integer, got ${v}`);
  };
  const frame = o._frame === undefined ? 'camera' : o._frame;
  if (typeof frame !== 'string' || frame.length === 0 || frame.length > 256)
    fail(
      '_frame',
      `field _frame must be a non-empty string of at most 256 characters, got ${JSON.stringify(frame).slice(0, 40)}`,
    );
  const k: CameraIntrinsics = {
    fx: positive('_fx'),
    fy: positive('_fy'),
    cx: num('_cx'),
    cy: num('_cy'),
    skew: num('_skew', 0),
    height: size('_height'),
    width: size('_width'),
    frame: frame as string,
  };
  return k;
}

/** gqcnn `.intr` JSON text (keys in gqcnn's spelling, `_K` written as 0 like gqcnn does). */
export function intrinsicsToJson(k: CameraIntrinsics): string {
  return (
    JSON.stringify({
      _fx: k.fx,
      _fy: k.fy,
      _cx: k.cx,
      _cy: k.cy,
      _skew: k.skew,
      _height: k.height,
      _width: k.width,
      _K: 0,
      _frame: k.frame,
    }) + '\n'
  );
}

export async function readIntrinsics(path: string): Promise<CameraIntrinsics> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `${path}: cannot read intrinsics (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  return parseIntrinsics(text, path);
}

/** Writes `.intr` JSON through a temp file and rename, so readers never see half a file. */
export async function writeIntrinsics(path: string, k: CameraIntrinsics): Promise<void> {
  await writeFileAtomic(path, intrinsicsToJson(k));
}

function requireSize(what: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${what} must be a positive integer, got ${v}`);
}

/** Pixels per metre per metre of depth along image direction `angle`, for a segment parallel to the image plane. */
export function inPlaneScale(k: CameraIntrinsics, angle: number): number {
  const u = imagePlaneAxis(k, angle);
  return Math.hypot(k.fx * u[0] + k.skew * u[1], k.fy * u[1]);
}

/** Unit camera-frame direction with z = 0 whose image is the direction `angle`. */
export function imagePlaneAxis(k: CameraIntrinsics, angle: number): Vec3 {
  const c = Math.cos(angle),
    s = Math.sin(angle);
  const ay = s / k.fy;
  const ax = (c - k.skew * ay) / k.fx;
  const n = Math.hypot(ax, ay);
  return [ax / n, ay / n, 0];
}
