// Suction grasp projection: the approach runs down the crop's middle column, the tilt is the angle to straight down,
// and only targets on the visible surface count.
import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { centeredIntrinsics, type CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3, normalize, type Vec3 } from '../../src/geometry/vector.js';
import { lookAtPose } from '../../src/render/camera-sampler.js';
import { DepthRenderer, type Camera } from '../../src/render/depth-renderer.js';
import { projectSuctionGrasp } from '../../src/render/suction-projection.js';

const K: CameraIntrinsics = centeredIntrinsics(600, 600);

describe('projectSuctionGrasp', () => {
  it("lays the approach axis along the crop's middle column, pointing down the crop, for any camera and tilt", () => {
    const obj = new RigidTransform(axisAngleToMat3([0, 0, 1], 0.7), [0.02, -0.01, 0.015], 'object', 'table');
    for (const [polar, az] of [
      [0.2, 0.3],
      [0.5, 2.1],
      [0.35, 4.4],
    ]) {
      const camera: Camera = { intrinsics: K, pose: lookAtPose({ radius: 0.6, polar, azimuth: az, roll: 0 }) };
      for (const approach of [
        [0.3, 0.1, -1],
        [-0.4, 0.5, -1],
        [0, -0.6, -1],
      ] as Vec3[]) {
        const g = { point: [0.005, 0.01, 0.015] as Vec3, approach: normalize(approach) };
        const proj = projectSuctionGrasp(g, obj, camera);
        // A point 1 mm further along the approach, in crop coordinates
        // (crop x = (cos θ, sin θ), crop y = (−sin θ, cos θ)).
        const further: Vec3 = [0, 1, 2].map((i) => g.point[i] + 0.001 * g.approach[i]) as Vec3;
        const ahead = projectSuctionGrasp({ point: further, approach: g.approach }, obj, camera);
        const ox = ahead.center.x - proj.center.x,
          oy = ahead.center.y - proj.center.y;
        const c = Math.cos(proj.cropAngle),
          s = Math.sin(proj.cropAngle);
        const across = ox * c + oy * s,
          down = -ox * s + oy * c;
        expect(down).toBeGreaterThan(0.05);
        expect(Math.abs(across)).toBeLessThan(1e-3 * down);
      }
    }
  });

  it("reports the angle between the approach and straight down, whatever the object's yaw", () => {
    const camera: Camera = { intrinsics: K, pose: lookAtPose({ radius: 0.6, polar: 0.3, azimuth: 1, roll: 0 }) };
    for (const yaw of [0, 1, 2.5]) {
      const obj = new RigidTransform(axisAngleToMat3([0, 0, 1], yaw), [0, 0, 0.01], 'object', 'table');
      for (const tilt of [0, 0.2, 0.6]) {
        const g = { point: [0, 0, 0.01] as Vec3, approach: [Math.sin(tilt), 0, -Math.cos(tilt)] as Vec3 };
        expect(projectSuctionGrasp(g, obj, camera).approachAngle).toBeCloseTo(tilt, 9);
      }
    }
  });

  it('sees targets on the top face and not on the bottom face of a box on the table', () => {
    const camera: Camera = { intrinsics: K, pose: lookAtPose({ radius: 0.6, polar: 0.2, azimuth: 0.5, roll: 0 }) };
    const obj = new RigidTransform(axisAngleToMat3([0, 0, 1], 0.3), [0, 0, 0.02], 'object', 'table');
    const image = new DepthRenderer(new MeshIndex(boxMesh(0.06, 0.05, 0.04))).render(obj, camera);
    const seen = { depth: image.depth };
    const top = projectSuctionGrasp({ point: [0.01, 0.005, 0.02], approach: [0, 0, -1] }, obj, camera, seen);
    const bottom = projectSuctionGrasp({ point: [0.01, 0.005, -0.02], approach: [0, 0, 1] }, obj, camera, seen);
    expect(top).toMatchObject({ inImage: true, visible: true });
    expect(top.depth).toBeGreaterThan(0.5);
    expect(bottom).toMatchObject({ inImage: true, visible: false });
  });
});
