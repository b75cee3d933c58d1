// Heap datasets (`generate --scene heap`): the single-object layouts filled from heaps in a bin, deterministic for any
// worker count, resumable; crops taken from the heap image, so neighbours show in them.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, objectJobs, preparePlan, makePlan, resolveHeapScene } from '../../src/dataset/generate.js';
import { runObjectJob } from '../../src/dataset/generation-job.js';
import { datasetLayout } from '../../src/dataset/fields.js';
import { DEFAULT_HEAP_SCENE, heapDatapoints, type HeapSceneOptions } from '../../src/dataset/heap-datapoints.js';
import { DEFAULT_DATAPOINT_OPTIONS } from '../../src/dataset/object-datapoints.js';
import { readSplit } from '../../src/dataset/splits.js';
import { TensorDatasetReader } from '../../src/dataset/tensor-dataset.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import type { MadeHeap } from '../../src/physics/heap-job.js';
import { datasetDigest } from './dataset-helpers.js';
import { tempDirs } from '../helpers/temp-dir.js';

// Two heaps of three example meshes, one image each with a few candidates and short settles: the bookkeeping and
// the labels' logic are what is tested, at a fraction of a second a heap.
const root = tempDirs('heap-gen')();
const meshes = join(root, 'meshes');
const SCENE = {
  kind: 'heap' as const,
  heaps: 2,
  objects: { kind: 'fixed' as const, count: 3 },
  maxObjects: 3,
  imagesPerHeap: 1,
  graspsPerImage: 15,
  camera: 'primesense' as const,
};
const SMALL = { robustSamples: 4, scene: SCENE };

beforeAll(() => {
  mkdirSync(meshes);
  for (const f of ['box.obj', 'cylinder.stl', 'bracket.ply']) copyFileSync(join('examples/meshes', f), join(meshes, f));
});

describe('heap datasets', () => {
  const reference = join(root, 'one-worker');

  it("writes the gripper's usual fields from heap images, scene recorded, object labels naming meshes", async () => {
    const s = await generateDataset(meshes, reference, { seed: 3, workers: 1, ...SMALL });
    expect(s.objects).toBe(2); // one job per heap
    for (const h of s.perObject) expect(h.datapoints).toBeGreaterThan(3);
    const r = await TensorDatasetReader.open(reference);
    expect(r.config.scene).toBe('heap');
    expect(Object.keys(r.config.fields).sort()).toEqual(Object.keys(datasetLayout('parallel-jaw').fields).sort());
    expect(readdirSync(root)).toContain('one-worker');
    expect(readdirSync(reference).sort()).toEqual([
      'config.json',
      'generation.json',
      'objects.json',
      'splits',
      'tensors',
    ]);
    const shard = await r.readShard(0);
    const f = shard.fields;
    const objLabels = new Set(Array.from(f.obj_labels as Uint32Array));
    for (const l of objLabels) expect([0, 1, 2]).toContain(l);
    // Pose labels number the heaps, image labels the images (one a heap here).
    expect(new Set(Array.from(f.pose_labels as Uint32Array))).toEqual(new Set([0, 1]));
    expect(new Set(Array.from(f.image_labels as Uint32Array))).toEqual(new Set([0, 1]));
    for (let i = 0; i < shard.size; i++) {
      const free = (f.collision_free as Float32Array)[i];
      expect([0, 1]).toContain(free);
      if (free === 0) expect((f.robust_ferrari_canny as Float32Array)[i]).toBe(0);
      // The crop's centre is the grasp's: every crop shows depth there (inpainted, so never missing).
      expect((f.depth_ims_tf_table as Float32Array)[i * 1024 + 16 * 32 + 16]).toBeGreaterThan(0.3);
    }
    // Object-wise splits hold out whole meshes.
    if (objLabels.size >= 2) {
      const split = await readSplit(reference, 'object_wise');
      const train = new Set(Array.from(split.train, (i) => (f.obj_labels as Uint32Array)[i]));
      for (const i of split.val) expect(train.has((f.obj_labels as Uint32Array)[i])).toBe(false);
    }
  });

  it('gives the same bytes with two worker threads', async () => {
    const two = join(root, 'two-workers');
    await generateDataset(meshes, two, { seed: 3, workers: 2, ...SMALL });
    expect(datasetDigest(two)).toEqual(datasetDigest(reference));
  });

  it('resumes after a removed part with the same bytes', async () => {
    const resumed = join(root, 'resumed');
    const plan = makePlan(
      3,
      { ...DEFAULT_DATAPOINT_OPTIONS, robustSamples: 4 },
      readdirSync(meshes)
        .sort()
        .map((m) => join(meshes, m)),
      undefined,
      resolveHeapScene(SCENE),
    );
    await preparePlan(resumed, plan);
    const jobs = objectJobs(resumed, plan);
    for (const job of jobs) await runObjectJob(job);
    // A part lost (e.g. killed before its marker): the resumed run makes it again and merges everything.
    for (const f of readdirSync(join(resumed, 'parts')))
      if (f.startsWith('object_000001')) rmSync(join(resumed, 'parts', f));
    await generateDataset(meshes, resumed, { seed: 3, workers: 1, ...SMALL });
    expect(datasetDigest(resumed)).toEqual(datasetDigest(reference));
  });

  it('a suction heap dataset has the suction fields', async () => {
    const dir = join(root, 'suction');
    const s = await generateDataset(meshes, dir, { seed: 4, workers: 1, gripper: 'suction', ...SMALL });
    expect(s.datapoints).toBeGreaterThan(5);
    const r = await TensorDatasetReader.open(dir);
    expect(Object.keys(r.config.fields).sort()).toEqual(Object.keys(datasetLayout('suction').fields).sort());
    expect(r.config.label_field).toBe('robust_suction_wrench_resistance');
  });
});

describe('heap datapoints', () => {
  // Box A (3 × 3 × 4 cm) at the bin's centre and a taller box B (3 × 3 × 8 cm) 3.6 cm along +x: 6 mm between them,
  // less than a finger's 1 cm thickness, so no jaw closes across x on A without hitting B.
  const a = boxMesh(0.03, 0.03, 0.04),
    b = boxMesh(0.03, 0.03, 0.08);
  const heap = (withB: boolean): MadeHeap => ({
    record: {
      heap: 0,
      seed: 0,
      settled: true,
      simSeconds: 0,
      timestep: 0,
      objects: [
        { mesh: 'a', id: 'a', meshIndex: 0, pose: { position: [0, 0, 0.02], quaternion: [1, 0, 0, 0] } },
        ...(withB
          ? [{ mesh: 'b', id: 'b', meshIndex: 1, pose: { position: [0.036, 0, 0.04], quaternion: [1, 0, 0, 0] } }]
          : []),
      ] as MadeHeap['record']['objects'],
    },
    meshes: withB ? [a, b] : [a],
  });
  const scene: HeapSceneOptions = {
    ...DEFAULT_HEAP_SCENE,
    camera: 'primesense',
    imagesPerHeap: 2,
    graspsPerImage: 60,
    maxCameraTilt: 0,
  };
  const options = { ...DEFAULT_DATAPOINT_OPTIONS, robustSamples: 4, noise: false };

  it('crops come from the heap image: the neighbour shows in crops of grasps on the other box', () => {
    const dp = heapDatapoints(heap(true), 5, options, scene);
    expect(dp.count).toBeGreaterThan(10);
    const f = dp.fields;
    let neighbourSeen = 0;
    for (let d = 0; d < dp.count; d++) {
      if ((f.obj_labels as Uint32Array)[d] !== 0) continue;
      // Camera height above the floor is 0.55–0.65 m (no tilt): A's top lies ≥ 0.51 m away, B's ≤ 0.57 m. A pixel
      // outside A's mask 2 cm nearer than the nearest A can be is B's.
      const camZ = (f.camera_poses as Float32Array)[d * 7 + 2];
      for (let i = 0; i < 1024; i++)
        if (
          (f.obj_masks as Uint8Array)[d * 1024 + i] === 0 &&
          (f.depth_ims_tf_table as Float32Array)[d * 1024 + i] < camZ - 0.04 - 0.02
        ) {
          neighbourSeen++;
          break;
        }
    }
    expect(neighbourSeen).toBeGreaterThan(0);
  });

  it('the neighbour makes grasps on A collide that are free without it', () => {
    const crowded = heapDatapoints(heap(true), 5, options, scene);
    const alone = heapDatapoints(heap(false), 5, options, scene);
    // Per datapoint on A: the grasp axis's image angle tells whether the jaws close across x (toward B) or along y.
    const freeShare = (dp: typeof crowded, acrossX: boolean) => {
      let n = 0,
        free = 0;
      for (let d = 0; d < dp.count; d++) {
        if ((dp.fields.obj_labels as Uint32Array)[d] !== 0) continue;
        // World +x appears in the image at azimuth + π/2 − roll; the grasp angle is the image angle of the axis.
        const q = dp.fields.camera_poses as Float32Array;
        const [w, x, y, z] = [q[d * 7 + 3], q[d * 7 + 4], q[d * 7 + 5], q[d * 7 + 6]];
        // Camera x axis in the world (first column of the rotation) and the grasp's image direction in the world.
        const cx = [1 - 2 * (y * y + z * z), 2 * (x * y + w * z)],
          cy = [2 * (x * y - w * z), 1 - 2 * (x * x + z * z)];
        const angle = (dp.fields.hand_poses as Float32Array)[d * 7 + 3];
        const worldX = Math.cos(angle) * cx[0] + Math.sin(angle) * cy[0];
        if (Math.abs(worldX) > 0.9 === acrossX) {
          n++;
          free += (dp.fields.collision_free as Float32Array)[d];
        }
      }
      return { n, free };
    };
    const alongAlone = freeShare(alone, false),
      acrossAlone = freeShare(alone, true),
      acrossCrowded = freeShare(crowded, true);
    expect(acrossAlone.free).toBeGreaterThan(0);
    expect(acrossCrowded.n).toBeGreaterThan(0);
    expect(acrossCrowded.free).toBe(0);
    expect(alongAlone.n + acrossAlone.n).toBeGreaterThan(0);
  });
  it("labels 0 the jaw grasps whose pinch cannot carry the object's weight, and only those", () => {
    const labels = (made: MadeHeap, gravityHold: boolean) =>
      heapDatapoints(made, 5, options, { ...scene, gravityHold }).fields.robust_ferrari_canny as Float32Array;
    // A 15 × 4 × 4 cm bar (168 g at 700 kg/m³): the pads' torsion carries its weight only within ~1 cm of its middle.
    const bar: MadeHeap = {
      record: {
        ...heap(false).record,
        objects: [{ ...heap(false).record.objects[0]!, pose: { position: [0, 0, 0.02], quaternion: [1, 0, 0, 0] } }],
      },
      meshes: [boxMesh(0.15, 0.04, 0.04)],
    };
    const [held, free] = [labels(bar, true), labels(bar, false)];
    expect(held.length).toBe(free.length);
    let zeroed = 0;
    for (let d = 0; d < free.length; d++) {
      expect(held[d] === free[d] || held[d] === 0).toBe(true);
      if (held[d] === 0 && free[d]! > 0.002) zeroed++;
    }
    expect(zeroed).toBeGreaterThan(0);
    // Box A alone weighs 25 g: no grasp on it twists the pads past their torsion, so no label changes.
    expect(labels(heap(false), true)).toEqual(labels(heap(false), false));
  });
  it("the cup's labels weigh the object as the referee does, not at Dex-Net 3.0's 1 kg", () => {
    const suction = { ...options, gripper: 'suction' as const };
    const labels = (gravityHold: boolean) =>
      heapDatapoints(heap(false), 5, suction, { ...scene, gravityHold }).fields
        .robust_suction_wrench_resistance as Float32Array;
    const [weighed, kilogram] = [labels(true), labels(false)];
    expect(weighed.length).toBe(kilogram.length);
    expect(weighed.length).toBeGreaterThan(10);
    // Box A weighs 25 g: a sealed cup that cannot hold 1 kg off its centre of mass holds it.
    const sum = (a: Float32Array) => a.reduce((x, y) => x + y, 0);
    expect(sum(weighed)).toBeGreaterThan(sum(kilogram));
    for (let d = 0; d < weighed.length; d++) expect(weighed[d]).toBeGreaterThanOrEqual(kilogram[d]! - 0.25);
  });
});
