// Dataset generation over a folder of meshes: one job per object on a worker pool, then an ordered
// merge of the finished parts into 1,000-datapoint shards. Deterministic for any number of workers,
// resumable after any kill (parts and shards are written atomically and skipped when present).
import { UserInputError } from '../core/errors.js';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { runOnWorkers, siblingWorker } from '../core/worker-pool.js';
import { meshFormatFromPath } from '../geometry/mesh-io/index.js';
import { deriveSeed } from '../core/seed.js';
import type { ScaleRule } from '../geometry/object-scale.js';
import {
  datasetLayout,
  DEFAULT_MAX_APPROACH_ANGLE,
  DEFAULT_SURFACE_EDGE_TOLERANCE,
  type DatasetLayout,
} from './fields.js';
import { readPart, runObjectJob, type ObjectJob, type ObjectJobResult } from './generation-job.js';
import { DEFAULT_DATAPOINT_OPTIONS, type DatapointOptions } from './object-datapoints.js';
import { writeStandardSplits } from './splits.js';
import { DEFAULT_HEAP_SCENE, type HeapSceneOptions } from './heap-datapoints.js';
import { makeHeapPlan } from '../physics/heap-set.js';
import { HEAP_GEOMETRY_DIR } from '../physics/heap-geometry-cache.js';
import { DEFAULT_OBJECT_DENSITY } from '../grasp/object-mass.js';
import {
  allocateField,
  DATAPOINTS_PER_FILE,
  fieldSize,
  TensorDatasetReader,
  writeConfig,
  writeShard,
  type FieldArray,
} from './tensor-dataset.js';

export interface GenerateOptions extends Partial<DatapointOptions> {
  seed?: number;
  /**
   * How each mesh is sized before use (default `none`: the file's own size, in metres — what `dexnet objects` and
   * `dexnet import` already sized by Dex-Net's rule; rescaling them again would be a no-op or undo a chosen rule).
   */
  scale?: ScaleRule;
  workers?: number;
  /**
   * Heaps in a bin instead of one object on a table (`kind: 'heap'`; unset fields take DEFAULT_HEAP_SCENE's): one
   * job per heap, the image sampler's candidates labelled in clutter (heap-datapoints.ts). Absent: single objects.
   */
  scene?: Partial<HeapSceneOptions> & { kind: 'heap' };
  /** Called after each object (each heap, for a heap scene) finishes (for progress bars). */
  onObject?: (result: ObjectJobResult, done: number, total: number) => void;
}

export interface GenerateSummary {
  outDir: string;
  objects: number;
  skipped: { meshPath: string; reason: string }[];
  datapoints: number;
  positives: number;
  positiveRate: number;
  perObject: ObjectJobResult[];
  seconds: number;
}

/** Meshes of a folder in a stable order (sorted names), or the given list. */
export async function listMeshes(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new UserInputError(`${dir}: cannot read the meshes folder`, { file: dir });
  }
  const meshes = names
    .filter((n) => meshFormatFromPath(n))
    .sort()
    .map((n) => join(dir, n));
  if (meshes.length === 0) throw new UserInputError(`${dir}: no .obj, .stl or .ply meshes found`, { file: dir });
  return meshes;
}

/** What fixes a dataset's content: a resumed run must match it exactly. */
export interface GenerationPlan {
  seed: number;
  options: DatapointOptions;
  meshes: string[];
  /** The sizing rule, absent for `none` (so plans of runs made before rules existed still match). */
  scale?: ScaleRule;
  /** Heaps in a bin; absent for single objects (so single-object plans read as before). */
  scene?: HeapSceneOptions;
}

/** A plan with the scale recorded only when it sizes anything, and the scene only for heaps. */
export function makePlan(
  seed: number,
  options: DatapointOptions,
  meshes: string[],
  scale?: ScaleRule,
  scene?: HeapSceneOptions,
): GenerationPlan {
  const plan: GenerationPlan =
    scale && scale.kind !== 'none' ? { seed, options, meshes, scale } : { seed, options, meshes };
  if (scene) plan.scene = scene;
  return plan;
}

/** The heap scene with its defaults filled in; a count that is not a whole number ≥ 1 is a UserInputError. */
export function resolveHeapScene(scene: Partial<HeapSceneOptions>): HeapSceneOptions {
  const out: HeapSceneOptions = { ...DEFAULT_HEAP_SCENE, ...scene, kind: 'heap' };
  for (const [key, flag] of [
    ['heaps', '--heaps'],
    ['imagesPerHeap', '--images-per-heap'],
    ['graspsPerImage', '--grasps-per-image'],
    ['maxObjects', '--max-objects'],
  ] as const)
    if (!(Number.isInteger(out[key]) && out[key] >= 1))
      throw new UserInputError(`${flag} must be a whole number ≥ 1, got ${out[key]}`, { field: flag });
  return out;
}

export const PARTS_DIR = 'parts';

/** Writes the plan, or checks that an existing run in `outDir` used the same one. */
export async function preparePlan(outDir: string, plan: GenerationPlan): Promise<void> {
  const path = join(outDir, 'generation.json');
  let existing: GenerationPlan | null = null;
  try {
    existing = JSON.parse(await readFile(path, 'utf8')) as GenerationPlan;
  } catch {
    existing = null;
  }
  if (existing) {
    const a = JSON.stringify(existing),
      b = JSON.stringify(plan);
    if (a !== b) {
      const field = (['seed', 'options', 'meshes', 'scale', 'scene'] as const).find(
        (k) => JSON.stringify(existing![k]) !== JSON.stringify(plan[k]),
      );
      throw new UserInputError(
        `${outDir}: holds a run with different settings (${field} differs); resume with the same arguments or choose a new --out`,
        { file: outDir },
      );
    }
    return;
  }
  await writeFileAtomic(path, JSON.stringify(plan, null, 2) + '\n');
}

export function objectJobs(outDir: string, plan: GenerationPlan): ObjectJob[] {
  if (plan.scene) return heapJobs(outDir, plan, plan.scene);
  return plan.meshes.map((meshPath, i) => {
    const job: ObjectJob = {
      meshPath,
      objIndex: i,
      seed: deriveSeed(plan.seed, i),
      partsDir: join(outDir, PARTS_DIR),
      options: plan.options,
    };
    if (plan.scale) job.scale = plan.scale;
    return job;
  });
}

/**
 * One job per heap: heap h is the heap `dexnet heaps` makes with the same seed, meshes and settings (its seed is
 * deriveSeed(seed, h)), and its datapoints come from the job's seed, the same number.
 */
function heapJobs(outDir: string, plan: GenerationPlan, scene: HeapSceneOptions): ObjectJob[] {
  const heapPlan = makeHeapPlan(plan.meshes, {
    seed: plan.seed,
    objects: scene.objects,
    maxObjects: scene.maxObjects,
    scale: plan.scale,
    drop: scene.drop,
  });
  return Array.from({ length: scene.heaps }, (_, h) => ({
    meshPath: `heap ${h}`,
    objIndex: h,
    seed: deriveSeed(plan.seed, h),
    partsDir: join(outDir, PARTS_DIR),
    options: plan.options,
    heap: { plan: heapPlan, scene },
  }));
}

/** Generates (or resumes) a dataset from the meshes in `meshesDir` into `outDir`. */
export async function generateDataset(
  meshesDir: string,
  outDir: string,
  options: GenerateOptions = {},
): Promise<GenerateSummary> {
  const start = performance.now();
  const { seed = 0, workers = 1, onObject, scale, scene, ...rest } = options;
  const datapoints: DatapointOptions = { ...DEFAULT_DATAPOINT_OPTIONS, ...rest };
  // Suction plans always name the candidates' approach limit and surface edge, so a run from before the planner's
  // candidates (none, or `maxApproachAngle` from the table normal) or before the edge-keeping surface differs and is
  // not resumed with datapoints of another kind.
  // Single-object ones name the object's mass too, so runs with Dex-Net 3.0's fixed 1 kg (none named) are not
  // resumed with weighed labels (heap labels weigh by their scene's gravityHold).
  if (datapoints.gripper === 'suction') {
    datapoints.maxOpticalAxisAngle ??= DEFAULT_MAX_APPROACH_ANGLE;
    datapoints.surfaceEdgeTolerance ??= DEFAULT_SURFACE_EDGE_TOLERANCE;
    if (!scene) datapoints.objectMass ??= { density: DEFAULT_OBJECT_DENSITY };
  }
  const plan = makePlan(
    seed,
    datapoints,
    (await listMeshes(meshesDir)).map((m) => resolve(m)),
    scale,
    scene ? resolveHeapScene(scene) : undefined,
  );
  await preparePlan(outDir, plan);
  const finished = await readCompleted(outDir);
  if (finished) return summarize(outDir, finished, (performance.now() - start) / 1000);
  const jobs = objectJobs(outDir, plan);
  // Merge while the workers run: each object joins the shards as soon as every earlier one has.
  const writer = new ShardWriter(outDir, plan);
  const arrived: (ObjectJobResult | undefined)[] = new Array(jobs.length);
  let next = 0;
  let merging = Promise.resolve();
  const results = await runJobs(jobs, workers, (r, done, total) => {
    arrived[r.objIndex] = r;
    onObject?.(r, done, total);
    merging = merging.then(async () => {
      while (next < arrived.length && arrived[next]) await writer.append(arrived[next++]!);
    });
  });
  await merging;
  await writer.finish(results);
  return summarize(outDir, results, (performance.now() - start) / 1000);
}

/**
 * Runs the object jobs (in-process for one worker, worker threads otherwise), started in object order so the ordered
 * merge advances as they finish; they may finish in any order.
 */
export async function runJobs(
  jobs: ObjectJob[],
  workers: number,
  onObject?: GenerateOptions['onObject'],
): Promise<ObjectJobResult[]> {
  let done = 0;
  const finish = (r: ObjectJobResult) => onObject?.(r, ++done, jobs.length);
  if (workers <= 1) {
    const results: ObjectJobResult[] = [];
    for (const job of jobs) {
      const r = await runObjectJob(job);
      results.push(r);
      finish(r);
    }
    return results;
  }
  return runOnWorkers<ObjectJob, ObjectJobResult>(siblingWorker(import.meta.url, 'generation-worker'), jobs, {
    workers,
    onResult: finish,
  });
}

/**
 * Streams finished parts, in object order, into shards of DATAPOINTS_PER_FILE. Pose and image labels
 * become dataset-wide ids in order of appearance, so they are the same however the jobs were scheduled; object
 * labels are the parts' own (the object's index; for a heap, the grasped object's mesh).
 */
export class ShardWriter {
  private readonly buffers: Record<string, FieldArray> = {};
  private readonly shardSizes: number[] = [];
  private fill = 0;
  private poseId = 0;
  private imageId = 0;
  private readonly layout: DatasetLayout;

  constructor(
    private readonly outDir: string,
    private readonly plan: GenerationPlan,
  ) {
    this.layout = datasetLayout(plan.options.gripper);
    for (const [name, spec] of Object.entries(this.layout.fields))
      this.buffers[name] = allocateField(spec, DATAPOINTS_PER_FILE);
  }

  /** Appends one object's part; call in object order. */
  async append(r: ObjectJobResult): Promise<void> {
    if (r.datapoints === 0) return;
    const part = await readPart(join(this.outDir, PARTS_DIR), r.objIndex);
    const poseMap = new Map<number, number>(),
      imageMap = new Map<number, number>();
    const b = this.buffers;
    for (let i = 0; i < r.datapoints; i++) {
      const lp = part.local_pose[i],
        li = part.local_image[i];
      if (!poseMap.has(lp)) poseMap.set(lp, this.poseId++);
      if (!imageMap.has(li)) imageMap.set(li, this.imageId++);
      for (const [name, spec] of Object.entries(this.layout.fields)) {
        const size = fieldSize(spec);
        b[name].set(part[name].subarray(i * size, (i + 1) * size) as never, this.fill * size);
      }
      b.pose_labels[this.fill] = poseMap.get(lp)!;
      b.image_labels[this.fill] = imageMap.get(li)!;
      if (++this.fill === DATAPOINTS_PER_FILE) await this.flush();
    }
  }

  private async flush(): Promise<void> {
    if (this.fill === 0) return;
    await writeShard(this.outDir, this.layout.fields, this.shardSizes.length, this.buffers, this.fill);
    this.shardSizes.push(this.fill);
    this.fill = 0;
  }

  /** Writes the last shard, config.json, the splits and objects.json (the completion marker), then drops the parts. */
  async finish(results: ObjectJobResult[]): Promise<void> {
    await this.flush();
    const datapoints = this.shardSizes.reduce((a, b) => a + b, 0);
    await writeConfig(this.outDir, {
      datapoints_per_file: DATAPOINTS_PER_FILE,
      fields: this.layout.fields,
      num_datapoints: datapoints,
      shard_sizes: this.shardSizes,
      positive_threshold: this.layout.positiveThreshold,
      // Which robust metric the threshold applies to; the gripper the datapoints are for (gqcnn 3.0: suction).
      label_field: this.layout.labelField,
      gripper: this.plan.options.gripper ?? 'parallel-jaw',
      // Heap datasets say so (single-object configs read as before); pose_labels then number heaps.
      ...(this.plan.scene ? { scene: 'heap' } : {}),
      generator: {
        name: 'dexnet-ts',
        seed: this.plan.seed,
        options: this.plan.options,
        objects: this.plan.meshes.length,
        ...(this.plan.scene ? { scene: this.plan.scene } : {}),
      },
    });
    if (datapoints > 0) await writeStandardSplits(await TensorDatasetReader.open(this.outDir), this.plan.seed);
    await writeFileAtomic(join(this.outDir, 'objects.json'), JSON.stringify(results, null, 2) + '\n');
    await rm(join(this.outDir, PARTS_DIR), { recursive: true, force: true });
    // A heap run's physics pieces are a cache of its workers, not part of the dataset.
    if (this.plan.scene) await rm(join(this.outDir, HEAP_GEOMETRY_DIR), { recursive: true, force: true });
  }
}

/** Merges a complete set of finished parts (the queue coordinator's path). */
export async function mergeParts(outDir: string, plan: GenerationPlan, results: ObjectJobResult[]): Promise<void> {
  const writer = new ShardWriter(outDir, plan);
  for (const r of results) await writer.append(r);
  await writer.finish(results);
}

/** The per-object results of a completed dataset, or null when it is not complete. */
async function readCompleted(outDir: string): Promise<ObjectJobResult[] | null> {
  try {
    const results = JSON.parse(await readFile(join(outDir, 'objects.json'), 'utf8')) as ObjectJobResult[];
    await rm(join(outDir, PARTS_DIR), { recursive: true, force: true });
    return results;
  } catch {
    return null;
  }
}

export function summarize(outDir: string, results: ObjectJobResult[], seconds: number): GenerateSummary {
  const datapoints = results.reduce((s, r) => s + r.datapoints, 0);
  const positives = results.reduce((s, r) => s + r.positives, 0);
  return {
    outDir,
    objects: results.length,
    skipped: results.filter((r) => r.skipped).map((r) => ({ meshPath: r.meshPath, reason: r.skipped! })),
    datapoints,
    positives,
    positiveRate: datapoints > 0 ? positives / datapoints : 0,
    perObject: results,
    seconds,
  };
}

export { defaultWorkers } from './default-workers.js';
