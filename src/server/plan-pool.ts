// Planning in child processes so neither the HTTP event loop nor the server's memory pays for a plan: a fixed
// set of planner processes, each with its own predictor, a bounded queue in front of them and a deadline per task.
// A plan past its deadline, over its memory budget, or whose process dies (an ONNX Runtime abort, out of memory)
// answers its own request and the planner is replaced; a planner that grew past its budget is recycled after its
// plan so the memory goes back to the system (one fc plan on a 2000×2000 image took RSS from 260 MB to 2.1 GB).
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GqcnnModel } from '../model/model-io.js';
import type { FromPlanner, PlanTask, PlanTaskResult, PlanWorkerData, ToPlanner } from './plan-worker.js';

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}
export class PlanTimeoutError extends Error {
  override name = 'PlanTimeoutError';
}
export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
}
/** The planner process died or failed while planning (the reason is in the message). */
export class PlanCrashError extends Error {
  override name = 'PlanCrashError';
}
/** The plan needed more memory than a planner may use. */
export class PlanOverBudgetError extends Error {
  override name = 'PlanOverBudgetError';
}
/** The client went away before its plan finished. */
export class PlanAbortedError extends Error {
  override name = 'PlanAbortedError';
}

export interface PlanPoolOptions {
  workers: number;
  /** Tasks that may wait for a planner; one more is refused (HTTP 429). */
  maxQueue: number;
  /** Deadline of one task, waiting included. */
  timeoutMs: number;
  /** A planner whose resident memory exceeds this after a plan is replaced by a fresh one (bytes). */
  recycleBytes?: number;
  /** A planner whose resident memory exceeds this while planning is killed and its request answered 503 (bytes). */
  maxPlannerBytes?: number;
}

export const POOL_DEFAULTS = {
  // A fresh planner with the bundled model holds ~200 MB; one cem plan on 640×480 adds tens of MB of arena.
  recycleBytes: 512 * 1024 * 1024,
  maxPlannerBytes: 3 * 1024 * 1024 * 1024,
} as const;

/**
 * The compiled worker in dist/, also when this module runs from src/ (tests): a child process cannot load
 * TypeScript without a loader, and the compiled one starts as plain Node in well under a second.
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.ts')
    ? fileURLToPath(new URL('../../dist/server/plan-worker.js', import.meta.url))
    : here.replace(/plan-pool\.js$/, 'plan-worker.js');
  if (!existsSync(file)) throw new Error(`${file}: the compiled planning worker is missing; run \`npm run build\``);
  return file;
}

/** Resident memory of a process from /proc (Linux), or null where that cannot be read. */
function residentBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

interface Job {
  id: number;
  task: PlanTask;
  resolve: (r: PlanTaskResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  planner: Planner | null;
  done: boolean;
}

interface Planner {
  child: ChildProcess;
  ready: boolean;
  job: Job | null;
  /** Why the pool ended it, for the answer of the job it held. */
  killedFor: Error | null;
  watch: NodeJS.Timeout | null;
}

export class PlanPool {
  private readonly planners = new Set<Planner>();
  private readonly queue: Job[] = [];
  private pending = 0;
  private nextId = 1;
  private closing = false;
  private closed = false;
  private idle: (() => void)[] = [];
  private readonly file = workerFile();
  private readonly data: PlanWorkerData;
  private readonly recycleBytes: number;
  private readonly maxPlannerBytes: number;
  private startFailures = 0;
  /** Planners replaced so far (deadline, crash, memory): for /metrics and tests. */
  replaced = 0;

  constructor(
    model: GqcnnModel,
    readonly options: PlanPoolOptions,
    fullyConvolutional: GqcnnModel | null = null,
    suction?: PlanWorkerData['suction'],
  ) {
    this.data = { model, fullyConvolutional, intraOpThreads: 1, ...(suction ? { suction } : {}) };
    this.recycleBytes = options.recycleBytes ?? POOL_DEFAULTS.recycleBytes;
    this.maxPlannerBytes = options.maxPlannerBytes ?? POOL_DEFAULTS.maxPlannerBytes;
    for (let i = 0; i < options.workers; i++) this.spawn();
  }

  /** Tasks queued or running. */
  get depth(): number {
    return this.pending;
  }

  /** True when one more task would be refused: lets the route answer 429 before reading an upload. */
  get full(): boolean {
    return this.closing || this.pending >= this.options.workers + this.options.maxQueue;
  }

  /** Planners that have loaded the model and can take a task. */
  get readyPlanners(): number {
    let n = 0;
    for (const p of this.planners) if (p.ready && !p.killedFor) n++;
    return n;
  }

  /** Process ids of the planners now (for operators' tools and the isolation tests). */
  plannerPids(): number[] {
    return [...this.planners].flatMap((p) => (p.child.pid === undefined ? [] : [p.child.pid]));
  }

  /** Resident bytes of the planner processes now (0 for any whose memory cannot be read). */
  plannerBytes(): number {
    let sum = 0;
    for (const p of this.planners) if (p.child.pid) sum += residentBytes(p.child.pid) ?? 0;
    return sum;
  }

  /** Plans `task` on a planner; `signal` (the client going away) drops it from the queue or ends its planner. */
  run(task: PlanTask, signal?: AbortSignal): Promise<PlanTaskResult> {
    if (this.closing) return Promise.reject(new PoolClosedError('the server is shutting down'));
    if (this.pending >= this.options.workers + this.options.maxQueue)
      return Promise.reject(
        new QueueFullError(
          `all ${this.options.workers} planners are busy and ${this.options.maxQueue} requests are waiting`,
        ),
      );
    if (signal?.aborted) return Promise.reject(new PlanAbortedError('the client went away'));
    this.pending++;
    return new Promise<PlanTaskResult>((resolve, reject) => {
      const { timeoutMs } = this.options;
      const job: Job = {
        id: this.nextId++,
        task,
        resolve,
        reject,
        planner: null,
        done: false,
        timer: undefined as never,
      };
      job.timer = setTimeout(
        () => this.fail(job, new PlanTimeoutError(`planning took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
      const gone = () => this.fail(job, new PlanAbortedError('the client went away'));
      signal?.addEventListener('abort', gone, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Refuses new tasks, lets the queued and running ones finish, then stops the planners. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.pending > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.closed = true;
    await Promise.all([...this.planners].map((p) => this.stop(p)));
  }

  private spawn(): void {
    if (this.closed) return;
    const child = fork(this.file, [], {
      serialization: 'advanced',
      env: { ...process.env, DEXNET_PLANNER: '1' },
      // The JS heap holds decoded images and candidates, never the network's arenas: 1.5 GiB is far above what a
      // 2048×2048 fc plan needs, and past it V8 ends this process, not the server.
      execArgv: ['--max-old-space-size=1536'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const planner: Planner = { child, ready: false, job: null, killedFor: null, watch: null };
    this.planners.add(planner);
    child.on('message', (m: FromPlanner) => this.onMessage(planner, m));
    child.on('error', () => child.kill('SIGKILL'));
    child.on('exit', (code, signal) => this.onExit(planner, code, signal));
    child.send({ type: 'init', data: this.data } satisfies ToPlanner);
  }

  private onMessage(planner: Planner, m: FromPlanner): void {
    if (m.type === 'ready') {
      planner.ready = true;
      this.startFailures = 0;
      this.dispatch();
      return;
    }
    const job = planner.job;
    planner.job = null;
    if (planner.watch) clearInterval(planner.watch);
    planner.watch = null;
    if (m.type === 'failed' && m.id === null) {
      planner.killedFor = new PlanCrashError(m.error);
      planner.child.kill('SIGKILL');
      return;
    }
    if (job && !job.done) {
      if (m.type === 'result') this.settle(job, () => job.resolve(m.result));
      else this.settle(job, () => job.reject(new PlanCrashError(`the planner failed: ${m.error}`)));
    }
    if (m.type === 'result' && m.rss > this.recycleBytes) {
      // Its arenas keep what the largest plan needed; a fresh process gives that memory back.
      this.retire(planner);
      return;
    }
    this.dispatch();
  }

  private onExit(planner: Planner, code: number | null, signal: NodeJS.Signals | null): void {
    if (planner.watch) clearInterval(planner.watch);
    this.planners.delete(planner);
    const job = planner.job;
    planner.job = null;
    if (job && !job.done) {
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      const why = `the planner process ended while planning (${how}); it has been replaced`;
      this.fail(job, planner.killedFor ?? new PlanCrashError(why));
    }
    if (this.closed) return;
    if (!planner.ready && ++this.startFailures >= 3) {
      // Planners that cannot even start (a broken build, a bad model): tell the waiting requests, retry slowly.
      for (const waiting of this.queue.splice(0))
        this.fail(
          waiting,
          planner.killedFor ?? new PlanCrashError(`a planner could not start (${signal ?? `exit ${code}`})`),
        );
      setTimeout(() => this.spawn(), Math.min(30_000, 500 * 2 ** this.startFailures)).unref();
      return;
    }
    this.replaced++;
    this.spawn();
  }

  private dispatch(): void {
    for (const planner of this.planners) {
      if (!planner.ready || planner.job || planner.killedFor) continue;
      const job = this.queue.shift();
      if (!job) return;
      planner.job = job;
      job.planner = planner;
      planner.child.send({ type: 'task', id: job.id, task: job.task } satisfies ToPlanner);
      const pid = planner.child.pid;
      if (pid !== undefined)
        planner.watch = setInterval(() => {
          const rss = residentBytes(pid);
          const budget = `${Math.round(this.maxPlannerBytes / 2 ** 20)} MiB`;
          if (rss !== null && rss > this.maxPlannerBytes)
            this.end(planner, new PlanOverBudgetError(`planning needed more than ${budget}; try a smaller image`));
        }, 200);
    }
  }

  /** Answers `job` with `error`: out of the queue, or its planner killed (the only safe way to stop an ORT call). */
  private fail(job: Job, error: Error): void {
    if (job.done) return;
    const i = this.queue.indexOf(job);
    if (i >= 0) this.queue.splice(i, 1);
    const planner = job.planner;
    this.settle(job, () => job.reject(error));
    if (planner && planner.job === job) this.end(planner, error);
  }

  private end(planner: Planner, why: Error): void {
    planner.killedFor ??= why;
    planner.child.kill('SIGKILL');
  }

  private settle(job: Job, answer: () => void): void {
    if (job.done) return;
    job.done = true;
    clearTimeout(job.timer);
    answer();
    if (--this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Replaces an idle planner: the new one starts before the old one goes, so capacity never drops to zero. */
  private retire(planner: Planner): void {
    planner.killedFor = new PlanCrashError('recycled');
    this.replaced++;
    this.planners.delete(planner);
    planner.child.removeAllListeners('exit');
    planner.child.once('exit', () => undefined);
    this.spawn();
    planner.child.disconnect();
  }

  private stop(planner: Planner): Promise<void> {
    return new Promise((resolve) => {
      if (planner.child.exitCode !== null || planner.child.signalCode !== null) return resolve();
      planner.child.once('exit', () => resolve());
      if (planner.child.connected) planner.child.disconnect();
      else planner.child.kill('SIGKILL');
    });
  }
}
