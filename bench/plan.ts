// Benchmark: median milliseconds per plan on 640×480 depth images (5 rendered held-out scenes) for each
// policy with the bundled model, and how many grasps each policy scored.
import { MeshIndex } from '../src/geometry/bvh.js';
import { centeredIntrinsics, type CameraIntrinsics } from '../src/geometry/camera-intrinsics.js';
import { generateShape, HOLDOUT_FAMILIES } from '../src/geometry/procedural/index.js';
import { Random } from '../src/core/random.js';
import { RigidTransform } from '../src/geometry/rigid-transform.js';
import { stablePoses } from '../src/geometry/stable-poses.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { GqcnnPredictor } from '../src/model/predictor.js';
import { plan, POLICIES } from '../src/policy/plan.js';
import { lookAtPose } from '../src/render/camera-sampler.js';
import { DepthRenderer } from '../src/render/depth-renderer.js';
import { applyDepthNoise } from '../src/render/noise.js';

const json = process.argv.includes('--json');
const model = process.argv.find((a) => a.startsWith('--model='))?.slice(8) ?? 'models/gqcnn-compact';
const intrinsics: CameraIntrinsics = centeredIntrinsics(640, 480);

const scenes = [];
for (let s = 0; s < 5; s++) {
  const mesh = await generateShape(HOLDOUT_FAMILIES[s % HOLDOUT_FAMILIES.length], 100 + s);
  const object = new GraspableObject(mesh, DEFAULT_GRIPPER);
  const objectToWorld = new RigidTransform(undefined, [0, 0, 0], 'table', 'world').compose(
    object.tableFromObject(stablePoses(mesh)[0]),
  );
  const rng = new Random(s);
  const camera = {
    intrinsics,
    pose: lookAtPose(
      { radius: 0.7, polar: rng.uniform(0.05, 0.1) * Math.PI, azimuth: rng.uniform(0, 2 * Math.PI), roll: 0 },
      [0, 0, 0],
      'camera',
      'world',
    ),
  };
  const image = new DepthRenderer(new MeshIndex(mesh)).render(objectToWorld, camera);
  applyDepthNoise(image.depth, rng);
  scenes.push(image);
}

const predictor = await GqcnnPredictor.load(model);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result: Record<string, { medianMs: number; scored: number }> = {};
for (const policy of POLICIES) {
  await plan(scenes[0].depth, intrinsics, predictor, { policy, segmask: scenes[0].segmask }); // warm-up
  const times: number[] = [];
  let scored = 0;
  for (const [i, s] of scenes.entries()) {
    const t0 = performance.now();
    const r = await plan(s.depth, intrinsics, predictor, { policy, segmask: s.segmask, seed: i });
    times.push(performance.now() - t0);
    scored += r.scoredCount;
  }
  result[policy] = { medianMs: Number(median(times).toFixed(1)), scored: Math.round(scored / scenes.length) };
}
await predictor.release();
console.log(
  POLICIES.map((p) => `${p}: ${result[p].medianMs} ms per plan, ${result[p].scored} grasps scored`).join('; ') +
    ' (640×480, 5 scenes)',
);
if (json) console.log(JSON.stringify(result));
