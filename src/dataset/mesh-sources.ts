// Where a mesh comes from — a procedural family or a real (imported, the user's own) object — read from the
// manifest.json beside it, so training and evaluation can report the two kinds of held-out object apart.
import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export type ObjectSource = 'procedural' | 'real';

const isSource = (s: unknown): s is ObjectSource => s === 'procedural' || s === 'real';

/**
 * Where each mesh of a folder comes from, read from its manifest.json: a `source` per entry (matched by `file`) or for
 * the whole folder; a `dexnet objects` manifest (it lists `families`) is procedural. Meshes with no manifest saying
 * otherwise are real (imported or the user's own).
 */
export async function meshSources(dir: string): Promise<(file: string) => ObjectSource> {
  let manifest: { source?: unknown; families?: unknown; objects?: { file?: unknown; source?: unknown }[] } = {};
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    manifest = {};
  }
  const folder: ObjectSource = isSource(manifest.source)
    ? manifest.source
    : Array.isArray(manifest.families)
      ? 'procedural'
      : 'real';
  const perFile = new Map<string, ObjectSource>();
  if (Array.isArray(manifest.objects))
    for (const o of manifest.objects)
      if (typeof o?.file === 'string' && isSource(o.source)) perFile.set(o.file, o.source);
  return (file) => perFile.get(file) ?? folder;
}

/**
 * The source of each mesh path, following symbolic links to the folder that holds the file (a training folder is
 * often links into a procedural folder and an import folder); a path that no longer resolves is read where it is.
 */
export async function sourcesOfMeshes(paths: readonly string[]): Promise<ObjectSource[]> {
  const byFolder = new Map<string, (file: string) => ObjectSource>();
  const out: ObjectSource[] = [];
  for (const path of paths) {
    const real = await realpath(path).catch(() => path);
    const dir = dirname(real);
    let sourceOf = byFolder.get(dir);
    if (!sourceOf) byFolder.set(dir, (sourceOf = await meshSources(dir)));
    out.push(sourceOf(basename(real)));
  }
  return out;
}
