// `dexnet import`: mesh files, folders and zip archives (Sweet Home 3D .sh3f catalogues included) → one watertight,
// graspable solid per object in an output folder with manifest.json. Resumable: every finished object (mesh and
// manifest entry, written atomically) is skipped on a re-run, so an interrupted import continues where it stopped.
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { UserInputError } from '../core/errors.js';
import { deriveSeed } from '../core/seed.js';
import type { Mesh } from '../geometry/mesh.js';
import { MeshArchive } from '../geometry/mesh-io/archive.js';
import { MeshFormatError } from '../geometry/mesh-io/errors.js';
import {
  meshFormatFromPath,
  parseMesh,
  parseObjParts,
  serializeMesh,
  weldVertices,
} from '../geometry/mesh-io/index.js';
import { catalogPieces, parseProperties } from '../geometry/mesh-io/sh3f-catalog.js';
import { ImportRejection, importSolid, MAX_IMPORT_EXTENT } from '../geometry/object-import.js';
import { REMESH_MAX_NODES } from '../geometry/remesh.js';
import { formatScaleRule, type ScaleRule } from '../geometry/object-scale.js';
import { stablePoses } from '../geometry/stable-poses.js';
import { DEFAULT_GRIPPER } from '../grasp/gripper.js';
import { GraspableObject } from '../grasp/parallel-jaw/grasp-labels.js';
import { runOnWorkers, siblingWorker } from '../core/worker-pool.js';
import type { ImportTask, ImportTaskResult } from './import-worker.js';
import { meshProblem } from '../geometry/mesh-checks.js';
import { objectHash, objectSplit } from './object-split.js';

/** One object a source holds, before import. */
export interface SourceObject {
  /** Unique, file-name-safe id (the mesh is `<id>.obj`). */
  id: string;
  /** Source file, relative to the current folder as given. */
  source: string;
  /** Zip entry, for objects inside archives. */
  entry?: string;
  /** OBJ object name, for files holding several. */
  part?: string;
  name: string;
  category?: string;
  creator?: string;
  licence?: string;
  /** Reads the object's triangles (in the file's units). */
  load(): Mesh;
}

export interface ManifestObject extends Omit<SourceObject, 'load'> {
  file: string;
  split: 'train' | 'held-out';
  /** Factor from the file's units to metres as imported. */
  scale: number;
  volume: number;
  triangles: number;
  extents: [number, number, number];
  stablePoses: number;
  /** Hausdorff distance source ↔ result at final scale, hole closures and internal faces left out (m). */
  hausdorff: number;
  resultToSource: number;
  sourceToResult: number;
  closedHoleShare: number;
  closedHoleDistance: number;
  internalShare: number;
  droppedShare: number;
  parts: number;
  keptVolumeShare: number;
  /**
   * Share of the source's area made of sheets (one surface, outside on both sides) that were given a thickness:
   * there the result lies half that thickness (0.55 mm at the default 1 mm grid) off the source by construction,
   * and sheets closer together than about 2 mm merge, so such a model can miss 1 mm for that physical reason.
   */
  sheetShare: number;
  /** Grid spacing of the remeshing when coarser than the manifest's `spacing` (a surface too large for it; m). */
  gridSpacing?: number;
  seconds: number;
  /** CPU time of the whole process while this object was imported (with worker threads, theirs included). */
  processCpuSeconds: number;
}

export interface ManifestReject {
  id: string;
  source: string;
  entry?: string;
  part?: string;
  name: string;
  reason: string;
  seconds: number;
}

/**
 * The limits a refusal can depend on. A manifest records the ones it was made under, so that resuming it under
 * other limits (a newer dexnet that accepts longer objects) retries its refusals instead of keeping them.
 */
export interface ImportLimits {
  /** Largest extent at final scale (m). */
  maxExtent: number;
  /** Most grid nodes of the remeshing field. */
  maxGridNodes: number;
}

export const IMPORT_LIMITS: ImportLimits = { maxExtent: MAX_IMPORT_EXTENT, maxGridNodes: REMESH_MAX_NODES };

export interface ImportManifest {
  format: 'dexnet-import/1';
  scale: string;
  maxTriangles: number;
  spacing: number;
  /** The limits its refusals were made under (absent in manifests written before they were recorded). */
  limits?: ImportLimits;
  objects: ManifestObject[];
  rejects: ManifestReject[];
}

export interface ImportOptions {
  out: string;
  rule: ScaleRule;
  maxTriangles?: number;
  /** Remeshing grid spacing at final scale (m; default 1 mm). */
  spacing?: number;
  seed?: number;
  /** `o` objects of an OBJ file become separate objects (default); 'group' also splits at `g`; 'none' never. */
  split?: 'object' | 'group' | 'none';
  /** Worker threads (default 1: in this thread); results do not depend on it. */
  workers?: number;
  /** Called after each object with the running counts. */
  onObject?: (done: number, total: number, result: ManifestObject | ManifestReject) => void;
  /** Called once the sources are listed, with the number of objects to import (finished ones included). */
  onStart?: (total: number, alreadyDone: number) => void;
  /**
   * Import again the objects an earlier run refused (default: only when it refused them under other limits, see
   * ImportLimits); called with how many are retried.
   */
  retryRejects?: boolean;
  onRetry?: (count: number, why: 'asked' | 'limits') => void;
}

const ARCHIVES = new Set(['.zip', '.sh3f']);

const safeId = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'object';

async function listFiles(input: string): Promise<string[]> {
  let info;
  try {
    info = await stat(input);
  } catch {
    throw new UserInputError(`${input}: no such file or folder`, { file: input });
  }
  if (!info.isDirectory()) return [input];
  const out: string[] = [];
  for (const name of (await readdir(input)).sort()) {
    const path = join(input, name);
    const s = await stat(path);
    if (s.isDirectory()) out.push(...(await listFiles(path)));
    else if (meshFormatFromPath(name) !== undefined || ARCHIVES.has(extname(name).toLowerCase())) out.push(path);
  }
  return out;
}

/** Objects of one mesh file's bytes: OBJ files may hold several. */
function objectsOfMesh(
  bytes: Uint8Array,
  where: { source: string; entry?: string; name: string; idBase: string },
  split: 'object' | 'group' | 'none',
  resolve?: (uri: string) => Uint8Array | undefined,
): SourceObject[] {
  const label = where.entry === undefined ? where.source : `${where.source}:${where.entry}`;
  const format = meshFormatFromPath(where.entry ?? where.source)!;
  if (format !== 'obj') {
    return [{ ...pick(where), id: where.idBase, load: () => parseMesh(bytes, format, label, resolve) }];
  }
  const parts = parseObjParts(bytes, label, split, { lenient: true });
  if (parts.length === 1) {
    return [{ ...pick(where), id: where.idBase, load: () => weldSoup(parts[0].corners, label) }];
  }
  return parts.map((part, k) => ({
    ...pick(where),
    id: `${where.idBase}-${safeId(part.name) === 'object' ? k : safeId(part.name)}`,
    part: part.name,
    name: `${where.name} / ${part.name}`,
    load: () => weldSoup(part.corners, label),
  }));
}

const pick = (w: { source: string; entry?: string; name: string }): { source: string; entry?: string; name: string } =>
  w.entry === undefined ? { source: w.source, name: w.name } : { source: w.source, entry: w.entry, name: w.name };

function weldSoup(corners: Float64Array, label: string): Mesh {
  const mesh = weldVertices(corners);
  if (mesh.triangles.length === 0) throw new MeshFormatError(label, 'no triangles with three distinct vertices');
  return mesh;
}

/** Every object the inputs hold, with unique ids, in a fixed order (inputs as given, folders sorted). */
export async function listSourceObjects(
  inputs: string[],
  split: 'object' | 'group' | 'none',
): Promise<{
  objects: SourceObject[];
  unreadable: ManifestReject[];
}> {
  const objects: SourceObject[] = [];
  const unreadable: ManifestReject[] = [];
  for (const input of inputs) {
    for (const file of await listFiles(input)) {
      const ext = extname(file).toLowerCase();
      const stem = safeId(basename(file, extname(file)));
      const source = relative(process.cwd(), file) || file;
      try {
        const bytes = new Uint8Array(await readFile(file));
        if (!ARCHIVES.has(ext)) {
          const resolve = (uri: string): Uint8Array | undefined => {
            try {
              return new Uint8Array(readFileSync(join(file, '..', uri)));
            } catch {
              return undefined;
            }
          };
          objects.push(...objectsOfMesh(bytes, { source, name: basename(file), idBase: stem }, split, resolve));
          continue;
        }
        const archive = new MeshArchive(bytes, source);
        const catalog = archive.entries.find((e) => e.name === 'PluginFurnitureCatalog.properties');
        if (catalog !== undefined) {
          // A furniture catalogue: one object per piece, all its OBJ groups together (they are one rigid piece).
          for (const piece of catalogPieces(parseProperties(archive.read(catalog.name)))) {
            const where = { source, entry: piece.model, name: piece.name, idBase: `${stem}-${safeId(piece.id)}` };
            objects.push({
              ...pick(where),
              id: where.idBase,
              category: piece.category,
              creator: piece.creator,
              licence: piece.licence,
              load: () => {
                const parts = parseObjParts(archive.read(piece.model), `${source}:${piece.model}`, 'none', {
                  lenient: true,
                });
                return weldSoup(parts[0].corners, `${source}:${piece.model}`);
              },
            });
          }
          continue;
        }
        for (const entry of archive.entries) {
          if (meshFormatFromPath(entry.name) === undefined) continue;
          const where = { source, entry: entry.name, name: entry.name, idBase: `${stem}-${safeId(entry.name)}` };
          try {
            const resolve = (uri: string): Uint8Array | undefined => {
              const dir = entry.name.includes('/') ? entry.name.slice(0, entry.name.lastIndexOf('/') + 1) : '';
              return archive.entries.some((e) => e.name === dir + uri) ? archive.read(dir + uri) : undefined;
            };
            objects.push(...objectsOfMesh(archive.read(entry.name), where, split, resolve));
          } catch (err) {
            if (!(err instanceof UserInputError)) throw err;
            unreadable.push({
              id: where.idBase,
              source,
              entry: entry.name,
              name: entry.name,
              reason: err.message,
              seconds: 0,
            });
          }
        }
      } catch (err) {
        if (!(err instanceof UserInputError)) throw err;
        unreadable.push({ id: stem, source, name: basename(file), reason: err.message, seconds: 0 });
      }
    }
  }
  // Ids must be unique: the mesh file is named after them.
  const seen = new Map<string, number>();
  for (const o of objects) {
    const n = seen.get(o.id) ?? 0;
    seen.set(o.id, n + 1);
    if (n > 0) o.id = `${o.id}-${n + 1}`;
  }
  return { objects, unreadable };
}

/** Whether the mesh has an antipodal grasp for the default gripper parallel to the table in some stable pose. */
function graspProblem(mesh: Mesh, seed: number): { problem: string | null; poses: number } {
  const poses = stablePoses(mesh, { minProbability: 0.01 });
  const object = new GraspableObject(mesh, DEFAULT_GRIPPER);
  for (let p = 0; p < poses.length; p++) {
    if (object.sampleGrasps(deriveSeed(seed, p), { targetGrasps: 1 }, poses[p]).length > 0)
      return { problem: null, poses: poses.length };
  }
  return {
    problem: `no table-parallel antipodal grasp for the ${DEFAULT_GRIPPER.maxWidth * 100} cm gripper in any of ${poses.length} stable poses`,
    poses: poses.length,
  };
}

/** Imports one object: remesh, scale, check; a rejection carries its one-line reason. */
export async function importObject(
  object: SourceObject,
  options: { rule: ScaleRule; maxTriangles: number; spacing: number; seed: number },
): Promise<{ entry: ManifestObject; mesh: Mesh } | ManifestReject> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const { load: _load, ...described } = object;
  const reject = (reason: string): ManifestReject => ({
    id: object.id,
    source: object.source,
    ...(object.entry === undefined ? {} : { entry: object.entry }),
    ...(object.part === undefined ? {} : { part: object.part }),
    name: object.name,
    reason,
    seconds: (performance.now() - start) / 1000,
  });
  try {
    const soup = object.load();
    const solid = await importSolid(soup, {
      rule: options.rule,
      maxTriangles: options.maxTriangles,
      spacing: options.spacing,
      seed: options.seed,
    });
    // Checked as a reader will see the written file: vertices welded by position.
    const problem = meshProblem(weldVertices(solid.mesh.vertices, solid.mesh.triangles));
    if (problem !== null) return reject(problem);
    let grasp: { problem: string | null; poses: number };
    try {
      grasp = graspProblem(solid.mesh, options.seed);
    } catch (err) {
      // Stable poses refuse some near-degenerate hulls (a slab 4 cm thick and 40 cm wide with coplanar points);
      // that object is rejected with the reason rather than ending the whole import.
      return reject(`stable poses or grasps could not be computed (${(err as Error).message})`);
    }
    if (grasp.problem !== null) return reject(grasp.problem);
    const lo = [Infinity, Infinity, Infinity],
      hi = [-Infinity, -Infinity, -Infinity];
    const v = solid.mesh.vertices;
    for (let i = 0; i < v.length; i++) {
      lo[i % 3] = Math.min(lo[i % 3], v[i]);
      hi[i % 3] = Math.max(hi[i % 3], v[i]);
    }
    const used = process.cpuUsage(cpu);
    const d = solid.distance;
    return {
      mesh: solid.mesh,
      entry: {
        ...described,
        file: `${object.id}.obj`,
        split: objectSplit(object.id),
        scale: solid.scale,
        volume: solid.volume,
        triangles: solid.triangles,
        extents: [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]],
        stablePoses: grasp.poses,
        hausdorff: d.hausdorff,
        resultToSource: d.resultToSource,
        sourceToResult: d.sourceToResult,
        closedHoleShare: d.closedHoleShare,
        closedHoleDistance: d.closedHoleDistance,
        internalShare: d.internalShare,
        droppedShare: d.droppedShare,
        parts: solid.parts,
        keptVolumeShare: solid.keptVolumeShare,
        sheetShare: solid.sheetShare,
        ...(solid.gridSpacing > options.spacing ? { gridSpacing: solid.gridSpacing } : {}),
        seconds: (performance.now() - start) / 1000,
        processCpuSeconds: (used.user + used.system) / 1e6,
      },
    };
  } catch (err) {
    if (err instanceof ImportRejection || err instanceof UserInputError) return reject(err.message);
    throw err;
  }
}

async function readManifest(path: string, options: ImportManifest): Promise<ImportManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return options;
  }
  const old = JSON.parse(text) as ImportManifest;
  if (
    old.format !== options.format ||
    old.scale !== options.scale ||
    old.maxTriangles !== options.maxTriangles ||
    old.spacing !== options.spacing
  ) {
    throw new UserInputError(
      `${path}: made with --scale ${old.scale}, --max-triangles ${old.maxTriangles}; ` +
        'resume with the same flags or choose another --out',
      { file: path },
    );
  }
  return old;
}

/** Imports every object of the inputs into `options.out`; returns the manifest (also written as manifest.json). */
export async function importObjects(inputs: string[], options: ImportOptions): Promise<ImportManifest> {
  const maxTriangles = options.maxTriangles ?? 20000;
  const spacing = options.spacing ?? 0.001;
  const seed = options.seed ?? 0;
  const manifestPath = join(options.out, 'manifest.json');
  const fresh: ImportManifest = {
    format: 'dexnet-import/1',
    scale: formatScaleRule(options.rule),
    maxTriangles,
    spacing,
    limits: IMPORT_LIMITS,
    objects: [],
    rejects: [],
  };
  // readManifest refuses one made with other settings, so only its objects and refusals carry over.
  const found = await readManifest(manifestPath, fresh);
  const sameLimits =
    found.limits?.maxExtent === IMPORT_LIMITS.maxExtent && found.limits.maxGridNodes === IMPORT_LIMITS.maxGridNodes;
  const retry = (options.retryRejects || !sameLimits) && found.rejects.length > 0;
  // Unreadable sources are refused again below as the listing finds them; the others are imported again.
  if (retry) options.onRetry?.(found.rejects.length, options.retryRejects ? 'asked' : 'limits');
  const manifest: ImportManifest = { ...fresh, objects: found.objects, rejects: retry ? [] : found.rejects };
  const { objects, unreadable } = await listSourceObjects(inputs, options.split ?? 'object');
  const done = new Set([...manifest.objects.map((o) => o.id), ...manifest.rejects.map((r) => r.id)]);
  for (const r of unreadable) {
    if (!done.has(r.id)) {
      manifest.rejects.push(r);
      done.add(r.id);
    }
  }
  const total = objects.length + unreadable.length;
  let finished = objects.filter((o) => done.has(o.id)).length + unreadable.length;
  options.onStart?.(total, finished);
  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const record = async (result: ImportTaskResult): Promise<void> => {
    if ('reason' in result) manifest.rejects.push(result);
    else {
      // Mesh first, then the manifest naming it: after a kill, a listed object always has its mesh.
      await writeFileAtomic(join(options.out, result.entry.file), result.obj);
      manifest.objects.push(result.entry);
    }
    // Sorted by id, so the manifest does not depend on which worker finished first.
    manifest.objects.sort(byId);
    manifest.rejects.sort(byId);
    await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
    finished++;
    options.onObject?.(finished, total, 'reason' in result ? result : result.entry);
  };
  // In hashed order rather than file order: an import stopped early has done a uniform sample of the sources
  // (salted, so the sample is not the held-out split, which uses the plain hash).
  const todo = objects
    .map((o, index) => ({ o, index, key: objectHash(`order:${o.id}`) }))
    .filter(({ o }) => !done.has(o.id))
    .sort((a, b) => a.key - b.key || a.index - b.index);
  const workers = Math.max(1, Math.min(options.workers ?? 1, todo.length));
  const base = {
    inputs,
    split: options.split ?? 'object',
    rule: options.rule,
    maxTriangles,
    spacing,
    seed: deriveSeed(seed, 0),
  };
  let writing = Promise.resolve();
  if (workers === 1) {
    for (const { o } of todo) {
      const result = await importObject(o, base);
      await record('reason' in result ? result : { entry: result.entry, obj: serializeMesh(result.mesh, 'obj') });
    }
  } else {
    // Started in the hashed order above, one per thread; records are written one at a time as results come back.
    await runOnWorkers<ImportTask, ImportTaskResult>(
      siblingWorker(import.meta.url, 'import-worker'),
      todo.map(({ index }) => ({ ...base, index })),
      { workers, onResult: (result) => (writing = writing.then(() => record(result))) },
    );
  }
  await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}
