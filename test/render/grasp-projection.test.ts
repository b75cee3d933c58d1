import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { centeredIntrinsics, projectPoint, type CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { Random } from '../../src/core/random.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3, type Vec3 } from '../../src/geometry/vector.js';
import type { ParallelJawGrasp } from '../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';
import { lookAtPose, sampleCamera } from '../../src/render/camera-sampler.js';
import { DepthRenderer, type Camera } from '../../src/render/depth-renderer.js';
import {
  gripperPoseInCamera,
  imageGraspToCamera,
  imageGraspToPlaneParallel,
  projectGrasp,
} from '../../src/render/grasp-projection.js';
import { normalizeGraspAngle, widthToPixels } from '../../src/grasp/image-grasp.js';

const K: CameraIntrinsics = centeredIntrinsics(600, 600);
const yawAbout = (yaw: number, t: Vec3) => new RigidTransform(axisAngleToMat3([0, 0, 1], yaw), t, 'object', 'table');
const grasp = (center: Vec3, axis: Vec3, width = 0.05): ParallelJawGrasp => ({ center, axis, width, approachAngle: 0 });
const sameAngle = (a: number, b: number) => expect(Math.abs(Math.sin(a - b))).toBeLessThan(1e-9);

describe('normalizeGraspAngle', () => {
  it('maps into (−π/2, π/2] and treats θ and θ + π as one grasp', () => {
    const rng = new Random(1);
    for (let i = 0; i < 1000; i++) {
      const a = rng.uniform(-20, 20),
        n = normalizeGraspAngle(a);
      expect(n).toBeGreaterThan(-Math.PI / 2);
      expect(n).toBeLessThanOrEqual(Math.PI / 2);
      sameAngle(n, a);
      expect(normalizeGraspAngle(a + Math.PI)).toBeCloseTo(n, 9);
    }
    expect(normalizeGraspAngle(Math.PI / 2)).toBe(Math.PI / 2);
    expect(normalizeGraspAngle(-Math.PI / 2)).toBe(Math.PI / 2);
  });
});

describe('projectGrasp', () => {
  it('a world-x axis seen straight down by a camera with azimuth (yaw) φ lies at image angle φ + π/2', () => {
    for (const az of [0, 0.3, 1.2, 2.0, 3.5, 5.9]) {
      const camera: Camera = { intrinsics: K, pose: lookAtPose({ radius: 0.7, polar: 0, azimuth: az, roll: 0 }) };
      // Object yawed by 0.4: the object-frame axis that points along world x.
      const obj = yawAbout(0.4, [0.01, 0.02, 0.02]);
      const p = projectGrasp(grasp([0, 0, 0], [Math.cos(-0.4), Math.sin(-0.4), 0]), obj, camera);
      sameAngle(p.angle, az + Math.PI / 2);
      expect(p.angle).toBeCloseTo(normalizeGraspAngle(az + Math.PI / 2), 9);
      // Flipping the axis gives the same image grasp.
      expect(projectGrasp(grasp([0, 0, 0], [-Math.cos(-0.4), -Math.sin(-0.4), 0]), obj, camera).angle).toBeCloseTo(
        p.angle,
        12,
      );
    }
  });

  it('centre, depth and width agree with projecting the camera-frame points; the angle matches the jaw endpoints', () => {
    const rng = new Random(4);
    for (let i = 0; i < 200; i++) {
      const obj = yawAbout(rng.uniform(0, 6.28), [rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1), 0.03]);
      const camera = sampleCamera(rng, { target: obj.translation });
      const g = grasp(rng.normalVec3(0.02), [...rng.unitVec3()] as Vec3, rng.uniform(0.02, 0.08));
      const p = projectGrasp(g, obj, camera);
      const pc = camera.pose.inverse().applyToPoint(obj.applyToPoint(g.center));
      const [x, y] = projectPoint(camera.intrinsics, pc);
      expect(p.center.x).toBeCloseTo(x, 9);
      expect(p.center.y).toBeCloseTo(y, 9);
      expect(p.depth).toBeCloseTo(pc[2], 12);
      expect(p.inImage).toBe(true);
      expect(p.widthPx).toBeCloseTo((camera.intrinsics.fx * g.width) / pc[2], 9);
      // Tiny jaw segment: its image direction is the derivative's.
      const h = 1e-7;
      const a = obj.applyToDirection(g.axis);
      const e1 = camera.pose.inverse().applyToPoint(obj.applyToPoint(g.center).map((v, j) => v + h * a[j]) as Vec3);
      const [x1, y1] = projectPoint(camera.intrinsics, e1);
      if (Math.hypot(x1 - x, y1 - y) > 1e-7)
        expect(Math.abs(Math.sin(p.angle - Math.atan2(y1 - y, x1 - x)))).toBeLessThan(1e-5);
    }
  });

  it('flags centres outside the image, behind the camera, or inside the margin', () => {
    const camera: Camera = { intrinsics: K, pose: lookAtPose({ radius: 0.7, polar: 0, azimuth: 0, roll: 0 }) };
    const obj = yawAbout(0, [0, 0, 0]);
    expect(projectGrasp(grasp([0, 0, 0.02], [1, 0, 0]), obj, camera).inImage).toBe(true);
    const off = projectGrasp(grasp([0.5, 0, 0.02], [1, 0, 0]), obj, camera);
    expect([off.inImage, off.visible]).toEqual([false, false]);
    expect(projectGrasp(grasp([0, 0, 0.9], [1, 0, 0]), obj, camera).inImage).toBe(false);
    // 0.3 m out at 0.68 m is ~232 px from the centre: inside the image, but not with a 70 px margin.
    expect(projectGrasp(grasp([0.3, 0, 0.02], [1, 0, 0]), obj, camera).inImage).toBe(true);
    expect(projectGrasp(grasp([0.3, 0, 0.02], [1, 0, 0]), obj, camera, { margin: 70 }).inImage).toBe(false);
  });

  it('visibility: a grasp inside a box is visible within the tolerance, hidden under a lid, hidden by a tight tolerance', () => {
    const camera: Camera = { intrinsics: K, pose: lookAtPose({ radius: 0.7, polar: 0.2, azimuth: 1, roll: 0 }) };
    const box = new MeshIndex(boxMesh(0.06, 0.06, 0.04));
    const obj = yawAbout(0.3, [0, 0, 0.02]);
    const { depth } = new DepthRenderer(box).render(obj, camera);
    const g = grasp([0, 0, 0], [1, 0, 0], 0.07);
    const p = projectGrasp(g, obj, camera, { depth });
    expect(p.visible).toBe(true);
    expect(p.depth - p.renderedDepth).toBeGreaterThan(0.015); // the top face is ~2 cm nearer than the centre
    expect(projectGrasp(g, obj, camera, { depth, occlusionTolerance: 0.005 }).visible).toBe(false);
    // A slab 15 cm above the table hides a grasp on the table surface below it.
    const slab = new MeshIndex(boxMesh(0.2, 0.2, 0.01));
    const slabPose = yawAbout(0, [0, 0, 0.15]);
    const hidden = new DepthRenderer(slab).render(slabPose, camera).depth;
    const low = projectGrasp(grasp([0, 0, -0.14], [1, 0, 0]), slabPose, camera, { depth: hidden });
    expect([low.inImage, low.visible]).toEqual([true, false]);
    expect(() =>
      projectGrasp(g, obj, camera, { depth: { width: 10, height: 10, data: new Float32Array(100) } }),
    ).toThrow(/depth image is 10×10/);
  });
});

describe('imageGraspToCamera', () => {
  it('3-D → 2-D → 3-D round trip for top-down grasps (axis parallel to the image plane)', () => {
    const rng = new Random(9);
    for (let i = 0; i < 300; i++) {
      const camera: Camera = {
        intrinsics: {
          ...K,
          fx: rng.uniform(520, 530),
          fy: rng.uniform(520, 530),
          skew: i % 2 ? 0 : rng.uniform(-2, 2),
        },
        pose: lookAtPose({
          radius: rng.uniform(0.65, 0.75),
          polar: 0,
          azimuth: rng.uniform(0, 6.28),
          roll: rng.uniform(-0.1, 0.1),
        }),
      };
      const obj = yawAbout(rng.uniform(0, 6.28), [rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1), 0.02]);
      const t = rng.uniform(0, 6.28);
      const g = grasp(
        [rng.uniform(-0.02, 0.02), rng.uniform(-0.02, 0.02), rng.uniform(-0.02, 0.02)],
        [Math.cos(t), Math.sin(t), 0],
        0.04,
      );
      const p = projectGrasp(g, obj, camera);
      const back = imageGraspToCamera(p.center, p.angle, p.depth, camera.intrinsics);
      back.center.forEach((v, j) => expect(v).toBeCloseTo(p.centerCamera[j], 10));
      // Same line (the sign is lost: a parallel-jaw grasp is symmetric).
      const d = back.axis[0] * p.axisCamera[0] + back.axis[1] * p.axisCamera[1] + back.axis[2] * p.axisCamera[2];
      expect(Math.abs(d)).toBeCloseTo(1, 10);
      expect(p.widthPx).toBeCloseTo(widthToPixels(0.04, p.depth, p.angle, camera.intrinsics), 9);
      // And 2-D → 3-D → 2-D: the lifted grasp, as an object-frame grasp, projects to the same image grasp.
      const toObj = obj.inverse().compose(camera.pose);
      const again = projectGrasp(
        grasp(toObj.applyToPoint(back.center), toObj.applyToDirection(back.axis), 0.04),
        obj,
        camera,
      );
      expect(again.center.x).toBeCloseTo(p.center.x, 8);
      expect(again.center.y).toBeCloseTo(p.center.y, 8);
      expect(again.angle).toBeCloseTo(p.angle, 9);
    }
  });

  it('the centre deprojects through its pixel and the axis has the requested image angle for tilted cameras too', () => {
    const rng = new Random(10);
    for (let i = 0; i < 100; i++) {
      const { intrinsics } = sampleCamera(rng);
      const c = { x: rng.uniform(0, 599), y: rng.uniform(0, 599) },
        angle = rng.uniform(-1.5, 1.5),
        depth = rng.uniform(0.6, 0.8);
      const g = imageGraspToCamera(c, angle, depth, intrinsics);
      const [x, y] = projectPoint(intrinsics, g.center);
      expect(x).toBeCloseTo(c.x, 9);
      expect(y).toBeCloseTo(c.y, 9);
      expect(g.center[2]).toBe(depth);
      expect(g.axis[2]).toBe(0);
      const [x1, y1] = projectPoint(intrinsics, [
        g.center[0] + 0.01 * g.axis[0],
        g.center[1] + 0.01 * g.axis[1],
        depth,
      ]);
      expect(Math.atan2(y1 - y, x1 - x)).toBeCloseTo(angle, 9);
    }
  });

  it('the gripper pose approaches along camera +z with y = grasp axis (gqcnn’s output pose)', () => {
    const g = imageGraspToCamera({ x: 320, y: 250 }, 0.6, 0.7, K);
    const r = g.pose.rotation;
    expect([r[2], r[5], r[8]]).toEqual([0, 0, 1]);
    [r[1], r[4], r[7]].forEach((v, j) => expect(v).toBeCloseTo(g.axis[j], 12));
    expect(g.pose.translation).toEqual(g.center);
    expect([g.pose.fromFrame, g.pose.toFrame]).toEqual(['gripper', 'camera']);
    // Seen by a camera straight above, the approach points down at the table.
    const cameraPose = lookAtPose({ radius: 0.7, polar: 0, azimuth: 0.5, roll: 0 });
    const approachWorld = cameraPose.applyToDirection([r[2], r[5], r[8]]);
    expect(approachWorld[2]).toBeCloseTo(-1, 12);
    expect(() => gripperPoseInCamera([0, 0, 1], [0, 0, 1])).toThrow(/parallel/);
  });
});

describe('imageGraspToPlaneParallel', () => {
  it('inverts projectGrasp for table-parallel grasps seen by tilted Dex-Net cameras (centre, axis and sign)', () => {
    const rng = new Random(11);
    for (let i = 0; i < 300; i++) {
      const obj = yawAbout(rng.uniform(0, 6.28), [rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1), 0.02]);
      const camera = sampleCamera(rng, { target: obj.translation, width: 640, height: 480 });
      const t = rng.uniform(0, 6.28);
      const g = grasp(
        [rng.uniform(-0.02, 0.02), rng.uniform(-0.02, 0.02), rng.uniform(-0.02, 0.02)],
        [Math.cos(t), Math.sin(t), 0],
      );
      const p = projectGrasp(g, obj, camera);
      const up = camera.pose.inverse().applyToDirection([0, 0, 1]);
      const back = imageGraspToPlaneParallel(p.center, p.angle, p.depth, camera.intrinsics, up);
      back.center.forEach((v, j) => expect(v).toBeCloseTo(p.centerCamera[j], 10));
      // The angle keeps the sign of the direction only up to a half turn, so compare the lines, then the image sense.
      const d = back.axis[0] * p.axisCamera[0] + back.axis[1] * p.axisCamera[1] + back.axis[2] * p.axisCamera[2];
      expect(Math.abs(d)).toBeCloseTo(1, 9);
      expect(back.axis[0] * up[0] + back.axis[1] * up[1] + back.axis[2] * up[2]).toBeCloseTo(0, 12);
      const [x0, y0] = projectPoint(camera.intrinsics, back.center);
      const [x1, y1] = projectPoint(camera.intrinsics, back.center.map((v, j) => v + 1e-4 * back.axis[j]) as Vec3);
      sameAngle(Math.atan2(y1 - y0, x1 - x0), p.angle);
      expect(Math.cos(Math.atan2(y1 - y0, x1 - x0) - p.angle)).toBeGreaterThan(0);
    }
  });

  it('refuses a camera looking along the plane', () => {
    expect(() => imageGraspToPlaneParallel({ x: 299.5, y: 299.5 }, 0, 0.7, K, [0, 1, 0])).toThrow(
      /looks along the plane/,
    );
  });
});
