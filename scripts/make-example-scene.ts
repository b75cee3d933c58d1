// Renders the quick-start example (examples/scene/): a held-out procedural object on a table seen by a
// PrimeSense-like camera, with Dex-Net's sensor noise — depth.npy, camera.intr and segmask.png.
// Run: npx tsx scripts/make-example-scene.ts
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { MeshIndex } from '../src/geometry/bvh.js';
import { centeredIntrinsics, writeIntrinsics, type CameraIntrinsics } from '../src/geometry/camera-intrinsics.js';
import { centerMesh, rescaleMesh } from '../src/geometry/mesh-properties.js';
import { generateShape } from '../src/geometry/procedural/index.js';
import { Random } from '../src/core/random.js';
import { RigidTransform } from '../src/geometry/rigid-transform.js';
import { stablePoses } from '../src/geometry/stable-poses.js';
import { axisAngleToMat3 } from '../src/geometry/vector.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { writeDepthNpy } from '../src/image/depth-io.js';
import { encodeMaskPng } from '../src/image/png.js';
import { lookAtPose } from '../src/render/camera-sampler.js';
import { DepthRenderer } from '../src/render/depth-renderer.js';
import { applyDepthNoise } from '../src/render/noise.js';

const dir = 'examples/scene';
mkdirSync(dir, { recursive: true });
// A 9 cm part so the example shows the object clearly at a PrimeSense-like 0.6 m.
const mesh = centerMesh(rescaleMesh(await generateShape('bracket', 11), 0.09));
const object = new GraspableObject(mesh, DEFAULT_GRIPPER);
const pose = stablePoses(mesh)[0];
const planar = new RigidTransform(axisAngleToMat3([0, 0, 1], 0.6), [0.02, -0.01, 0], 'table', 'world');
const objectToWorld = planar.compose(object.tableFromObject(pose));
const intrinsics: CameraIntrinsics = centeredIntrinsics(640, 480);
const camera = {
  intrinsics,
  pose: lookAtPose({ radius: 0.6, polar: 0.08 * Math.PI, azimuth: 1.1, roll: 0 }, [0, 0, 0], 'camera', 'world'),
};
const image = new DepthRenderer(new MeshIndex(mesh)).render(objectToWorld, camera);
applyDepthNoise(image.depth, new Random(11));
await writeDepthNpy(`${dir}/depth.npy`, image.depth);
await writeIntrinsics(`${dir}/camera.intr`, intrinsics);
const mask = { ...image.segmask, data: image.segmask.data.map((v) => (v ? 255 : 0)) };
await writeFileAtomic(`${dir}/segmask.png`, encodeMaskPng(mask));
let pixels = 0;
for (const v of image.segmask.data) pixels += v;
console.log(`wrote ${dir}: 640×480 depth, ${pixels} object pixels`);
