// One job's share of a dataset — one object, or one heap of objects in a bin: make its datapoints, write them as a
// "part" (npz + a JSON marker written last, so a part exists only when complete). Runs in a worker.
import { access, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { readNpz, writeNpz } from '../image/npz.js';
import { datasetLayout } from './fields.js';
import type { ScaleRule } from '../geometry/object-scale.js';
import { loadCheckedMesh } from '../geometry/mesh-checks.js';
import { makeHeap, type HeapPlan } from '../physics/heap-job.js';
import { heapDatapoints, type HeapSceneOptions } from './heap-datapoints.js';
import { objectDatapoints, type DatapointOptions, type ObjectDatapoints } from './object-datapoints.js';
import { fieldShape, type FieldArray } from './tensor-dataset.js';

export interface ObjectJob {
  meshPath: string;
  objIndex: number;
  seed: number;
  partsDir: string;
  options: DatapointOptions;
  /** How the mesh is sized before use (absent: as the file has it). */
  scale?: ScaleRule;
  /**
   * A heap job: heap number objIndex of `plan` (drawn and dropped as `dexnet heaps` would) seen as `scene` says;
   * meshPath then only names the heap.
   */
  heap?: { plan: HeapPlan; scene: HeapSceneOptions };
}

export interface ObjectJobResult {
  objIndex: number;
  meshPath: string;
  datapoints: number;
  positives: number;
  poses: number;
  images: number;
  /** Why the object contributed nothing (bad mesh, no stable pose, no grasp). */
  skipped?: string;
  /** Heap jobs: objects in the bin after the drop, and candidates whose approach met another object, a wall or the floor. */
  objects?: number;
  colliding?: number;
  /** Heap jaw jobs: candidates whose pinch cannot carry the object's weight. */
  tooHeavy?: number;
}

export const partBase = (partsDir: string, objIndex: number) =>
  join(partsDir, `object_${String(objIndex).padStart(6, '0')}`);

/** The finished part's summary, or null when the part is absent or incomplete. */
export async function readPartSummary(partsDir: string, objIndex: number): Promise<ObjectJobResult | null> {
  try {
    return JSON.parse(await readFile(`${partBase(partsDir, objIndex)}.json`, 'utf8')) as ObjectJobResult;
  } catch {
    return null;
  }
}

/** Runs one object job unless its part is already complete (idempotent, so retries and resumes are safe). */
export async function runObjectJob(job: ObjectJob): Promise<ObjectJobResult> {
  const done = await readPartSummary(job.partsDir, job.objIndex);
  if (done) return done;
  const base = partBase(job.partsDir, job.objIndex);
  const result: ObjectJobResult = {
    objIndex: job.objIndex,
    meshPath: job.meshPath,
    datapoints: 0,
    positives: 0,
    poses: 0,
    images: 0,
  };
  try {
    const dp = await jobDatapoints(job);
    Object.assign(result, dp.stats, { datapoints: dp.count });
    if (dp.count > 0) {
      const entries: Record<string, { data: FieldArray; shape: number[] }> = {};
      for (const [name, spec] of Object.entries(datasetLayout(job.options.gripper).fields))
        entries[name] = { data: dp.fields[name], shape: fieldShape(spec, dp.count) };
      entries.local_pose = { data: dp.poseIndex, shape: [dp.count] };
      entries.local_image = { data: dp.imageIndex, shape: [dp.count] };
      // Parts are scratch data read back once: stored, not deflated (compression was a third of the run time).
      await writeFileAtomic(`${base}.npz`, writeNpz(entries, { compress: false }));
    } else if (!dp.stats.skipped) {
      result.skipped = 'no visible grasps';
    }
  } catch (err) {
    // A bad mesh is skipped with its reason; it must never abort the run or poison a shard.
    result.skipped = err instanceof Error ? err.message : String(err);
    result.datapoints = 0;
    result.positives = 0;
  }
  await writeFileAtomic(`${base}.json`, JSON.stringify(result) + '\n');
  return result;
}

/** The datapoints of one job: its object's, or its heap's (the heap's pieces cached in the dataset folder). */
async function jobDatapoints(job: ObjectJob): Promise<ObjectDatapoints> {
  if (!job.heap)
    return objectDatapoints(await loadCheckedMesh(job.meshPath, job.scale), job.objIndex, job.seed, job.options);
  const { plan, scene } = job.heap;
  const made = await makeHeap(plan, job.objIndex, dirname(job.partsDir));
  return heapDatapoints(made, job.seed, job.options, scene, plan.drop.bin);
}

/** The datapoints of a finished part (fields plus per-object pose and image indices). */
export async function readPart(partsDir: string, objIndex: number): Promise<Record<string, FieldArray>> {
  const path = `${partBase(partsDir, objIndex)}.npz`;
  await access(path);
  const arrays = readNpz(await readFile(path), path);
  const out: Record<string, FieldArray> = {};
  for (const [k, v] of Object.entries(arrays)) out[k] = v.data as FieldArray;
  return out;
}
