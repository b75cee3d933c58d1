// Ray-cast depth images of a scene — objects on a table plane, optionally inside a bin's walls — with a mask that
// numbers each object's pixels: the dataset's images. One object on the table is the one-object scene.
import { DoubleSide, Ray } from 'three';
import type { MeshIndex } from '../geometry/bvh.js';
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { RigidTransform } from '../geometry/rigid-transform.js';
import { createDepthImage, createMask, type DepthImage, type Mask } from '../image/depth-image.js';
import { binWalls, rayBoxInterval, type Bin, type WallBox } from '../physics/bin.js';
import { radiusAbout } from './camera-sampler.js';

export interface Camera {
  intrinsics: CameraIntrinsics;
  /** Camera → world (table) frame; camera +z is the optical axis, +x along columns, +y along rows. */
  pose: RigidTransform;
}

export interface RenderOptions {
  /** Draw the table plane z = 0 of the world frame (default true). */
  table?: boolean;
  /** Half side of the square table centred on the world origin (m); Infinity = unbounded (default). */
  tableHalfSize?: number;
  /** Draw this bin's walls (physics/bin.ts) standing on the table (default none). */
  bin?: Bin;
}

export interface RenderedImage {
  /** Camera-frame z (not ray length) of the first surface along each pixel-centre ray; 0 where nothing is hit. */
  depth: DepthImage;
  /** The label of the object that is the first surface hit (by default 1 for the first object, 2 for the second, …), else 0. */
  segmask: Mask;
}

/** One posed object of a scene: its mesh's renderer and where it lies. */
export interface SceneObject {
  renderer: DepthRenderer;
  objectToWorld: RigidTransform;
  /** Its number in the segmask, 1–255 (default: its place in the scene's list plus one). */
  label?: number;
}

/**
 * Renders one object mesh (its BVH) in any pose on the table. Build once per mesh and reuse: it keeps the mesh's
 * bounding sphere and box so that only rays that can reach the object are cast into the BVH.
 */
export class DepthRenderer {
  /** Axis-aligned bounds of the mesh in the object frame: [minX, minY, minZ, maxX, maxY, maxZ]. */
  readonly bounds: Float64Array;
  readonly sphereCenter: [number, number, number];
  readonly sphereRadius: number;
  private readonly ray = new Ray();

  constructor(readonly index: MeshIndex) {
    const v = index.mesh.vertices;
    if (v.length === 0) throw new Error('cannot render an empty mesh');
    const b = new Float64Array([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
    for (let i = 0; i < v.length; i += 3) {
      for (let a = 0; a < 3; a++) {
        const x = v[i + a];
        if (x < b[a]) b[a] = x;
        if (x > b[a + 3]) b[a + 3] = x;
      }
    }
    this.bounds = b;
    const c: [number, number, number] = [(b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2];
    this.sphereCenter = c;
    // A hair larger so float32 vertices exactly on the sphere are never culled.
    this.sphereRadius = radiusAbout(v, c) * (1 + 1e-6) + 1e-9;
  }

  /** Renders into `out` when given (same size as the intrinsics), else into fresh buffers: the one-object scene. */
  render(
    objectToWorld: RigidTransform,
    camera: Camera,
    options: RenderOptions = {},
    out?: RenderedImage,
  ): RenderedImage {
    return renderScene([{ renderer: this, objectToWorld }], camera, options, out);
  }

  /**
   * Draws the object over what `depth` already holds (0 = nothing yet): where it is the nearer surface (or ties),
   * the depth becomes its depth and the mask `label`.
   */
  drawInto(objectToWorld: RigidTransform, camera: Camera, depth: Float32Array, mask: Uint8Array, label: number): void {
    const k = camera.intrinsics;
    const { width: W, fx, fy, cx, cy, skew } = k;
    const { rotation: Rcw, translation: tcw } = camera.pose;
    // Camera → object: obj = Rco·cam + oco, with Rco = Rowᵀ·Rcw and oco = Rowᵀ·(tcw − tow).
    const Row = objectToWorld.rotation,
      tow = objectToWorld.translation;
    const Rco = new Float64Array(9);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) Rco[i * 3 + j] = Row[i] * Rcw[j] + Row[3 + i] * Rcw[3 + j] + Row[6 + i] * Rcw[6 + j];
    const ex = tcw[0] - tow[0],
      ey = tcw[1] - tow[1],
      ez = tcw[2] - tow[2];
    const ocx = Row[0] * ex + Row[3] * ey + Row[6] * ez;
    const ocy = Row[1] * ex + Row[4] * ey + Row[7] * ez;
    const ocz = Row[2] * ex + Row[5] * ey + Row[8] * ez;

    const rect = this.screenRect(Rco, ocx, ocy, ocz, k);
    if (!rect) return;
    const [c0, c1, r0, r1] = rect;
    const sc = this.sphereCenter,
      R = this.sphereRadius,
      R2 = R * R;
    // Sphere centre relative to the ray origin, object frame; the same for every ray of the image.
    const qx = sc[0] - ocx,
      qy = sc[1] - ocy,
      qz = sc[2] - ocz;
    const q2 = qx * qx + qy * qy + qz * qz;
    const ray = this.ray,
      bvh = this.index.bvh;
    ray.origin.set(ocx, ocy, ocz);
    for (let row = r0; row <= r1; row++) {
      const yn = (row - cy) / fy;
      const bx = Rco[1] * yn + Rco[2],
        by = Rco[4] * yn + Rco[5],
        bz = Rco[7] * yn + Rco[8];
      const base = row * W;
      for (let col = c0; col <= c1; col++) {
        const xn = (col - cx - skew * yn) / fx;
        const dx = Rco[0] * xn + bx,
          dy = Rco[3] * xn + by,
          dz = Rco[6] * xn + bz;
        const len = Math.sqrt(dx * dx + dy * dy + dz * dz);
        const inv = 1 / len;
        const ux = dx * inv,
          uy = dy * inv,
          uz = dz * inv;
        const along = qx * ux + qy * uy + qz * uz;
        const perp2 = q2 - along * along;
        if (perp2 > R2) continue;
        const halfChord = Math.sqrt(R2 - perp2);
        const far = along + halfChord;
        if (far <= 0) continue;
        const near = Math.max(0, along - halfChord);
        // Nothing behind a surface already drawn can be seen, so its depth caps the search.
        const drawn = depth[base + col];
        const limit = drawn > 0 ? Math.min(far, drawn * len) : far;
        if (near > limit) continue;
        ray.direction.set(ux, uy, uz);
        const hit = bvh.raycastFirst(ray, DoubleSide, near, limit);
        if (!hit) continue;
        const z = hit.distance * inv;
        if (z > 0 && (drawn === 0 || z <= drawn)) {
          depth[base + col] = z;
          mask[base + col] = label;
        }
      }
    }
  }

  /**
   * Inclusive pixel bounds [c0, c1, r0, r1] of the object's bounding box seen by the camera, or null when it is
   * entirely outside the image or behind the camera. Falls back to the whole image when the box straddles the
   * camera plane (its projection is then unbounded).
   */
  private screenRect(
    Rco: Float64Array,
    ocx: number,
    ocy: number,
    ocz: number,
    k: CameraIntrinsics,
  ): [number, number, number, number] | null {
    const b = this.bounds;
    let xMin = Infinity,
      xMax = -Infinity,
      yMin = Infinity,
      yMax = -Infinity;
    let behind = 0;
    for (let corner = 0; corner < 8; corner++) {
      const px = corner & 1 ? b[3] : b[0],
        py = corner & 2 ? b[4] : b[1],
        pz = corner & 4 ? b[5] : b[2];
      // object → camera is the transpose of camera → object.
      const vx = px - ocx,
        vy = py - ocy,
        vz = pz - ocz;
      const cxp = Rco[0] * vx + Rco[3] * vy + Rco[6] * vz;
      const cyp = Rco[1] * vx + Rco[4] * vy + Rco[7] * vz;
      const czp = Rco[2] * vx + Rco[5] * vy + Rco[8] * vz;
      if (czp <= 1e-9) {
        behind++;
        continue;
      }
      const u = (k.fx * cxp + k.skew * cyp) / czp + k.cx,
        v = (k.fy * cyp) / czp + k.cy;
      if (u < xMin) xMin = u;
      if (u > xMax) xMax = u;
      if (v < yMin) yMin = v;
      if (v > yMax) yMax = v;
    }
    if (behind === 8) return null;
    if (behind > 0) return [0, k.width - 1, 0, k.height - 1];
    const c0 = Math.max(0, Math.floor(xMin) - 1),
      c1 = Math.min(k.width - 1, Math.ceil(xMax) + 1);
    const r0 = Math.max(0, Math.floor(yMin) - 1),
      r1 = Math.min(k.height - 1, Math.ceil(yMax) + 1);
    if (c0 > c1 || r0 > r1) return null;
    return [c0, c1, r0, r1];
  }
}

const renderers = new WeakMap<MeshIndex, DepthRenderer>();

/** The renderer of a mesh's BVH, made once per index and kept as long as the index lives. */
export function rendererFor(index: MeshIndex): DepthRenderer {
  let r = renderers.get(index);
  if (!r) {
    r = new DepthRenderer(index);
    renderers.set(index, r);
  }
  return r;
}

/** One-call form: renders `index`'s mesh placed by `objectToWorld` on the table, caching the renderer per mesh. */
export function renderDepth(
  index: MeshIndex,
  objectToWorld: RigidTransform,
  camera: Camera,
  options: RenderOptions = {},
): RenderedImage {
  return rendererFor(index).render(objectToWorld, camera, options);
}

/**
 * Renders a scene: the table (unless `table: false`), the bin's walls when given, and the objects, each marked by
 * its label in the segmask (table and walls are background, 0). Into `out` when given, else fresh buffers.
 */
export function renderScene(
  objects: readonly SceneObject[],
  camera: Camera,
  options: RenderOptions = {},
  out?: RenderedImage,
): RenderedImage {
  const k = camera.intrinsics;
  const W = k.width,
    H = k.height;
  const labels = objects.map((o, i) => o.label ?? i + 1);
  // The segmask stores object numbers in a byte.
  const bad = labels.find((l) => !(Number.isInteger(l) && l >= 1 && l <= 255));
  if (bad !== undefined) throw new Error(`scene object labels must be integers in 1–255, got ${bad}`);
  const result = out ?? { depth: createDepthImage(W, H), segmask: createMask(W, H) };
  if (
    result.depth.width !== W ||
    result.depth.height !== H ||
    result.segmask.width !== W ||
    result.segmask.height !== H
  )
    throw new Error(`render target is ${result.depth.width}×${result.depth.height}, camera is ${W}×${H}`);
  const depth = result.depth.data,
    mask = result.segmask.data;
  depth.fill(0);
  mask.fill(0);
  if (options.table ?? true) drawTable(camera, options.tableHalfSize ?? Infinity, depth);
  if (options.bin) drawBoxes(camera, binWalls(options.bin), depth, mask);
  objects.forEach((o, i) => o.renderer.drawInto(o.objectToWorld, camera, depth, mask, labels[i]));
  return result;
}

/** The table plane z = 0 (a square of half side `half` about the origin when finite) where nothing is drawn yet. */
function drawTable(camera: Camera, half: number, depth: Float32Array): void {
  const { width: W, height: H, fx, fy, cx, cy, skew } = camera.intrinsics;
  // Camera → world: world = Rcw·cam + tcw.
  const { rotation: Rcw, translation: tcw } = camera.pose;
  // The ray o + s·d (d = Rcw·(x', y', 1), so s is the camera-frame depth) meets z = 0 at s = −oz / dz.
  const bounded = Number.isFinite(half);
  const ox = tcw[0],
    oy = tcw[1],
    oz = tcw[2];
  for (let row = 0; row < H; row++) {
    const yn = (row - cy) / fy;
    const bx = Rcw[1] * yn + Rcw[2],
      by = Rcw[4] * yn + Rcw[5],
      bz = Rcw[7] * yn + Rcw[8];
    const base = row * W;
    for (let col = 0; col < W; col++) {
      const xn = (col - cx - skew * yn) / fx;
      const dz = Rcw[6] * xn + bz;
      const s = -oz / dz;
      if (!(s > 0) || s === Infinity) continue;
      if (bounded) {
        const hx = ox + s * (Rcw[0] * xn + bx),
          hy = oy + s * (Rcw[3] * xn + by);
        if (hx > half || hx < -half || hy > half || hy < -half) continue;
      }
      const drawn = depth[base + col];
      if (drawn === 0 || s < drawn) depth[base + col] = s;
    }
  }
}

/**
 * Axis-aligned world boxes (the bin's walls) as background: where a pixel's ray o + s·d (d = Rcw·(x', y', 1), so s
 * is the camera-frame depth) enters a box nearer than what is drawn, the box is drawn. A camera inside a box sees
 * nothing of it.
 */
function drawBoxes(camera: Camera, boxes: readonly WallBox[], depth: Float32Array, mask: Uint8Array): void {
  const k = camera.intrinsics;
  const W = k.width,
    H = k.height;
  const R = camera.pose.rotation,
    o = camera.pose.translation;
  const d = [0, 0, 0],
    span = new Float64Array(2);
  for (let row = 0; row < H; row++) {
    const yn = (row - k.cy) / k.fy;
    for (let col = 0; col < W; col++) {
      const xn = (col - k.cx - k.skew * yn) / k.fx;
      for (let a = 0; a < 3; a++) d[a] = R[3 * a] * xn + R[3 * a + 1] * yn + R[3 * a + 2];
      const i = row * W + col;
      for (const box of boxes) {
        if (!rayBoxInterval(o, d, box, span) || !(span[0] > 0)) continue;
        if (depth[i] === 0 || span[0] < depth[i]) {
          depth[i] = span[0];
          mask[i] = 0;
        }
      }
    }
  }
}
