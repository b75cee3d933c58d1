// Depth filters: blur against a brute-force normalised convolution, exact gradients of ramps, hole filling, resizing.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { createDepthImage, type DepthImage } from '../../src/image/depth-image.js';
import {
  depthGradients,
  downsample,
  gaussianBlur,
  gaussianBlurWithin,
  inpaint,
  inpaintMissing,
  resizeBilinear,
} from '../../src/image/filters.js';

function noisyWithHoles(width: number, height: number, seed: number, holeFraction: number): DepthImage {
  const rng = new Random(seed);
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rng.next() < holeFraction ? 0 : 0.5 + 0.2 * rng.next();
  return createDepthImage(width, height, data);
}

const ramp = (width: number, height: number, a: number, b: number, c: number): DepthImage => {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = c + a * x + b * y;
  return createDepthImage(width, height, data);
};

describe('gaussianBlurWithin', () => {
  it("equals the whole image's blur inside the box (also at the image border) and the input outside it", () => {
    for (const holes of [0, 0.2]) {
      const img = noisyWithHoles(60, 45, 3, holes);
      const whole = gaussianBlur(img, 2);
      for (const box of [
        [10, 12, 30, 25],
        [0, 0, 8, 44],
      ] as const) {
        const out = gaussianBlurWithin(img, 2, box);
        for (let y = 0; y < img.height; y++)
          for (let x = 0; x < img.width; x++) {
            const i = y * img.width + x;
            const inside = x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
            if (inside) expect(out.data[i]).toBeCloseTo(whole.data[i], 6);
            else expect(out.data[i]).toBe(img.data[i]);
          }
      }
    }
  });
});

describe('gaussianBlur', () => {
  it('matches a brute-force 2-D normalised convolution that skips missing pixels', () => {
    const img = noisyWithHoles(40, 30, 1, 0.2);
    const sigma = 1.3;
    const radius = Math.ceil(4 * sigma);
    for (const fillMissing of [false, true]) {
      const out = gaussianBlur(img, sigma, { fillMissing });
      for (let y = 0; y < img.height; y++)
        for (let x = 0; x < img.width; x++) {
          const i = y * img.width + x;
          let sv = 0;
          let sw = 0;
          for (let dy = -radius; dy <= radius; dy++)
            for (let dx = -radius; dx <= radius; dx++) {
              const xx = x + dx;
              const yy = y + dy;
              if (xx < 0 || yy < 0 || xx >= img.width || yy >= img.height) continue;
              const v = img.data[yy * img.width + xx];
              if (v > 0) {
                const g = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                sv += g * v;
                sw += g;
              }
            }
          const expected = !fillMissing && img.data[i] === 0 ? 0 : sw > 0 ? sv / sw : 0;
          expect(Math.abs(out.data[i] - expected)).toBeLessThan(1e-5);
        }
    }
  });

  it('keeps a constant surface constant right up to holes and borders, and smooths noise', () => {
    const img = noisyWithHoles(50, 50, 2, 0.3);
    const flat = createDepthImage(
      50,
      50,
      img.data.map((v) => (v > 0 ? 0.6 : 0)),
    );
    const blurred = gaussianBlur(flat, 2);
    for (let i = 0; i < flat.data.length; i++) expect(blurred.data[i]).toBeCloseTo(flat.data[i], 6);
    const variance = (d: Float32Array) => {
      const v = Array.from(d).filter((x) => x > 0);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
    };
    expect(variance(gaussianBlur(img, 1).data)).toBeLessThan(variance(img.data) / 3);
    expect(gaussianBlur(img, 0).data).toEqual(img.data);
  });
});

describe('depthGradients', () => {
  it('gives the exact slope of a ramp everywhere, borders included, in metres per pixel', () => {
    const g = depthGradients(ramp(12, 9, 0.002, -0.001, 0.5));
    for (let i = 0; i < 12 * 9; i++) {
      expect(g.gx[i]).toBeCloseTo(0.002, 6);
      expect(g.gy[i]).toBeCloseTo(-0.001, 6);
      expect(g.magnitude[i]).toBeCloseTo(Math.hypot(0.002, 0.001), 6);
    }
  });

  it('uses one-sided differences next to holes and gives 0 on missing pixels', () => {
    const img = ramp(5, 5, 0.01, 0.02, 0.5);
    const data = img.data.slice();
    data[2 * 5 + 3] = 0; // right neighbour of (2, 2) missing
    const g = depthGradients(createDepthImage(5, 5, data));
    expect(g.gx[2 * 5 + 2]).toBeCloseTo(0.01, 6); // from the left neighbour alone
    expect(g.gy[2 * 5 + 2]).toBeCloseTo(0.02, 6);
    expect(g.gx[2 * 5 + 3]).toBe(0);
    expect(g.magnitude[2 * 5 + 3]).toBe(0);
    // A depth step of 5 cm between columns 1 and 2: central difference 2.5 cm per pixel on each side.
    const step = createDepthImage(4, 1, Float32Array.of(0.6, 0.6, 0.65, 0.65));
    expect(Array.from(depthGradients(step).gx).map((v) => +v.toFixed(4))).toEqual([0, 0.025, 0.025, 0]);
  });
});

describe('inpaint', () => {
  it('fills every hole, leaves valid pixels untouched, and stays within the range of the valid values', () => {
    for (const fraction of [0.05, 0.5, 0.95]) {
      const img = noisyWithHoles(97, 61, 3, fraction);
      const out = inpaint(img);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of img.data)
        if (v > 0) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      for (let i = 0; i < img.data.length; i++) {
        if (img.data[i] > 0) expect(out.data[i]).toBe(img.data[i]);
        else {
          expect(out.data[i]).toBeGreaterThanOrEqual(lo - 1e-6);
          expect(out.data[i]).toBeLessThanOrEqual(hi + 1e-6);
        }
      }
    }
  });

  it('fills a whole image from one valid pixel, and a hole in a smooth surface smoothly', () => {
    const one = new Float32Array(640 * 480);
    one[123 * 640 + 456] = 0.8;
    const out = inpaint(createDepthImage(640, 480, one));
    let worst = 0;
    for (const v of out.data) worst = Math.max(worst, Math.abs(v - 0.8));
    expect(worst).toBeLessThan(1e-6);
    // A 10×10 hole in a plane: every filled value lies between the plane's values around the hole.
    const plane = ramp(60, 60, 0.001, 0.0005, 0.5);
    const holed = plane.data.slice();
    for (let y = 20; y < 30; y++) for (let x = 25; x < 35; x++) holed[y * 60 + x] = 0;
    const filled = inpaint(createDepthImage(60, 60, holed));
    for (let y = 20; y < 30; y++)
      for (let x = 25; x < 35; x++) {
        const v = filled.data[y * 60 + x];
        expect(v).toBeGreaterThan(0.5 + 0.001 * 24 + 0.0005 * 19 - 1e-6);
        expect(v).toBeLessThan(0.5 + 0.001 * 35 + 0.0005 * 30 + 1e-6);
      }
  });

  it('returns an all-missing image unchanged, and treats NaN as missing', () => {
    expect(Array.from(inpaint(createDepthImage(3, 2)).data)).toEqual([0, 0, 0, 0, 0, 0]);
    const out = inpaint(createDepthImage(2, 1, Float32Array.of(Number.NaN, 0.5)));
    expect(Array.from(out.data)).toEqual([0.5, 0.5]);
  });

  it("inpaintMissing: a complete image is the plan's depth as it is; one missing pixel (0 or NaN) makes it inpaint", () => {
    const full = ramp(8, 6, 0.001, 0.002, 0.5);
    expect(inpaintMissing(full)).toBe(full);
    for (const hole of [0, Number.NaN]) {
      const holed = createDepthImage(8, 6, full.data.slice());
      holed.data[17] = hole;
      const out = inpaintMissing(holed);
      expect(out).not.toBe(holed);
      expect(Array.from(out.data)).toEqual(Array.from(inpaint(holed).data));
      expect(out.data[17]).toBeGreaterThan(0);
    }
  });
});

describe('resizeBilinear / downsample', () => {
  it('resizes with pixel-centre alignment: a ramp maps to the ramp at the mapped coordinates', () => {
    const src = ramp(30, 20, 0.01, 0.003, 0.4);
    const out = resizeBilinear(src, 10, 5);
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 10; x++) {
        const sx = (x + 0.5) * 3 - 0.5;
        const sy = (y + 0.5) * 4 - 0.5;
        expect(out.data[y * 10 + x]).toBeCloseTo(0.4 + 0.01 * sx + 0.003 * sy, 5);
      }
    expect(resizeBilinear(src, 30, 20).data).toEqual(src.data);
    // Upsampling clamps at the border.
    const up = resizeBilinear(createDepthImage(2, 1, Float32Array.of(0.5, 0.7)), 4, 1);
    expect(Array.from(up.data).map((v) => +v.toFixed(4))).toEqual([0.5, 0.55, 0.65, 0.7]);
  });

  it('leaves missing pixels out of the interpolation', () => {
    const out = resizeBilinear(createDepthImage(2, 2, Float32Array.of(0.5, 0, 0, 0.7)), 1, 1);
    expect(out.data[0]).toBeCloseTo(0.6, 6);
    expect(resizeBilinear(createDepthImage(2, 2), 1, 1).data[0]).toBe(0);
    expect(() => resizeBilinear(createDepthImage(2, 2), 0, 1)).toThrow(/positive integers/);
  });

  it('downsamples by block means of valid pixels, keeping partial edge blocks', () => {
    const src = createDepthImage(5, 3, Float32Array.of(1, 2, 3, 4, 5, 1, 0, 3, 4, 5, 6, 6, 0, 0, 9));
    const out = downsample(src, 2);
    expect(out.width).toBe(3);
    expect(out.height).toBe(2);
    expect(Array.from(out.data)).toEqual(Array.from(Float32Array.of(4 / 3, 3.5, 5, 6, 0, 9)));
    expect(downsample(src, 1).data).toEqual(src.data);
    expect(() => downsample(src, 1.5)).toThrow(/positive integer/);
  });
});
