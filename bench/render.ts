// Benchmark: milliseconds per 600×600 ray-cast depth image of a 20,000-triangle object at ~0.7 m (one core),
// plus the cost of the sensor noise, over cameras drawn from Dex-Net 2.0's distribution.
import { MeshIndex } from '../src/geometry/bvh.js';
import { torusMesh } from '../src/geometry/primitives.js';
import { Random } from '../src/core/random.js';
import { RigidTransform } from '../src/geometry/rigid-transform.js';
import { sampleCamera } from '../src/render/camera-sampler.js';
import { DepthRenderer } from '../src/render/depth-renderer.js';
import { applyDepthNoise } from '../src/render/noise.js';

const json = process.argv.includes('--json');
const images = Number(process.argv.find((a) => a.startsWith('--images='))?.slice(9) ?? 200);

// An ~8 cm torus lying flat on the table (its tube radius lifts it to rest on z = 0).
const mesh = torusMesh(0.03, 0.012, 100, 100);
const t0Index = process.hrtime.bigint();
const index = new MeshIndex(mesh);
const indexMs = Number(process.hrtime.bigint() - t0Index) / 1e6;
const renderer = new DepthRenderer(index);
const rng = new Random(7);
const poses = Array.from({ length: images }, () => {
  const yaw = rng.uniform(0, 2 * Math.PI),
    c = Math.cos(yaw),
    s = Math.sin(yaw);
  const objectToWorld = new RigidTransform(
    [c, -s, 0, s, c, 0, 0, 0, 1],
    [rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1), 0.012],
    'object',
    'table',
  );
  return { objectToWorld, camera: sampleCamera(rng, { target: objectToWorld.translation }) };
});

let out = renderer.render(poses[0].objectToWorld, poses[0].camera);
for (let i = 0; i < 10; i++) out = renderer.render(poses[i % images].objectToWorld, poses[i % images].camera, {}, out);
let objectPixels = 0;
let t0 = process.hrtime.bigint();
for (const p of poses) {
  renderer.render(p.objectToWorld, p.camera, {}, out);
  for (let i = 0; i < out.segmask.data.length; i++) objectPixels += out.segmask.data[i];
}
const msPerImage = Number(process.hrtime.bigint() - t0) / 1e6 / images;

const noiseRng = new Random(1);
const noisy = new Float32Array(out.depth.data.length);
for (let i = 0; i < 5; i++) {
  noisy.set(out.depth.data);
  applyDepthNoise({ ...out.depth, data: noisy }, noiseRng);
}
t0 = process.hrtime.bigint();
for (let i = 0; i < 50; i++) {
  noisy.set(out.depth.data);
  applyDepthNoise({ ...out.depth, data: noisy }, noiseRng);
}
const noiseMsPerImage = Number(process.hrtime.bigint() - t0) / 1e6 / 50;

const result = {
  msPerImage: +msPerImage.toFixed(2),
  imagesPerSecond: +(1000 / msPerImage).toFixed(1),
  noiseMsPerImage: +noiseMsPerImage.toFixed(2),
  triangles: mesh.triangles.length / 3,
  width: 600,
  height: 600,
  meanObjectPixels: Math.round(objectPixels / images),
  bvhBuildMs: +indexMs.toFixed(1),
  images,
};
if (!json) {
  console.log(
    `render: ${result.msPerImage} ms per ${result.width}×${result.height} image (${result.imagesPerSecond}/s), ${result.triangles} triangles, ~${result.meanObjectPixels} object pixels`,
  );
  console.log(`noise: ${result.noiseMsPerImage} ms per image; BVH build ${result.bvhBuildMs} ms`);
}
console.log(JSON.stringify(result));
