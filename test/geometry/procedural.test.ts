import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { convexHull } from '../../src/geometry/convex-hull.js';
import type { Mesh } from '../../src/geometry/mesh.js';
import { boundingBox, boundingBoxExtents, isWatertight, massProperties } from '../../src/geometry/mesh-properties.js';
import {
  COMPOSITION_MIN_HULL_RATIO,
  FAMILIES,
  HOLDOUT_FAMILIES,
  RedrawError,
  TRAINING_FAMILIES,
  generateObjects,
  generateShape,
  objectSeed,
  type FamilyName,
} from '../../src/geometry/procedural/index.js';
import { GraspableObject } from '../../src/grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER } from '../../src/grasp/gripper.js';

/** Connected components and genus from the Euler characteristic V − E + F = 2 − 2g of each closed surface. */
function topology(mesh: Mesh): { components: number; genus: number } {
  const t = mesh.triangles;
  const parent = new Int32Array(mesh.vertices.length / 3).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const used = new Set<number>();
  const edges = new Set<string>();
  for (let i = 0; i < t.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      const a = t[i + k],
        b = t[i + ((k + 1) % 3)];
      used.add(a);
      edges.add(a < b ? `${a},${b}` : `${b},${a}`);
      parent[find(a)] = find(b);
    }
  }
  const roots = new Set([...used].map(find));
  const chi = used.size - edges.size + t.length / 3;
  return { components: roots.size, genus: (2 * roots.size - chi) / 2 };
}

const hullRatio = (mesh: Mesh) => massProperties(convexHull(mesh)).volume / massProperties(mesh).volume;

/** The first `n` usable draws of a family (redraws skipped, as the set generator does). */
async function draws(
  family: FamilyName,
  n: number,
  options: Record<string, unknown> = {},
): Promise<Array<{ seed: number; mesh: Mesh }>> {
  const out: Array<{ seed: number; mesh: Mesh }> = [];
  for (let i = 0; out.length < n && i < 4 * n; i++) {
    const seed = objectSeed(11, i);
    try {
      out.push({ seed, mesh: await generateShape(family, seed, options) });
    } catch (err) {
      if (!(err instanceof RedrawError)) throw err;
    }
  }
  expect(out.length).toBe(n);
  return out;
}

describe('procedural shape families', () => {
  it.each(FAMILIES)(
    '%s: watertight, one body, positive volume, centred, smallest extent 4 cm (Dex-Net)',
    async (family) => {
      const extents: number[] = [];
      for (const { mesh } of await draws(family, 8)) {
        expect(isWatertight(mesh)).toBe(true);
        expect(topology(mesh).components).toBe(1);
        const { volume, centerOfMass } = massProperties(mesh);
        expect(volume).toBeGreaterThan(0);
        const e = boundingBoxExtents(mesh);
        const extent = Math.max(...e);
        expect(Math.min(...e)).toBeCloseTo(0.04, 6);
        for (const c of centerOfMass) expect(Math.abs(c)).toBeLessThan(1e-6);
        const tris = mesh.triangles.length / 3;
        expect(tris).toBeGreaterThanOrEqual(500);
        expect(tris).toBeLessThanOrEqual(20000);
        extents.push(extent);
      }
      // Extents are drawn, not fixed: eight draws do not all land in one centimetre.
      expect(Math.max(...extents) - Math.min(...extents)).toBeGreaterThan(0.01);
    },
  );

  it('sizes by the scale rule; a seed gives the same shape at every size (legacy: largest extent in [4, 10] cm)', async () => {
    for (const family of ['superquadric', 'bracket'] as const) {
      for (const { seed, mesh } of await draws(family, 3)) {
        const legacy = await generateShape(family, seed, {}, 'legacy');
        const largest = Math.max(...boundingBoxExtents(legacy));
        expect(largest).toBeGreaterThanOrEqual(0.04 - 1e-7);
        expect(largest).toBeLessThanOrEqual(0.1 + 1e-7);
        const max7 = await generateShape(family, seed, {}, { kind: 'max', extent: 0.07 });
        expect(Math.max(...boundingBoxExtents(max7))).toBeCloseTo(0.07, 6);
        // Both are centred at the centre of mass, so they differ by the ratio of their sizes alone.
        const ratio = Math.min(...boundingBoxExtents(mesh)) / Math.min(...boundingBoxExtents(legacy));
        expect(legacy.triangles).toEqual(mesh.triangles);
        for (let i = 0; i < mesh.vertices.length; i++)
          expect(Math.abs(legacy.vertices[i]! * ratio - mesh.vertices[i]!)).toBeLessThan(1e-6);
      }
    }
  });

  it('the same seed gives identical meshes, another seed a different one', async () => {
    for (const family of FAMILIES) {
      const [a, b] = await Promise.all([generateShape(family, 1234), generateShape(family, 1234)]);
      expect(a.vertices).toEqual(b.vertices);
      expect(a.triangles).toEqual(b.triangles);
      const c = await generateShape(family, 1235).catch(() => generateShape(family, 1236));
      expect(c.vertices.length === a.vertices.length && c.vertices.every((x, i) => x === a.vertices[i])).toBe(false);
    }
  });

  it('superquadric exponents span boxes, ellipsoids and diamonds', async () => {
    const radii = [1, 1, 1] as const;
    // Volume over bounding-box volume: box → 1, sphere → π/6 ≈ 0.524, octahedron → 1/6.
    const fill = async (e: number) => {
      const m = await generateShape('superquadric', 5, { e1: e, e2: e, radii });
      const [x, y, z] = boundingBoxExtents(m);
      return massProperties(m).volume / (x * y * z);
    };
    expect(await fill(0.2)).toBeGreaterThan(0.9);
    expect(await fill(1)).toBeCloseTo(Math.PI / 6, 1);
    expect(await fill(2)).toBeLessThan(0.2);
  });

  it('compositions are non-convex: hull volume well above the solid volume', async () => {
    for (const { mesh } of await draws('composition', 10))
      expect(hullRatio(mesh)).toBeGreaterThan(COMPOSITION_MIN_HULL_RATIO - 1e-3);
  });

  it('drilled blocks and mugs have through-holes or handles (genus ≥ 1 by Euler characteristic)', async () => {
    for (const family of ['holes', 'mug'] as const)
      for (const { mesh } of await draws(family, 8)) expect(topology(mesh).genus).toBeGreaterThanOrEqual(1);
    for (const { mesh } of await draws('mug', 4)) expect(hullRatio(mesh)).toBeGreaterThan(1.3);
  });

  it('cups have an open cavity a ray down the axis falls into; bottles are solid', async () => {
    const firstHitFromAbove = (mesh: Mesh) => {
      const box = boundingBox(mesh);
      const hit = new MeshIndex(mesh).raycast([0, 0, box.max[2] + 0.05], [0, 0, -1]);
      expect(hit).not.toBeNull();
      return (box.max[2] - hit!.point[2]) / (box.max[2] - box.min[2]);
    };
    for (const { mesh } of await draws('revolved', 5, { variant: 'cup' })) {
      // Falls past the rim down to the floor (6–15% of the height above the bottom).
      expect(firstHitFromAbove(mesh)).toBeGreaterThan(0.8);
      expect(hullRatio(mesh)).toBeGreaterThan(1.3);
    }
    for (const { mesh } of await draws('revolved', 5, { variant: 'bottle' }))
      expect(firstHitFromAbove(mesh)).toBeLessThan(1e-3);
  });
});

describe('generateObjects', () => {
  it('cycles the training families, passes every check, reproduces from each seed, and is prefix-stable', async () => {
    const graspable = (mesh: Mesh, seed: number) =>
      new GraspableObject(mesh, DEFAULT_GRIPPER).sampleGrasps(seed, { targetGrasps: 1 }).length > 0 ? null : 'no grasp';
    const objects = await generateObjects({ count: 8, seed: 3, check: graspable });
    expect(objects.map((o) => o.family)).toEqual([...TRAINING_FAMILIES, ...TRAINING_FAMILIES].slice(0, 8));
    expect(objects[0].id).toBe('obj-0000-superquadric');
    expect(new Set(objects.map((o) => o.id)).size).toBe(8);
    for (const o of objects) {
      expect(isWatertight(o.mesh)).toBe(true);
      expect(o.volume).toBeCloseTo(massProperties(o.mesh).volume, 12);
      expect(o.triangles).toBe(o.mesh.triangles.length / 3);
      expect(o.minExtent).toBeCloseTo(0.04, 6);
      expect(o.extent).toBeGreaterThanOrEqual(o.minExtent);
      expect(graspable(o.mesh, o.seed)).toBeNull();
      expect((await generateShape(o.family, o.seed)).vertices).toEqual(o.mesh.vertices);
    }
    const prefix = await generateObjects({ count: 3, seed: 3, check: graspable });
    for (let i = 0; i < 3; i++) expect(prefix[i].mesh.vertices).toEqual(objects[i].mesh.vertices);
  });

  it('a check that rejects a draw makes it redraw deterministically from derived seeds', async () => {
    let calls = 0;
    const rejectFirst = () => (calls++ % 2 === 0 ? 'rejected for the test' : null);
    const [a] = await generateObjects({ count: 1, seed: 9, families: ['extrusion'], check: rejectFirst });
    expect(a.seed).not.toBe(objectSeed(9, 0));
    calls = 0;
    const [b] = await generateObjects({ count: 1, seed: 9, families: ['extrusion'], check: rejectFirst });
    expect(b.seed).toBe(a.seed);
    await expect(
      generateObjects({ count: 1, seed: 9, families: ['extrusion'], check: () => 'never', maxAttempts: 3 }),
    ).rejects.toThrow(/object 0 \(extrusion\): no usable draw in 3 attempts \(never\)/);
  });

  it('holdout sets use disjoint families and a different seed stream', async () => {
    expect(TRAINING_FAMILIES.some((f) => (HOLDOUT_FAMILIES as readonly string[]).includes(f))).toBe(false);
    const held = await generateObjects({ count: 4, seed: 3, holdout: true });
    expect(held.map((o) => o.family)).toEqual(['twisted', 'bracket', 'twisted', 'bracket']);
    expect(held[0].id).toBe('holdout-0000-twisted');
    const train = await generateObjects({ count: 2, seed: 3, families: ['twisted', 'bracket'] });
    expect(train[0].seed).not.toBe(held[0].seed);
    expect(train[0].mesh.vertices).not.toEqual(held[0].mesh.vertices);
  });

  it('rejects bad arguments clearly', async () => {
    await expect(generateObjects({ count: -1, seed: 1 })).rejects.toThrow(/count must be a non-negative integer/);
    await expect(generateObjects({ count: 1, seed: 1, families: ['teapot' as FamilyName] })).rejects.toThrow(
      /unknown family "teapot"/,
    );
  });
});
