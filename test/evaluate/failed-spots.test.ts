import { describe, expect, it } from 'vitest';
import { createMask, type DepthImage } from '../../src/image/depth-image.js';
import {
  avoidingFailures,
  failedSurface,
  stillFailed,
  unchangedAt,
  type FailedSpot,
} from '../../src/evaluate/failed-spots.js';

const flat = (width: number, height: number, z: number): DepthImage => ({
  width,
  height,
  data: new Float32Array(width * height).fill(z),
});

/** A copy of `image` with `z` written over the rectangle [x0, x1) × [y0, y1). */
function withPatch(image: DepthImage, [x0, y0, x1, y1]: number[], z: number): DepthImage {
  const out = { ...image, data: image.data.slice() };
  for (let y = y0!; y < y1!; y++) for (let x = x0!; x < x1!; x++) out.data[y * image.width + x] = z;
  return out;
}

describe('avoidingFailures', () => {
  it("clears a disc around each of the gripper's failed centres and leaves the rest and the other gripper's mask", () => {
    const fg = createMask(40, 30);
    fg.data.fill(255);
    const spots = [
      { gripper: 'parallel-jaw' as const, center: { x: 10, y: 10 }, radius: 4 },
      { gripper: 'suction' as const, center: { x: 30, y: 20 }, radius: 4 },
    ];
    const jaws = avoidingFailures(fg, spots, 'parallel-jaw');
    for (let y = 0; y < 30; y++)
      for (let x = 0; x < 40; x++) expect(jaws.data[y * 40 + x]).toBe((x - 10) ** 2 + (y - 10) ** 2 <= 16 ? 0 : 255);
    expect(fg.data.every((v) => v === 255)).toBe(true);
    expect(avoidingFailures(fg, [], 'suction')).toBe(fg);
    expect(avoidingFailures(fg, spots, 'suction').data[10 * 40 + 10]).toBe(255);
  });
});

describe('unchangedAt', () => {
  // A heap: the floor at 0.6 m and an object's top at 0.55 m over [10, 30) × [10, 30); the failed spot on it.
  const heap = withPatch(flat(60, 40, 0.6), [10, 10, 30, 30], 0.55);
  const spot: FailedSpot = { gripper: 'suction', center: { x: 20, y: 20 }, radius: 6, seen: heap };

  it('keeps a spot where the heap looks the same, and one where only pixels outside it changed (a pick elsewhere)', () => {
    expect(unchangedAt(spot, heap)).toBe(true);
    // The neighbour at [40, 55) × [5, 35) is picked: the floor shows there now.
    expect(unchangedAt(spot, withPatch(heap, [40, 5, 55, 35], 0.6))).toBe(true);
    // A millimetre of settling is no change.
    expect(unchangedAt(spot, withPatch(heap, [0, 0, 60, 40], 0.551))).toBe(true);
  });

  it('forgets a spot whose object moved: the depth under a good part of its disc changed by centimetres', () => {
    // The object slid 5 px to the right: its left edge now lies inside the disc (the floor shows at x 10–14).
    const slid = withPatch(withPatch(heap, [10, 10, 15, 30], 0.6), [30, 10, 35, 30], 0.55);
    expect(unchangedAt(spot, slid)).toBe(true); // x 10–14 lie outside the disc of radius 6 around x 20
    const slidFar = withPatch(withPatch(heap, [10, 10, 19, 30], 0.6), [30, 10, 39, 30], 0.55);
    expect(unchangedAt(spot, slidFar)).toBe(false);
    // It was picked up by another grasp, or toppled: all of the disc changed.
    expect(unchangedAt(spot, withPatch(heap, [10, 10, 30, 30], 0.6))).toBe(false);
  });

  it('does not compare missing pixels, and forgets a spot it cannot see', () => {
    // Missing pixels (0) over half the disc, the other half unchanged: still the same.
    expect(unchangedAt(spot, withPatch(heap, [10, 10, 20, 30], 0))).toBe(true);
    expect(unchangedAt(spot, withPatch(heap, [0, 0, 60, 40], 0))).toBe(false);
    // An image of another size (another camera) shares no pixels with the spot's.
    expect(unchangedAt(spot, flat(40, 40, 0.55))).toBe(false);
  });

  it('stillFailed keeps exactly the unchanged spots', () => {
    const other: FailedSpot = { gripper: 'parallel-jaw', center: { x: 47, y: 20 }, radius: 4, seen: heap };
    const picked = withPatch(heap, [40, 5, 55, 35], 0.58);
    expect(stillFailed([spot, other], heap)).toEqual([spot, other]);
    expect(stillFailed([spot, other], picked)).toEqual([spot]);
  });
});

describe('failedSurface', () => {
  // A floor at 0.6 m (background), a box top at 0.55 m tilted 2 mm a pixel along x (one surface), touching a taller
  // box at 0.50 m on its right, and one missing pixel on the first box.
  const W = 60,
    H = 40;
  const scene = (): { depth: DepthImage; fg: ReturnType<typeof createMask> } => {
    const depth = flat(W, H, 0.6);
    const fg = createMask(W, H);
    for (let y = 10; y < 30; y++)
      for (let x = 10; x < 50; x++) {
        depth.data[y * W + x] = x < 30 ? 0.55 - 0.002 * (x - 10) : 0.5;
        fg.data[y * W + x] = 255;
      }
    depth.data[20 * W + 15] = 0;
    return { depth, fg };
  };

  it('keeps the face the grasp was on within the radius, not the neighbour beside it nor the floor below', () => {
    const { depth, fg } = scene();
    const pixels = failedSurface(depth, fg, { x: 20, y: 20 }, 100);
    const set = new Set(pixels);
    expect(set.size).toBe(pixels.length);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        expect(set.has(y * W + x), `${x},${y}`).toBe(y >= 10 && y < 30 && x >= 10 && x < 30 && !(x === 15 && y === 20));
    // Within a radius of 5 px only the disc's part of the face.
    const near = failedSurface(depth, fg, { x: 20, y: 20 }, 5);
    for (const i of near) expect((((i % W) - 20) ** 2 + (Math.floor(i / W) - 20) ** 2) ** 0.5).toBeLessThanOrEqual(5);
    // The 81 pixels of the disc less the missing one on its rim.
    expect(near.length).toBe(80);
    // An unseen or background centre: that pixel alone; off the image: nothing.
    expect([...failedSurface(depth, fg, { x: 15, y: 20 }, 100)]).toEqual([20 * W + 15]);
    expect([...failedSurface(depth, fg, { x: 2, y: 2 }, 100)]).toEqual([2 * W + 2]);
    expect(failedSurface(depth, fg, { x: -3, y: 2 }, 100)).toHaveLength(0);
  });

  it('a surface spot is avoided and compared over its own pixels only', () => {
    const { depth, fg } = scene();
    const pixels = failedSurface(depth, fg, { x: 20, y: 20 }, 100);
    const spot: FailedSpot = { gripper: 'suction', center: { x: 20, y: 20 }, radius: 100, pixels, seen: depth };
    const mask = avoidingFailures(fg, [spot], 'suction');
    for (let i = 0; i < W * H; i++) expect(mask.data[i]).toBe(pixels.includes(i) ? 0 : fg.data[i]);
    // The taller neighbour moving does not free the face; the face moving does.
    expect(unchangedAt(spot, withPatch(depth, [30, 10, 50, 30], 0.45))).toBe(true);
    expect(unchangedAt(spot, withPatch(depth, [10, 10, 30, 30], 0.58))).toBe(false);
  });
});
