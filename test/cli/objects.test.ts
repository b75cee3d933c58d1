import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerObjects } from '../../src/cli/objects.js';
import { loadMesh } from '../../src/geometry/mesh-io/index.js';
import { boundingBoxExtents, isWatertight, massProperties } from '../../src/geometry/mesh-properties.js';
import {
  HOLDOUT_FAMILIES,
  TRAINING_FAMILIES,
  generateShape,
  readObjectManifest,
} from '../../src/geometry/procedural/index.js';
import { GraspableObject } from '../../src/grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER } from '../../src/grasp/gripper.js';
import { tempDirs } from '../helpers/temp-dir.js';

// The command runs in-process through commander (the `dexnet` binary wires the same registerObjects),
// so these tests need no build of dist/.
async function dexnetObjects(
  ...args: string[]
): Promise<{ stdout: string; stderr: string; error?: CommanderError | Error }> {
  const program = new Command('dexnet').exitOverride();
  let stderr = '';
  program.configureOutput({ writeErr: (s) => (stderr += s), writeOut: () => undefined });
  registerObjects(program);
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: () => undefined });
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await program.parseAsync(['node', 'dexnet', 'objects', ...args]);
    return { stdout: lines.join('\n'), stderr };
  } catch (error) {
    return { stdout: lines.join('\n'), stderr, error: error as Error };
  } finally {
    log.mockRestore();
  }
}

const tmp = tempDirs('objects');

afterEach(() => vi.restoreAllMocks());

describe('dexnet objects', () => {
  it('writes meshes and a manifest; the same arguments give byte-identical files', async () => {
    const a = tmp(),
      b = tmp();
    const r = await dexnetObjects('--count', '6', '--seed', '4', '--out', a);
    expect(r.error).toBeUndefined();
    expect(r.stdout).toMatch(
      /^6 objects \(superquadric 1, extrusion 1, revolved 1, holes 1, mug 1, composition 1\) at scale min:0.04 written to .* in [\d.]+ s \(\d+ of \d+ draws refused, [\d.]+ %\)$/,
    );
    await dexnetObjects('--count', '6', '--seed', '4', '--out', b);
    const files = readdirSync(a).sort();
    expect(files).toEqual(readdirSync(b).sort());
    expect(files).toHaveLength(7);
    for (const f of files) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f)))).toBe(true);
    // Re-running into the same folder rewrites the same bytes.
    const before = readFileSync(join(a, 'manifest.json'));
    await dexnetObjects('--count', '6', '--seed', '4', '--out', a);
    expect(readFileSync(join(a, 'manifest.json')).equals(before)).toBe(true);
    expect(readdirSync(a).sort()).toEqual(files);
  });

  it('manifest round trip: every entry names a loadable, checked mesh its seed regenerates', async () => {
    const dir = tmp();
    await dexnetObjects('--count', '4', '--seed', '8', '--out', dir, '--format', 'ply');
    const manifest = await readObjectManifest(join(dir, 'manifest.json'));
    expect(manifest).toMatchObject({
      source: 'procedural',
      scale: 'min:0.04',
      seed: 8,
      count: 4,
      holdout: false,
      format: 'ply',
      families: [...TRAINING_FAMILIES],
    });
    expect(manifest.objects.map((o) => o.file)).toEqual(manifest.objects.map((o) => `${o.id}.ply`));
    for (const entry of manifest.objects) {
      const mesh = await loadMesh(join(dir, entry.file));
      expect(isWatertight(mesh)).toBe(true);
      expect(mesh.triangles.length / 3).toBe(entry.triangles);
      expect(Math.max(...boundingBoxExtents(mesh))).toBeCloseTo(entry.extent, 9);
      expect(Math.min(...boundingBoxExtents(mesh))).toBeCloseTo(entry.minExtent!, 9);
      expect(entry.minExtent).toBeCloseTo(0.04, 6);
      expect(massProperties(mesh).volume).toBeCloseTo(entry.volume, 12);
      expect(new GraspableObject(mesh, DEFAULT_GRIPPER).sampleGrasps(entry.seed, { targetGrasps: 1 }).length).toBe(1);
      const regenerated = await generateShape(entry.family, entry.seed);
      expect(regenerated.triangles.length / 3).toBe(entry.triangles);
      expect(massProperties(regenerated).volume).toBeCloseTo(entry.volume, 12);
    }
  });

  it('--holdout draws the held-out families; --families and --format pick the rest', async () => {
    const dir = tmp();
    const r = await dexnetObjects('--count', '2', '--seed', '4', '--out', dir, '--holdout', '--format', 'stl');
    expect(r.stdout).toMatch(/^2 held-out objects/);
    const m = await readObjectManifest(join(dir, 'manifest.json'));
    expect(m.holdout).toBe(true);
    expect(m.objects.map((o) => o.family)).toEqual([...HOLDOUT_FAMILIES]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.stl'))).toHaveLength(2);
    const only = tmp();
    await dexnetObjects('--count', '2', '--out', only, '--families', 'mug,holes');
    expect((await readObjectManifest(join(only, 'manifest.json'))).objects.map((o) => o.id)).toEqual([
      'obj-0000-mug',
      'obj-0001-holes',
    ]);
  });

  it('--scale sizes the objects and is recorded in the manifest (egad: largest extent the 5 cm opening or less)', async () => {
    const dir = tmp();
    const r = await dexnetObjects('--count', '3', '--seed', '2', '--out', dir, '--scale', 'egad', '--holdout');
    expect(r.error).toBeUndefined();
    const m = await readObjectManifest(join(dir, 'manifest.json'));
    expect(m.scale).toBe('egad');
    for (const o of m.objects) {
      const e = boundingBoxExtents(await loadMesh(join(dir, o.file)));
      // EGAD: the largest extent is the opening unless that would make the smallest exceed 0.8 × the opening.
      expect(Math.max(...e)).toBeLessThanOrEqual(0.05 + 1e-6);
      expect(Math.min(...e)).toBeLessThanOrEqual(0.04 + 1e-6);
      expect(Math.max(Math.max(...e) / 0.05, Math.min(...e) / 0.04)).toBeCloseTo(1, 5);
    }
  });

  it('bad flags fail with a clear message and write nothing', async () => {
    const dir = tmp();
    const cases: Array<[string[], RegExp]> = [
      [['--count', '0', '--out', dir], /--count must be an integer in \[1, 1000000\], got "0"/],
      [['--count', 'lots', '--out', dir], /--count must be an integer/],
      [['--seed', '-3', '--out', dir], /--seed must be an integer/],
      [['--format', 'gltf', '--out', dir], /--format must be obj, stl or ply, got "gltf"/],
      [['--families', 'mug,teapot', '--out', dir], /--families: unknown family "teapot" \(known: superquadric,/],
      [['--count', '2'], /required option '--out <dir>' not specified/],
      [['--scale', 'min:40', '--out', dir], /--scale: expected min:<metres>, max:<metres> .*got "min:40"/],
      [['--scale', 'huge', '--out', dir], /--scale: expected .*got "huge"/],
    ];
    for (const [args, message] of cases) {
      const r = await dexnetObjects(...args);
      expect(r.error).toBeInstanceOf(CommanderError);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a corrupt manifest is reported with the file and field', async () => {
    const dir = tmp();
    const path = join(dir, 'manifest.json');
    writeFileSync(
      path,
      JSON.stringify({
        seed: 1,
        count: 1,
        holdout: false,
        families: [],
        format: 'obj',
        objects: [{ id: 'x', file: 'x.obj', family: 'mug', seed: 1, extent: -1, volume: 1, triangles: 1 }],
      }),
    );
    await expect(readObjectManifest(path)).rejects.toThrow(
      new RegExp(`${path}: invalid manifest at "objects.0.extent"`),
    );
  });
});
