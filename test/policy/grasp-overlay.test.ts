// The grasp overlay PNG: right size, readable, grasps visibly drawn, and robust to empty input.
import { describe, expect, it } from 'vitest';
import { createDepthImage } from '../../src/image/depth-image.js';
import { readPng } from '../../src/image/png.js';
import { drawGraspOverlay } from '../../src/policy/grasp-overlay.js';
import { imageGrasp } from '../../src/grasp/image-grasp.js';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3 } from '../../src/geometry/vector.js';
import { lookAtPose } from '../../src/render/camera-sampler.js';
import { DepthRenderer } from '../../src/render/depth-renderer.js';

// An 8 × 3 × 4 cm box on the table, 0.7 m under a 640×480 camera looking straight down.
const scene = new DepthRenderer(new MeshIndex(boxMesh(0.08, 0.03, 0.04))).render(
  new RigidTransform(axisAngleToMat3([0, 0, 1], 0.4), [0, 0, 0.02], 'object', 'table'),
  {
    intrinsics: { fx: 525, fy: 525, cx: 319.5, cy: 239.5, skew: 0, width: 640, height: 480, frame: 'camera' },
    pose: lookAtPose({ radius: 0.7, polar: 0, azimuth: 0, roll: 0 }),
  },
);

function rgbAt(png: ReturnType<typeof readPng>, x: number, y: number): number[] {
  const o = (Math.round(y) * png.width + Math.round(x)) * png.channels;
  return [png.data[o], png.data[o + 1], png.data[o + 2]];
}

describe('grasp overlay', () => {
  const best = { grasp: imageGrasp({ x: 320, y: 240 }, 0.4 + Math.PI / 2, 0.68, 40), q: 0.93 };
  const other = { grasp: imageGrasp({ x: 300, y: 250 }, 0.2, 0.68, 40), q: 0.1 };

  it('writes a PNG of the image size that differs from the plain depth render along the best grasp', () => {
    const plain = readPng(drawGraspOverlay(scene.depth, []), 'plain');
    const drawn = readPng(drawGraspOverlay(scene.depth, [other, best], { segmask: scene.segmask }), 'overlay');
    for (const png of [plain, drawn]) {
      expect(png.width).toBe(640);
      expect(png.height).toBe(480);
      expect(png.channels).toBeGreaterThanOrEqual(3);
    }
    // Points along the best grasp's axis (between centre and jaws) are drawn in its colour (green for q ≈ 0.93).
    const ax = Math.cos(best.grasp.angle),
      ay = Math.sin(best.grasp.angle);
    let changed = 0,
      greenish = 0;
    for (let t = -18; t <= 18; t += 3) {
      const x = 320 + t * ax,
        y = 240 + t * ay;
      const a = rgbAt(plain, x, y),
        b = rgbAt(drawn, x, y);
      if (a.some((v, i) => Math.abs(v - b[i]) > 30)) changed++;
      if (b[1] > 150 && b[0] < 150 && b[2] < 100) greenish++;
    }
    expect(changed).toBeGreaterThanOrEqual(11);
    expect(greenish).toBeGreaterThanOrEqual(9);
  });

  it('colour-maps depth with the near object brighter than the table and missing pixels black', () => {
    const data = scene.depth.data.slice();
    data[0] = 0;
    const png = readPng(drawGraspOverlay(createDepthImage(640, 480, data), []), 'map');
    const lum = (c: number[]) => 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2];
    expect(lum(rgbAt(png, 320, 240))).toBeGreaterThan(lum(rgbAt(png, 100, 100)) + 50);
    expect(rgbAt(png, 0, 0)).toEqual([0, 0, 0]);
  });

  it('never throws: no grasps, no valid depth, NaN quality, off-image grasps', () => {
    const empty = createDepthImage(32, 24);
    expect(readPng(drawGraspOverlay(empty, []), 'empty').width).toBe(32);
    const weird = [
      { grasp: imageGrasp({ x: -50, y: 900 }, 1, 0.5, 30), q: NaN },
      { grasp: imageGrasp({ x: 10, y: 10 }, 0, 0.5, 0), q: 2 },
    ];
    expect(readPng(drawGraspOverlay(empty, weird, { minDepth: 0.5, maxDepth: 0.5 }), 'weird').height).toBe(24);
  });
});
