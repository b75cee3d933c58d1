import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { centeredIntrinsics, deprojectPixel } from '../../src/geometry/camera-intrinsics.js';
import { boxMesh, lBracketMesh, torusMesh } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3, type Vec3 } from '../../src/geometry/vector.js';
import type { Bin } from '../../src/physics/bin.js';
import { lookAtPose, sampleCamera } from '../../src/render/camera-sampler.js';
import { DepthRenderer, renderScene, type Camera } from '../../src/render/depth-renderer.js';

const H = 0.6;
const above = (size: number, f: number): Camera => ({
  intrinsics: centeredIntrinsics(size, size, { fx: f }),
  pose: lookAtPose({ radius: H, polar: 0, azimuth: 0, roll: 0 }),
});
const placed = (t: Vec3, yaw = 0) => new RigidTransform(axisAngleToMat3([0, 0, 1], yaw), t, 'object', 'table');

/** Where pixel (col, row)'s ray meets the horizontal plane z = h (world), and the camera-frame depth there. */
function onPlane(camera: Camera, col: number, row: number, h: number): { p: Vec3; depth: number } {
  const d = camera.pose.applyToDirection(deprojectPixel(camera.intrinsics, col, row, 1));
  const o = camera.pose.translation;
  const s = (h - o[2]) / d[2];
  return { p: [o[0] + s * d[0], o[1] + s * d[1], h], depth: s };
}

/** How far (x, y) lies inside the axis-aligned rectangle of half sizes (hx, hy) about (cx, cy); < 0 outside. */
const inside = (p: Vec3, cx: number, cy: number, hx: number, hy: number) =>
  Math.min(hx - Math.abs(p[0] - cx), hy - Math.abs(p[1] - cy));

describe('scene rendering', () => {
  it('one object renders exactly as the single-object renderer did before scenes existed', () => {
    // Digest of six renders (three meshes; bounded, unbounded and no table; random cameras) made with the
    // single-object DepthRenderer of commit 42f0f4a, before it became the one-object case of renderScene.
    const meshes = [torusMesh(0.03, 0.012, 40, 24), lBracketMesh(), boxMesh(0.1, 0.06, 0.04)].map(
      (m) => new MeshIndex(m),
    );
    const lift = [0.012, 0.02, 0.02];
    const rng = new Random(21);
    const hash = createHash('sha256');
    for (let s = 0; s < 6; s++) {
      const m = s % 3;
      const yaw = rng.uniform(0, 6.28);
      const obj = placed([rng.uniform(-0.05, 0.05), rng.uniform(-0.05, 0.05), lift[m]], yaw);
      const camera = sampleCamera(rng, { target: obj.translation, width: 160, height: 120, focal: [120, 140] });
      const img = new DepthRenderer(meshes[m]).render(
        obj,
        camera,
        [{}, { tableHalfSize: 0.08 }, { table: false }][s % 3],
      );
      hash.update(new Uint8Array(img.depth.data.buffer));
      hash.update(img.segmask.data);
    }
    expect(hash.digest('hex')).toBe('00a164e5f89db2c3bbcb73efd7f16979ce70b2e7b771b9fd18d90562ac35b74a');
  });

  it('two boxes, one stacked on the other: each top face at its closed-form depth, labelled by its object, areas as projected', () => {
    // A 10 × 8 × 4 cm box on the table, a 4 × 3 × 2 cm box on its top, and a 5 cm cube apart on the table.
    const big = new DepthRenderer(new MeshIndex(boxMesh(0.1, 0.08, 0.04)));
    const small = new DepthRenderer(new MeshIndex(boxMesh(0.04, 0.03, 0.02)));
    const cube = new DepthRenderer(new MeshIndex(boxMesh(0.05, 0.05, 0.05)));
    const camera = above(400, 500);
    const img = renderScene(
      [
        { renderer: big, objectToWorld: placed([-0.03, 0.01, 0.02]) },
        { renderer: small, objectToWorld: placed([-0.02, 0.0, 0.05]) },
        { renderer: cube, objectToWorld: placed([0.07, -0.06, 0.025]), label: 7 },
      ],
      camera,
    );
    const count = [0, 0, 0];
    let checked = 0,
      wrong = 0;
    for (let row = 0; row < 400; row++)
      for (let col = 0; col < 400; col++) {
        const i = row * 400 + col;
        const smallTop = onPlane(camera, col, row, 0.06),
          bigTop = onPlane(camera, col, row, 0.04),
          cubeTop = onPlane(camera, col, row, 0.05),
          table = onPlane(camera, col, row, 0);
        const e = 1e-4; // skip pixels whose ray passes within 0.1 mm of an edge
        const cases: [number, number, number][] = [
          [inside(smallTop.p, -0.02, 0, 0.02, 0.015), 2, smallTop.depth],
          [inside(bigTop.p, -0.03, 0.01, 0.05, 0.04), 1, bigTop.depth],
          [inside(cubeTop.p, 0.07, -0.06, 0.025, 0.025), 7, cubeTop.depth],
        ];
        const hit = cases.find(([m]) => m > e);
        if (cases.some(([m]) => Math.abs(m) <= e)) continue;
        if (hit) {
          if (img.segmask.data[i] !== hit[1] || Math.abs(img.depth.data[i] - hit[2]) > 1e-6) wrong++;
          count[[2, 1, 7].indexOf(hit[1])]++;
          checked++;
        } else if (inside(table.p, -0.03, 0.01, 0.06, 0.05) < 0 && inside(table.p, 0.07, -0.06, 0.035, 0.035) < 0) {
          // Table far enough from both boxes that no side face can be in the way.
          if (img.segmask.data[i] !== 0 || Math.abs(img.depth.data[i] - table.depth) > 1e-6) wrong++;
          checked++;
        }
      }
    expect(wrong).toBe(0);
    expect(checked).toBeGreaterThan(100_000);
    // Pixel counts against the projected areas: a top face of a × b at depth d covers (a f / d)(b f / d) pixels.
    const area = (a: number, b: number, d: number) => (a * 500 * b * 500) / (d * d);
    expect(count[0] / area(0.04, 0.03, H - 0.06)).toBeCloseTo(1, 1);
    expect(count[1] / (area(0.1, 0.08, H - 0.04) - area(0.04, 0.03, H - 0.04))).toBeCloseTo(1, 1);
    expect(count[2] / area(0.05, 0.05, H - 0.05)).toBeCloseTo(1, 1);
  });

  it("the bin's walls: their tops at the wall height's depth as background, the floor inside them at the table's", () => {
    const bin: Bin = { halfX: 0.1, halfY: 0.08, wallHeight: 0.05, wallThickness: 0.01 };
    const camera = above(300, 400);
    const img = renderScene([], camera, { bin });
    let tops = 0,
      floor = 0,
      wrong = 0;
    for (let row = 0; row < 300; row++)
      for (let col = 0; col < 300; col++) {
        const i = row * 300 + col;
        const top = onPlane(camera, col, row, 0.05).p;
        const ring = Math.min(
          -inside(top, 0, 0, 0.1, 0.08), // outside the inner faces
          inside(top, 0, 0, 0.11, 0.09), // inside the outer faces
        );
        if (img.segmask.data[i] !== 0) wrong++;
        if (ring > 1e-4) {
          if (Math.abs(img.depth.data[i] - (H - 0.05)) > 1e-6) wrong++;
          tops++;
        }
        // Straight above the centre, rays to the floor inside the walls pass no wall.
        if (inside(onPlane(camera, col, row, 0).p, 0, 0, 0.1, 0.08) > 1e-4) {
          if (Math.abs(img.depth.data[i] - H) > 1e-6) wrong++;
          floor++;
        }
      }
    expect(wrong).toBe(0);
    // Each wall top is 1 cm wide: the ring's area over the pixel footprint at its depth.
    const ring = 0.22 * 0.18 - 0.2 * 0.16;
    expect(tops / ((ring * 400 * 400) / (H - 0.05) ** 2)).toBeCloseTo(1, 1);
    expect(floor).toBeGreaterThan(10_000);
  });
});
