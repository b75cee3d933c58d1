// Running independent tasks on worker threads: in-process for one worker (no thread start-up, easy to debug), on a
// piscina pool otherwise. Results arrive in completion order; callers that need an order index them.
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

/**
 * The worker module next to `callerUrl` (an `import.meta.url`) named `name` (without extension): the compiled .js
 * beside a compiled caller, or the TypeScript source run through tsx when the caller runs from source (tests, tsx).
 */
export function workerModule(callerUrl: string, name: string): { filename: string; execArgv: string[] } {
  const caller = fileURLToPath(callerUrl);
  const fromSource = caller.endsWith('.ts');
  const filename = caller.replace(/[^/\\]+$/, `${name}${fromSource ? '.ts' : '.js'}`);
  // Compiled workers start as plain Node without inherited loader flags (e.g. tsx's), which is seconds faster.
  return { filename, execArgv: fromSource ? ['--import', 'tsx'] : [] };
}

export interface PoolOptions<T, R> {
  /** Worker threads; 1 or fewer runs every task in this thread with `runInline`. */
  workers: number;
  /** The worker module (workerModule), whose default export runs one task. */
  worker: { filename: string; execArgv: string[] };
  /** Handed once to every worker thread (piscina's `workerData`), for what all tasks share. */
  workerData?: unknown;
  /** The same task function the worker module exports, for in-process runs. */
  runInline: (task: T) => Promise<R>;
  /** Called as each task finishes, with how many have. */
  onResult?: (result: R, done: number, total: number) => void;
}

/** Runs every task and returns the results in task order. */
export async function runTasks<T, R>(tasks: readonly T[], o: PoolOptions<T, R>): Promise<R[]> {
  const results: R[] = new Array<R>(tasks.length);
  let done = 0;
  const finish = (i: number, r: R) => {
    results[i] = r;
    o.onResult?.(r, ++done, tasks.length);
  };
  if (o.workers <= 1) {
    for (let i = 0; i < tasks.length; i++) finish(i, await o.runInline(tasks[i]));
    return results;
  }
  const pool = new Piscina({
    ...o.worker,
    workerData: o.workerData,
    minThreads: o.workers,
    maxThreads: o.workers,
    idleTimeout: 1000,
  });
  try {
    await Promise.all(tasks.map(async (task, i) => finish(i, (await pool.run(task)) as R)));
  } finally {
    await pool.destroy();
  }
  return results;
}
