// Planner grasps in the dataset: image sampler candidates on each noisy image, read back onto the object and labelled,
// added after the image's 3-D grasps without disturbing them.
import { describe, expect, it } from 'vitest';
import { boxMesh } from '../../src/geometry/primitives.js';
import {
  DEFAULT_DATAPOINT_OPTIONS,
  objectDatapoints,
  type ObjectDatapoints,
} from '../../src/dataset/object-datapoints.js';

const mesh = boxMesh(0.03, 0.03, 0.06);
const options = { ...DEFAULT_DATAPOINT_OPTIONS, graspsPerObject: 24, imagesPerPose: 2, robustSamples: 4 };

/** Datapoint indices per image, in order. */
function byImage(d: ObjectDatapoints): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (let i = 0; i < d.count; i++) m.set(d.imageIndex[i]!, [...(m.get(d.imageIndex[i]!) ?? []), i]);
  return m;
}

describe('planner grasps in the dataset', () => {
  const plain = objectDatapoints(mesh, 0, 5, options);
  const withPlanner = objectDatapoints(mesh, 0, 5, { ...options, plannerGrasps: 12 });

  it("adds up to n labelled image candidates per image after that image's 3-D grasps, which stay as they were", () => {
    const added = withPlanner.count - plain.count;
    expect(added).toBe(withPlanner.stats.plannerGrasps);
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(12 * withPlanner.stats.images);
    const a = byImage(plain),
      b = byImage(withPlanner);
    expect([...b.keys()]).toEqual(expect.arrayContaining([...a.keys()]));
    const hp = (d: ObjectDatapoints, i: number) => Array.from(d.fields.hand_poses!.subarray(i * 7, i * 7 + 7));
    const crop = (d: ObjectDatapoints, i: number) =>
      Array.from(d.fields.depth_ims_tf_table!.subarray(i * 1024, i * 1024 + 1024));
    for (const [image, idx] of a) {
      const head = b.get(image)!.slice(0, idx.length);
      expect(head.map((i) => hp(withPlanner, i))).toEqual(idx.map((i) => hp(plain, i)));
      expect(head.map((i) => crop(withPlanner, i))).toEqual(idx.map((i) => crop(plain, i)));
      expect(head.map((i) => withPlanner.fields.robust_ferrari_canny![i])).toEqual(
        idx.map((i) => plain.fields.robust_ferrari_canny![i]),
      );
    }
  });

  it('labels the candidates like the 3-D grasps: zero when the gripper collides, both outcomes present', () => {
    const a = byImage(plain),
      b = byImage(withPlanner);
    let free = 0,
      colliding = 0;
    for (const [image, idx] of b) {
      for (const i of idx.slice(a.get(image)?.length ?? 0)) {
        const f = withPlanner.fields;
        if (f.collision_free![i] === 0) {
          colliding++;
          expect(f.robust_ferrari_canny![i]).toBe(0);
          expect(f.ferrari_canny![i]).toBe(0);
        } else free++;
        const angle = f.hand_poses![i * 7 + 3]!;
        expect(angle).toBeGreaterThan(-Math.PI / 2);
        expect(angle).toBeLessThanOrEqual(Math.PI / 2 + 1e-6); // float32
        expect(f.hand_poses![i * 7 + 2]!).toBeGreaterThan(0.4);
      }
    }
    // A 3 × 3 × 6 cm box seen from above: some candidates straddle it, some put a finger on it.
    expect(free).toBeGreaterThan(0);
    expect(colliding).toBeGreaterThan(0);
  });

  it('is deterministic per seed', () => {
    const again = objectDatapoints(mesh, 0, 5, { ...options, plannerGrasps: 12 });
    expect(again.count).toBe(withPlanner.count);
    expect(Array.from(again.fields.robust_ferrari_canny!)).toEqual(
      Array.from(withPlanner.fields.robust_ferrari_canny!),
    );
  });
});
