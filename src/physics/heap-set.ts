// A set of heaps over a list of meshes: heap i is drawn and dropped from deriveSeed(seed, i) alone, so the set is
// the same for any number of workers and in any order; each heap's record is written atomically, so a killed run
// resumes by making only the heaps whose record is missing; index.json, written last, marks the set complete.
import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { UserInputError } from '../core/errors.js';
import { writeOrCheckPlan } from '../core/run-plan.js';
import { runTasks, siblingWorker } from '../core/worker-pool.js';
import type { ScaleRule } from '../geometry/object-scale.js';
import { checkBin } from './bin.js';
import type { ObjectCount } from './heap-contents.js';
import { DEFAULT_HEAP_DROP_OPTIONS, type HeapDropOptions } from './heap-drop.js';
import { runHeapJob, summarizeHeap, type HeapJob, type HeapPlan, type HeapSummary } from './heap-job.js';
import { heapFileName, heapRecordPath, HEAPS_DIR, type HeapRecord } from './heap-record.js';

export interface HeapSetOptions {
  /** Number of heaps (default 100). A later run with more heaps in the same folder adds the missing ones. */
  count?: number;
  /** Objects per heap (default Poisson(5), Dex-Net 2.1's). */
  objects?: ObjectCount;
  /** Most objects in one heap (default 20). */
  maxObjects?: number;
  seed?: number;
  scale?: ScaleRule;
  workers?: number;
  drop?: Partial<HeapDropOptions>;
  /** Called as each heap this run makes finishes (progress bars); `done` counts those already there too. */
  onHeap?: (summary: HeapSummary, done: number, total: number) => void;
}

export const HEAP_PLAN_FILE = 'heap-plan.json';
export const HEAP_INDEX_FILE = 'index.json';

export interface HeapIndex {
  count: number;
  objects: number;
  kept: number;
  removed: Record<string, number>;
  settled: number;
  failed: number;
  heaps: (HeapSummary & { file: string })[];
}

export interface HeapSetSummary extends HeapIndex {
  outDir: string;
  /** Heaps made by this run (the others were already there). */
  made: number;
  seconds: number;
}

/** Makes (or resumes, or completes) the heap set of `meshPaths` in `outDir`. */
export async function generateHeaps(
  meshPaths: readonly string[],
  outDir: string,
  options: HeapSetOptions = {},
): Promise<HeapSetSummary> {
  const start = performance.now();
  const count = options.count ?? 100;
  if (!(Number.isInteger(count) && count >= 1))
    throw new UserInputError(`--count must be a whole number ≥ 1, got ${count}`, { field: '--count' });
  if (meshPaths.length === 0) throw new UserInputError('no meshes to make heaps of', { field: 'meshes' });
  const plan = makeHeapPlan(meshPaths, options);
  await writeOrCheckPlan(outDir, HEAP_PLAN_FILE, plan as unknown as Record<string, unknown>);

  const index = await readIndex(outDir);
  if (index && index.count === count) return { ...index, outDir, made: 0, seconds: elapsed(start) };
  const missing: HeapJob[] = [];
  for (let heap = 0; heap < count; heap++)
    if (!(await exists(heapRecordPath(outDir, heap)))) missing.push({ outDir, heap });
  let done = count - missing.length;
  await runTasks(missing, {
    workers: Math.min(options.workers ?? 1, missing.length),
    worker: siblingWorker(import.meta.url, 'heap-worker'),
    workerData: plan,
    runInline: (job) => runHeapJob(job, plan),
    onResult: (summary) => options.onHeap?.(summary, ++done, count),
  });
  const written = await writeIndex(outDir, count);
  return { ...written, outDir, made: missing.length, seconds: elapsed(start) };
}

/** The plan of a run: absolute mesh paths and every setting that shapes a heap. */
export function makeHeapPlan(meshPaths: readonly string[], options: HeapSetOptions): HeapPlan {
  const objects = options.objects ?? { kind: 'poisson', lambda: 5 };
  const maxObjects = options.maxObjects ?? 20;
  if (!(Number.isInteger(maxObjects) && maxObjects >= 1))
    throw new UserInputError(`--max-objects must be a whole number ≥ 1, got ${maxObjects}`, {
      field: '--max-objects',
    });
  if (objects.kind === 'fixed' && objects.count > maxObjects)
    throw new UserInputError(`--objects ${objects.count} is more than --max-objects ${maxObjects}`, {
      field: '--objects',
    });
  const drop = { ...DEFAULT_HEAP_DROP_OPTIONS, ...options.drop };
  checkBin(drop.bin);
  const plan: HeapPlan = {
    seed: options.seed ?? 0,
    objects,
    maxObjects,
    meshes: meshPaths.map((m) => resolve(m)),
    drop,
  };
  if (options.scale && options.scale.kind !== 'none') plan.scale = options.scale;
  return plan;
}

/** Reads every record of a set of `count` heaps and writes index.json (the completion marker). */
async function writeIndex(outDir: string, count: number): Promise<HeapIndex> {
  const index: HeapIndex = { count, objects: 0, kept: 0, removed: {}, settled: 0, failed: 0, heaps: [] };
  for (let heap = 0; heap < count; heap++) {
    const record = JSON.parse(await readFile(heapRecordPath(outDir, heap), 'utf8')) as HeapRecord;
    const summary = summarizeHeap(record);
    index.heaps.push({ ...summary, file: join(HEAPS_DIR, heapFileName(heap)) });
    index.objects += summary.objects;
    index.kept += summary.kept;
    if (summary.settled) index.settled++;
    if (summary.error) index.failed++;
    for (const o of record.objects) if (o.removed) index.removed[o.removed] = (index.removed[o.removed] ?? 0) + 1;
  }
  await writeFileAtomic(join(outDir, HEAP_INDEX_FILE), JSON.stringify(index, null, 1) + '\n');
  return index;
}

async function readIndex(outDir: string): Promise<HeapIndex | null> {
  try {
    return JSON.parse(await readFile(join(outDir, HEAP_INDEX_FILE), 'utf8')) as HeapIndex;
  } catch {
    return null;
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const elapsed = (start: number) => (performance.now() - start) / 1000;
