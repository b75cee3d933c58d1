import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/image/npy.js';
import { readPng } from '../../src/image/png.js';
import { keptObjects, readHeapRecord } from '../../src/physics/heap-record.js';
import { generateHeaps } from '../../src/physics/heap-set.js';
import { PHOXI_INTRINSICS } from '../../src/geometry/camera-intrinsics.js';
import { dexnet } from '../helpers/dexnet.js';
import { tempDirs } from '../helpers/temp-dir.js';

// The real binary (compiled workers, dist/ kept current by the global setup) against the library in this process.
const root = tempDirs('heaps-cli')();
const meshDir = join(root, 'meshes');
const env = { ...process.env, DEXNET_DEBUG: '' };

beforeAll(() => {
  mkdirSync(meshDir);
  mkdirSync(join(root, 'empty'));
  for (const f of ['box.obj', 'cylinder.stl']) copyFileSync(join('examples/meshes', f), join(meshDir, f));
});

/** The bytes of every record, the index and the plan of a run folder. */
function runFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ['heap-plan.json', 'index.json']) out[f] = readFileSync(join(dir, f), 'utf8');
  for (const f of readdirSync(join(dir, 'heaps'))) out[f] = readFileSync(join(dir, 'heaps', f), 'utf8');
  return out;
}

describe('dexnet heaps', () => {
  it('with two workers makes the heaps the library makes with one, byte for byte; --render writes what it shows', async () => {
    const cli = join(root, 'cli'),
      lib = join(root, 'lib');
    const args = ['--count', '2', '--objects', 'poisson:2', '--max-objects', '2', '--seed', '5'];
    const [run] = await Promise.all([
      dexnet(['heaps', meshDir, '--out', cli, ...args, '--workers', '2', '--render', '--json'], { env }),
      generateHeaps(
        readdirSync(meshDir)
          .sort()
          .map((f) => join(meshDir, f)),
        lib,
        { count: 2, objects: { kind: 'poisson', lambda: 2 }, maxObjects: 2, seed: 5, workers: 1 },
      ),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ count: 2, made: 2, images: 2 });
    expect(runFiles(cli)).toEqual(runFiles(lib));

    for (let heap = 0; heap < 2; heap++) {
      const base = join(cli, 'images', `heap_00000${heap}`);
      const depth = decodeNpy(readFileSync(`${base}.npy`), 'depth');
      expect(depth.shape).toEqual([PHOXI_INTRINSICS.height, PHOXI_INTRINSICS.width]);
      const mask = readPng(readFileSync(`${base}.segmask.png`), 'segmask');
      expect([mask.width, mask.height, mask.channels]).toEqual([PHOXI_INTRINSICS.width, PHOXI_INTRINSICS.height, 1]);
      // Every object in the bin shows up under its record position + 1, and no other label does.
      const labels = new Set(mask.data);
      labels.delete(0);
      const kept = keptObjects(await readHeapRecord(cli, heap)).map((o) => o.position + 1);
      expect([...labels].sort()).toEqual(kept.sort());
      expect(readPng(readFileSync(`${base}.png`), 'preview').channels).toBe(3);
    }
  });

  it('bad input ends with one line naming what is wrong', async () => {
    const out = join(root, 'bad');
    const runs = await Promise.all([
      dexnet(['heaps', join(root, 'empty'), '--out', out], { env }),
      dexnet(['heaps', meshDir, '--out', out, '--objects', 'poisson:lots'], { env }),
      dexnet(['heaps', meshDir, '--out', out, '--objects', '30'], { env }),
      dexnet(['heaps', meshDir, '--out', out, '--count', '0'], { env }),
    ]);
    const lines = runs.map((r) => {
      expect(r.code).not.toBe(0);
      return r.stderr.trim().split('\n');
    });
    expect(lines.every((l) => l.length === 1)).toBe(true);
    expect(lines[0][0]).toBe(`dexnet: ${join(root, 'empty')}: no .obj, .stl or .ply meshes found`);
    expect(lines[1][0]).toMatch(/--objects: the Poisson mean must be a number in \(0, 100\], got "lots"/);
    expect(lines[2][0]).toBe('dexnet: --objects 30 is more than --max-objects 20');
    expect(lines[3][0]).toMatch(/--count must be an integer in \[1, /);
  });
});
