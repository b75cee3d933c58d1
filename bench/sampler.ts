// Benchmark: milliseconds to draw 250 image antipodal grasps on a rendered 640×480 depth image (three objects on a table), one core.
import { MeshIndex } from '../src/geometry/bvh.js';
import { centeredIntrinsics } from '../src/geometry/camera-intrinsics.js';
import { boxMesh, cylinderMesh, lBracketMesh } from '../src/geometry/primitives.js';
import { Random } from '../src/core/random.js';
import { RigidTransform } from '../src/geometry/rigid-transform.js';
import { axisAngleToMat3, type Vec3 } from '../src/geometry/vector.js';
import { createDepthImage, createMask } from '../src/image/depth-image.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { findDepthEdges, sampleImageAntipodalGrasps } from '../src/grasp/image-antipodal-sampler.js';
import { lookAtPose } from '../src/render/camera-sampler.js';
import { DepthRenderer, type Camera } from '../src/render/depth-renderer.js';

const json = process.argv.includes('--json');
const W = 640,
  H = 480,
  samples = 250;
const intrinsics = centeredIntrinsics(W, H);
// A slightly oblique camera so the table has a (sub-threshold) depth gradient, as in Dex-Net's camera range.
const camera: Camera = { intrinsics, pose: lookAtPose({ radius: 0.7, polar: 0.08 * Math.PI, azimuth: 0.7, roll: 0 }) };
const place = (yaw: number, t: Vec3) => new RigidTransform(axisAngleToMat3([0, 0, 1], yaw), t, 'object', 'table');
const objects = [
  { mesh: boxMesh(0.08, 0.03, 0.04), pose: place(0.3, [0, 0, 0.02]) },
  { mesh: cylinderMesh(0.02, 0.06), pose: place(0, [0.08, -0.06, 0.03]) },
  { mesh: lBracketMesh(), pose: place(1.2, [-0.07, 0.07, 0]) },
];

// One render per object merged by nearest depth: the renderer draws one object at a time.
const depth = new Float32Array(W * H);
const mask = new Uint8Array(W * H);
for (const o of objects) {
  const r = new DepthRenderer(new MeshIndex(o.mesh)).render(o.pose, camera);
  for (let i = 0; i < depth.length; i++) {
    const v = r.depth.data[i];
    if (v > 0 && (depth[i] === 0 || v < depth[i])) {
      depth[i] = v;
      mask[i] = r.segmask.data[i] ? 255 : 0;
    }
  }
}
const image = createDepthImage(W, H, depth);
const segmask = createMask(W, H, mask);

const run = (seed: number) =>
  sampleImageAntipodalGrasps(image, segmask, intrinsics, DEFAULT_GRIPPER.maxWidth, new Random(seed), {
    numSamples: samples,
  });
for (let i = 0; i < 20; i++) run(i); // warm up the JIT

const rounds = 40;
const times: number[] = [];
let grasps = 0;
for (let r = 0; r < rounds; r++) {
  const t0 = process.hrtime.bigint();
  grasps = run(1000 + r).length;
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
const median = times[rounds >> 1];
const min = times[0];
const edgeCount = findDepthEdges(image, segmask).count;

if (!json) {
  console.log(
    `image antipodal sampler, ${samples} grasps on ${W}×${H} (${edgeCount} edge pixels): median ${median.toFixed(2)} ms, best ${min.toFixed(2)} ms (one core)`,
  );
  console.log(`target ≤ 20 ms: ${median <= 20 ? 'met' : 'NOT met'}`);
}
console.log(
  JSON.stringify({
    medianMs: +median.toFixed(3),
    minMs: +min.toFixed(3),
    grasps,
    requested: samples,
    edgePixels: edgeCount,
    image: `${W}x${H}`,
  }),
);
