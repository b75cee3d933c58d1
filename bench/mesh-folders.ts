// Objects for the benchmarks from folders of meshes: a folder's manifest.json (as `dexnet import` and `dexnet objects`
// write it) names them and their split; without one, every mesh file in it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mesh } from '../src/geometry/mesh.js';
import { loadMesh, meshFormatFromPath } from '../src/geometry/mesh-io/index.js';

/** The meshes of an object folder: its manifest's objects (of `split`, when given), or every mesh file in it. */
export async function folderObjects(dir: string, split = ''): Promise<Array<{ name: string; mesh: Mesh }>> {
  const manifestPath = join(dir, 'manifest.json');
  const entries: Array<{ file: string; split?: string }> = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { objects: Array<{ file: string; split?: string }> }).objects
    : readdirSync(dir)
        .filter((f) => meshFormatFromPath(f) !== undefined)
        .sort()
        .map((file) => ({ file }));
  const out = [];
  for (const e of entries)
    if (!split || e.split === split) out.push({ name: e.file, mesh: await loadMesh(join(dir, e.file)) });
  return out;
}

/** The objects of every folder in a comma list (`--folders a,b`). */
export async function foldersObjects(folders: string, split = ''): Promise<Array<{ name: string; mesh: Mesh }>> {
  const out = [];
  for (const dir of folders.split(',')) out.push(...(await folderObjects(dir, split)));
  return out;
}
