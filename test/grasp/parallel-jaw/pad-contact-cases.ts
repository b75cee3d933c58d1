// Closings for pad-contact-identity.test.ts: meshes that reach every branch of the flat-pad model (a 20k-triangle
// torus, an L bracket's parallel faces and corners, a jittered icosphere, a coarse jittered torus with long thin
// triangles, a box) and pads placed at random, along the axes (ties between parallel faces) and around sampled
// antipodal grasps (real labels' draws), each jaw closing from its side.
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { createMesh, type Mesh } from '../../../src/geometry/mesh.js';
import { boxMesh, icosphereMesh, lBracketMesh, torusMesh } from '../../../src/geometry/primitives.js';
import { Random } from '../../../src/core/random.js';
import { cross, type Vec3 } from '../../../src/geometry/vector.js';
import { DEFAULT_GRIPPER } from '../../../src/grasp/gripper.js';
import { sampleAntipodalGrasps } from '../../../src/grasp/parallel-jaw/antipodal-sampler.js';
import type { PadFace } from '../../../src/grasp/parallel-jaw/pad-contact.js';
import { approachDirection, jawEndpoints } from '../../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';

export const WIDTH = 0.05;
/** The patch tolerance of the k-th closing: mostly the default 1 mm; 0 (knife edges: a patch of no area) and 5 mm. */
export const tolerance = (k: number) => (k % 10 === 0 ? 0 : k % 10 === 5 ? 0.005 : 0.001);

function jittered(mesh: Mesh, rng: Random, amount: number): Mesh {
  return createMesh(
    Float32Array.from(mesh.vertices, (x) => x + rng.uniform(-amount, amount)),
    mesh.triangles,
  );
}

/** The meshes, each with how many grasps' pads to close on it (fewer on the 20k-triangle torus, the slow one). */
export function identityMeshes(): { name: string; index: MeshIndex; grasps: number }[] {
  const rng = new Random(7);
  return [
    { name: 'torus 20k', mesh: torusMesh(0.03, 0.012, 100, 100), grasps: 40 },
    { name: 'L bracket', mesh: lBracketMesh(), grasps: 100 },
    { name: 'jittered icosphere', mesh: jittered(icosphereMesh(0.03, 3), rng, 0.002), grasps: 100 },
    { name: 'coarse jittered torus', mesh: jittered(torusMesh(0.03, 0.01, 12, 8), rng, 0.001), grasps: 100 },
    { name: 'box', mesh: boxMesh(0.04, 0.03, 0.02), grasps: 100 },
  ].map(({ name, mesh, grasps }) => ({ name, index: new MeshIndex(mesh), grasps }));
}

/** `count` grasps' two pads on the mesh: a third at random, a third axis-aligned, a third near antipodal grasps. */
export function identityPads(index: MeshIndex, count: number, seed: number): PadFace[] {
  const rng = new Random(seed);
  const sampled = sampleAntipodalGrasps(index, DEFAULT_GRIPPER, new Random(seed + 1), { targetGrasps: 8 });
  const v = index.mesh.vertices;
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  v.forEach((x, i) => {
    lo[i % 3] = Math.min(lo[i % 3], x);
    hi[i % 3] = Math.max(hi[i % 3], x);
  });
  const pads: PadFace[] = [];
  for (let g = 0; g < count; g++) {
    let center: Vec3, axis: Vec3;
    let approachAngle = rng.uniform(0, 2 * Math.PI);
    if (g % 3 === 2 && sampled.length > 0) {
      const b = sampled[rng.int(sampled.length)].grasp;
      center = b.center.map((x) => x + rng.normal(0, 0.005)) as Vec3;
      axis = b.axis.map((x) => x + rng.normal(0, 0.02)) as Vec3;
    } else {
      center = [0, 1, 2].map((k) => rng.uniform(lo[k] - 0.005, hi[k] + 0.005)) as Vec3;
      axis = [rng.normal(), rng.normal(), rng.normal()];
      if (g % 3 === 1) {
        // Along an axis, on a 5 mm grid, half of them square to the faces: parallel faces and exact ties.
        axis = [0, 0, 0];
        axis[rng.int(3)] = rng.next() < 0.5 ? 1 : -1;
        center = center.map((x) => Math.round(x * 200) / 200) as Vec3;
        if (g % 2 === 1) approachAngle = 0;
      }
    }
    const n = Math.hypot(...axis);
    axis = axis.map((x) => x / n) as Vec3;
    const grasp = { center, axis, width: WIDTH, approachAngle };
    const along = approachDirection(grasp),
      across = cross(axis, along);
    const [s1, s2] = jawEndpoints(grasp);
    const face = {
      across,
      along,
      halfWidth: DEFAULT_GRIPPER.fingerRadius,
      alongMin: DEFAULT_GRIPPER.fingertipOffset - DEFAULT_GRIPPER.fingerLength,
      alongMax: DEFAULT_GRIPPER.fingertipOffset,
    };
    pads.push({ ...face, start: s1, dir: axis }, { ...face, start: s2, dir: axis.map((x) => -x) as Vec3 });
  }
  return pads;
}

/** Every bit of a closing's result, as text: the failure reason, or travel, point and normal as float64 hex. */
export function resultBits(r: { contact: { point: Vec3; inwardNormal: Vec3 }; travel: number } | string): string {
  if (typeof r === 'string') return r;
  const f = Float64Array.of(r.travel, ...r.contact.point, ...r.contact.inwardNormal);
  return Buffer.from(f.buffer).toString('hex');
}
