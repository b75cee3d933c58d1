// `dexnet view [dataset-or-model-dir]`: the web viewer on localhost — plan on depth images, browse a
// dataset's crops, read a model's training report.
import { UserInputError } from '../core/errors.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { numberOption } from './output.js';
import { BUNDLED_MODEL_DIR } from '../model/bundled-model.js';
import { serveUntilSignal } from './serve.js';

/** A model folder (config.json of format dexnet-ts-gqcnn) or a dataset folder (config.json with fields)? */
async function kindOf(dir: string): Promise<'model' | 'dataset'> {
  let config: Record<string, unknown> | null;
  try {
    config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown> | null;
  } catch {
    throw new UserInputError(`${dir}: neither a model nor a dataset folder (no readable config.json)`, { file: dir });
  }
  if (typeof config !== 'object' || config === null)
    throw new UserInputError(`${join(dir, 'config.json')}: must hold a JSON object`, {
      file: join(dir, 'config.json'),
    });
  const { MODEL_FORMAT } = await import('../model/model-io.js');
  if (config.format === MODEL_FORMAT) return 'model';
  if (typeof config.fields === 'object' && config.fields !== null) return 'dataset';
  throw new UserInputError(`${dir}: config.json is neither a dexnet-ts model's nor a dataset's`, { file: dir });
}

export function registerView(program: Command): void {
  program
    .command('view')
    .description(
      "open the web viewer on localhost: plan on a depth image, browse a dataset, read a model's training report",
    )
    .argument('[dir]', 'a dataset folder (from `dexnet generate`) or a model folder (from `dexnet train`)')
    .option('--port <n>', 'port (0: any free port)', numberOption('--port', 0, 65535, true), 8080)
    .addOption(
      new Option('--model <dir>', 'model to plan with when <dir> is a dataset').default(
        BUNDLED_MODEL_DIR,
        'the bundled model',
      ),
    )
    .action(async (dir: string | undefined, flags: { port: number; model: string }) => {
      const kind = dir ? await kindOf(dir) : null;
      const { startServer } = await import('../server/app.js');
      const server = await startServer({
        host: '127.0.0.1',
        port: flags.port,
        modelDir: kind === 'model' ? dir! : flags.model,
        datasetDir: kind === 'dataset' ? dir! : null,
        workers: 1,
        logLevel: 'warn',
      });
      const page = kind === 'dataset' ? '#dataset' : kind === 'model' ? '#model' : '#plan';
      console.log(`dexnet view: open ${server.url}/${page} (Ctrl-C to stop)`);
      await serveUntilSignal(server, 'dexnet view');
    });
}
