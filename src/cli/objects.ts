// `dexnet objects`: writes a seeded set of procedural objects (meshes plus a JSON manifest) to train or
// evaluate on without downloading any meshes.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { saveMesh, type MeshFormat } from '../geometry/mesh-io/index.js';
import { generateGraspableObjects } from '../dataset/graspable-objects.js';
import {
  FAMILIES, HOLDOUT_FAMILIES, TRAINING_FAMILIES, isFamilyName, manifestFromObjects, writeObjectManifest,
  type FamilyName, type ProceduralObject,
} from '../geometry/procedural/index.js';
import { numberOption, progressBar } from './output.js';

function parseFamilies(value: string): FamilyName[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new InvalidArgumentError('--families needs at least one family name');
  for (const n of names) if (!isFamilyName(n)) throw new InvalidArgumentError(`--families: unknown family "${n}" (known: ${FAMILIES.join(', ')})`);
  return [...new Set(names)] as FamilyName[];
}

function parseFormat(value: string): MeshFormat {
  if (value !== 'obj' && value !== 'stl' && value !== 'ply') throw new InvalidArgumentError(`--format must be obj, stl or ply, got "${value}"`);
  return value;
}

interface ObjectsOptions {
  count: number;
  seed: number;
  out: string;
  format: MeshFormat;
  families?: FamilyName[];
  holdout?: boolean;
}

export function registerObjects(program: Command): void {
  program
    .command('objects')
    .description('generate procedural objects (watertight, 4–10 cm, each graspable by the 5 cm gripper) and a manifest.json')
    .requiredOption('--out <dir>', 'output folder for <id>.<format> meshes and manifest.json')
    .option('--count <n>', 'number of objects', numberOption('--count', 1, 1_000_000, true), 200)
    .option('--seed <s>', 'random seed (same seed and flags, byte-identical output)', numberOption('--seed', 0, 2 ** 32 - 1, true), 1)
    .option('--format <fmt>', 'mesh format: obj, stl or ply', parseFormat, 'obj')
    .option('--families <list>', `comma-separated families (training: ${TRAINING_FAMILIES.join(',')}; held out: ${HOLDOUT_FAMILIES.join(',')})`, parseFamilies)
    .option('--holdout', 'held-out evaluation set: another seed stream and, unless --families is given, the held-out families')
    .action(async (opts: ObjectsOptions) => {
      const holdout = opts.holdout ?? false;
      const families = opts.families ?? [...(holdout ? HOLDOUT_FAMILIES : TRAINING_FAMILIES)];
      await mkdir(opts.out, { recursive: true });
      const bar = progressBar(opts.count, 'objects');
      const start = Date.now();
      let objects: ProceduralObject[];
      try {
        objects = await generateGraspableObjects({
          count: opts.count,
          seed: opts.seed,
          families,
          holdout,
          keepMeshes: false,
          onObject: async (o) => {
            await saveMesh(join(opts.out, `${o.id}.${opts.format}`), o.mesh);
            bar.tick();
          },
        });
      } finally {
        bar.stop();
      }
      const manifest = manifestFromObjects(objects, { seed: opts.seed, holdout, families, format: opts.format });
      await writeObjectManifest(join(opts.out, 'manifest.json'), manifest);
      const perFamily = families.map((f) => `${f} ${objects.filter((o) => o.family === f).length}`).join(', ');
      const seconds = (Date.now() - start) / 1000;
      console.log(`${objects.length} ${holdout ? 'held-out ' : ''}objects (${perFamily}) written to ${opts.out} in ${seconds.toFixed(1)} s`);
    });
}
