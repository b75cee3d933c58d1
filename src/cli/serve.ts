// `dexnet serve`: the grasp-planning HTTP service (and the viewer at /), until SIGINT or SIGTERM.
import { Option, type Command } from 'commander';
import { type DexnetServer, SERVER_DEFAULTS, startServer } from '../server/app.js';
import { numberOption } from './output.js';
import { BUNDLED_MODEL_DIR } from '../model/bundled-model.js';

interface ServeFlags {
  host: string;
  port: number;
  model: string;
  apiKey?: string;
  dataset?: string;
  workers?: number;
  maxQueue: number;
  timeout: number;
  maxPixels: number;
  bodyLimit: number;
}

/** Serves until the first SIGINT/SIGTERM, then lets the plans in flight finish before exiting. */
export async function serveUntilSignal(server: DexnetServer, name: string): Promise<void> {
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
  });
  console.error(`${name}: shutting down (${server.pool.depth} plan${server.pool.depth === 1 ? '' : 's'} in flight)`);
  await server.close();
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve grasp plans over HTTP (POST /v1/plan; docs at /docs) and the web viewer at /')
    .option('--host <address>', 'address to listen on; anything but localhost needs --api-key', SERVER_DEFAULTS.host)
    .option('--port <n>', 'port (0: any free port)', numberOption('--port', 0, 65535, true), SERVER_DEFAULTS.port)
    .addOption(
      new Option('--model <dir>', 'model folder from `dexnet train`').default(BUNDLED_MODEL_DIR, 'the bundled model'),
    )
    .option('--api-key <key>', 'require `Authorization: Bearer <key>` (default: $DEXNET_API_KEY)')
    .option('--dataset <dir>', 'a generated dataset for the viewer\'s dataset browser')
    .option('--workers <n>', 'planning threads (default: one per core)', numberOption('--workers', 1, 64, true))
    .option('--max-queue <n>', 'plan requests that may wait before the next gets 429', numberOption('--max-queue', 0, 10_000, true), SERVER_DEFAULTS.maxQueue)
    .option('--timeout <ms>', 'deadline of one plan request, waiting included', numberOption('--timeout', 100, 3_600_000, true), SERVER_DEFAULTS.timeoutMs)
    .option('--max-pixels <n>', 'largest depth image accepted', numberOption('--max-pixels', 1, 1e9, true), SERVER_DEFAULTS.maxPixels)
    .option('--body-limit <bytes>', 'largest request body or uploaded file', numberOption('--body-limit', 1024, 2 ** 31, true), SERVER_DEFAULTS.bodyLimit)
    .action(async (flags: ServeFlags) => {
      const apiKey = flags.apiKey || process.env.DEXNET_API_KEY || null;
      const server = await startServer({
        host: flags.host,
        port: flags.port,
        modelDir: flags.model,
        datasetDir: flags.dataset ?? null,
        apiKey,
        workers: flags.workers,
        maxQueue: flags.maxQueue,
        timeoutMs: flags.timeout,
        maxPixels: flags.maxPixels,
        bodyLimit: flags.bodyLimit,
        logLevel: 'warn',
      });
      console.log(`dexnet serve: listening on ${server.url} (${server.pool.options.workers} planning threads${apiKey ? ', API key required' : ''}; docs at ${server.url}/docs)`);
      await serveUntilSignal(server, 'dexnet serve');
    });
}
