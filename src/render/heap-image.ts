// Images of a heap: the table, the bin's walls and every object still in the heap rendered from above, the segmask
// numbering the objects, optionally with a structured-light sensor's missing pixels; and the files a user looks at.
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { Random } from '../core/random.js';
import type { MeshIndex } from '../geometry/bvh.js';
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { RigidTransform } from '../geometry/rigid-transform.js';
import type { Mask } from '../image/depth-image.js';
import { writeDepthNpy } from '../image/depth-io.js';
import { encodePng } from '../image/png.js';
import { DEFAULT_BIN, type Bin } from '../physics/bin.js';
import { lookAtPose } from './camera-sampler.js';
import { rendererFor, renderScene, type Camera, type RenderedImage } from './depth-renderer.js';
import { applyStructuredLight, type StructuredLightOptions } from './structured-light.js';

/** Height of the default heap camera above the bin's floor (m): inside a PhoXi S's 0.38–0.52 m range plus the heap. */
export const HEAP_CAMERA_HEIGHT = 0.6;

/** A camera straight above the bin's centre at `height` (lookAtPose's: image columns along world +y, rows along +x). */
export function heapCamera(intrinsics: CameraIntrinsics, height = HEAP_CAMERA_HEIGHT): Camera {
  return {
    intrinsics,
    pose: lookAtPose({ radius: height, polar: 0, azimuth: 0, roll: 0 }, [0, 0, 0], intrinsics.frame),
  };
}

export interface HeapImageOptions {
  bin?: Bin;
  /** Missing pixels of a structured-light sensor (structured-light.ts); off when absent. */
  structuredLight?: StructuredLightOptions;
  /** Seeds the sensor's dropouts. */
  seed?: number;
}

export interface HeapImage extends RenderedImage {
  /** 255 where the sensor read nothing (all 0 without a sensor model). */
  missing: Mask | null;
}

/** Renders posed meshes in the bin: object i is `label` (default i + 1) in the segmask. */
export function renderHeap(
  objects: readonly { index: MeshIndex; objectToWorld: RigidTransform; label?: number }[],
  camera: Camera,
  options: HeapImageOptions = {},
): HeapImage {
  const bin = options.bin ?? DEFAULT_BIN;
  const scene = objects.map((o) => ({
    renderer: rendererFor(o.index),
    objectToWorld: o.objectToWorld,
    label: o.label,
  }));
  const image = renderScene(scene, camera, { bin });
  if (!options.structuredLight) return { ...image, missing: null };
  const { missing } = applyStructuredLight(
    { objects: scene, bin },
    camera,
    image,
    new Random(options.seed ?? 0),
    options.structuredLight,
  );
  return { ...image, missing };
}

/**
 * Writes `<base>.npy` (float32 depth, metres), `<base>.segmask.png` (8-bit object numbers, 0 = background) and
 * `<base>.png` (a preview: depth as grey, each object tinted its own colour, missing pixels black).
 */
export async function writeHeapImage(dir: string, base: string, image: RenderedImage): Promise<string[]> {
  const { depth, segmask } = image;
  const paths = [join(dir, `${base}.npy`), join(dir, `${base}.segmask.png`), join(dir, `${base}.png`)];
  await writeFileAtomic(
    paths[1],
    encodePng({ width: segmask.width, height: segmask.height, channels: 1, data: segmask.data }),
  );
  await writeDepthNpy(paths[0], depth);
  await writeFileAtomic(
    paths[2],
    encodePng({ width: depth.width, height: depth.height, channels: 3, data: preview(image) }),
  );
  return paths;
}

/** RGB preview: nearer is brighter over the image's depth range; objects tinted by a golden-angle hue per number. */
function preview({ depth, segmask }: RenderedImage): Uint8Array {
  const n = depth.width * depth.height;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const z = depth.data[i];
    if (z > 0) {
      lo = Math.min(lo, z);
      hi = Math.max(hi, z);
    }
  }
  const rgb = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const z = depth.data[i];
    if (!(z > 0)) continue;
    const grey = 40 + 215 * (hi > lo ? (hi - z) / (hi - lo) : 1);
    const label = segmask.data[i];
    const tint = label ? hueRgb((label * 137.508) % 360) : [1, 1, 1];
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = Math.round(grey * (label ? 0.35 + 0.65 * tint[c] : 1));
  }
  return rgb;
}

/** Fully saturated colour of a hue (degrees), channels in [0, 1]. */
function hueRgb(hue: number): [number, number, number] {
  const f = (k: number) => {
    const x = (k + hue / 60) % 6;
    return 1 - Math.max(0, Math.min(x, 4 - x, 1));
  };
  return [f(5), f(3), f(1)];
}
