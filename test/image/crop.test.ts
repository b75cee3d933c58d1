// The grasp-aligned crop against an independent "warp a 96×96 crop, then resize" reference, plus its geometric invariants.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { cropAffine, cropToSource, graspAlignedCrop, sourceToCrop } from '../../src/image/crop.js';
import { createDepthImage, type DepthImage } from '../../src/image/depth-image.js';

function randomImage(width: number, height: number, seed: number): DepthImage {
  const rng = new Random(seed);
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = 0.5 + 0.3 * rng.next();
  return createDepthImage(width, height, data);
}

/** Pixel (col, row) with indices clamped to the image: the replicate border, written the plain way. */
function pixel(img: DepthImage, col: number, row: number): number {
  const c = Math.min(Math.max(col, 0), img.width - 1);
  const r = Math.min(Math.max(row, 0), img.height - 1);
  return img.data[r * img.width + c];
}

/** Bilinear interpolation over an edge-extended image, from the four integer neighbours. */
function bilinear(img: DepthImage, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const tx = x - x0;
  const ty = y - y0;
  return (
    (1 - tx) * (1 - ty) * pixel(img, x0, y0) +
    tx * (1 - ty) * pixel(img, x0 + 1, y0) +
    (1 - tx) * ty * pixel(img, x0, y0 + 1) +
    tx * ty * pixel(img, x0 + 1, y0 + 1)
  );
}

/** Step 1 of the reference: a cropSize×cropSize window centred on the grasp, rotated by −angle. */
function rotatedWindow(img: DepthImage, cx: number, cy: number, angle: number, size: number): DepthImage {
  const out = new Float32Array(size * size);
  const half = (size - 1) / 2;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const du = col - half;
      const dv = row - half;
      out[row * size + col] = bilinear(img, cx + c * du - s * dv, cy + s * du + c * dv);
    }
  }
  return createDepthImage(size, size, out);
}

/** Step 2 of the reference: bilinear resize with pixel-centre alignment (cv2.INTER_LINEAR). */
function resizeLinear(img: DepthImage, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const sx = img.width / size;
  const sy = img.height / size;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const x = Math.min(Math.max((col + 0.5) * sx - 0.5, 0), img.width - 1);
      const y = Math.min(Math.max((row + 0.5) * sy - 0.5, 0), img.height - 1);
      out[row * size + col] = bilinear(img, x, y);
    }
  }
  return out;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('graspAlignedCrop', () => {
  const img = randomImage(200, 150, 1);

  it('at angle 0 equals a plain 96×96 slice resized to 32×32 (1e-5)', () => {
    // A half-integer centre puts the window exactly on the pixel grid: columns 52..147, rows 27..122.
    const cx = 99.5;
    const cy = 74.5;
    const slice = new Float32Array(96 * 96);
    for (let r = 0; r < 96; r++)
      for (let c = 0; c < 96; c++) slice[r * 96 + c] = img.data[(27 + r) * img.width + 52 + c];
    const reference = resizeLinear(createDepthImage(96, 96, slice), 32);
    const got = graspAlignedCrop(img, { x: cx, y: cy }, 0, new Float32Array(1024));
    expect(maxDiff(got, reference)).toBeLessThan(1e-5);
  });

  it('equals "bilinear-warp a 96×96 crop, then resize bilinearly" for random centres and angles, borders included', () => {
    const rng = new Random(7);
    const out = new Float32Array(1024);
    const big = randomImage(320, 260, 2);
    for (let t = 0; t < 200; t++) {
      // Centres from well outside to well inside the image exercise both the fast and the clamped paths.
      const cx = -30 + 380 * rng.next();
      const cy = -30 + 320 * rng.next();
      const angle = (rng.next() - 0.5) * 4 * Math.PI;
      const reference = resizeLinear(rotatedWindow(big, cx, cy, angle, 96), 32);
      graspAlignedCrop(big, { x: cx, y: cy }, angle, out);
      expect(maxDiff(out, reference)).toBeLessThan(1e-5);
    }
  });

  it('matches the reference for other sizes (crop 64 → 16 and 48 → 48)', () => {
    const rng = new Random(8);
    for (const [cropSize, outSize] of [
      [64, 16],
      [48, 48],
    ] as const) {
      for (let t = 0; t < 20; t++) {
        const cx = 200 * rng.next();
        const cy = 150 * rng.next();
        const angle = 2 * Math.PI * rng.next();
        const out = graspAlignedCrop(img, { x: cx, y: cy }, angle, new Float32Array(outSize * outSize), {
          cropSize,
          outSize,
        });
        // 64/16 = 4 is even, so resize samples fall between window pixels: compare with the direct map instead.
        const m = cropAffine({ x: cx, y: cy }, angle, { cropSize, outSize });
        const direct = new Float32Array(outSize * outSize);
        for (let v = 0; v < outSize; v++)
          for (let u = 0; u < outSize; u++) {
            const p = cropToSource(m, u, v);
            direct[v * outSize + u] = bilinear(img, p.x, p.y);
          }
        expect(maxDiff(out, direct)).toBeLessThan(1e-5);
        if (cropSize === outSize)
          expect(maxDiff(out, rotatedWindow(img, cx, cy, angle, cropSize).data)).toBeLessThan(1e-5);
      }
    }
  });

  it('turns a bar along the grasp axis into a horizontal bar through the crop centre', () => {
    for (const theta of [0, 0.3, 1.1, Math.PI / 2, 2.5, -0.7]) {
      const w = 240;
      const h = 200;
      const cx = 121.3;
      const cy = 97.8;
      const data = new Float32Array(w * h);
      // Bar: points within 9 px of the line through (cx, cy) with direction (cos θ, sin θ) are nearer (0.5 m).
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const dist = Math.abs(-(x - cx) * Math.sin(theta) + (y - cy) * Math.cos(theta));
          data[y * w + x] = dist < 9 ? 0.5 : 0.7;
        }
      const crop = graspAlignedCrop(createDepthImage(w, h, data), { x: cx, y: cy }, theta, new Float32Array(1024));
      // 9 px is 3 output pixels: rows 15.5 ± 3 (13..18) lie on the bar; rows ≥ 4.5 output px (13.5 source px) away are off it.
      for (let v = 0; v < 32; v++) {
        for (let u = 0; u < 32; u++) {
          const value = crop[v * 32 + u];
          if (Math.abs(v - 15.5) <= 2.5) expect(value).toBeCloseTo(0.5, 5);
          else if (Math.abs(v - 15.5) >= 4.5) expect(value).toBeCloseTo(0.7, 5);
        }
      }
    }
  });

  it('is unchanged when the source image and the angle are both rotated by 90°', () => {
    const src = randomImage(120, 90, 3);
    const W = src.width;
    const H = src.height;
    // Rotated image R (width H, height W): point (x, y) of the source lands at (y, W − 1 − x).
    const rot = new Float32Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) rot[(W - 1 - x) * H + y] = src.data[y * W + x];
    const rotated = createDepthImage(H, W, rot);
    const rng = new Random(4);
    for (let t = 0; t < 30; t++) {
      const cx = W * rng.next();
      const cy = H * rng.next();
      const angle = 2 * Math.PI * rng.next();
      const a = graspAlignedCrop(src, { x: cx, y: cy }, angle, new Float32Array(1024), { cropSize: 48 });
      // Directions map (dx, dy) → (dy, −dx), i.e. the axis angle drops by 90°.
      const b = graspAlignedCrop(rotated, { x: cy, y: W - 1 - cx }, angle - Math.PI / 2, new Float32Array(1024), {
        cropSize: 48,
      });
      expect(maxDiff(a, b)).toBeLessThan(1e-5);
    }
  });

  it('at angle + π is the crop at angle rotated by 180° (the grasp centre is the exact crop centre)', () => {
    const rng = new Random(5);
    for (let t = 0; t < 20; t++) {
      const c = { x: 30 + 140 * rng.next(), y: 30 + 90 * rng.next() };
      const angle = 2 * Math.PI * rng.next();
      const a = graspAlignedCrop(img, c, angle, new Float32Array(1024));
      const b = graspAlignedCrop(img, c, angle + Math.PI, new Float32Array(1024));
      const flipped = new Float32Array(1024);
      for (let i = 0; i < 1024; i++) flipped[i] = a[1023 - i];
      expect(maxDiff(b, flipped)).toBeLessThan(1e-5);
    }
  });

  it('puts the source value at the grasp centre in the centre pixel (odd sizes) or the mean of the central four (even sizes, linear image)', () => {
    const rng = new Random(6);
    for (let t = 0; t < 20; t++) {
      const c = { x: 20 + 160 * rng.next(), y: 20 + 110 * rng.next() };
      const angle = 2 * Math.PI * rng.next();
      const odd = graspAlignedCrop(img, c, angle, new Float32Array(33 * 33), { cropSize: 99, outSize: 33 });
      expect(odd[16 * 33 + 16]).toBeCloseTo(bilinear(img, c.x, c.y), 5);
    }
    // On a linear ramp bilinear sampling is exact, and the four pixels around (15.5, 15.5) average to the centre value.
    const ramp = new Float32Array(200 * 150);
    for (let y = 0; y < 150; y++) for (let x = 0; x < 200; x++) ramp[y * 200 + x] = 0.5 + 0.001 * x + 0.0007 * y;
    const rampImg = createDepthImage(200, 150, ramp);
    const c = { x: 101.37, y: 77.9 };
    const crop = graspAlignedCrop(rampImg, c, 0.83, new Float32Array(1024));
    const mean = (crop[15 * 32 + 15] + crop[15 * 32 + 16] + crop[16 * 32 + 15] + crop[16 * 32 + 16]) / 4;
    expect(mean).toBeCloseTo(0.5 + 0.001 * c.x + 0.0007 * c.y, 5);
  });

  it('cropAffine maps crop pixels to the source points that were sampled, and sourceToCrop inverts it', () => {
    const ramp = new Float32Array(200 * 150);
    for (let y = 0; y < 150; y++) for (let x = 0; x < 200; x++) ramp[y * 200 + x] = 0.5 + 0.001 * x + 0.0007 * y;
    const rampImg = createDepthImage(200, 150, ramp);
    const center = { x: 97.2, y: 70.4 };
    const angle = -1.2;
    const m = cropAffine(center, angle);
    const crop = graspAlignedCrop(rampImg, center, angle, new Float32Array(1024));
    for (const [u, v] of [
      [0, 0],
      [31, 0],
      [0, 31],
      [31, 31],
      [7, 22],
    ]) {
      const p = cropToSource(m, u, v);
      expect(crop[v * 32 + u]).toBeCloseTo(0.5 + 0.001 * p.x + 0.0007 * p.y, 5);
      const q = sourceToCrop(m, p.x, p.y);
      expect(q.u).toBeCloseTo(u, 9);
      expect(q.v).toBeCloseTo(v, 9);
    }
    // The crop's +u axis runs along the grasp axis, 3 source pixels per output pixel.
    const a = cropToSource(m, 10, 5);
    const b = cropToSource(m, 11, 5);
    expect(b.x - a.x).toBeCloseTo(3 * Math.cos(angle), 9);
    expect(b.y - a.y).toBeCloseTo(3 * Math.sin(angle), 9);
    // And the grasp centre sits at (15.5, 15.5).
    const centre = sourceToCrop(m, center.x, center.y);
    expect(centre.u).toBeCloseTo(15.5, 9);
    expect(centre.v).toBeCloseTo(15.5, 9);
  });

  it('writes at an offset into a batch array and validates its inputs', () => {
    const batch = new Float32Array(3 * 1024).fill(-1);
    graspAlignedCrop(img, { x: 100, y: 75 }, 0.4, batch, { offset: 1024 });
    const single = graspAlignedCrop(img, { x: 100, y: 75 }, 0.4, new Float32Array(1024));
    expect(batch.subarray(1024, 2048)).toEqual(single);
    expect(batch[1023]).toBe(-1);
    expect(batch[2048]).toBe(-1);
    expect(() => graspAlignedCrop(img, { x: 100, y: 75 }, 0, new Float32Array(1000))).toThrow(/cannot hold 32×32/);
    expect(() => graspAlignedCrop(img, { x: 100, y: 75 }, 0, batch, { offset: 2500 })).toThrow(/offset 2500/);
    expect(() => graspAlignedCrop(img, { x: Number.NaN, y: 75 }, 0, single)).toThrow(/finite/);
  });

  it('replicates the border for centres near and beyond the edge', () => {
    const out = graspAlignedCrop(img, { x: -500, y: -500 }, 0.3, new Float32Array(1024));
    for (let i = 0; i < 1024; i++) expect(out[i]).toBe(img.data[0]);
  });
});
