// A heap as written to disk: which meshes, where each was dropped and where it came to rest (position and w-x-y-z
// quaternion of the mesh frame in the world frame, z up, the bin's floor at z = 0), and what was taken out and why.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { Quaternion } from '../geometry/quaternion.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import type { Vec3 } from '../geometry/vector.js';
import type { HeapRemoval } from './heap-drop.js';

export interface PoseRecord {
  position: Vec3;
  /** w, x, y, z. */
  quaternion: Quaternion;
}

/** Why an object is not in the final heap: the drop's reasons, or a mesh that could not be used. */
export type HeapObjectRemoval = HeapRemoval | 'unusable mesh';

export interface HeapObjectRecord {
  /** The mesh file (absolute path) and its name without folder and extension. */
  mesh: string;
  id: string;
  /** Position of the mesh in the run's mesh list. */
  meshIndex: number;
  /** Absent for an unusable mesh. */
  dropPose?: PoseRecord;
  pose?: PoseRecord;
  removed?: HeapObjectRemoval;
  /** What was wrong with an unusable mesh. */
  detail?: string;
}

export interface HeapRecord {
  heap: number;
  /** The heap's own seed (deriveSeed of the run's seed and the heap number). */
  seed: number;
  objects: HeapObjectRecord[];
  /** Whether everything in the bin came to rest within the drop's time limit. */
  settled: boolean;
  simSeconds: number;
  timestep: number;
  /** Set when the heap could not be simulated (its objects then have no poses). */
  error?: string;
}

export const poseRecord = (t: RigidTransform): PoseRecord => ({ position: t.translation, quaternion: t.quaternion });

export const poseFromRecord = (p: PoseRecord): RigidTransform =>
  RigidTransform.fromQuaternion(p.quaternion, p.position, 'object', 'world');

/** The objects still in the heap (the meshes to render and pick from, with their poses) and their record positions. */
export function keptObjects(record: HeapRecord): (HeapObjectRecord & { pose: PoseRecord; position: number })[] {
  return record.objects.flatMap((o, position) => (!o.removed && o.pose ? [{ ...o, pose: o.pose, position }] : []));
}

export const HEAPS_DIR = 'heaps';

/** `heap_000042`: the name every file of heap 42 starts with. */
export const heapBaseName = (heap: number) => `heap_${String(heap).padStart(6, '0')}`;

export const heapFileName = (heap: number) => `${heapBaseName(heap)}.json`;

export const heapRecordPath = (outDir: string, heap: number) => join(outDir, HEAPS_DIR, heapFileName(heap));

/** Reads one heap record of a run folder; a missing or unreadable one is a UserInputError naming the file. */
export async function readHeapRecord(outDir: string, heap: number): Promise<HeapRecord> {
  const path = heapRecordPath(outDir, heap);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as HeapRecord;
  } catch (err) {
    const why = err instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new UserInputError(`${path}: ${why} (heap records are written by \`dexnet heaps\`)`, { file: path });
  }
}
