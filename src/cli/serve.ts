// `dexnet serve`: the grasp-planning HTTP service (and the viewer at /), until SIGINT or SIGTERM.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { UserInputError } from '../core/errors.js';
import type { DexnetServer } from '../server/app.js';
import { SERVER_DEFAULTS } from '../server/defaults.js';
import { numberOption } from './output.js';
import { BUNDLED_MODEL_DIR } from '../model/bundled-model.js';

interface ServeFlags {
  host: string;
  port: number;
  model: string;
  suctionModel?: string;
  apiKey?: string;
  apiKeyFile?: string;
  dataset?: string;
  workers?: number;
  maxQueue: number;
  timeout: number;
  maxPixels: number;
  bodyLimit: number;
}

/**
 * The API key from --api-key-file, $DEXNET_API_KEY or --api-key (the last is visible to every user in `ps`), or
 * null. A key that is given but blank is an error, not "no key"; so are two sources that might disagree.
 */
export function resolveApiKey(
  flags: { apiKey?: string; apiKeyFile?: string },
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  // `DEXNET_API_KEY= dexnet serve` is the shell's way to say "no key"; a key of only spaces is a mistake.
  const envKey = env.DEXNET_API_KEY === '' ? undefined : env.DEXNET_API_KEY;
  const given = [
    flags.apiKeyFile !== undefined && '--api-key-file',
    envKey !== undefined && 'DEXNET_API_KEY',
    flags.apiKey !== undefined && '--api-key',
  ].filter(Boolean);
  if (given.length > 1)
    throw new UserInputError(`the API key is given twice (${given.join(' and ')}): give it one way`, {
      field: 'api-key',
    });
  if (flags.apiKeyFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.apiKeyFile, 'utf8');
    } catch (e) {
      throw new UserInputError(
        `--api-key-file ${flags.apiKeyFile}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        { file: flags.apiKeyFile },
      );
    }
    // A key file usually ends with a newline.
    const key = text.trim();
    if (key === '')
      throw new UserInputError(`--api-key-file ${flags.apiKeyFile}: the file is empty or blank`, {
        file: flags.apiKeyFile,
      });
    if (/\s/.test(key))
      throw new UserInputError(
        `--api-key-file ${flags.apiKeyFile}: holds more than one line or word; put only the key in it`,
        { file: flags.apiKeyFile },
      );
    return key;
  }
  if (envKey !== undefined) {
    if (envKey.trim() === '')
      throw new UserInputError('DEXNET_API_KEY is blank: give a real key, or unset it', { field: 'DEXNET_API_KEY' });
    return envKey;
  }
  if (flags.apiKey !== undefined) {
    if (flags.apiKey.trim() === '')
      throw new UserInputError('--api-key is empty or blank: give a real key, or leave it out', { field: '--api-key' });
    console.error(
      'dexnet serve: warning: --api-key is visible to every user of this machine in `ps`; prefer DEXNET_API_KEY or --api-key-file',
    );
    return flags.apiKey;
  }
  return null;
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
    .option(
      '--suction-model <dir>',
      'a suction model served beside the jaw model: requests may then ask for gripper suction or both',
    )
    .option(
      '--api-key-file <file>',
      'require `Authorization: Bearer <key>` with the key in this file (or set $DEXNET_API_KEY)',
    )
    .option('--api-key <key>', 'the key itself (visible in `ps`: prefer $DEXNET_API_KEY or --api-key-file)')
    .option('--dataset <dir>', "a generated dataset for the viewer's dataset browser")
    .option(
      '--workers <n>',
      'planner processes (default: one per core, at most 8)',
      numberOption('--workers', 1, 64, true),
    )
    .option(
      '--max-queue <n>',
      'plan requests that may wait before the next gets 429',
      numberOption('--max-queue', 0, 10_000, true),
      SERVER_DEFAULTS.maxQueue,
    )
    .option(
      '--timeout <ms>',
      'deadline of one plan request, waiting included',
      numberOption('--timeout', 100, 3_600_000, true),
      SERVER_DEFAULTS.timeoutMs,
    )
    .option(
      '--max-pixels <n>',
      'largest depth image accepted',
      numberOption('--max-pixels', 1, 1e9, true),
      SERVER_DEFAULTS.maxPixels,
    )
    .option(
      '--body-limit <bytes>',
      'largest request body or uploaded file',
      numberOption('--body-limit', 1024, 2 ** 31, true),
      SERVER_DEFAULTS.bodyLimit,
    )
    .action(async (flags: ServeFlags) => {
      const apiKey = resolveApiKey(flags);
      const { startServer } = await import('../server/app.js');
      const server = await startServer({
        host: flags.host,
        port: flags.port,
        modelDir: flags.model,
        suctionModelDir: flags.suctionModel ?? null,
        datasetDir: flags.dataset ?? null,
        apiKey,
        workers: flags.workers,
        maxQueue: flags.maxQueue,
        timeoutMs: flags.timeout,
        maxPixels: flags.maxPixels,
        bodyLimit: flags.bodyLimit,
        logLevel: 'warn',
      });
      console.log(
        `dexnet serve: listening on ${server.url} (${server.pool.options.workers} planner processes${apiKey ? ', API key required' : ''}; docs at ${server.url}/docs)`,
      );
      await serveUntilSignal(server, 'dexnet serve');
    });
}
