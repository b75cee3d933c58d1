// Planning on worker threads so the HTTP event loop never waits on the network: a fixed set of threads, each
// with its own predictor, a bounded queue in front of them and a deadline per task.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { GqcnnModel } from '../model/model-io.js';
import type { PlanTask, PlanTaskResult, PlanWorkerData } from './plan-worker.js';

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}
export class PlanTimeoutError extends Error {
  override name = 'PlanTimeoutError';
}
export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
}

export interface PlanPoolOptions {
  workers: number;
  /** Tasks that may wait for a thread; one more is refused (HTTP 429). */
  maxQueue: number;
  /** Deadline of one task, waiting included. */
  timeoutMs: number;
}

/**
 * The compiled worker in dist/, also when this module runs from src/ (tests): a worker thread cannot load
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

export class PlanPool {
  private readonly piscina: Piscina;
  private pending = 0;
  private closing = false;
  private idle: (() => void)[] = [];

  constructor(model: GqcnnModel, readonly options: PlanPoolOptions, fullyConvolutional: GqcnnModel | null = null) {
    const workerData: PlanWorkerData = { model, fullyConvolutional, intraOpThreads: 1 };
    this.piscina = new Piscina({
      filename: workerFile(),
      execArgv: [],
      workerData,
      minThreads: options.workers,
      maxThreads: options.workers,
      // Keep threads (and their ONNX sessions) for the server's life: starting one costs more than a plan.
      idleTimeout: Number.MAX_SAFE_INTEGER,
    });
  }

  /** Tasks queued or running. */
  get depth(): number {
    return this.pending;
  }

  async run(task: PlanTask): Promise<PlanTaskResult> {
    if (this.closing) throw new PoolClosedError('the server is shutting down');
    if (this.pending >= this.options.workers + this.options.maxQueue)
      throw new QueueFullError(`all ${this.options.workers} planners are busy and ${this.options.maxQueue} requests are waiting`);
    this.pending++;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.options.timeoutMs);
    try {
      return (await this.piscina.run(task, { signal: abort.signal })) as PlanTaskResult;
    } catch (e) {
      // An aborted task that was running takes its thread with it; Piscina starts a fresh one.
      if (abort.signal.aborted) throw new PlanTimeoutError(`planning took longer than ${this.options.timeoutMs} ms`);
      throw e;
    } finally {
      clearTimeout(timer);
      if (--this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Refuses new tasks, lets the queued and running ones finish, then stops the threads. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.pending > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await this.piscina.destroy();
  }
}
