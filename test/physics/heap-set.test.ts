import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import { lBracketMesh } from '../../src/geometry/primitives.js';
import { parseObjectCount } from '../../src/physics/heap-contents.js';
import { heapPiecesPath, prepareHeapGeometry } from '../../src/physics/heap-geometry-cache.js';
import { heapObjectGeometry } from '../../src/physics/heap-scene.js';
import { readHeapRecord } from '../../src/physics/heap-record.js';
import { generateHeaps, type HeapSetOptions } from '../../src/physics/heap-set.js';
import { tempDirs } from '../helpers/temp-dir.js';

// Heaps of one or two of the example meshes with a short settle: the bookkeeping is what is tested here (the same
// set made by the CLI with two worker threads: test/cli/heaps.test.ts).
const root = tempDirs('heaps')();
const meshDir = join(root, 'meshes');
const meshes = ['box.obj', 'cylinder.stl'].map((f) => join(meshDir, f));
const SMALL: HeapSetOptions = {
  seed: 5,
  objects: { kind: 'poisson', lambda: 2 },
  maxObjects: 2,
  drop: { maxSettleSeconds: 0.5 },
};

beforeAll(() => {
  mkdirSync(meshDir);
  for (const m of meshes) copyFileSync(join('examples/meshes', m.split('/').pop()!), m);
});

/** Every file of a run folder and its bytes. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sub of ['', 'heaps'])
    for (const f of readdirSync(join(dir, sub)))
      if (statSync(join(dir, sub, f)).isFile()) out[join(sub, f)] = readFileSync(join(dir, sub, f), 'utf8');
  return out;
}

describe('generateHeaps', () => {
  const one = join(root, 'one');

  it('writes a record per heap and an index of them', async () => {
    const a = await generateHeaps(meshes, one, { ...SMALL, count: 4, workers: 1 });
    expect(a.made).toBe(4);
    expect(Object.keys(files(one)).sort()).toEqual([
      'heap-plan.json',
      'heaps/heap_000000.json',
      'heaps/heap_000001.json',
      'heaps/heap_000002.json',
      'heaps/heap_000003.json',
      'index.json',
    ]);
    // Counts drawn from Poisson(2) stay within [1, maxObjects]; each object names a mesh and has both poses.
    for (let heap = 0; heap < 4; heap++) {
      const record = await readHeapRecord(one, heap);
      expect(record.objects.length).toBeGreaterThanOrEqual(1);
      expect(record.objects.length).toBeLessThanOrEqual(2);
      expect(new Set(record.objects.map((o) => o.meshIndex)).size).toBe(record.objects.length);
      for (const o of record.objects) {
        expect(o.mesh).toBe(meshes[o.meshIndex]);
        expect(o.pose!.quaternion.length).toBe(4);
        expect(o.dropPose!.position[2]).toBeGreaterThan(0.19);
      }
    }
    expect(a.objects).toBe(a.heaps.reduce((s, h) => s + h.objects, 0));
  });

  it('resumes: a killed run (records missing, no index) ends with the same bytes; more heaps extend the set', async () => {
    const resumed = join(root, 'resumed');
    await generateHeaps(meshes, resumed, { ...SMALL, count: 2 });
    const first = readFileSync(join(resumed, 'heaps/heap_000000.json'), 'utf8');
    rmSync(join(resumed, 'heaps/heap_000001.json'));
    rmSync(join(resumed, 'index.json'));
    const again = await generateHeaps(meshes, resumed, { ...SMALL, count: 4 });
    expect(again.made).toBe(3);
    expect(readFileSync(join(resumed, 'heaps/heap_000000.json'), 'utf8')).toBe(first);
    expect(files(resumed)).toEqual(files(one));
    const done = await generateHeaps(meshes, resumed, { ...SMALL, count: 4 });
    expect(done.made).toBe(0);
  });

  it('refuses to resume with other settings, naming the one that differs', async () => {
    await expect(generateHeaps(meshes, one, { ...SMALL, count: 4, seed: 6 })).rejects.toThrow(
      /holds a run with different settings \(seed differs\)/,
    );
    await expect(generateHeaps(meshes, one, { ...SMALL, count: 4, maxObjects: 3 })).rejects.toThrow(
      /maxObjects differs/,
    );
  });

  it('an unusable mesh leaves its object out with the reason; the others still fall', async () => {
    const broken = join(meshDir, 'broken.obj');
    writeFileSync(broken, 'v 0 0 0\nv 1 0 0\nf 1 2 3\n');
    const out = join(root, 'broken');
    const s = await generateHeaps([broken, meshes[0]], out, {
      ...SMALL,
      objects: { kind: 'fixed', count: 2 },
      count: 1,
    });
    const record = await readHeapRecord(out, 0);
    const bad = record.objects.find((o) => o.mesh === broken)!;
    expect(bad.removed).toBe('unusable mesh');
    expect(bad.detail).toMatch(/broken\.obj/);
    expect(record.objects.find((o) => o.mesh === meshes[0])!.pose).toBeDefined();
    expect(s.removed['unusable mesh']).toBe(1);
  });

  it('rejects bad counts with one-line messages naming the flag', async () => {
    for (const [text, message] of [
      ['poisson:x', /--objects: the Poisson mean must be a number/],
      ['poisson:0', /--objects: the Poisson mean/],
      ['0', /at least 1 object/],
      ['3 objects', /--objects must be poisson:<mean>/],
    ] as const) {
      expect(() => parseObjectCount(text)).toThrow(UserInputError);
      expect(() => parseObjectCount(text)).toThrow(message);
    }
    expect(parseObjectCount('poisson:5')).toEqual({ kind: 'poisson', lambda: 5 });
    expect(parseObjectCount('7')).toEqual({ kind: 'fixed', count: 7 });
    await expect(
      generateHeaps(meshes, join(root, 'x'), { objects: { kind: 'fixed', count: 5 }, maxObjects: 3 }),
    ).rejects.toThrow(/--objects 5 is more than --max-objects 3/);
    await expect(generateHeaps([], join(root, 'y'), {})).rejects.toThrow(UserInputError);
  });

  it("a mesh's heap pieces read back from their file are the pieces made for it, bit for bit", async () => {
    const path = join(root, 'geometry', 'bracket.pieces');
    const made = lBracketMesh();
    await prepareHeapGeometry(path, made);
    // A fresh copy of the mesh holds no cached geometry, so its pieces come from the file.
    const read = lBracketMesh();
    await prepareHeapGeometry(path, read);
    const a = heapObjectGeometry(made).pieces!,
      b = heapObjectGeometry(read).pieces!;
    expect(a.length).toBeGreaterThan(1);
    expect(b.map((p) => Array.from(p.points))).toEqual(a.map((p) => Array.from(p.points)));
    expect(heapPiecesPath(root, 3)).toMatch(/geometry\/mesh_000003-[0-9a-f]{8}\.pieces$/);
  });
});
