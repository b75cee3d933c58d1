// `dexnet import`'s library side on real files: an OBJ holding three objects (one holed, one inverted, one
// overlapping pair), a zip of them beside an STL, broken and hostile files; resuming skips finished objects.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_LIMITS, importObject, importObjects, type ImportManifest } from '../../src/dataset/import-objects.js';
import { loadMesh, writeObj, writeStl } from '../../src/geometry/mesh-io/index.js';
import type { Mesh } from '../../src/geometry/mesh.js';
import { isWatertight, meshVolume, translateMesh } from '../../src/geometry/mesh-properties.js';
import { boxMesh, icosphereMesh, torusMesh } from '../../src/geometry/primitives.js';
import { surfaceDistance } from '../../src/geometry/surface-distance.js';

const none = { kind: 'none' } as const;
let dir: string;

/** OBJ text of several named objects sharing one vertex list, as exporters write them. */
function multiObjectObj(objects: Array<[string, Mesh]>): string {
  const lines: string[] = [];
  let base = 1;
  for (const [name, mesh] of objects) {
    lines.push(`o ${name}`);
    for (let i = 0; i < mesh.vertices.length; i += 3)
      lines.push(`v ${mesh.vertices[i]} ${mesh.vertices[i + 1]} ${mesh.vertices[i + 2]}`);
    for (let i = 0; i < mesh.triangles.length; i += 3) {
      lines.push(`f ${mesh.triangles[i] + base} ${mesh.triangles[i + 1] + base} ${mesh.triangles[i + 2] + base}`);
    }
    base += mesh.vertices.length / 3;
  }
  return `${lines.join('\n')}\n`;
}

const torus = torusMesh(0.02, 0.008, 40, 20);
const holedTorus: Mesh = { vertices: torus.vertices, triangles: torus.triangles.slice(3) };
const box = boxMesh(0.03, 0.04, 0.05);
const invertedBox: Mesh = {
  vertices: box.vertices,
  triangles: Uint32Array.from(box.triangles, (_, i) => box.triangles[i - (i % 3) + [0, 2, 1][i % 3]]),
};
const cube = boxMesh(0.04, 0.04, 0.04);
const openCube: Mesh = { vertices: cube.vertices, triangles: cube.triangles.slice(6) };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dexnet-import-'));
  const obj = multiObjectObj([
    ['ring', holedTorus],
    ['crate', invertedBox],
  ]);
  await writeFile(
    join(dir, 'three.obj'),
    multiObjectObj([
      ['ring', holedTorus],
      ['crate', invertedBox],
      ['cube', openCube],
    ]),
  );
  await writeFile(
    join(dir, 'bundle.zip'),
    zipSync({
      'meshes/two.obj': new TextEncoder().encode(obj),
      'open-cube.stl': writeStl(openCube),
      'readme.txt': new Uint8Array(3),
    }),
  );
  await writeFile(
    join(dir, 'garbage.stl'),
    new Uint8Array(300).map((_, i) => (i * 7919) % 251),
  );
  await writeFile(join(dir, 'truncated.obj'), 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 ');
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('importObjects', () => {
  let manifest: ImportManifest;
  const intended: Record<string, Mesh> = { ring: torus, crate: box, cube };

  it('imports every object of an OBJ with three objects and of a zip, rejecting broken files with one line', async () => {
    const out = join(dir, 'out');
    manifest = await importObjects(
      [join(dir, 'three.obj'), join(dir, 'bundle.zip'), join(dir, 'garbage.stl'), join(dir, 'truncated.obj')],
      { out, rule: none },
    );
    expect(manifest.objects.map((o) => o.id).sort()).toEqual(
      [
        'bundle-meshes-two-obj-crate',
        'bundle-meshes-two-obj-ring',
        'bundle-open-cube-stl',
        'three-crate',
        'three-cube',
        'three-ring',
      ].sort(),
    );
    const reasons = Object.fromEntries(manifest.rejects.map((r) => [r.id, r.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['garbage', 'truncated']);
    for (const reason of Object.values(reasons)) expect(reason).not.toContain('\n');
    expect(reasons.garbage).toMatch(/garbage\.stl: .*STL/);
    expect(reasons.truncated).toMatch(/truncated\.obj: line 4: face needs at least 3 vertices|no faces/);
    const written = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as ImportManifest;
    expect(written).toEqual(manifest);
  }, 240_000);

  it('each object is one watertight solid within 1 mm of the surface it was meant to have', async () => {
    for (const entry of manifest.objects) {
      const mesh = await loadMesh(join(dir, 'out', entry.file));
      expect(isWatertight(mesh)).toBe(true);
      expect(entry.volume).toBeCloseTo(meshVolume(mesh), 9);
      const kind = entry.part ?? 'cube';
      const d = surfaceDistance(mesh, intended[kind], { tolerance: 0.001, samples: 3000 });
      expect(d.hausdorff).toBeLessThanOrEqual(0.001);
      expect(entry.hausdorff).toBeLessThanOrEqual(0.001);
      expect(entry.split === 'train' || entry.split === 'held-out').toBe(true);
    }
    const zipped = manifest.objects.find((o) => o.id === 'bundle-meshes-two-obj-ring')!;
    expect(zipped.entry).toBe('meshes/two.obj');
    expect(zipped.part).toBe('ring');
  });

  it('a re-run resumes: finished objects are skipped and the manifest is unchanged', async () => {
    let calls = 0;
    const again = await importObjects(
      [join(dir, 'three.obj'), join(dir, 'bundle.zip'), join(dir, 'garbage.stl'), join(dir, 'truncated.obj')],
      { out: join(dir, 'out'), rule: none, onObject: () => calls++ },
    );
    expect(calls).toBe(0);
    expect(again).toEqual(manifest);
  }, 60_000);

  it('refusals made under other limits are retried on resume; under the same ones only when asked', async () => {
    const inputs = [
      join(dir, 'three.obj'),
      join(dir, 'bundle.zip'),
      join(dir, 'garbage.stl'),
      join(dir, 'truncated.obj'),
    ];
    const out = join(dir, 'retry');
    await cp(join(dir, 'out'), out, { recursive: true });
    expect(manifest.limits).toEqual(IMPORT_LIMITS);
    // As an older dexnet would have left it: no limits recorded, the cube refused as too long.
    const doctor = async (id: string, limits: ImportManifest['limits']): Promise<void> => {
      const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as ImportManifest;
      const refused = m.objects.find((o) => o.id === id)!;
      m.objects = m.objects.filter((o) => o !== refused);
      m.rejects.push({
        id,
        source: refused.source,
        name: refused.name,
        reason: 'too long: 0.06 m > 0.05 m',
        seconds: 1,
      });
      m.limits = limits;
      await writeFile(join(out, 'manifest.json'), JSON.stringify(m));
    };
    // Everything but the timings.
    const untimed = (m: ImportManifest): unknown =>
      JSON.parse(JSON.stringify(m, (k, v: unknown) => (k === 'seconds' || k === 'processCpuSeconds' ? 0 : v)));
    const resume = async (retryRejects = false) => {
      const imported: string[] = [];
      const retried: Array<[number, string]> = [];
      const m = await importObjects(inputs, {
        out,
        rule: none,
        retryRejects,
        onObject: (_d, _t, r) => imported.push(r.id),
        onRetry: (count, why) => retried.push([count, why]),
      });
      return { m, imported, retried };
    };

    await doctor('three-cube', undefined);
    let r = await resume();
    expect(r.retried).toEqual([[3, 'limits']]);
    // The garbage file is read again and refused again; the truncated one already fails when the sources are listed.
    expect(r.imported.sort()).toEqual(['garbage', 'three-cube']);
    expect(untimed(r.m)).toEqual(untimed(manifest));

    await doctor('three-cube', IMPORT_LIMITS);
    r = await resume();
    expect(r.retried).toEqual([]);
    expect(r.imported).toEqual([]);
    expect(r.m.rejects.map((x) => x.id).sort()).toEqual(['garbage', 'three-cube', 'truncated']);

    r = await resume(true);
    expect(r.retried).toEqual([[3, 'asked']]);
    expect(r.imported.sort()).toEqual(['garbage', 'three-cube']);
    expect(untimed(r.m)).toEqual(untimed(manifest));
    expect(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'))).toEqual(r.m);
  }, 120_000);

  it('refuses to resume with a different scale rule', async () => {
    await expect(
      importObjects([join(dir, 'three.obj')], { out: join(dir, 'out'), rule: { kind: 'min', extent: 0.04 } }),
    ).rejects.toThrow(/manifest\.json: made with --scale none/);
  });
});

describe('import of a translated copy is the translated import (no hidden dependence on position)', () => {
  it('volume and triangle budget hold for a shifted soup', async () => {
    const out = join(dir, 'shifted');
    await writeFile(join(dir, 'shifted.obj'), writeObj(translateMesh(openCube, [0.3, -0.2, 0.1])));
    const m = await importObjects([join(dir, 'shifted.obj')], { out, rule: none, maxTriangles: 500 });
    expect(m.objects).toHaveLength(1);
    expect(m.objects[0].triangles).toBeLessThanOrEqual(500);
    // Simplifying a cube's level set down to 500 triangles rounds its edges a little.
    expect(Math.abs(m.objects[0].volume / 0.04 ** 3 - 1)).toBeLessThan(0.1);
  }, 120_000);
});

describe('importObject on a ball', () => {
  it('keeps a ball: its most probable resting pose stands in when none reaches 1 %', async () => {
    const ball = icosphereMesh(0.03, 4);
    const result = await importObject(
      { id: 'ball', source: 'ball.obj', name: 'ball.obj', load: () => ball },
      { rule: { kind: 'min', extent: 0.04 }, maxTriangles: 20000, spacing: 0.001, seed: 1 },
    );
    expect('reason' in result ? result.reason : null).toBeNull();
    if ('reason' in result) return;
    expect(result.entry.stablePoses).toBe(1);
    expect(Math.max(...result.entry.extents)).toBeCloseTo(0.04, 2);
  }, 60_000);
});
