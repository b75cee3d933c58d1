// `dexnet objects`: writes a seeded set of procedural objects (meshes plus a JSON manifest) to train or
// evaluate on without downloading any meshes.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { MeshFormat } from '../geometry/mesh-io/index.js';
import type { ProceduralObject } from '../geometry/procedural/index.js';
import {
  FAMILIES,
  HOLDOUT_FAMILIES,
  TRAINING_FAMILIES,
  isFamilyName,
  type FamilyName,
} from '../geometry/procedural/families.js';
import { DEFAULT_SCALE_RULE, formatScaleRule, type ScaleRule } from '../geometry/object-scale.js';
import { numberOption, progressBar, scaleOption } from './output.js';

function parseFamilies(value: string): FamilyName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw new InvalidArgumentError('--families needs at least one family name');
  for (const n of names)
    if (!isFamilyName(n))
      throw new InvalidArgumentError(`--families: unknown family "${n}" (known: ${FAMILIES.join(', ')})`);
  return [...new Set(names)] as FamilyName[];
}

function parseFormat(value: string): MeshFormat {
  if (value !== 'obj' && value !== 'stl' && value !== 'ply')
    throw new InvalidArgumentError(`--format must be obj, stl or ply, got "${value}"`);
  return value;
}

interface ObjectsOptions {
  count: number;
  seed: number;
  out: string;
  format: MeshFormat;
  families?: FamilyName[];
  holdout?: boolean;
  scale: ScaleRule | 'legacy';
}

/** `legacy` (the old largest extent 4–10 cm draw) besides the scale rules, to reproduce older object sets. */
function objectScaleOption(value: string): ScaleRule | 'legacy' {
  return value.trim() === 'legacy' ? 'legacy' : scaleOption(value);
}

export function registerObjects(program: Command): void {
  program
    .command('objects')
    .description(
      'generate procedural objects (watertight, sized by --scale, each graspable by the 5 cm gripper) and a manifest.json',
    )
    .requiredOption('--out <dir>', 'output folder for <id>.<format> meshes and manifest.json')
    .option('--count <n>', 'number of objects', numberOption('--count', 1, 1_000_000, true), 200)
    .option(
      '--seed <s>',
      'random seed (same seed and flags, byte-identical output)',
      numberOption('--seed', 0, 2 ** 32 - 1, true),
      1,
    )
    .option('--format <fmt>', 'mesh format: obj, stl or ply', parseFormat, 'obj')
    .option(
      '--families <list>',
      `comma-separated families (training: ${TRAINING_FAMILIES.join(',')}; held out: ${HOLDOUT_FAMILIES.join(',')})`,
      parseFamilies,
    )
    .addOption(
      new Option(
        '--scale <rule>',
        'object size: min:<m> (smallest extent), max:<m> (largest extent), egad (largest = the 5 cm opening, smallest ≤ 0.8 × it), none (raw) or legacy (largest 4–10 cm)',
      )
        .argParser(objectScaleOption)
        .default(objectScaleOption(DEFAULT_SCALE_RULE), DEFAULT_SCALE_RULE),
    )
    .option(
      '--holdout',
      'held-out evaluation set: another seed stream and, unless --families is given, the held-out families',
    )
    .action(async (opts: ObjectsOptions) => {
      // Loaded when the command runs so that other commands start without manifold-3d and three.js.
      const [{ saveMesh }, { generateGraspableObjects }, { manifestFromObjects, writeObjectManifest }] =
        await Promise.all([
          import('../geometry/mesh-io/index.js'),
          import('../dataset/graspable-objects.js'),
          import('../geometry/procedural/index.js'),
        ]);
      const holdout = opts.holdout ?? false;
      const families = opts.families ?? [...(holdout ? HOLDOUT_FAMILIES : TRAINING_FAMILIES)];
      await mkdir(opts.out, { recursive: true });
      const bar = progressBar(opts.count, 'objects');
      const start = Date.now();
      let objects: ProceduralObject[];
      let refused = 0;
      try {
        objects = await generateGraspableObjects({
          count: opts.count,
          seed: opts.seed,
          families,
          holdout,
          keepMeshes: false,
          scale: opts.scale,
          onRefused: () => refused++,
          onObject: async (o) => {
            await saveMesh(join(opts.out, `${o.id}.${opts.format}`), o.mesh);
            bar.tick();
          },
        });
      } finally {
        bar.stop();
      }
      const scale = opts.scale === 'legacy' ? 'legacy' : formatScaleRule(opts.scale);
      const manifest = manifestFromObjects(objects, { seed: opts.seed, holdout, families, format: opts.format, scale });
      await writeObjectManifest(join(opts.out, 'manifest.json'), manifest);
      const perFamily = families.map((f) => `${f} ${objects.filter((o) => o.family === f).length}`).join(', ');
      const seconds = (Date.now() - start) / 1000;
      const draws = objects.length + refused;
      console.log(
        `${objects.length} ${holdout ? 'held-out ' : ''}objects (${perFamily}) at scale ${scale} written to ${opts.out} in ${seconds.toFixed(1)} s` +
          ` (${refused} of ${draws} draws refused, ${((100 * refused) / Math.max(1, draws)).toFixed(1)} %)`,
      );
    });
}
