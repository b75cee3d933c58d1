// The image antipodal sampler on rendered boxes whose edges we know: jaws on opposite sides, width limit, border margin, determinism.
import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { projectPoint, type CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { boxMesh, cylinderMesh } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3, type Vec3 } from '../../src/geometry/vector.js';
import { createDepthImage, type DepthImage, type Mask } from '../../src/image/depth-image.js';
import { lookAtPose } from '../../src/render/camera-sampler.js';
import { DepthRenderer, type Camera } from '../../src/render/depth-renderer.js';
import { Random } from '../../src/core/random.js';
import {
  findDepthEdges,
  sampleImageAntipodalGrasps,
  type AntipodalImageGrasp,
} from '../../src/grasp/image-antipodal-sampler.js';
import { centerInMask, crossEntropyPlan } from '../../src/policy/cross-entropy.js';
import { angleDifference, gripperWidthPx, type ImageGrasp } from '../../src/grasp/image-grasp.js';
import { widthToPixels } from '../../src/grasp/image-grasp.js';
import { topBetweenJaws } from '../../src/grasp/local-top.js';
import { applyDepthNoise } from '../../src/render/noise.js';

// Scene helpers: a box on a table seen straight from above at 0.7 m, with the image geometry of its top face.
const CAMERA_HEIGHT = 0.7;

function intrinsics640(f = 525): CameraIntrinsics {
  return { fx: f, fy: f, cx: 319.5, cy: 239.5, skew: 0, width: 640, height: 480, frame: 'camera' };
}

interface BoxScene {
  depth: DepthImage;
  segmask: Mask;
  intrinsics: CameraIntrinsics;
  camera: Camera;
  /** Image positions (x = col, y = row) of the top face's corners, in order around the face. */
  topCorners: [number, number][];
  /** Depth of the box's top face and of the table under the camera (m). */
  topDepth: number;
  tableDepth: number;
}

/** A box of extents sx × sy × sz (m) resting on the table at (tx, ty), turned by `yaw`, seen straight from above. */
function renderBoxScene(sx: number, sy: number, sz: number, yaw = 0, tx = 0, ty = 0): BoxScene {
  const k = intrinsics640();
  const camera: Camera = { intrinsics: k, pose: lookAtPose({ radius: CAMERA_HEIGHT, polar: 0, azimuth: 0, roll: 0 }) };
  const pose = new RigidTransform(axisAngleToMat3([0, 0, 1], yaw), [tx, ty, sz / 2], 'object', 'table');
  const { depth, segmask } = new DepthRenderer(new MeshIndex(boxMesh(sx, sy, sz))).render(pose, camera);
  const worldToCamera = camera.pose.inverse();
  const topCorners: [number, number][] = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ].map(([a, b]) => {
    const pw = pose.applyToPoint([(a * sx) / 2, (b * sy) / 2, sz / 2] as Vec3);
    return projectPoint(k, worldToCamera.applyToPoint(pw));
  });
  return { depth, segmask, intrinsics: k, camera, topCorners, topDepth: CAMERA_HEIGHT - sz, tableDepth: CAMERA_HEIGHT };
}

/** Distance from point p to the segment a–b. */
function distToSegment(p: { x: number; y: number }, a: [number, number], b: [number, number]): number {
  const vx = b[0] - a[0],
    vy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((p.x - a[0]) * vx + (p.y - a[1]) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(p.x - (a[0] + t * vx), p.y - (a[1] + t * vy));
}

const GRIPPER = 0.05;
const MU = 0.8;
// A 10 × 3 × 4 cm box turned 0.3 rad, centred under the camera: graspable across its 3 cm only.
const narrow = renderBoxScene(0.1, 0.03, 0.04, 0.3);

function sidesOf(corners: [number, number][]): [[number, number], [number, number]][] {
  return corners.map((c, i) => [c, corners[(i + 1) % 4]] as [[number, number], [number, number]]);
}

describe('image antipodal sampler', () => {
  const grasps = sampleImageAntipodalGrasps(narrow.depth, narrow.segmask, narrow.intrinsics, GRIPPER, new Random(7), {
    numSamples: 150,
  });

  it('finds edge pixels whose normals point outward from the object', () => {
    const edges = findDepthEdges(narrow.depth, narrow.segmask);
    expect(edges.count).toBeGreaterThan(50);
    const c = narrow.topCorners.reduce((a, p) => [a[0] + p[0] / 4, a[1] + p[1] / 4], [0, 0]);
    let outward = 0;
    for (let i = 0; i < edges.count; i++) {
      const x = edges.col[i] * edges.factor + 0.5,
        y = edges.row[i] * edges.factor + 0.5;
      if ((x - c[0]) * edges.nx[i] + (y - c[1]) * edges.ny[i] > 0) outward++;
    }
    expect(outward).toBe(edges.count);
  });

  it('puts every pair of jaws on the two long sides of a box, across it', () => {
    expect(grasps.length).toBe(150);
    const sides = sidesOf(narrow.topCorners);
    // Sides 0 and 2 are the 10 cm sides; the axis across them points along side 1.
    const across = Math.atan2(sides[1][1][1] - sides[1][0][1], sides[1][1][0] - sides[1][0][0]);
    for (const g of grasps) {
      // Within 4 px of a long side each (a corner pixel is as near to the short side too), one on each.
      const near = (p: { x: number; y: number }, side: number) => distToSegment(p, sides[side][0], sides[side][1]) < 4;
      const [c1, c2] = g.contacts;
      expect((near(c1, 0) && near(c2, 2)) || (near(c1, 2) && near(c2, 0))).toBe(true);
      // Inside the friction cone of the true sides, less the normals' error near the corners (blur, 2-px grid).
      expect(angleDifference(g.angle, across)).toBeLessThan(Math.atan(MU) + 0.2);
    }
  });

  it('centres grasps on the object, between its top and the table, with the gripper width in pixels', () => {
    const k = narrow.intrinsics;
    for (const g of grasps) {
      expect(narrow.segmask.data[Math.round(g.center.y) * 640 + Math.round(g.center.x)]).toBe(1);
      expect(g.depth).toBeGreaterThanOrEqual(narrow.topDepth + 0.005 - 1e-6);
      expect(g.depth).toBeLessThanOrEqual(narrow.topDepth + 0.04 + 1e-6);
      expect(g.depth).toBeLessThanOrEqual(narrow.tableDepth);
      expect(g.widthPx).toBeCloseTo(widthToPixels(GRIPPER, g.depth, g.angle, k), 9);
      expect(g.angle).toBeGreaterThan(-Math.PI / 2);
      expect(g.angle).toBeLessThanOrEqual(Math.PI / 2);
      // Contact separation never exceeds the gripper opening at the box top.
      const sep = Math.hypot(g.contacts[1].x - g.contacts[0].x, g.contacts[1].y - g.contacts[0].y);
      expect(sep).toBeLessThan(widthToPixels(GRIPPER, narrow.topDepth, g.angle, k));
    }
  });

  it('finds no grasp on a box wider than the gripper both ways, and returns an empty array', () => {
    const wide = renderBoxScene(0.08, 0.065, 0.04, 0.2);
    expect(
      sampleImageAntipodalGrasps(wide.depth, wide.segmask, wide.intrinsics, GRIPPER, new Random(1), { numSamples: 50 }),
    ).toEqual([]);
    const flat = createDepthImage(640, 480, new Float32Array(640 * 480).fill(0.7));
    expect(sampleImageAntipodalGrasps(flat, null, intrinsics640(), GRIPPER, new Random(1), { numSamples: 50 })).toEqual(
      [],
    );
  });

  it('keeps centres the crop half-diagonal away from the image border', () => {
    // The box spans rows 357–440; the margin stops centres below row 479 − 48√2 ≈ 411.
    const low = renderBoxScene(0.1, 0.03, 0.04, 0.3, 0.2, 0);
    const margin = 48 * Math.SQRT2;
    const unconstrained = sampleImageAntipodalGrasps(low.depth, low.segmask, low.intrinsics, GRIPPER, new Random(3), {
      numSamples: 100,
      cropSize: 0,
    });
    expect(unconstrained.some((g) => g.center.y > 479 - margin)).toBe(true);
    const kept = sampleImageAntipodalGrasps(low.depth, low.segmask, low.intrinsics, GRIPPER, new Random(3), {
      numSamples: 100,
    });
    expect(kept.length).toBeGreaterThan(10);
    for (const g of kept) {
      expect(g.center.y).toBeLessThanOrEqual(479 - margin);
      expect(g.center.x).toBeGreaterThanOrEqual(margin);
    }
  });

  it('grasps an upright cylinder seen obliquely from every direction, through its body', () => {
    const k = intrinsics640();
    const camera: Camera = {
      intrinsics: k,
      pose: lookAtPose({ radius: 0.7, polar: 0.1 * Math.PI, azimuth: 1, roll: 0 }),
    };
    const { depth, segmask } = new DepthRenderer(new MeshIndex(cylinderMesh(0.02, 0.06, 48))).render(
      new RigidTransform(undefined, [0, 0, 0.03], 'object', 'table'),
      camera,
    );
    const gs = sampleImageAntipodalGrasps(depth, segmask, k, GRIPPER, new Random(5), { numSamples: 100 });
    expect(gs.length).toBe(100);
    const diameterPx = (0.04 * k.fx) / 0.64;
    const bins = new Set<number>();
    for (const g of gs) {
      expect(segmask.data[Math.round(g.center.y) * 640 + Math.round(g.center.x)]).toBe(1);
      // A chord inside both friction cones is at least cos(atan μ) of the diameter long.
      const sep = Math.hypot(g.contacts[1].x - g.contacts[0].x, g.contacts[1].y - g.contacts[0].y);
      expect(sep).toBeGreaterThan(0.7 * diameterPx);
      bins.add(Math.min(5, Math.floor(((g.angle + Math.PI / 2) / Math.PI) * 6)));
    }
    expect(bins.size).toBe(6);
  });

  it('tolerates Dex-Net sensor noise when given the segmask', () => {
    const k = intrinsics640();
    const camera: Camera = {
      intrinsics: k,
      pose: lookAtPose({ radius: 0.7, polar: 0.1 * Math.PI, azimuth: 1, roll: 0 }),
    };
    const pose = new RigidTransform(axisAngleToMat3([0, 0, 1], 0.3), [0, 0, 0.02], 'object', 'table');
    const { depth, segmask } = new DepthRenderer(new MeshIndex(boxMesh(0.1, 0.03, 0.04))).render(pose, camera);
    applyDepthNoise(depth, new Random(1));
    const gs = sampleImageAntipodalGrasps(depth, segmask, k, GRIPPER, new Random(2), { numSamples: 200 });
    expect(gs.length).toBe(200);
    const onBox = gs.filter((g) => segmask.data[Math.round(g.center.y) * 640 + Math.round(g.center.x)] === 1).length;
    expect(onBox).toBeGreaterThanOrEqual(190);
  });

  it('is deterministic per seed and varies with it', () => {
    const a = sampleImageAntipodalGrasps(narrow.depth, narrow.segmask, narrow.intrinsics, GRIPPER, new Random(11), {
      numSamples: 60,
      depthSamplesPerGrasp: 3,
    });
    const b = sampleImageAntipodalGrasps(narrow.depth, narrow.segmask, narrow.intrinsics, GRIPPER, new Random(11), {
      numSamples: 60,
      depthSamplesPerGrasp: 3,
    });
    const c = sampleImageAntipodalGrasps(narrow.depth, narrow.segmask, narrow.intrinsics, GRIPPER, new Random(12), {
      numSamples: 60,
      depthSamplesPerGrasp: 3,
    });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // Three depths per pair: consecutive triples share centre and angle.
    const key = (g: AntipodalImageGrasp) => `${g.center.x},${g.center.y},${g.angle}`;
    expect(key(a[0])).toBe(key(a[1]));
    expect(key(a[0])).toBe(key(a[2]));
    expect(a[0].depth).not.toBe(a[1].depth);
  });

  it('keeps sampled pairs apart and respects the segmask', () => {
    for (let i = 0; i < grasps.length; i++)
      for (let j = i + 1; j < grasps.length; j++) {
        const d =
          Math.hypot(grasps[i].center.x - grasps[j].center.x, grasps[i].center.y - grasps[j].center.y) +
          10 * angleDifference(grasps[i].angle, grasps[j].angle);
        expect(d).toBeGreaterThanOrEqual(2.5);
      }
    // An empty mask leaves no edge pixels to pair.
    const none = { width: 640, height: 480, data: new Uint8Array(640 * 480) };
    expect(sampleImageAntipodalGrasps(narrow.depth, none, narrow.intrinsics, GRIPPER, new Random(1))).toEqual([]);
  });

  it('seeds the cross-entropy policy, whose resampled grasps stay on the object', async () => {
    const k = narrow.intrinsics;
    const c = narrow.topCorners.reduce((a, p) => [a[0] + p[0] / 4, a[1] + p[1] / 4], [0, 0]);
    // A stand-in for the network: prefers grasps near the box's middle and gripping just under its top.
    const score = (gs: ImageGrasp[]) =>
      gs.map((g) =>
        Math.exp(-Math.hypot(g.center.x - c[0], g.center.y - c[1]) / 20 - Math.abs(g.depth - 0.675) / 0.01),
      );
    const r = await crossEntropyPlan({
      initial: grasps,
      score,
      rng: new Random(3),
      isValid: centerInMask(640, 480, narrow.segmask, 48 * Math.SQRT2),
      widthPx: gripperWidthPx(k, GRIPPER),
    });
    for (const s of r.all)
      expect(narrow.segmask.data[Math.round(s.grasp.center.y) * 640 + Math.round(s.grasp.center.x)]).toBe(1);
    expect(Math.hypot(r.best.grasp.center.x - c[0], r.best.grasp.center.y - c[1])).toBeLessThan(15);
    expect(r.best.grasp.widthPx).toBeCloseTo(widthToPixels(GRIPPER, r.best.grasp.depth, r.best.grasp.angle, k), 9);
  });
});

describe('image antipodal sampler: grasp depth from the object top between the jaws', () => {
  // A 3 × 4 cm block, 4 cm tall, with a 1 cm wide channel 3 cm deep down its middle, seen straight down: a grasp
  // across the block has its centre over the channel floor, 3 cm below the top its jaws close around.
  const k = intrinsics640();
  const depth = createDepthImage(640, 480);
  const mask = { width: 640, height: 480, data: new Uint8Array(640 * 480) };
  for (let row = 0; row < 480; row++)
    for (let col = 0; col < 640; col++) {
      const i = row * 640 + col;
      const x = ((col - k.cx) * 0.66) / k.fx,
        y = ((row - k.cy) * 0.66) / k.fy;
      const onBlock = Math.abs(x) <= 0.015 && Math.abs(y) <= 0.02;
      depth.data[i] = !onBlock ? 0.7 : Math.abs(x) <= 0.005 ? 0.69 : 0.66;
      mask.data[i] = onBlock ? 255 : 0;
    }
  const offsets = (reference: 'jaws' | 'center') =>
    sampleImageAntipodalGrasps(depth, mask, k, 0.05, new Random(4), { numSamples: 60, depthReference: reference }).map(
      (g) => g.depth - topBetweenJaws(depth, mask, g.center, g.angle, g.widthPx),
    );

  it('draws every offset from the top between the jaws (default), so the jaws close around the block', () => {
    const jaws = offsets('jaws');
    expect(jaws.length).toBeGreaterThan(10);
    for (const o of jaws) {
      expect(o).toBeGreaterThanOrEqual(0.0075 - 1e-6);
      expect(o).toBeLessThanOrEqual(0.03 + 1e-6);
    }
  });

  it("with gqcnn's centre window, grasps over the channel go 3 cm further down than the offsets say", () => {
    const centre = offsets('center');
    expect(centre.some((o) => o > 0.03 + 0.0075 - 1e-6)).toBe(true);
  });
});
