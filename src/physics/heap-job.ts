// One heap of a heap set: draw its objects from the heap's seed, drop them, write the record. Runs in a worker
// thread or in-process; meshes and their physics geometry are kept between the heaps a thread makes.
import { basename, extname } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { Random } from '../core/random.js';
import { deriveSeed } from '../core/seed.js';
import type { Mesh } from '../geometry/mesh.js';
import { loadCheckedMesh } from '../geometry/mesh-checks.js';
import type { ScaleRule } from '../geometry/object-scale.js';
import { drawMeshes, drawObjectCount, type ObjectCount } from './heap-contents.js';
import { dropHeap, type HeapDropOptions } from './heap-drop.js';
import { heapPiecesPath, prepareHeapGeometry } from './heap-geometry-cache.js';
import { heapRecordPath, poseRecord, type HeapObjectRecord, type HeapRecord } from './heap-record.js';

/** What fixes a heap set's content: a resumed run must match it exactly (the number of heaps may grow). */
export interface HeapPlan {
  seed: number;
  objects: ObjectCount;
  maxObjects: number;
  /** Absolute mesh paths, in the order heaps draw from. */
  meshes: string[];
  /** How each mesh is sized (absent: as the file has it). */
  scale?: ScaleRule;
  drop: HeapDropOptions;
}

export interface HeapJob {
  outDir: string;
  heap: number;
}

/** What the index keeps of each heap. */
export interface HeapSummary {
  heap: number;
  objects: number;
  kept: number;
  settled: boolean;
  error?: string;
}

/** Meshes kept per thread, least recently used dropped first: a heap set reuses a few meshes many times. */
const MESH_CACHE_SIZE = 256;
const meshes = new Map<string, Promise<Mesh>>();

function cachedMesh(path: string, scale: ScaleRule | undefined): Promise<Mesh> {
  const key = `${path}\n${JSON.stringify(scale ?? null)}`;
  let mesh = meshes.get(key);
  if (mesh) meshes.delete(key);
  else mesh = loadCheckedMesh(path, scale);
  meshes.set(key, mesh);
  if (meshes.size > MESH_CACHE_SIZE) meshes.delete(meshes.keys().next().value!);
  return mesh;
}

/** A heap as drawn and dropped: its record, and the loaded mesh of every object the drop could use (by position). */
export interface MadeHeap {
  record: HeapRecord;
  /** meshes[i] is record.objects[i]'s mesh, undefined for an unusable one; the same Mesh objects across heaps. */
  meshes: (Mesh | undefined)[];
}

/**
 * Draws heap `heap` of `plan` from its own seed and drops it; depends only on the plan and the heap number. The
 * meshes' physics pieces are cached as files under `geometryDir` (heapPiecesPath), shared by every thread of a run.
 */
export async function makeHeap(plan: HeapPlan, heap: number, geometryDir: string): Promise<MadeHeap> {
  const seed = deriveSeed(plan.seed, heap);
  const rng = new Random(seed);
  const count = drawObjectCount(rng, plan.objects, plan.maxObjects);
  const chosen = drawMeshes(rng, plan.meshes.length, count);
  const dropSeed = rng.nextUint32();
  const objects: HeapObjectRecord[] = chosen.map((meshIndex) => ({
    mesh: plan.meshes[meshIndex],
    id: basename(plan.meshes[meshIndex], extname(plan.meshes[meshIndex])),
    meshIndex,
  }));
  // A mesh that cannot be used leaves its place in the heap empty; the others fall as they would anyway.
  const meshes: (Mesh | undefined)[] = new Array(objects.length);
  const usable: { record: HeapObjectRecord; mesh: Mesh }[] = [];
  for (const [i, record] of objects.entries()) {
    try {
      const mesh = await cachedMesh(record.mesh, plan.scale);
      await prepareHeapGeometry(heapPiecesPath(geometryDir, record.meshIndex), mesh);
      usable.push({ record, mesh });
      meshes[i] = mesh;
    } catch (err) {
      record.removed = 'unusable mesh';
      record.detail = err instanceof Error ? err.message : String(err);
    }
  }
  const record: HeapRecord = { heap, seed, objects, settled: false, simSeconds: 0, timestep: 0 };
  if (usable.length > 0) {
    try {
      const drop = await dropHeap(
        usable.map((u) => u.mesh),
        dropSeed,
        plan.drop,
      );
      drop.objects.forEach((o, i) => {
        const r = usable[i].record;
        r.dropPose = poseRecord(o.dropPose);
        r.pose = poseRecord(o.pose);
        if (o.removed) r.removed = o.removed;
      });
      Object.assign(record, { settled: drop.settled, simSeconds: drop.simSeconds, timestep: drop.timestep });
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
    }
  } else {
    record.error = 'no usable mesh';
  }
  return { record, meshes };
}

/** Draws, drops and records heap `job.heap` of `plan`; the record depends only on the plan and the heap number. */
export async function runHeapJob(job: HeapJob, plan: HeapPlan): Promise<HeapSummary> {
  const { record } = await makeHeap(plan, job.heap, job.outDir);
  await writeFileAtomic(heapRecordPath(job.outDir, job.heap), JSON.stringify(record, null, 1) + '\n');
  return summarizeHeap(record);
}

export function summarizeHeap(record: HeapRecord): HeapSummary {
  const summary: HeapSummary = {
    heap: record.heap,
    objects: record.objects.length,
    kept: record.objects.filter((o) => !o.removed && o.pose).length,
    settled: record.settled,
  };
  if (record.error) summary.error = record.error;
  return summary;
}
