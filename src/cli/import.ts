// `dexnet import <files or folders…> --out <dir>`: any meshes (OBJ, STL, PLY, OFF, glTF/GLB, zip and .sh3f archives
// of them) → watertight, graspable solids at Dex-Net's scale with a manifest; resumable.
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { progress } from './progress.js';
import { UserInputError } from '../core/errors.js';
import { DEFAULT_SCALE_RULE, parseScaleRule } from '../geometry/object-scale.js';
import { DEFAULT_GRIPPER } from '../grasp/gripper.js';
import { numberOption } from './output.js';
import { summarizeImport } from '../dataset/import-summary.js';

interface ImportFlags {
  out: string;
  scale: string;
  maxTriangles: number;
  split: string;
  seed: number;
  workers: number;
  retryRejects?: boolean;
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'turn any meshes (open, overlapping, inverted, several parts) into watertight graspable solids; resumable',
    )
    .argument('<inputs...>', 'mesh files (.obj .stl .ply .off .gltf .glb), .zip / .sh3f archives of them, or folders')
    .requiredOption('--out <dir>', 'output folder: <id>.obj per object and manifest.json (re-run to resume)')
    .option('--scale <rule>', 'min:<m> (smallest extent; Dex-Net), max:<m>, egad or none', DEFAULT_SCALE_RULE)
    .option(
      '--max-triangles <n>',
      'triangle budget per object',
      numberOption('--max-triangles', 100, 1_000_000, true),
      20000,
    )
    .option(
      '--split <mode>',
      "OBJ files: 'object' (each `o` is an object), 'group' (also each `g`) or 'none'",
      'object',
    )
    .option(
      '--workers <w>',
      'worker threads',
      numberOption('--workers', 1, 256, true),
      Math.min(2, availableParallelism()),
    )
    .option('--seed <s>', 'random seed of the checks', numberOption('--seed', 0, 2 ** 32 - 1, true), 0)
    .option(
      '--retry-rejects',
      "import again what an earlier run into --out refused (done by itself when dexnet's limits changed)",
    )
    .option('--json', 'print the manifest summary as JSON')
    .action(async (inputs: string[], flags: ImportFlags) => {
      const rule = parseScaleRule(flags.scale, DEFAULT_GRIPPER.maxWidth);
      if (!['object', 'group', 'none'].includes(flags.split)) {
        throw new UserInputError(`--split: expected object, group or none, got "${flags.split}"`, { field: '--split' });
      }
      const bar = progress('objects [{bar}] {value}/{total} | {accepted} kept | ETA {eta_formatted}');
      let accepted = 0;
      const manifest = await (
        await import('../dataset/import-objects.js')
      ).importObjects(inputs, {
        out: flags.out,
        rule,
        maxTriangles: flags.maxTriangles,
        seed: flags.seed,
        workers: flags.workers,
        split: flags.split as 'object' | 'group' | 'none',
        retryRejects: flags.retryRejects,
        onRetry: (count, why) =>
          console.error(
            `retrying ${count} objects refused by the earlier run` +
              (why === 'limits' ? ' under other limits (largest extent, grid size)' : ''),
          ),
        onStart: (total, done) => bar.start(total, done, { accepted: 0 }),
        onObject: (done, _total, result) => {
          if (!('reason' in result)) accepted++;
          bar.update(done, { accepted });
        },
      });
      bar.stop();
      const summary = { out: flags.out, ...summarizeImport(manifest) };
      if (flags.json) {
        console.log(JSON.stringify(summary, null, 2));
        return;
      }
      const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
      console.log(
        `${summary.objects} objects imported into ${flags.out}, ${summary.rejected} rejected ` +
          `(${pct(summary.keptShare)} kept); ${summary.withinSpacing} of ${summary.objects} ` +
          `(${pct(summary.withinSpacingShare)}) within ${manifest.spacing * 1000} mm of their source (Hausdorff); ` +
          `median ${summary.medianSeconds.toFixed(1)} s, p90 ${summary.p90Seconds.toFixed(1)} s per object`,
      );
      for (const [reason, count] of Object.entries(summary.rejectReasons))
        console.log(`  ${String(count).padStart(4)} × ${reason}`);
    });
}
