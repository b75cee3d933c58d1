import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runOnWorkers, siblingWorker, type WorkerScript } from '../../src/core/worker-pool.js';

const script: WorkerScript = {
  filename: fileURLToPath(new URL('../fixtures/pool-worker.mjs', import.meta.url)),
  execArgv: [],
};

interface Task {
  index: number;
  counters: SharedArrayBuffer;
  total: number;
  hold?: boolean;
  fail?: boolean;
  sleepMs?: number;
}
interface Result {
  index: number;
  started: number;
  released: boolean;
}

function tasks(total: number, extra: (i: number) => Partial<Task> = () => ({})): Task[] {
  const counters = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  return Array.from({ length: total }, (_, index) => ({ index, counters, total, ...extra(index) }));
}

describe('runOnWorkers', () => {
  it('starts tasks in list order, one in flight per thread', async () => {
    // Task i is handed out only after tasks 0…i−1, and each of those not started yet holds a thread of its own, so
    // at least i − (workers − 1) of them started before it (later tasks may overtake it while its thread starts up).
    // piscina's own queue, given all 16 at once, sent every task it could not place to the back: task 4 started
    // third, right after 0 and 1, and 2 only after every other even one.
    for (const workers of [2, 3]) {
      const results = await runOnWorkers<Task, Result>(script, tasks(16), { workers });
      expect(results.map((r) => r.index)).toEqual([...Array(16).keys()]);
      for (const r of results) expect(r.started, `task ${r.index}`).toBeGreaterThanOrEqual(r.index - (workers - 1));
    }
  });

  it('runs every other task while one thread is held by a slow one', async () => {
    // The held task finishes only once all 9 others have, so this completes only if none waits behind it.
    const seen: number[] = [];
    const results = await runOnWorkers<Task, Result>(
      script,
      tasks(10, (i) => ({ hold: i === 1 })),
      {
        workers: 2,
        onResult: (r, index) => {
          expect(r.index).toBe(index);
          seen.push(index);
        },
      },
    );
    expect(results.every((r) => r.released)).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
  });

  it("rejects with a task's error and with an onResult error", async () => {
    await expect(
      runOnWorkers<Task, Result>(
        script,
        tasks(6, (i) => ({ fail: i === 3 })),
        { workers: 2 },
      ),
    ).rejects.toThrow('task 3 failed');
    await expect(
      runOnWorkers<Task, Result>(script, tasks(6), {
        workers: 2,
        onResult: (r) => {
          if (r.index === 2) throw new Error('cannot record 2');
        },
      }),
    ).rejects.toThrow('cannot record 2');
  });

  it('lets a task in flight finish before it rejects and ends the threads', async () => {
    // Task 0 fails at once while task 1 still runs on the other thread: ending the pool under it made piscina throw on
    // its late reply, outside any promise, which failed a whole test run.
    const list = tasks(3, (i) => (i === 0 ? { fail: true } : { sleepMs: 300 }));
    await expect(runOnWorkers<Task, Result>(script, list, { workers: 2 })).rejects.toThrow('task 0 failed');
    // Task 1 ran to its end (ended under way, it would not count as finished); task 2 never started.
    const [started, finished] = new Int32Array(list[0]!.counters);
    expect([started, finished]).toEqual([2, 1]);
  });

  it('starts no thread for no tasks', async () => {
    const missing: WorkerScript = { filename: '/nonexistent/worker.mjs', execArgv: [] };
    expect(await runOnWorkers(missing, [], { workers: 4 })).toEqual([]);
  });

  it('finds the worker beside a module, compiled or from source', () => {
    expect(siblingWorker('file:///app/dist/dataset/generate.js', 'generation-worker')).toEqual({
      filename: '/app/dist/dataset/generation-worker.js',
      execArgv: [],
    });
    expect(siblingWorker('file:///app/src/dataset/generate.ts', 'generation-worker')).toEqual({
      filename: '/app/src/dataset/generation-worker.ts',
      execArgv: ['--import', 'tsx'],
    });
  });
});
