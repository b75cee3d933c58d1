// Benchmark: grasp-aligned crops (96 → 32) per second on one core, at random centres and angles of a 640×480 depth image.
import { Random } from '../src/core/random.js';
import { graspAlignedCrop } from '../src/image/crop.js';
import { createDepthImage } from '../src/image/depth-image.js';

const json = process.argv.includes('--json');
const width = 640;
const height = 480;
const rng = new Random(1);
const data = new Float32Array(width * height);
for (let i = 0; i < data.length; i++) data[i] = 0.6 + 0.1 * rng.next();
const depth = createDepthImage(width, height, data);

// Grasps as the planner sees them: centres ≥ 96/2·√2 px from the border (docs/dex-net-facts.md §5), plus 10%
// anywhere (border path).
const count = 4096;
const centers = Array.from({ length: count }, (_, i) => {
  const margin = i % 10 === 0 ? 0 : 68;
  return { x: margin + (width - 2 * margin) * rng.next(), y: margin + (height - 2 * margin) * rng.next() };
});
const angles = Float64Array.from({ length: count }, () => 2 * Math.PI * rng.next());
const batch = new Float32Array(count * 1024);

const runOnce = (): void => {
  for (let i = 0; i < count; i++) graspAlignedCrop(depth, centers[i], angles[i], batch, { offset: i * 1024 });
};
for (let i = 0; i < 20; i++) runOnce(); // warm up the JIT

const rounds = 50;
const t0 = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) runOnce();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cropsPerSecond = (rounds * count) / seconds;
let checksum = 0;
for (let i = 0; i < batch.length; i += 97) checksum += batch[i];

if (!json) {
  console.log(
    `grasp-aligned crop 96→32 on ${width}×${height}: ${Math.round(cropsPerSecond).toLocaleString('en')} crops/s (${(1e6 / cropsPerSecond).toFixed(2)} µs each, one core)`,
  );
  console.log(`target ≥ 50,000 crops/s: ${cropsPerSecond >= 50_000 ? 'met' : 'NOT met'}`);
}
console.log(
  JSON.stringify({
    cropsPerSecond: Math.round(cropsPerSecond),
    microsPerCrop: +(1e6 / cropsPerSecond).toFixed(3),
    cropSize: 96,
    outSize: 32,
    image: `${width}x${height}`,
    checksum: +checksum.toFixed(3),
  }),
);
