// The JSON manifest written beside a generated object set: enough to find, audit and regenerate
// every object (family and seed), read back with validation.
import { UserInputError } from '../../core/errors.js';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { MeshFormat } from '../mesh-io/index.js';
import type { FamilyName, ProceduralObject } from './index.js';

export interface ObjectManifestEntry {
  id: string;
  /** Mesh file name, relative to the manifest's folder. */
  file: string;
  family: FamilyName;
  seed: number;
  /** Largest and smallest bounding-box extents (m). */
  extent: number;
  minExtent?: number;
  volume: number;
  triangles: number;
}

export interface ObjectManifest {
  /** Where the objects come from: `procedural` here; imported real meshes say `real`. Evaluation reports each apart. */
  source?: 'procedural' | 'real';
  /** The sizing rule the objects were drawn under (`min:0.04`, … or `legacy` for the old 4–10 cm draw). */
  scale?: string;
  seed: number;
  count: number;
  holdout: boolean;
  families: FamilyName[];
  format: MeshFormat;
  objects: ObjectManifestEntry[];
}

const entrySchema = z.object({
  id: z.string().min(1),
  file: z.string().min(1),
  family: z.string(),
  seed: z.number().int().nonnegative(),
  extent: z.number().positive(),
  minExtent: z.number().positive().optional(),
  volume: z.number().positive(),
  triangles: z.number().int().positive(),
});

const manifestSchema = z.object({
  source: z.enum(['procedural', 'real']).optional(),
  scale: z.string().optional(),
  seed: z.number(),
  count: z.number().int().nonnegative(),
  holdout: z.boolean(),
  families: z.array(z.string()),
  format: z.enum(['obj', 'stl', 'ply']),
  objects: z.array(entrySchema),
});

export function manifestFromObjects(
  objects: readonly ProceduralObject[],
  run: { seed: number; holdout: boolean; families: readonly FamilyName[]; format: MeshFormat; scale: string },
): ObjectManifest {
  return {
    source: 'procedural',
    scale: run.scale,
    seed: run.seed,
    count: objects.length,
    holdout: run.holdout,
    families: [...run.families],
    format: run.format,
    objects: objects.map((o) => ({
      id: o.id,
      file: `${o.id}.${run.format}`,
      family: o.family,
      seed: o.seed,
      extent: o.extent,
      minExtent: o.minExtent,
      volume: o.volume,
      triangles: o.triangles,
    })),
  };
}

/** Writes the manifest through a temporary file and a rename, so a reader never sees half of it. */
export async function writeObjectManifest(path: string, manifest: ObjectManifest): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, JSON.stringify(manifest, null, 2) + '\n');
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new Error(`${path}: cannot write manifest (${(err as Error).message})`);
  }
}

/** Reads and validates a manifest; errors name the file and the offending field. */
export async function readObjectManifest(path: string): Promise<ObjectManifest> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UserInputError(`${path}: cannot read manifest (${(err as Error).message})`, { file: path });
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserInputError(`${path}: invalid manifest at "${issue.path.join('.')}": ${issue.message}`, {
      file: path,
    });
  }
  return parsed.data as ObjectManifest;
}
