// Images of every heap of a heap set (`dexnet heaps --render`): each heap's record read back, its meshes loaded as
// the run sized them, rendered from above with the chosen sensor, and written next to the records.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveSeed } from '../core/seed.js';
import { MeshIndex } from '../geometry/bvh.js';
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { loadCheckedMesh } from '../geometry/mesh-checks.js';
import type { HeapPlan } from '../physics/heap-job.js';
import { heapBaseName, keptObjects, poseFromRecord, readHeapRecord } from '../physics/heap-record.js';
import { HEAP_PLAN_FILE } from '../physics/heap-set.js';
import { heapCamera, renderHeap, writeHeapImage } from './heap-image.js';
import type { StructuredLightOptions } from './structured-light.js';

export const HEAP_IMAGES_DIR = 'images';

export interface HeapSetImageOptions {
  intrinsics: CameraIntrinsics;
  /** The sensor's missing pixels (absent: an ideal depth camera). */
  structuredLight?: StructuredLightOptions;
  /** Camera height above the bin's floor (m). */
  height?: number;
  /** Called after each heap's images are written. */
  onHeap?: (heap: number, done: number, total: number) => void;
}

/**
 * Renders heaps 0…count−1 of the set in `outDir` into `outDir/images`, each object's pixels numbered by its place
 * in the heap's record plus one; returns the files written.
 */
export async function renderHeapSet(outDir: string, count: number, options: HeapSetImageOptions): Promise<string[]> {
  const plan = JSON.parse(await readFile(join(outDir, HEAP_PLAN_FILE), 'utf8')) as HeapPlan;
  const camera = heapCamera(options.intrinsics, options.height);
  const indexes = new Map<string, Promise<MeshIndex>>();
  const indexOf = (path: string) => {
    let index = indexes.get(path);
    if (!index) {
      index = loadCheckedMesh(path, plan.scale).then((mesh) => new MeshIndex(mesh));
      indexes.set(path, index);
    }
    return index;
  };
  const written: string[] = [];
  for (let heap = 0; heap < count; heap++) {
    const record = await readHeapRecord(outDir, heap);
    const objects = await Promise.all(
      keptObjects(record).map(async (o) => ({
        index: await indexOf(o.mesh),
        objectToWorld: poseFromRecord(o.pose),
        label: o.position + 1,
      })),
    );
    const image = renderHeap(objects, camera, {
      bin: plan.drop.bin,
      structuredLight: options.structuredLight,
      seed: deriveSeed(record.seed, 1),
    });
    written.push(...(await writeHeapImage(join(outDir, HEAP_IMAGES_DIR), heapBaseName(heap), image)));
    options.onHeap?.(heap, heap + 1, count);
  }
  return written;
}
