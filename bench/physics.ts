// Benchmark: wall milliseconds per physics judgement (MuJoCo WASM: model build, approach, squeeze, lift, shake) on a
// few primitives resting on the table, grasped top-down through their middle across their narrowest horizontal
// width; median over varied planar poses.
import { boxMesh, cylinderMesh, ellipsoidMesh, icosphereMesh, uChannelMesh } from '../src/geometry/primitives.js';
import type { Mesh } from '../src/geometry/mesh.js';
import type { RigidTransform } from '../src/geometry/rigid-transform.js';
import { stablePoses } from '../src/geometry/stable-poses.js';
import type { Vec3 } from '../src/geometry/vector.js';
import { judgeGraspPhysics, type PhysicsVerdict } from '../src/physics/lift-and-shake.js';
import { loadMujoco, mujocoVersion } from '../src/physics/mujoco-runtime.js';
import { inObjectFrame, restingOnTable, topDownGrasp } from '../test/evaluate/scenes.js';

const json = process.argv.includes('--json');
const repeats = Number(process.argv.find((a) => a.startsWith('--repeats='))?.slice(10) ?? 9);

const t0 = performance.now();
await loadMujoco();
const loadMs = performance.now() - t0;

/**
 * Object, how far above its origin the grasp centre sits, or (non-convex) a fixed stable pose, grasp centre and
 * axis in the object frame.
 */
const channel = uChannelMesh(0.07, 0.05, 0.01, 0.04);
const objects: Array<{ name: string; mesh: Mesh; centerUp?: number; pose?: number; center?: Vec3; axis?: Vec3 }> = [
  { name: 'box 4 cm', mesh: boxMesh(0.04, 0.04, 0.04) },
  { name: 'sphere r 2 cm (642 vertices)', mesh: icosphereMesh(0.02, 3) },
  { name: 'cylinder r 1.5 cm × 6 cm', mesh: cylinderMesh(0.015, 0.06, 32), centerUp: 0.01 },
  // A 20,480-triangle egg lying on its side, grasped across its 4 cm girth: the cost of a realistic mesh size.
  { name: 'ellipsoid 4×4×7 cm (20,480 triangles)', mesh: ellipsoidMesh(0.02, 0.02, 0.035, 5) },
  // Non-convex, standing on its base, grasped across one wall with a finger inside the channel: it collides as
  // convex pieces (its hull would fill the channel).
  {
    name: 'U-channel 7×5×4 cm (convex pieces)',
    mesh: channel,
    pose: stablePoses(channel).findIndex((p) => p.facetNormal[1] < -0.999),
    center: [-0.03, 0.01, 0],
    axis: [1, 0, 0],
  },
];

const rows: Array<{ object: string; medianMs: number; firstMs: number; outcomes: Record<string, number> }> = [];
for (const o of objects) {
  const times: number[] = [];
  const outcomes: Record<string, number> = {};
  let firstMs = 0;
  for (let k = 0; k <= repeats; k++) {
    const yaw = (2 * Math.PI * k) / (repeats + 1);
    const t = restingOnTable(o.mesh, { pose: o.pose, x: 0.02 * Math.cos(3 * k), y: 0.02 * Math.sin(3 * k), yaw });
    const axis = o.axis ?? narrowHorizontalAxis(o.mesh, t);
    const up = inObjectFrame(t, [0, 0, 1]);
    const h = o.centerUp ?? 0;
    const center: Vec3 = o.center ?? [up[0] * h, up[1] * h, up[2] * h];
    const verdict: PhysicsVerdict = await judgeGraspPhysics({
      mesh: o.mesh,
      objectToWorld: t,
      grasp: topDownGrasp(t, center, axis),
      friction: 0.5,
      seed: k,
    });
    // The first judgement of a mesh also pays its one-off geometry (mass properties, support points, pieces).
    if (k === 0) firstMs = verdict.wallMs;
    else times.push(verdict.wallMs);
    outcomes[verdict.reason] = (outcomes[verdict.reason] ?? 0) + 1;
  }
  times.sort((a, b) => a - b);
  rows.push({ object: o.name, medianMs: +times[times.length >> 1].toFixed(1), firstMs: +firstMs.toFixed(1), outcomes });
}

/** The horizontal direction (of 16 tried, in the object frame) across which the resting object is narrowest. */
function narrowHorizontalAxis(mesh: Mesh, objectToTable: RigidTransform): Vec3 {
  let best: Vec3 = [1, 0, 0],
    bestWidth = Infinity;
  const v = mesh.vertices;
  for (let k = 0; k < 16; k++) {
    const d = inObjectFrame(objectToTable, [Math.cos((Math.PI * k) / 16), Math.sin((Math.PI * k) / 16), 0]);
    let lo = Infinity,
      hi = -Infinity;
    for (let i = 0; i < v.length; i += 3) {
      const s = d[0] * v[i] + d[1] * v[i + 1] + d[2] * v[i + 2];
      lo = Math.min(lo, s);
      hi = Math.max(hi, s);
    }
    if (hi - lo < bestWidth - 1e-9) {
      bestWidth = hi - lo;
      best = d;
    }
  }
  return best;
}

const all = rows.map((r) => r.medianMs).sort((a, b) => a - b);
const result = {
  mujoco: await mujocoVersion(),
  moduleLoadMs: +loadMs.toFixed(0),
  medianMsPerJudgement: all[all.length >> 1],
  perObject: rows,
  repeats,
};
for (const r of rows)
  console.log(
    `${r.object}: median ${r.medianMs} ms per judgement (first ${r.firstMs} ms) ${JSON.stringify(r.outcomes)}`,
  );
console.log(
  `MuJoCo ${result.mujoco}: module load ${result.moduleLoadMs} ms; median ${result.medianMsPerJudgement} ms per judgement`,
);
if (json) console.log(JSON.stringify(result));
