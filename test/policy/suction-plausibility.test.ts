// The suction plausibility check on synthetic depth images whose answer is known: a flat box top passes; an edge, a
// corner, a ridge, a hole under the cup and a taller neighbour inside the cup's footprint fail, each for its reason.
import { describe, expect, it } from 'vitest';
import type { CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import type { ImageSuctionGrasp } from '../../src/grasp/image-suction-grasp.js';
import { createDepthImage, createMask, type DepthImage } from '../../src/image/depth-image.js';
import { suctionPlausibilityCheck } from '../../src/policy/suction-plausibility.js';

const K: CameraIntrinsics = { fx: 525, fy: 525, cx: 319.5, cy: 239.5, skew: 0, width: 640, height: 480, frame: 'cam' };
const TOP = 0.6;
const TABLE = 0.7;
/** Box top pixels (inclusive), seen straight down. */
const BOX = { x0: 260, x1: 380, y0: 190, y1: 290 };
/** The cup's radius in pixels on the top: 7.5 mm at 0.6 m. */
const R_PX = (0.0075 * K.fx) / TOP;

function scene(depthAt: (u: number, v: number) => number): DepthImage {
  const d = createDepthImage(K.width, K.height);
  for (let v = 0; v < K.height; v++) for (let u = 0; u < K.width; u++) d.data[v * K.width + u] = depthAt(u, v);
  return d;
}
const onBox = (u: number, v: number) => u >= BOX.x0 && u <= BOX.x1 && v >= BOX.y0 && v <= BOX.y1;
const box = scene((u, v) => (onBox(u, v) ? TOP : TABLE));
/** Straight down onto the pixel, at the surface's depth there. */
const down = (d: DepthImage, x: number, y: number): ImageSuctionGrasp => ({
  center: { x, y },
  depth: d.data[y * d.width + x],
  approach: [0, 0, 1],
});

describe('suction plausibility', () => {
  const check = suctionPlausibilityCheck({ surface: box, intrinsics: K });

  it('passes in the middle of a flat box top, with the measures to show why', () => {
    const v = check(down(box, 320, 240));
    expect(v).toMatchObject({ plausible: true, reason: null, cupMissing: 0 });
    expect(v.flatness).toBeLessThan(1e-6);
    // The top is the nearest surface, so nothing is in front of the cup anywhere along its way.
    expect(v.cupClearance).toBeGreaterThan(-1e-6);
  });

  it('fails exactly where the footprint starts to cross the edge, walking toward it', () => {
    // Oracle: the footprint (pixels within R_PX of the target) stays on the top while x + R_PX ≤ x1.
    for (let x = BOX.x1 - 20; x <= BOX.x1; x++) {
      const v = check(down(box, x, 240));
      const inside = x + Math.ceil(R_PX) <= BOX.x1;
      const crosses = x + Math.floor(R_PX) > BOX.x1;
      if (inside) expect(v.plausible, `x ${x}`).toBe(true);
      if (crosses) expect(v.reason, `x ${x}`).toBe('not-flat');
    }
  });

  it('fails on a corner and on the ridge of a roof', () => {
    expect(check(down(box, BOX.x1 - 2, BOX.y1 - 2)).reason).toBe('not-flat');
    // A roof whose faces fall away at 45° on either side of column 320.
    const roof = scene((u) => TOP + (Math.abs(u - 320) * TOP) / K.fx);
    const onRoof = suctionPlausibilityCheck({ surface: roof, intrinsics: K });
    const ridge = onRoof(down(roof, 320, 240));
    expect(ridge.reason).toBe('not-flat');
    expect(ridge.flatness).toBeGreaterThan(0.002);
    // The same roof well down one face, approached along that face's normal, is flat.
    const n = Math.SQRT1_2;
    expect(
      onRoof({ center: { x: 360, y: 240 }, depth: roof.data[240 * 640 + 360], approach: [-n, 0, n] }).plausible,
    ).toBe(true);
  });

  it('fails with a hole under the cup in the sensor image, and only then', () => {
    const observed = scene((u, v) => (Math.abs(u - 320) <= 1 && Math.abs(v - 240) <= 1 ? 0 : box.data[v * 640 + u]));
    const withHole = suctionPlausibilityCheck({ surface: box, intrinsics: K, observed });
    const v = withHole(down(box, 320, 240));
    expect(v.reason).toBe('cup-unobserved');
    expect(v.cupMissing).toBeGreaterThan(0);
    // A cup two radii away does not cover the hole.
    expect(withHole(down(box, 320 + Math.ceil(2 * R_PX) + 2, 240)).plausible).toBe(true);
  });

  it('fails with a taller neighbour inside the footprint, not with one beside it', () => {
    // A 2×2 px post 1 cm above the top, at (x, 240).
    const post = (x: number) =>
      scene((u, v) => (u >= x && u <= x + 1 && v >= 240 && v <= 241 ? TOP - 0.01 : box.data[v * 640 + u]));
    const inside = post(323);
    const v = suctionPlausibilityCheck({ surface: inside, intrinsics: K })(down(inside, 320, 240));
    expect(v.reason).toBe('cup-collision');
    expect(v.cupClearance).toBeCloseTo(-0.01, 6);
    const beside = post(320 + Math.ceil(R_PX) + 2);
    expect(suctionPlausibilityCheck({ surface: beside, intrinsics: K })(down(beside, 320, 240)).plausible).toBe(true);
  });

  it('fails when a tilted cup sweeps into a taller neighbour beside the target', () => {
    // A wall 3 cm tall two cup radii to the left; a cup coming in from the left at 30° passes through it.
    const wall = scene((u, v) => (u >= 300 && u <= 305 ? TOP - 0.03 : box.data[v * 640 + u]));
    const c = suctionPlausibilityCheck({ surface: wall, intrinsics: K });
    const straight = down(wall, 320, 240);
    expect(c(straight).plausible).toBe(true);
    const tilted = {
      ...straight,
      approach: [Math.sin(Math.PI / 6), 0, Math.cos(Math.PI / 6)] as [number, number, number],
    };
    expect(c(tilted).reason).toBe('cup-collision');
  });

  it('fails off the segmask and off the image', () => {
    const mask = createMask(K.width, K.height);
    const masked = suctionPlausibilityCheck({ surface: box, intrinsics: K, segmask: mask });
    expect(masked(down(box, 320, 240)).reason).toBe('not-on-object');
    expect(check(down(box, 2, 2)).reason).toBe('off-image');
  });
});
