import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { areaTable, samplePointByArea } from '../../src/geometry/area-sampling.js';
import type { Mesh } from '../../src/geometry/mesh.js';
import { MeshDistance } from '../../src/geometry/mesh-distance.js';
import { massProperties } from '../../src/geometry/mesh-properties.js';
import { boxMesh, cylinderMesh, lBracketMesh } from '../../src/geometry/primitives.js';
import type { RigidTransform } from '../../src/geometry/rigid-transform.js';
import type { Vec3 } from '../../src/geometry/vector.js';
import { binWalls, type Bin } from '../../src/physics/bin.js';
import { DEFAULT_HEAP_DROP_OPTIONS, dropHeap, type HeapDrop } from '../../src/physics/heap-drop.js';
import { heapSceneMjcf } from '../../src/physics/heap-scene.js';
import { compileMjcf, loadMujoco, withSimulation } from '../../src/physics/mujoco-runtime.js';

// A small bin and drop points within ±2 cm, so four objects land on each other: the conservation checks then meet
// real contacts between objects, not only objects lying apart on the floor.
const BIN: Bin = { halfX: 0.06, halfY: 0.06, wallHeight: 0.06, wallThickness: 0.01 };
const MESHES: Mesh[] = [
  boxMesh(0.05, 0.04, 0.03),
  lBracketMesh(),
  cylinderMesh(0.02, 0.05, 24),
  boxMesh(0.06, 0.03, 0.02),
];
const OPTIONS = { bin: BIN, planarOffset: 0.02, maxSettleSeconds: 3 };

/** World surface points of a posed mesh: its vertices and area-weighted samples of its faces. */
function surfacePoints(mesh: Mesh, pose: RigidTransform, samples: number, seed: number): Vec3[] {
  const rng = new Random(seed),
    table = areaTable(mesh),
    p = [0, 0, 0];
  const points: Vec3[] = [];
  for (let i = 0; i < mesh.vertices.length; i += 3)
    points.push(pose.applyToPoint([mesh.vertices[i], mesh.vertices[i + 1], mesh.vertices[i + 2]]));
  for (let i = 0; i < samples; i++) {
    samplePointByArea(mesh, table, rng, p);
    points.push(pose.applyToPoint([p[0], p[1], p[2]]));
  }
  return points;
}

/** How deep points of A reach inside B (m): the largest surface distance of an A point inside B's mesh. */
function penetration(a: Vec3[], b: MeshDistance, bPose: RigidTransform): number {
  const toB = bPose.inverse();
  let deepest = 0;
  for (const p of a) {
    const q = toB.applyToPoint(p);
    deepest = Math.max(deepest, -b.signedDistance(q[0], q[1], q[2]));
  }
  return deepest;
}

describe('dropHeap: a heap piled in a small bin', async () => {
  const heap: HeapDrop = await dropHeap(MESHES, 3, OPTIONS);
  const kept = heap.objects.flatMap((o, i) => (o.removed ? [] : [{ mesh: MESHES[i], pose: o.pose, i }]));

  it('keeps every object, settled, each dropped with its lowest point at the drop height', () => {
    expect(heap.settled).toBe(true);
    expect(kept.length).toBe(MESHES.length);
    heap.objects.forEach((o, i) => {
      const lowest = Math.min(...surfacePoints(MESHES[i], o.dropPose, 0, 0).map((p) => p[2]));
      expect(lowest).toBeGreaterThanOrEqual(DEFAULT_HEAP_DROP_OPTIONS.dropHeight - 1e-9);
    });
    // Some object came to rest on another, not on the floor: the heap is a heap.
    const lowest = kept.map((k) => Math.min(...surfacePoints(k.mesh, k.pose, 0, 0).map((p) => p[2])));
    expect(Math.max(...lowest)).toBeGreaterThan(0.005);
  });

  it('every object is above the floor and out of the walls (within 1 mm), its centre of mass over the floor', () => {
    // Objects may lean over a wall's top (the pile is higher than the walls here), never into a wall.
    const walls = binWalls(BIN);
    for (const k of kept) {
      const com = k.pose.applyToPoint(massProperties(k.mesh).centerOfMass);
      expect(Math.abs(com[0])).toBeLessThanOrEqual(BIN.halfX);
      expect(Math.abs(com[1])).toBeLessThanOrEqual(BIN.halfY);
      for (const p of surfacePoints(k.mesh, k.pose, 1500, k.i)) {
        expect(p[2]).toBeGreaterThan(-0.001);
        for (const w of walls) expect(w.center.every((c, a) => Math.abs(p[a] - c) < w.halfSize[a] - 0.001)).toBe(false);
      }
    }
  });

  it('no object reaches more than 1.5 mm into another (surface samples tested inside each other mesh)', () => {
    const indexes = kept.map((k) => new MeshDistance(k.mesh));
    const points = kept.map((k) => surfacePoints(k.mesh, k.pose, 1500, k.i));
    let deepest = 0;
    for (let a = 0; a < kept.length; a++)
      for (let b = 0; b < kept.length; b++)
        if (a !== b) deepest = Math.max(deepest, penetration(points[a], indexes[b], kept[b].pose));
    expect(deepest).toBeLessThan(0.0015);
  });

  // The settling criterion's own promise: over one rest window no point moves farther than restSpeed × restSeconds.
  it('is at rest: simulated again from the final poses for one rest window (0.2 s), no point moves more than 1 mm', async () => {
    const { restSeconds, restSpeed, timestep } = DEFAULT_HEAP_DROP_OPTIONS;
    const mujoco = await loadMujoco();
    const scene = heapSceneMjcf(
      kept.map((k) => k.mesh),
      kept.map((k) => k.pose),
      { ...DEFAULT_HEAP_DROP_OPTIONS, bin: BIN },
    );
    const model = compileMjcf(mujoco, scene.xml, scene.files);
    const moved = withSimulation(mujoco, model, (data) => {
      // Restarted from poses alone, the soft contacts first sink back to their working depth (5 time constants).
      for (let s = 0; s < Math.round((5 * DEFAULT_HEAP_DROP_OPTIONS.contactTimeConstant) / timestep); s++)
        mujoco.mj_step(model, data);
      const before = Float64Array.from(data.qpos as Float64Array);
      for (let s = 0; s < Math.round(restSeconds / timestep); s++) mujoco.mj_step(model, data);
      const q = data.qpos as Float64Array;
      return kept.map((k, i) => {
        const a = 7 * i;
        const reach = Math.max(
          ...surfacePoints(k.mesh, k.pose, 0, 0).map((p) => Math.hypot(...p.map((v, j) => v - k.pose.translation[j]))),
        );
        let dot = 0;
        for (let j = 3; j < 7; j++) dot += q[a + j] * before[a + j];
        const angle = 2 * Math.acos(Math.min(1, Math.abs(dot)));
        return Math.hypot(q[a] - before[a], q[a + 1] - before[a + 1], q[a + 2] - before[a + 2]) + angle * reach;
      });
    });
    expect(Math.max(...moved)).toBeLessThan(restSpeed * restSeconds);
  });
});

describe('dropHeap: seeds and escapes', () => {
  it('the same seed gives the same heap to the last bit, another seed another heap', async () => {
    const two = MESHES.slice(0, 2);
    const options = { bin: BIN, planarOffset: 0.02, maxSettleSeconds: 1 };
    const pose = (h: HeapDrop) => h.objects.map((o) => [o.pose.translation, o.pose.rotation, o.removed]);
    const a = await dropHeap(two, 9, options);
    const b = await dropHeap(two, 9, options);
    const c = await dropHeap(two, 10, options);
    expect(pose(b)).toEqual(pose(a));
    expect(pose(c)).not.toEqual(pose(a));
  });

  it('objects dropped beyond the walls are taken out as having left the bin, the others stay', async () => {
    // Drop points up to 15 cm out from the centre of a bin 4 cm across: where each lands is known from its drop.
    const tiny: Bin = { halfX: 0.02, halfY: 0.02, wallHeight: 0.02, wallThickness: 0.005 };
    const heap = await dropHeap([boxMesh(0.02, 0.02, 0.02), boxMesh(0.02, 0.02, 0.02), boxMesh(0.02, 0.02, 0.02)], 4, {
      bin: tiny,
      planarOffset: 0.15,
      maxSettleSeconds: 1,
    });
    let outside = 0;
    for (const o of heap.objects) {
      const [x, y] = o.dropPose.translation;
      // A 2 cm cube whose centre falls 1.5 cm or more past a wall's outer face cannot land on or in the bin.
      if (Math.max(Math.abs(x), Math.abs(y)) > 0.02 + 0.005 + 0.015) {
        outside++;
        expect(o.removed).toBe('left the bin');
      }
      if (!o.removed) {
        expect(Math.abs(o.pose.translation[0])).toBeLessThanOrEqual(tiny.halfX);
        expect(Math.abs(o.pose.translation[1])).toBeLessThanOrEqual(tiny.halfY);
      }
    }
    expect(outside).toBeGreaterThan(0);
  });
});
