// Benchmark: median milliseconds of the depth filters on a 640×480 image with half its pixels missing (the worst
// case the planner's inpainting meets), so a slowdown shows as a figure instead of a flaky unit test.
import { Random } from '../src/core/random.js';
import { createDepthImage } from '../src/image/depth-image.js';
import { depthGradients, gaussianBlur, inpaint } from '../src/image/filters.js';
import { flag, opt } from './args.js';

const runs = Number(opt('runs', '9'));
const rng = new Random(4);
const data = new Float32Array(640 * 480);
for (let i = 0; i < data.length; i++) data[i] = rng.next() < 0.5 ? 0 : 0.5 + 0.2 * rng.next();
const image = createDepthImage(640, 480, data);

function medianMs(fn: () => unknown): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return Number(times.sort((a, b) => a - b)[Math.floor(runs / 2)]!.toFixed(2));
}

const filled = inpaint(image);
const result = {
  inpaintMs: medianMs(() => inpaint(image)),
  gaussianBlurMs: medianMs(() => gaussianBlur(filled, 1.5)),
  depthGradientsMs: medianMs(() => depthGradients(filled)),
};
console.log(
  `640×480, half missing: inpaint ${result.inpaintMs} ms, blur σ=1.5 ${result.gaussianBlurMs} ms, gradients ${result.depthGradientsMs} ms (median of ${runs})`,
);
if (flag('json')) console.log(JSON.stringify(result));
