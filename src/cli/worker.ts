// `dexnet worker --queue redis://…`: process dataset-generation jobs from a queue until Ctrl-C.
import type { Command } from 'commander';
import { numberOption } from './output.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'run dataset-generation jobs from a Redis queue (see `dexnet generate --queue`); needs the output folder on a shared filesystem',
    )
    .requiredOption('--queue <redis-url>', 'queue address, e.g. redis://127.0.0.1:6379')
    .option('--concurrency <n>', 'jobs at once in this process', numberOption('--concurrency', 1, 64, true), 1)
    .option(
      '--lock-ms <ms>',
      'a job whose worker stops answering for this long is handed to another worker',
      numberOption('--lock-ms', 500, 3_600_000, true),
      30_000,
    )
    .action(async (flags: { queue: string; concurrency: number; lockMs: number }) => {
      const stop = new AbortController();
      // First Ctrl-C: finish the job in hand, then exit; the queue keeps every other job.
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());
      console.error(`worker: waiting for jobs on ${flags.queue} (Ctrl-C to stop)`);
      const { runQueueWorker } = await import('../dataset/queue.js');
      await runQueueWorker(
        flags.queue,
        {
          concurrency: flags.concurrency,
          lockMs: flags.lockMs,
          onJob: (r) =>
            console.error(
              `worker: object ${r.objIndex} ${r.skipped ? `skipped (${r.skipped})` : `${r.datapoints} datapoints`} — ${r.meshPath}`,
            ),
        },
        stop.signal,
      );
    });
}
