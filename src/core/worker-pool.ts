// Runs a list of tasks on a pool of worker threads, dispatched strictly in list order: each thread pulls the next
// task when it frees up, so no task ever waits in piscina's own queue. That queue is not FIFO: when a task cannot be
// handed out (every thread busy) piscina pushes it back to the tail, so with all tasks submitted at once and two
// threads, every other task (all odd ones) was deferred to the end of the run — hours on a large dataset, which
// looked like a stalled worker and kept the in-order shard merge from advancing.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

/** A worker module and the Node flags its thread starts with. */
export interface WorkerScript {
  filename: string;
  execArgv: string[];
}

/**
 * The worker module `name` beside the calling module (pass its `import.meta.url`): the compiled .js next to compiled
 * code, or the .ts through tsx when running from source (tests, tsx).
 */
export function siblingWorker(moduleUrl: string, name: string): WorkerScript {
  const here = fileURLToPath(moduleUrl);
  const fromSource = here.endsWith('.ts');
  const filename = join(dirname(here), `${name}.${fromSource ? 'ts' : 'js'}`);
  // No inherited loader flags (e.g. tsx's): compiled workers start as plain Node, which is seconds faster.
  return { filename, execArgv: fromSource ? ['--import', 'tsx'] : [] };
}

export interface WorkerRunOptions<R> {
  /** Worker threads (at most one per task; no default: callers size it, e.g. one per core). */
  workers: number;
  /**
   * Called as each task finishes, in completion order; a returned promise is awaited before that thread's next task
   * (keep it short). A throw stops the run: no further task starts, and the run rejects with it.
   */
  onResult?: (result: R, index: number) => void | Promise<void>;
  /** Handed once to every thread (piscina's `workerData`), for what all tasks share. */
  workerData?: unknown;
}

/**
 * Runs `tasks[i]` through the worker's default export on `options.workers` threads, starting them in index order
 * with exactly one task in flight per thread; resolves to the results by index. Rejects with the first task error
 * once the tasks already running have finished (no further task starts; the threads are then terminated).
 */
export async function runOnWorkers<T, R>(
  script: WorkerScript,
  tasks: readonly T[],
  options: WorkerRunOptions<R>,
): Promise<R[]> {
  const results: R[] = new Array(tasks.length);
  const threads = Math.max(1, Math.min(Math.floor(options.workers), tasks.length));
  if (tasks.length === 0) return results;
  // stricterFIFO only matters if a task ever queues (it should not: never more in flight than threads).
  const pool = new Piscina({
    ...script,
    workerData: options.workerData,
    minThreads: threads,
    maxThreads: threads,
    stricterFIFO: true,
  });
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < tasks.length) {
      const index = next++;
      const result = (await pool.run(tasks[index])) as R;
      results[index] = result;
      await options.onResult?.(result, index);
    }
  };
  // Every lane settles before the pool goes: a lane still running a task when another failed finishes it first, as
  // destroying the pool under a task in flight made piscina throw on its late reply, outside any promise (it crashed
  // a test run).
  const errors: unknown[] = []; // in the order the lanes failed
  try {
    await Promise.all(
      Array.from({ length: threads }, () =>
        lane().catch((reason: unknown) => {
          failed = true;
          errors.push(reason);
        }),
      ),
    );
  } finally {
    await pool.destroy();
  }
  if (errors.length > 0) throw errors[0];
  return results;
}

export interface PoolOptions<T, R> {
  /** Worker threads; 1 or fewer runs every task in this thread with `runInline` (no thread start-up, easy to debug). */
  workers: number;
  /** The worker module (siblingWorker), whose default export runs one task. */
  worker: WorkerScript;
  /** Handed once to every worker thread, for what all tasks share. */
  workerData?: unknown;
  /** The same task function the worker module exports, for in-process runs. */
  runInline: (task: T) => Promise<R>;
  /** Called as each task finishes, with how many have. */
  onResult?: (result: R, done: number, total: number) => void;
}

/** Runs every task, in this thread for one worker or on worker threads (runOnWorkers); results in task order. */
export async function runTasks<T, R>(tasks: readonly T[], o: PoolOptions<T, R>): Promise<R[]> {
  let done = 0;
  if (o.workers > 1)
    return runOnWorkers<T, R>(o.worker, tasks, {
      workers: o.workers,
      workerData: o.workerData,
      onResult: (r) => o.onResult?.(r, ++done, tasks.length),
    });
  const results: R[] = new Array<R>(tasks.length);
  for (let i = 0; i < tasks.length; i++) {
    results[i] = await o.runInline(tasks[i]!);
    o.onResult?.(results[i]!, ++done, tasks.length);
  }
  return results;
}
