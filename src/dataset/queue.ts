// Distributed generation on a Redis job queue (BullMQ): the coordinator enqueues one job per object and
// waits for the parts to appear in the shared output folder; workers on any machine that sees that
// folder run the jobs. Jobs are idempotent (a finished part is never redone), retried, and a killed
// worker's job is picked up again by another once its lock lapses.
import { UserInputError } from '../core/errors.js';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import {
  listMeshes,
  makePlan,
  mergeParts,
  objectJobs,
  preparePlan,
  summarize,
  type GenerateOptions,
  type GenerateSummary,
  type GenerationPlan,
} from './generate.js';
import { readPartSummary, runObjectJob, type ObjectJob, type ObjectJobResult } from './generation-job.js';
import { DEFAULT_DATAPOINT_OPTIONS } from './object-datapoints.js';

export const QUEUE_NAME = 'dexnet-generate';

/** Connection options from `redis://[:password@]host:port[/db]`, with a clear error for anything else. */
export function parseRedisUrl(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserInputError(`--queue: expected redis://host:port, got "${url}"`, { field: 'queue' });
  }
  if (u.protocol !== 'redis:')
    throw new UserInputError(`--queue: expected a redis:// URL, got "${url}"`, { field: 'queue' });
  const port = u.port ? Number(u.port) : 6379;
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new UserInputError(`--queue: database must be a non-negative integer, got "${u.pathname.slice(1)}"`, {
      field: 'queue',
    });
  return {
    host: u.hostname || '127.0.0.1',
    port,
    db,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    // BullMQ workers block on Redis; they must not give up on a slow reply.
    maxRetriesPerRequest: null,
  };
}

export interface QueueGenerateOptions extends GenerateOptions {
  queue: string;
  /** How often the coordinator looks for finished parts (ms). */
  pollMs?: number;
}

/** Job id of an object: the same dataset, object and seed always map to the same job. */
export function jobId(outDir: string, plan: GenerationPlan, objIndex: number): string {
  const key = createHash('sha256').update(resolve(outDir)).update(JSON.stringify(plan)).digest('hex').slice(0, 16);
  return `${key}-${objIndex}-${plan.seed}`;
}

/** Coordinator: enqueue every unfinished object, wait until all parts exist, then merge the dataset. */
export async function generateDatasetOnQueue(
  meshesDir: string,
  outDir: string,
  options: QueueGenerateOptions,
): Promise<GenerateSummary> {
  const start = performance.now();
  const { seed = 0, queue: url, pollMs = 250, onObject, workers: _w, scale, ...rest } = options;
  const out = resolve(outDir);
  const plan: GenerationPlan = makePlan(
    seed,
    { ...DEFAULT_DATAPOINT_OPTIONS, ...rest },
    (await listMeshes(meshesDir)).map((m) => resolve(m)),
    scale,
  );
  await preparePlan(out, plan);
  const jobs = objectJobs(out, plan);
  const queue = new Queue<ObjectJob, ObjectJobResult>(QUEUE_NAME, { connection: parseRedisUrl(url) });
  try {
    const results: (ObjectJobResult | null)[] = await Promise.all(
      jobs.map((j) => readPartSummary(j.partsDir, j.objIndex)),
    );
    let done = results.filter((r) => r).length;
    for (const job of jobs) {
      if (results[job.objIndex]) continue;
      await queue.add('object', job, {
        jobId: jobId(out, plan, job.objIndex),
        attempts: 3,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: false,
      });
    }
    while (done < jobs.length) {
      await new Promise((r) => setTimeout(r, pollMs));
      for (const job of jobs) {
        if (results[job.objIndex]) continue;
        const r = await readPartSummary(job.partsDir, job.objIndex);
        if (r) {
          results[job.objIndex] = r;
          onObject?.(r, ++done, jobs.length);
          continue;
        }
        const state = await queue.getJobState(jobId(out, plan, job.objIndex));
        if (state === 'failed') {
          const failed = await queue.getJob(jobId(out, plan, job.objIndex));
          throw new Error(
            `${job.meshPath}: job failed after ${failed?.attemptsMade ?? '?'} attempts (${failed?.failedReason ?? 'unknown reason'})`,
          );
        }
      }
    }
    const finished = results as ObjectJobResult[];
    await mergeParts(out, plan, finished);
    return summarize(out, finished, (performance.now() - start) / 1000);
  } finally {
    await queue.close();
  }
}

export interface QueueWorkerOptions {
  concurrency?: number;
  /** How long a job stays claimed without a heartbeat before another worker may take it (ms). */
  lockMs?: number;
  onJob?: (result: ObjectJobResult) => void;
}

/** Worker: processes object jobs until `signal` aborts, then finishes the job in hand and returns. */
export async function runQueueWorker(
  url: string,
  options: QueueWorkerOptions = {},
  signal?: AbortSignal,
): Promise<void> {
  const lockMs = options.lockMs ?? 30_000;
  const worker = new Worker<ObjectJob, ObjectJobResult>(
    QUEUE_NAME,
    async (job) => {
      const r = await runObjectJob(job.data);
      options.onJob?.(r);
      return r;
    },
    {
      connection: parseRedisUrl(url),
      concurrency: options.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, lockMs / 2),
      maxStalledCount: 3,
    },
  );
  await worker.waitUntilReady();
  await new Promise<void>((resolveStop) => {
    if (signal?.aborted) return resolveStop();
    signal?.addEventListener('abort', () => resolveStop(), { once: true });
  });
  await worker.close();
}
