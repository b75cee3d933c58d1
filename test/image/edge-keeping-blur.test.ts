// The edge-keeping blur against the plain one: with no edge in reach it is the Gaussian blur; across a step it leaves
// each side's plane exactly as it is while the Gaussian bends it; noise on a face is smoothed as much as by the Gaussian.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { createDepthImage, type DepthImage } from '../../src/image/depth-image.js';
import { edgeKeepingBlurWithin } from '../../src/image/edge-keeping-blur.js';
import { gaussianBlurWithin } from '../../src/image/filters.js';

const W = 80,
  H = 60;
const BOX = [10, 8, 69, 51] as const;

function image(f: (x: number, y: number) => number): DepthImage {
  const d = createDepthImage(W, H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) d.data[y * W + x] = f(x, y);
  return d;
}

function spread(d: DepthImage, x0: number, x1: number): number {
  let min = Infinity,
    max = -Infinity;
  for (let y = BOX[1]; y <= BOX[3]; y++)
    for (let x = x0; x <= x1; x++) {
      min = Math.min(min, d.data[y * W + x]!);
      max = Math.max(max, d.data[y * W + x]!);
    }
  return max - min;
}

describe('edge-keeping blur', () => {
  it('is the Gaussian blur where no neighbour lies past the tolerance, and the input outside the box', () => {
    const rng = new Random(3);
    const d = image(() => 0.7 + 0.004 * rng.next());
    const plain = gaussianBlurWithin(d, 3, BOX);
    const kept = edgeKeepingBlurWithin(d, 3, 0.015, BOX);
    for (let i = 0; i < d.data.length; i++) expect(kept.data[i]).toBeCloseTo(plain.data[i]!, 6);
    expect(kept.data[0]).toBe(d.data[0]);
  });

  it('leaves both sides of a 3 cm step flat where the Gaussian runs one into the other', () => {
    // A face at 0.66 m for x < 40 beside the table at 0.69 m.
    const d = image((x) => (x < 40 ? 0.66 : 0.69));
    const kept = edgeKeepingBlurWithin(d, 3, 0.015, BOX);
    const plain = gaussianBlurWithin(d, 3, BOX);
    expect(spread(kept, BOX[0], 39)).toBeLessThan(1e-6);
    expect(spread(kept, 40, BOX[2])).toBeLessThan(1e-6);
    // The Gaussian's face bends by millimetres within 4σ of the edge: a cup's footprint there is no plane.
    expect(spread(plain, 28, 39)).toBeGreaterThan(0.01);
  });

  it('smooths noise on a face beside a step as the Gaussian does on a face alone, and keeps holes', () => {
    const rng = new Random(8);
    const noisy = image((x) => (x < 40 ? 0.66 : 0.69) + 0.002 * (rng.next() - 0.5));
    noisy.data[30 * W + 20] = 0;
    const kept = edgeKeepingBlurWithin(noisy, 3, 0.015, BOX);
    // Raw noise spans ~2 mm; after the blur the face varies by a fraction of it.
    expect(spread(noisy, BOX[0], 19)).toBeGreaterThan(0.0018);
    expect(spread(kept, BOX[0], 19)).toBeLessThan(0.0006);
    expect(kept.data[30 * W + 20]).toBe(0);
    expect(kept.data[30 * W + 21]).toBeGreaterThan(0.65);
  });
});
