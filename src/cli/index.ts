// The `dexnet` command: one subcommand per file, each a thin layer over the library.
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { registerCalibrate } from './calibrate.js';
import { registerEvaluate } from './evaluate.js';
import { registerGenerate } from './generate.js';
import { registerGrasps } from './grasps.js';
import { registerHeaps } from './heaps.js';
import { registerImport } from './import.js';
import { registerObjects } from './objects.js';
import { registerPlan } from './plan.js';
import { registerPoses } from './poses.js';
import { registerServe } from './serve.js';
import { registerTrain } from './train.js';
import { registerValidate } from './validate.js';
import { registerView } from './view.js';
import { registerWorker } from './worker.js';

const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export function buildProgram(): Command {
  const program = new Command('dexnet')
    .description('Robust grasp planning from depth images (Dex-Net 2.0 in TypeScript)')
    .version(version);
  registerPlan(program);
  registerPoses(program);
  registerGrasps(program);
  registerObjects(program);
  registerImport(program);
  registerGenerate(program);
  registerHeaps(program);
  registerWorker(program);
  registerTrain(program);
  registerValidate(program);
  registerEvaluate(program);
  registerCalibrate(program);
  registerServe(program);
  registerView(program);
  return program;
}

/** Runs the CLI; bin/dexnet.js reports what it throws (cli/error-report.ts). */
export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
