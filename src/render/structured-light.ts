// The missing pixels of a structured-light sensor (a PhoXi-like camera): a pixel reads nothing where its surface
// point is in the projector's shadow (the segment to the projector, offset from the camera, meets the scene), and
// drops out more and more often where the surface is seen or lit at a grazing angle (little light comes back).
import { DoubleSide, Ray } from 'three';
import type { Random } from '../core/random.js';
import type { Vec3 } from '../geometry/vector.js';
import { createMask, type Mask } from '../image/depth-image.js';
import { binWalls, rayBoxInterval, type Bin } from '../physics/bin.js';
import type { Camera, RenderedImage, SceneObject } from './depth-renderer.js';

export interface StructuredLightOptions {
  /**
   * The projector's centre in the camera frame (m). Default 0.1 m along +x (image columns): an assumed baseline of
   * the order of a 0.4–0.6 m range scanner's, not a published PhoXi figure; set your sensor's.
   */
  projectorOffset?: Vec3;
  /** Surfaces tilted more than this from the camera's or the projector's ray start dropping out (rad, 60°). */
  dropoutStartAngle?: number;
  /** … and past this every pixel is missing (rad, 80°); the chance rises linearly in between. */
  dropoutEndAngle?: number;
  /** The shadow segment starts this far from the surface so it does not meet that surface itself (m). */
  shadowBias?: number;
}

export const DEFAULT_STRUCTURED_LIGHT: Readonly<Required<StructuredLightOptions>> = Object.freeze({
  projectorOffset: [0.1, 0, 0] as Vec3,
  dropoutStartAngle: (60 * Math.PI) / 180,
  dropoutEndAngle: (80 * Math.PI) / 180,
  shadowBias: 1e-5,
});

export interface StructuredLightScene {
  objects: readonly SceneObject[];
  bin?: Bin;
}

export interface StructuredLightResult {
  /** 255 where the sensor reads nothing (the image's depth is set to 0 there), else 0. */
  missing: Mask;
  /** Pixels lost to the projector's shadow, and to grazing angles. */
  shadowed: number;
  grazing: number;
}

/**
 * Removes from `image.depth` (in place) what a structured-light sensor would not read; the segmask is left as the
 * ground truth of which object each pixel shows. Random draws: one uniform per pixel with a tilt in the dropout
 * band, in pixel order, so the same image and seed lose the same pixels.
 */
export function applyStructuredLight(
  scene: StructuredLightScene,
  camera: Camera,
  image: RenderedImage,
  rng: Random,
  options: StructuredLightOptions = {},
): StructuredLightResult {
  const o = { ...DEFAULT_STRUCTURED_LIGHT, ...options };
  const k = camera.intrinsics,
    W = k.width,
    H = k.height;
  const depth = image.depth.data;
  const missing = createMask(W, H);
  const shadow = new ProjectorShadow(scene, camera, o.projectorOffset, o.shadowBias);
  const grazing = grazingAngles(image, camera, o.projectorOffset);
  let shadowed = 0,
    dropped = 0;
  const band = o.dropoutEndAngle - o.dropoutStartAngle;
  for (let row = 0; row < H; row++) {
    for (let col = 0; col < W; col++) {
      const i = row * W + col;
      const z = depth[i];
      if (z === 0) continue;
      if (shadow.inShadow(col, row, z)) {
        missing.data[i] = 255;
        shadowed++;
        continue;
      }
      const angle = grazing[i];
      if (angle <= o.dropoutStartAngle) continue;
      const chance = band > 0 ? (angle - o.dropoutStartAngle) / band : 1;
      if (chance >= 1 || rng.next() < chance) {
        missing.data[i] = 255;
        dropped++;
      }
    }
  }
  for (let i = 0; i < W * H; i++) if (missing.data[i]) depth[i] = 0;
  return { missing, shadowed, grazing: dropped };
}

/** Whether the segment from a pixel's surface point to the projector meets an object or a bin wall. */
class ProjectorShadow {
  private readonly projector: Vec3;
  private readonly ray = new Ray();
  private readonly span = new Float64Array(2);
  private readonly walls;

  constructor(
    private readonly scene: StructuredLightScene,
    private readonly camera: Camera,
    offset: Vec3,
    private readonly bias: number,
  ) {
    this.projector = camera.pose.applyToPoint(offset);
    this.walls = scene.bin ? binWalls(scene.bin) : [];
  }

  inShadow(col: number, row: number, z: number): boolean {
    const k = this.camera.intrinsics;
    const yn = (row - k.cy) / k.fy;
    const xn = (col - k.cx - k.skew * yn) / k.fx;
    const p = this.camera.pose.applyToPoint([xn * z, yn * z, z]);
    const L = this.projector;
    const d: Vec3 = [L[0] - p[0], L[1] - p[1], L[2] - p[2]];
    const length = Math.hypot(d[0], d[1], d[2]);
    d[0] /= length;
    d[1] /= length;
    d[2] /= length;
    // A wall blocks the segment where the two overlap beyond the bias (a wall face turned from the projector too).
    for (const w of this.walls)
      if (rayBoxInterval(p, d, w, this.span) && this.span[1] > this.bias && this.span[0] < length) return true;
    for (const object of this.scene.objects) if (this.blocks(object, p, d, length)) return true;
    return false;
  }

  /** Whether the unit ray p + s·d meets the object for some s in (bias, length). */
  private blocks(object: SceneObject, p: Vec3, d: Vec3, length: number): boolean {
    const toObject = object.objectToWorld.rotation,
      t = object.objectToWorld.translation;
    // World → object: Rᵀ (x − t); a rotation keeps the direction a unit vector and distances as they are.
    const R = toObject;
    const ex = p[0] - t[0],
      ey = p[1] - t[1],
      ez = p[2] - t[2];
    const ox = R[0] * ex + R[3] * ey + R[6] * ez,
      oy = R[1] * ex + R[4] * ey + R[7] * ez,
      oz = R[2] * ex + R[5] * ey + R[8] * ez;
    const ux = R[0] * d[0] + R[3] * d[1] + R[6] * d[2],
      uy = R[1] * d[0] + R[4] * d[1] + R[7] * d[2],
      uz = R[2] * d[0] + R[5] * d[1] + R[8] * d[2];
    const r = object.renderer,
      c = r.sphereCenter;
    const qx = c[0] - ox,
      qy = c[1] - oy,
      qz = c[2] - oz;
    const along = qx * ux + qy * uy + qz * uz;
    const perp2 = qx * qx + qy * qy + qz * qz - along * along;
    if (perp2 > r.sphereRadius * r.sphereRadius) return false;
    const half = Math.sqrt(r.sphereRadius * r.sphereRadius - perp2);
    const near = Math.max(this.bias, along - half),
      far = Math.min(length, along + half);
    if (near > far) return false;
    this.ray.origin.set(ox, oy, oz);
    this.ray.direction.set(ux, uy, uz);
    return r.index.bvh.raycastFirst(this.ray, DoubleSide, near, far) != null;
  }
}

/**
 * Per pixel, the larger of the angles between the surface normal and the rays to the camera and to the projector
 * (rad; 0 where there is no depth). The normal comes from the depth image: the cross product of the steps to the
 * row and column neighbours, each taken on the side whose depth is nearer (so an object's silhouette edge does not
 * read as a steep surface).
 */
function grazingAngles(image: RenderedImage, camera: Camera, projector: Vec3): Float32Array {
  const k = camera.intrinsics,
    W = k.width,
    H = k.height;
  const depth = image.depth.data;
  const angles = new Float32Array(W * H);
  const point = (col: number, row: number, out: Float64Array, at: number) => {
    const z = depth[row * W + col];
    const yn = (row - k.cy) / k.fy;
    out[at] = ((col - k.cx - k.skew * yn) / k.fx) * z;
    out[at + 1] = yn * z;
    out[at + 2] = z;
  };
  const pts = new Float64Array(9);
  // The neighbour on the side of nearer depth (offset ±1), or 0 when neither side has a reading.
  const side = (i: number, step: number, has0: boolean, has1: boolean) => {
    const z = depth[i];
    const a = has0 && depth[i - step] > 0 ? Math.abs(depth[i - step] - z) : Infinity;
    const b = has1 && depth[i + step] > 0 ? Math.abs(depth[i + step] - z) : Infinity;
    if (a === Infinity && b === Infinity) return 0;
    return b <= a ? 1 : -1;
  };
  for (let row = 0; row < H; row++) {
    for (let col = 0; col < W; col++) {
      const i = row * W + col;
      if (depth[i] === 0) continue;
      const sc = side(i, 1, col > 0, col < W - 1),
        sr = side(i, W, row > 0, row < H - 1);
      if (sc === 0 || sr === 0) continue;
      point(col, row, pts, 0);
      point(col + sc, row, pts, 3);
      point(col, row + sr, pts, 6);
      // Steps along the image's x and y (sign-corrected so the normal always faces the camera's side).
      const ax = (pts[3] - pts[0]) * sc,
        ay = (pts[4] - pts[1]) * sc,
        az = (pts[5] - pts[2]) * sc;
      const bx = (pts[6] - pts[0]) * sr,
        by = (pts[7] - pts[1]) * sr,
        bz = (pts[8] - pts[2]) * sr;
      const nx = ay * bz - az * by,
        ny = az * bx - ax * bz,
        nz = ax * by - ay * bx;
      const nn = Math.hypot(nx, ny, nz);
      if (nn === 0) continue;
      const cosCamera = Math.abs(nx * pts[0] + ny * pts[1] + nz * pts[2]) / (nn * Math.hypot(pts[0], pts[1], pts[2]));
      const lx = pts[0] - projector[0],
        ly = pts[1] - projector[1],
        lz = pts[2] - projector[2];
      const cosProjector = Math.abs(nx * lx + ny * ly + nz * lz) / (nn * Math.hypot(lx, ly, lz));
      angles[i] = Math.acos(Math.min(1, Math.min(cosCamera, cosProjector)));
    }
  }
  return angles;
}
