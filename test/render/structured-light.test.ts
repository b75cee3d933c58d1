import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { centeredIntrinsics, deprojectPixel, PHOXI_INTRINSICS } from '../../src/geometry/camera-intrinsics.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import type { Vec3 } from '../../src/geometry/vector.js';
import { lookAtPose } from '../../src/render/camera-sampler.js';
import { DepthRenderer, renderScene, type Camera } from '../../src/render/depth-renderer.js';
import { applyStructuredLight } from '../../src/render/structured-light.js';

// A 6 × 4 × 5 cm box on the table under a camera 0.5 m up; the projector 0.1 m from the camera along image x.
const SX = 0.06,
  SY = 0.04,
  SZ = 0.05,
  H = 0.5,
  B = 0.1;
const camera: Camera = {
  intrinsics: centeredIntrinsics(240, 240, { fx: 300 }),
  pose: lookAtPose({ radius: H, polar: 0, azimuth: 0, roll: 0 }),
};
const box = {
  renderer: new DepthRenderer(new MeshIndex(boxMesh(SX, SY, SZ))),
  objectToWorld: new RigidTransform(undefined, [0, 0, SZ / 2], 'object', 'table'),
};
const projector = camera.pose.applyToPoint([B, 0, 0]);

/** Convex hull (counter-clockwise) of 2-D points: Andrew's monotone chain. */
function hull2d(points: [number, number][]): [number, number][] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: number[], a: number[], b: number[]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: [number, number][]) => {
    const h: [number, number][] = [];
    for (const q of list) {
      while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], q) <= 0) h.pop();
      h.push(q);
    }
    return h.slice(0, -1);
  };
  return [...half(p), ...half(p.reverse())];
}

/** Signed distance-like margin of q inside a counter-clockwise convex polygon (> 0 inside). */
function insidePolygon(poly: [number, number][], q: [number, number]): number {
  let m = Infinity;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i],
      b = poly[(i + 1) % poly.length];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    m = Math.min(m, ((b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0])) / len);
  }
  return m;
}

/** The box's shadow on the table from a point light at `light`: the central projection of its corners onto z = 0, hulled. */
function shadowOf(light: Vec3): [number, number][] {
  const corners: [number, number][] = [];
  for (const x of [-SX / 2, SX / 2])
    for (const y of [-SY / 2, SY / 2])
      for (const z of [0, SZ]) {
        const s = light[2] / (light[2] - z);
        corners.push([light[0] + s * (x - light[0]), light[1] + s * (y - light[1])]);
      }
  return hull2d(corners);
}
const shadow = shadowOf(projector);
// What the box hides from the camera is its shadow from the camera's centre.
const hidden = shadowOf(camera.pose.translation);

/** What a pixel sees by closed form: 'top', 'table' (with whether it is in shadow), or null near an edge. */
function classify(col: number, row: number): { kind: 'top' } | { kind: 'table'; shadowed: boolean } | null {
  const d = camera.pose.applyToDirection(deprojectPixel(camera.intrinsics, col, row, 1));
  const o = camera.pose.translation;
  const at = (h: number): Vec3 => {
    const s = (h - o[2]) / d[2];
    return [o[0] + s * d[0], o[1] + s * d[1], h];
  };
  const top = at(SZ),
    table = at(0);
  const onTop = Math.min(SX / 2 - Math.abs(top[0]), SY / 2 - Math.abs(top[1]));
  const e = 2e-4;
  if (onTop > e) return { kind: 'top' };
  // Skip pixels near the top's edge, and table pixels the box hides or nearly hides (its sides are seen there).
  if (onTop > -e || insidePolygon(hidden, [table[0], table[1]]) > -e) return null;
  const m = insidePolygon(shadow, [table[0], table[1]]);
  if (Math.abs(m) <= e) return null;
  return { kind: 'table', shadowed: m > 0 };
}

describe('structured-light missing pixels', () => {
  it('with dropouts off, exactly the pixels the closed-form projector shadow covers go missing', () => {
    const img = renderScene([box], camera);
    const before = Float32Array.from(img.depth.data);
    const r = applyStructuredLight({ objects: [box] }, camera, img, new Random(1), {
      projectorOffset: [B, 0, 0],
      dropoutStartAngle: Math.PI / 2,
      dropoutEndAngle: Math.PI / 2,
    });
    let shadowed = 0,
      lit = 0,
      wrong = 0;
    for (let row = 0; row < 240; row++)
      for (let col = 0; col < 240; col++) {
        const i = row * 240 + col;
        const c = classify(col, row);
        const missing = r.missing.data[i] === 255;
        if (missing !== (img.depth.data[i] === 0 && before[i] > 0)) wrong++;
        if (!c) continue;
        const expected = c.kind === 'table' && c.shadowed;
        if (missing !== expected) wrong++;
        if (expected) shadowed++;
        else lit++;
      }
    expect(wrong).toBe(0);
    // The shadow is a real band (the box hides 5 cm of height from a projector 10 cm off axis), not a sliver.
    expect(shadowed).toBeGreaterThan(200);
    expect(lit).toBeGreaterThan(20_000);
    expect(r.shadowed).toBeGreaterThanOrEqual(shadowed);
  });

  it('with the default dropouts, flat faces seen from above lose only their shadow', () => {
    const img = renderScene([box], camera);
    const r = applyStructuredLight({ objects: [box] }, camera, img, new Random(3), { projectorOffset: [B, 0, 0] });
    let wrong = 0;
    for (let row = 0; row < 240; row++)
      for (let col = 0; col < 240; col++) {
        const c = classify(col, row);
        if (c && (r.missing.data[row * 240 + col] === 255) !== (c.kind === 'table' && c.shadowed)) wrong++;
      }
    expect(wrong).toBe(0);
  });

  it('dropouts beyond the shadow fall only on the steep side a box shows off-centre, and follow the seed', () => {
    // 10 cm off-centre the camera sees the box's near side at ~81° from its normal: past the 80° end of the band.
    const aside = { ...box, objectToWorld: new RigidTransform(undefined, [0.1, 0, SZ / 2], 'object', 'table') };
    const run = (seed: number, band: boolean) => {
      const img = renderScene([aside], camera);
      const options = band ? {} : { dropoutStartAngle: Math.PI / 2, dropoutEndAngle: Math.PI / 2 };
      const before = Float32Array.from(img.depth.data);
      const r = applyStructuredLight({ objects: [aside] }, camera, img, new Random(seed), {
        projectorOffset: [B, 0, 0],
        ...options,
      });
      return { r, before };
    };
    const withBand = run(3, true),
      shadowOnly = run(3, false);
    expect(Array.from(run(3, true).r.missing.data)).toEqual(Array.from(withBand.r.missing.data));
    let steep = 0,
      elsewhere = 0;
    for (let row = 0; row < 240; row++)
      for (let col = 0; col < 240; col++) {
        const i = row * 240 + col;
        if (withBand.r.missing.data[i] !== 255 || shadowOnly.r.missing.data[i] === 255) continue;
        const z = camera.pose.applyToPoint(deprojectPixel(camera.intrinsics, col, row, withBand.before[i]))[2];
        if (z > 0.001 && z < SZ - 0.001) steep++;
        else elsewhere++;
      }
    expect(steep).toBeGreaterThan(20);
    expect(elsewhere).toBe(0);
    expect(withBand.r.grazing).toBe(steep);
  });

  it('the PhoXi intrinsics are gqcnn calibration file values', () => {
    expect(PHOXI_INTRINSICS).toMatchObject({ width: 516, height: 386, fx: 552.5, fy: 552.5, cx: 255.5, cy: 191.75 });
  });
});
