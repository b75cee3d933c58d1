import { DoubleSide, Ray } from 'three';
import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { centeredIntrinsics, deprojectPixel, type CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { boxMesh, lBracketMesh, torusMesh } from '../../src/geometry/primitives.js';
import { Random } from '../../src/core/random.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3, type Vec3 } from '../../src/geometry/vector.js';
import { lookAtPose, sampleCamera } from '../../src/render/camera-sampler.js';
import { DepthRenderer, renderDepth, type Camera } from '../../src/render/depth-renderer.js';

const intrinsics = (size: number, f = 525): CameraIntrinsics => centeredIntrinsics(size, size, { fx: f });
const yawAbout = (yaw: number, t: Vec3) => new RigidTransform(axisAngleToMat3([0, 0, 1], yaw), t, 'object', 'table');

// Box 10 × 6 × 4 cm resting on the table, camera 0.7 m straight above the table origin.
const SX = 0.1,
  SY = 0.06,
  SZ = 0.04,
  H = 0.7;
const box = new MeshIndex(boxMesh(SX, SY, SZ));
const boxOnTable = yawAbout(0, [0, 0, SZ / 2]);
const above: Camera = { intrinsics: intrinsics(600), pose: lookAtPose({ radius: H, polar: 0, azimuth: 0, roll: 0 }) };

/** Camera-ray (x', y', 1) of a pixel, in the world frame, and the camera origin. */
function worldRay(camera: Camera, col: number, row: number): { o: Vec3; d: Vec3 } {
  const c = deprojectPixel(camera.intrinsics, col, row, 1);
  return { o: camera.pose.translation, d: camera.pose.applyToDirection(c) };
}

describe('depth renderer: closed forms', () => {
  it('a box seen from straight above: top face at 0.66 m, table at 0.7 m, mask = projected top face', () => {
    const { depth, segmask } = new DepthRenderer(box).render(boxOnTable, above);
    const k = above.intrinsics;
    let area = 0,
      worst = 0;
    for (let i = 0; i < 600 * 600; i++) {
      area += segmask.data[i];
      worst = Math.max(worst, Math.abs(depth.data[i] - (segmask.data[i] ? H - SZ : H)));
    }
    expect(worst).toBeLessThan(1e-6);
    const expected = ((SX * k.fx) / (H - SZ)) * ((SY * k.fy) / (H - SZ));
    expect(Math.abs(area - expected) / expected).toBeLessThan(0.02);
  });

  it('a tilted, rolled camera: every pixel whose ray meets the top face inside it, or the table far from the box, has that exact depth', () => {
    const obj = yawAbout(0.7, [0.02, -0.01, SZ / 2]);
    const camera: Camera = {
      intrinsics: intrinsics(300, 260),
      pose: lookAtPose({ radius: 0.68, polar: 0.3, azimuth: 2.2, roll: 0.05 }, [0.02, -0.01, 0]),
    };
    const img = new DepthRenderer(box).render(obj, camera);
    const toObj = obj.inverse();
    let top = 0,
      table = 0;
    for (let row = 0; row < 300; row += 3) {
      for (let col = 0; col < 300; col += 3) {
        const { o, d } = worldRay(camera, col, row);
        const i = row * 300 + col;
        const sTop = (SZ - o[2]) / d[2];
        const pTop = toObj.applyToPoint([o[0] + sTop * d[0], o[1] + sTop * d[1], SZ]);
        const sTable = -o[2] / d[2];
        const pTable = toObj.applyToPoint([o[0] + sTable * d[0], o[1] + sTable * d[1], 0]);
        if (Math.abs(pTop[0]) < SX / 2 - 1e-3 && Math.abs(pTop[1]) < SY / 2 - 1e-3) {
          top++;
          expect(img.segmask.data[i]).toBe(1);
          expect(img.depth.data[i]).toBeCloseTo(sTop, 6);
        } else if (Math.hypot(pTable[0], pTable[1]) > 0.2) {
          table++;
          expect(img.segmask.data[i]).toBe(0);
          expect(img.depth.data[i] / sTable).toBeCloseTo(1, 6);
        }
      }
    }
    expect(top).toBeGreaterThan(50);
    expect(table).toBeGreaterThan(1000);
  });

  it('a bounded table leaves rays that miss it at 0; no table leaves only the object; a camera looking up sees nothing', () => {
    const r = new DepthRenderer(box);
    const small = r.render(boxOnTable, above, { tableHalfSize: 0.1 });
    expect(small.depth.data[0]).toBe(0); // corner ray hits the plane ~0.4 m out
    expect(small.depth.data[300 * 600 + 300]).toBeCloseTo(H - SZ, 6);
    const halfPx = (0.1 * 525) / H;
    expect(small.depth.data[300 * 600 + Math.round(299.5 + halfPx - 2)]).toBeCloseTo(H, 6);
    expect(small.depth.data[300 * 600 + Math.round(299.5 + halfPx + 2)]).toBe(0);
    const none = r.render(boxOnTable, above, { table: false });
    let disagree = 0;
    for (let i = 0; i < none.depth.data.length; i++)
      if (none.depth.data[i] > 0 !== (none.segmask.data[i] === 1)) disagree++;
    expect(disagree).toBe(0);
    expect(none.segmask.data.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    // Identity rotation: camera +z is world +z, so a camera 0.3 m up looks at the sky.
    const sky = r.render(boxOnTable, {
      intrinsics: intrinsics(64),
      pose: new RigidTransform(undefined, [0, 0, 0.3], 'camera', 'table'),
    });
    expect(sky.depth.data.every((v) => v === 0)).toBe(true);
  });
});

describe('depth renderer: random scenes', () => {
  const meshes = [new MeshIndex(torusMesh(0.03, 0.012, 40, 24)), new MeshIndex(lBracketMesh()), box];
  const lift = [0.012, 0.02, SZ / 2];

  it('depth is finite and ≥ 0, and every rendered pixel deprojects onto the mesh (mask) or the table (< 1e-4 m)', () => {
    const rng = new Random(5);
    for (let scene = 0; scene < 6; scene++) {
      const m = scene % 3;
      const obj = yawAbout(rng.uniform(0, 2 * Math.PI), [rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1), lift[m]]);
      const camera = sampleCamera(rng, { target: obj.translation, width: 200, height: 200, focal: [170, 180] });
      const img = renderDepth(meshes[m], obj, camera);
      let objectPixels = 0;
      expect(img.depth.data.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      const maskPixels: number[] = [];
      img.segmask.data.forEach((v, i) => {
        if (v) maskPixels.push(i);
      });
      for (let n = 0; n < 300; n++) {
        // Half anywhere, half on the object (it covers only ~1% of the image).
        const i = n % 2 ? rng.int(200 * 200) : maskPixels[rng.int(maskPixels.length)];
        const col = i % 200,
          row = Math.floor(i / 200);
        const z = img.depth.data[row * 200 + col];
        expect(z).toBeGreaterThan(0);
        const pw = camera.pose.applyToPoint(deprojectPixel(camera.intrinsics, col, row, z));
        if (img.segmask.data[row * 200 + col]) {
          objectPixels++;
          const po = obj.inverse().applyToPoint(pw);
          expect(meshes[m].closestPoint(po)!.distance).toBeLessThan(1e-4);
        } else {
          expect(Math.abs(pw[2])).toBeLessThan(1e-4);
        }
      }
      expect(img.segmask.data.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
      expect(objectPixels).toBeGreaterThan(0);
    }
  });

  it('culling changes nothing: equals casting every pixel into the BVH', () => {
    const rng = new Random(8);
    for (let m = 0; m < 2; m++) {
      const obj = yawAbout(rng.uniform(0, 6), [0.03, -0.02, lift[m]]);
      const camera = sampleCamera(rng, { target: [0, 0, 0], width: 96, height: 96, focal: [80, 80] });
      const fast = new DepthRenderer(meshes[m]).render(obj, camera);
      const toObj = obj.inverse();
      const ray = new Ray();
      for (let row = 0; row < 96; row++) {
        for (let col = 0; col < 96; col++) {
          const { o, d } = worldRay(camera, col, row);
          const table = d[2] < 0 ? -o[2] / d[2] : 0;
          const oo = toObj.applyToPoint(o),
            dd = toObj.applyToDirection(d);
          const len = Math.hypot(...dd);
          ray.origin.set(...oo);
          ray.direction.set(dd[0] / len, dd[1] / len, dd[2] / len);
          const hit = meshes[m].bvh.raycastFirst(ray, DoubleSide);
          const zObj = hit ? hit.distance / len : 0;
          const expected = zObj > 0 && (table === 0 || zObj <= table) ? zObj : table;
          const i = row * 96 + col;
          expect(fast.depth.data[i]).toBeCloseTo(expected, 6);
          expect(fast.segmask.data[i]).toBe(expected === zObj && zObj > 0 ? 1 : 0);
        }
      }
    }
  });

  it('reuses an output buffer and rejects one of the wrong size', () => {
    const r = new DepthRenderer(box);
    const a = r.render(boxOnTable, above);
    const camera2: Camera = {
      intrinsics: intrinsics(600),
      pose: lookAtPose({ radius: 0.7, polar: 0.2, azimuth: 1, roll: 0 }),
    };
    const b = r.render(boxOnTable, camera2, {}, a);
    expect(b).toBe(a);
    expect(Array.from(b.depth.data)).toEqual(Array.from(r.render(boxOnTable, camera2).depth.data));
    expect(() => r.render(boxOnTable, { intrinsics: intrinsics(64), pose: above.pose }, {}, a)).toThrow(
      /render target/,
    );
  });
});
