// The plausibility check on synthetic depth images whose answer is known from their geometry: boxes on a table seen
// straight down, a lying cylinder, a neighbour under a finger, missing pixels, grasps on air and too shallow, and a
// ledge over a finger seen by a tilted camera.
import { describe, expect, it } from 'vitest';
import type { CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { cylinderMesh, extrudePolygon } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3 } from '../../src/geometry/vector.js';
import { DEFAULT_GRIPPER } from '../../src/grasp/gripper.js';
import { widthToPixels, type ImageGrasp } from '../../src/grasp/image-grasp.js';
import { createDepthImage, createMask, type DepthImage, type Mask } from '../../src/image/depth-image.js';
import { inpaint } from '../../src/image/filters.js';
import { fingerSeating, SEAT_CLEARANCE } from '../../src/policy/finger-seating.js';
import { gripperWidthPx } from '../../src/grasp/image-grasp.js';
import { plausibilityCheck } from '../../src/policy/plausibility.js';
import { lookAtPose } from '../../src/render/camera-sampler.js';
import { DepthRenderer } from '../../src/render/depth-renderer.js';
import { imageGraspInObject } from '../../src/render/grasp-projection.js';
import { checkGripperCollision } from '../../src/grasp/parallel-jaw/collision.js';

const K: CameraIntrinsics = { fx: 525, fy: 525, cx: 319.5, cy: 239.5, skew: 0, width: 640, height: 480, frame: 'cam' };
const TABLE = 0.7;
const { maxWidth: OPEN, fingerThickness: T, fingerRadius: R, fingertipOffset: TIP } = DEFAULT_GRIPPER;

/** Axis-aligned box tops in metres (camera x, y) at depth `top`; the mask id marks which object a pixel shows. */
interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  top: number;
  id: number;
}

/** Depth along a pixel's ray (x = dx·d, y = dy·d) to the solid box under `b`'s top, or Infinity where it misses. */
function rayBoxDepth(dx: number, dy: number, b: Box): number {
  let near = b.top,
    far = TABLE;
  for (const [dir, lo, hi] of [
    [dx, b.x0, b.x1],
    [dy, b.y0, b.y1],
  ] as const) {
    if (dir === 0) {
      if (lo > 0 || hi < 0) return Infinity;
      continue;
    }
    const a = lo / dir,
      c = hi / dir;
    near = Math.max(near, Math.min(a, c));
    far = Math.min(far, Math.max(a, c));
  }
  return near <= far ? near : Infinity;
}

/** Straight-down view of a table with solid boxes standing on it: each pixel sees the nearest top or side its ray meets. */
function boxScene(boxes: Box[]): { depth: DepthImage; ids: Uint8Array } {
  const depth = createDepthImage(K.width, K.height);
  const ids = new Uint8Array(K.width * K.height);
  for (let row = 0; row < K.height; row++)
    for (let col = 0; col < K.width; col++) {
      const dx = (col - K.cx) / K.fx,
        dy = (row - K.cy) / K.fy;
      let z = TABLE,
        id = 0;
      for (const b of boxes) {
        const d = rayBoxDepth(dx, dy, b);
        if (d < z) {
          z = d;
          id = b.id;
        }
      }
      depth.data[row * K.width + col] = z;
      ids[row * K.width + col] = id;
    }
  return { depth, ids };
}

function maskOf(ids: Uint8Array, id: number): Mask {
  const m = createMask(K.width, K.height);
  for (let i = 0; i < ids.length; i++) m.data[i] = ids[i] === id ? 255 : 0;
  return m;
}

/** A grasp whose centre is the camera-frame point (x, y) at `depth`, axis at image angle `angle`. */
function graspAt(x: number, y: number, depth: number, angle = 0): ImageGrasp {
  const center = { x: (x * K.fx) / depth + K.cx, y: (y * K.fy) / depth + K.cy };
  return { center, angle, depth, widthPx: widthToPixels(OPEN, depth, angle, K) };
}

// A 3 × 8 cm box, 4 cm tall, centred on the optical axis: its top is at 0.66 m.
const BOX: Box = { x0: -0.015, x1: 0.015, y0: -0.04, y1: 0.04, top: 0.66, id: 1 };

describe('plausibility check on a box', () => {
  const { depth, ids } = boxScene([BOX]);
  const check = plausibilityCheck({ depth, intrinsics: K, segmask: maskOf(ids, 1) });

  it('passes a grasp across the narrow side 1.5 cm below the top, and measures that engagement', () => {
    const v = check(graspAt(0, 0, 0.675));
    expect(v.plausible).toBe(true);
    expect(v.reason).toBeNull();
    expect(v.engagement).toBeCloseTo(0.015, 6);
    // Both fingertips (1 cm past the grasp depth) are 1.5 cm above the table.
    expect(v.fingerClearance[0]).toBeCloseTo(TABLE - 0.675 - TIP, 6);
    expect(v.fingerClearance[1]).toBeCloseTo(TABLE - 0.675 - TIP, 6);
  });

  it('fails a grasp too shallow, one above the object and one whose fingertips reach the table', () => {
    expect(check(graspAt(0, 0, 0.663)).reason).toBe('shallow');
    expect(check(graspAt(0, 0, 0.663)).engagement).toBeCloseTo(0.003, 6);
    const air = check(graspAt(0, 0, 0.65));
    expect(air.reason).toBe('on-air');
    expect(air.engagement).toBeCloseTo(-0.01, 6);
    // Tips at 0.695 + 0.01 = 0.705 m: 5 mm into the table, beyond the 2 mm noise tolerance.
    const deep = check(graspAt(0, 0, 0.695));
    expect(deep.reason).toBe('finger-collision');
    expect(deep.fingerClearance[0]).toBeCloseTo(-0.005, 6);
    // …but 1 mm into it is within the tolerance.
    expect(check(graspAt(0, 0, 0.691)).plausible).toBe(true);
  });

  it('fails a grasp across the long side: the 5 cm opening cannot pass around 8 cm, fingers land on top', () => {
    const v = check(graspAt(0, 0, 0.675, Math.PI / 2));
    expect(v.reason).toBe('finger-collision');
    expect(v.fingerClearance[0]).toBeCloseTo(BOX.top - 0.675 - TIP, 6);
  });

  it('fails a grasp centred beside the object (nothing of it between the jaws) with its segmask', () => {
    expect(check(graspAt(0.1, 0, 0.675)).reason).toBe('not-on-object');
  });
});

describe('finger seating on a flat box (1.7 cm tall: 5 mm of engagement, the 1 cm fingertips and their 1 mm clearance leave 1 mm)', () => {
  const flat: Box = { ...BOX, top: 0.683 };
  const { depth, ids } = boxScene([flat]);
  const check = plausibilityCheck({ depth, intrinsics: K, segmask: maskOf(ids, 1) });
  const seat = fingerSeating(check, gripperWidthPx(K, OPEN), 0.005);

  it('raises a grasp whose fingertips reach into the table until they clear it by 1 mm, and the check passes it', () => {
    // 1.1 cm below the top: the tips at 0.705 m, 5 mm into the table.
    const g = graspAt(0, 0, 0.695);
    expect(check(g).reason).toBe('finger-collision');
    const seated = seat(g);
    expect(seated.depth).toBeCloseTo(0.689, 6);
    expect(seated.center).toEqual(g.center);
    expect(seated.widthPx).toBeCloseTo(widthToPixels(OPEN, seated.depth, 0, K), 9);
    const v = check(seated);
    expect(v.plausible).toBe(true);
    expect(v.fingerClearance[0]).toBeCloseTo(SEAT_CLEARANCE, 6);
    expect(v.engagement).toBeCloseTo(0.006, 6);
    // Tips 1.5 mm into the table pass the check (sensor scatter) but are raised all the same; with no margin asked,
    // only to the surface.
    const grazing = graspAt(0, 0, 0.6915);
    expect(check(grazing).plausible).toBe(true);
    expect(seat(grazing).depth).toBeCloseTo(0.689, 6);
    expect(fingerSeating(check, gripperWidthPx(K, OPEN), 0.005, 0)(grazing).depth).toBeCloseTo(0.69, 6);
  });

  it('leaves alone a grasp that is clear, and one it cannot raise enough without closing above the object', () => {
    const clear = graspAt(0, 0, 0.688);
    expect(seat(clear)).toBe(clear);
    // On the 8 cm side the fingers land on the box top, 1.1 cm above the grasp depth: raising leaves no engagement.
    const across = graspAt(0, 0, 0.695, Math.PI / 2);
    expect(seat(across)).toBe(across);
    const thin: Box = { ...BOX, top: 0.689 };
    const scene = boxScene([thin]);
    const thinCheck = plausibilityCheck({ depth: scene.depth, intrinsics: K, segmask: maskOf(scene.ids, 1) });
    // 1.1 cm tall: the tips reach the table 6 mm into a 5 mm engagement window that is not there.
    const deep = graspAt(0, 0, 0.695);
    expect(fingerSeating(thinCheck, gripperWidthPx(K, OPEN), 0.005)(deep)).toBe(deep);
  });
});

describe('plausibility check with a neighbour beside the object', () => {
  // The outer face of finger 2 lies at half the opening + the finger thickness from the centre along the axis.
  const reach = OPEN / 2 + T;
  const verdictWithNeighbourAt = (gap: number) => {
    const neighbour: Box = { x0: gap, x1: gap + 0.03, y0: -0.03, y1: 0.03, top: 0.66, id: 2 };
    const { depth, ids } = boxScene([BOX, neighbour]);
    return plausibilityCheck({ depth, intrinsics: K, segmask: maskOf(ids, 1) })(graspAt(0, 0, 0.675));
  };

  it('fails exactly when the neighbour reaches under finger 2 (to within a pixel at the grasp depth)', () => {
    const px = 0.675 / K.fx;
    const under = verdictWithNeighbourAt(reach - 3 * px);
    expect(under.reason).toBe('finger-collision');
    expect(under.message).toMatch(/finger 2/);
    expect(under.fingerClearance[0]).toBeGreaterThan(0);
    expect(under.fingerClearance[1]).toBeCloseTo(0.66 - 0.675 - TIP, 6);
    expect(verdictWithNeighbourAt(reach + 3 * px).plausible).toBe(true);
    // A neighbour beside the finger, across the axis, is only met within the pad's radius.
    const side = (y0: number) => {
      const n: Box = { x0: OPEN / 2, x1: OPEN / 2 + 0.03, y0, y1: y0 + 0.03, top: 0.66, id: 2 };
      const { depth, ids } = boxScene([BOX, n]);
      return plausibilityCheck({ depth, intrinsics: K, segmask: maskOf(ids, 1) })(graspAt(0, 0, 0.675));
    };
    expect(side(R - 3 * px).reason).toBe('finger-collision');
    expect(side(R + 3 * px).plausible).toBe(true);
  });

  it('fails when a taller neighbour between the jaws would be gripped first, unless it is the segmask object', () => {
    // A thin 1 cm tall-er wall between the box and finger 2, inside the opening.
    const wall: Box = { x0: 0.017, x1: 0.022, y0: -0.02, y1: 0.02, top: 0.64, id: 2 };
    const { depth, ids } = boxScene([BOX, wall]);
    const v = plausibilityCheck({ depth, intrinsics: K, segmask: maskOf(ids, 1) })(graspAt(0, 0, 0.675));
    expect(v.reason).toBe('not-on-object');
    // Without a segmask the wall is just the highest surface between the jaws, 3.5 cm above the grasp depth: the
    // jaws would engage that deep, but the palm, 4 cm above the fingertips (3 cm above the grasp depth), meets it.
    const bare = plausibilityCheck({ depth, intrinsics: K })(graspAt(0, 0, 0.675));
    expect(bare.reason).toBe('palm-collision');
    expect(bare.engagement).toBeCloseTo(0.035, 6);
    expect(bare.palmClearance).toBeCloseTo(0.64 - (0.685 - DEFAULT_GRIPPER.fingerLength), 6);
    const lower: Box = { ...wall, top: 0.65 };
    const beside = boxScene([BOX, lower]);
    const ok = plausibilityCheck({ depth: beside.depth, intrinsics: K })(graspAt(0, 0, 0.675));
    expect(ok.plausible).toBe(true);
    expect(ok.engagement).toBeCloseTo(0.025, 6); // 5 mm under the palm
  });
});

describe('plausibility check off the optical axis (perspective)', () => {
  // The box 12 cm off the axis along x; a neighbour 2 cm taller than it. A point 6.5 cm above the table shows at
  // X·f/0.64, not at X·f/0.675 where the footprint projects at the grasp depth: 0.6 px per cm of X, 9 px here.
  const X0 = 0.12;
  const shifted: Box = { ...BOX, x0: X0 + BOX.x0, x1: X0 + BOX.x1 };
  const verdict = (neighbour: Box, hiddenTips?: 'refuse' | 'columns') => {
    const { depth, ids } = boxScene([shifted, neighbour]);
    return plausibilityCheck({ depth, intrinsics: K, segmask: maskOf(ids, 1) }, { hiddenTips })(graspAt(X0, 0, 0.675));
  };
  const tall = (x0: number, x1: number): Box => ({ x0, x1, y0: -0.03, y1: 0.03, top: 0.64, id: 2 });

  it('fails when the taller neighbour reaches 3 mm under finger 2, though its pixels lie past the footprint', () => {
    const outer = X0 + OPEN / 2 + T; // finger 2's outer face
    const under = verdict(tall(outer - 0.003, outer + 0.03));
    expect(under.reason).toBe('finger-collision');
    expect(under.fingerClearance[1]).toBeCloseTo(0.64 - 0.675 - TIP, 6);
    // Where the footprint projects at the grasp depth, the sensor sees the table: looking there alone passes it.
    const col = ((outer - 0.003) * K.fx) / 0.64 + K.cx;
    expect(col).toBeGreaterThan((outer * K.fx) / 0.675 + K.cx + 1);
    expect(verdict(tall(outer + 0.003, outer + 0.03)).plausible).toBe(true);
  });

  it("fails when a bin's wall 8.5 cm above the fingertips reaches under finger 2: the approach sweeps it", () => {
    // The gripper comes down from approachDistance above the grasp, so the whole column over a finger is swept, not
    // only the finger and palm's 5 cm. A 10 cm wall 3 mm under finger 2's outer face is met on the way down.
    const outer = X0 + OPEN / 2 + T;
    const wall = (x0: number): Box => ({ x0, x1: x0 + 0.01, y0: -0.2, y1: 0.2, top: TABLE - 0.1, id: 2 });
    const under = verdict(wall(outer - 0.003));
    expect(under.reason).toBe('finger-collision');
    expect(under.fingerClearance[1]).toBeCloseTo(TABLE - 0.1 - 0.675 - TIP, 6);
    expect(TABLE - 0.1 - (0.675 + TIP)).toBeLessThan(-(DEFAULT_GRIPPER.fingerLength + DEFAULT_GRIPPER.palmThickness));
    expect(verdict(wall(outer + 0.003)).plausible).toBe(true);
  });

  it('does not vouch for a finger in the shadow of a taller neighbour, unless told to judge it by its column', () => {
    const inner = X0 - OPEN / 2 - T; // finger 1's outer face, towards the axis
    // 2 cm taller and 2 mm clear: the rays to finger 1's tip pass through the neighbour, so what is there is unseen.
    const shadow = tall(inner - 0.02, inner - 0.002);
    expect(verdict(shadow).reason).toBe('finger-collision');
    // Judged by its column, the finger is clear: the neighbour's seen side stays 2 mm off it.
    expect(verdict(shadow, 'columns').plausible).toBe(true);
    expect(verdict({ ...shadow, x1: inner + 0.002 }, 'columns').reason).toBe('finger-collision');
    // Its top 5 mm above the fingertips: the rays to the tip pass beside its edge, and the finger is seen clear.
    const low: Box = { ...shadow, top: 0.68 };
    expect(verdict(low).plausible).toBe(true);
    expect(verdict({ ...low, x1: inner + 0.002 }).reason).toBe('finger-collision');
  });
});

describe('plausibility check with pixels missing under a finger', () => {
  const { depth, ids } = boxScene([BOX]);
  const g = graspAt(0, 0, 0.675);
  // Pixels of finger 1's footprint (the −x side): x in [−(half + T), −half], y in ±R at the grasp depth.
  const inFinger1 = (col: number, row: number) => {
    const X = ((col - K.cx) * g.depth) / K.fx,
      Y = ((row - K.cy) * g.depth) / K.fy;
    return X >= -OPEN / 2 - T - 0.002 && X <= -OPEN / 2 + 0.002 && Math.abs(Y) <= R + 0.002;
  };
  const withHoles = (keep: (col: number, row: number) => boolean) => {
    const observed = createDepthImage(K.width, K.height, depth.data.slice());
    for (let row = 0; row < K.height; row++)
      for (let col = 0; col < K.width; col++)
        if (inFinger1(col, row) && !keep(col, row)) observed.data[row * K.width + col] = 0;
    return observed;
  };

  it('fails when the whole footprint was unobserved, though the inpainted table there is clear', () => {
    const observed = withHoles(() => false);
    const filled = inpaint(observed);
    const v = plausibilityCheck({ depth: filled, observed, intrinsics: K, segmask: maskOf(ids, 1) })(g);
    expect(v.reason).toBe('finger-unobserved');
    expect(v.fingerMissing[0]).toBe(1);
    expect(v.fingerMissing[1]).toBe(0);
    // The same image without the record of what was missing passes: the inpainted depth is the table's.
    expect(plausibilityCheck({ depth: filled, intrinsics: K, segmask: maskOf(ids, 1) })(g).plausible).toBe(true);
  });

  it('passes with a few scattered missing pixels, judged by their inpainted (table) depth', () => {
    const observed = withHoles((col, row) => (col + row) % 4 !== 0);
    const v = plausibilityCheck({ depth: inpaint(observed), observed, intrinsics: K, segmask: maskOf(ids, 1) })(g);
    expect(v.plausible).toBe(true);
    expect(v.fingerMissing[0]).toBeGreaterThan(0.1);
    expect(v.fingerMissing[0]).toBeLessThan(0.5);
  });
});

describe('plausibility check on a rendered cylinder lying on the table', () => {
  // Radius 2 cm, axis along camera y: its ridge is 4 cm above the table, its sides fall away under the jaws.
  const camera = { intrinsics: K, pose: lookAtPose({ radius: TABLE, polar: 0, azimuth: 0, roll: 0 }) };
  const pose = new RigidTransform(axisAngleToMat3([1, 0, 0], Math.PI / 2), [0, 0, 0.02], 'object', 'table');
  const image = new DepthRenderer(new MeshIndex(cylinderMesh(0.02, 0.1, 64))).render(pose, camera);
  const check = plausibilityCheck({ depth: image.depth, intrinsics: K, segmask: image.segmask });
  // The grasp across the cylinder: find its axis direction in the image from the mask's extent.
  let minC = Infinity,
    maxC = -Infinity,
    minR = Infinity,
    maxR = -Infinity;
  for (let i = 0; i < image.segmask.data.length; i++)
    if (image.segmask.data[i]) {
      const c = i % K.width,
        r = (i / K.width) | 0;
      minC = Math.min(minC, c);
      maxC = Math.max(maxC, c);
      minR = Math.min(minR, r);
      maxR = Math.max(maxR, r);
    }
  const across = maxC - minC < maxR - minR ? 0 : Math.PI / 2;
  const at = (depth: number, angle = across): ImageGrasp => ({
    center: { x: (minC + maxC) / 2, y: (minR + maxR) / 2 },
    angle,
    depth,
    widthPx: widthToPixels(OPEN, depth, angle, K),
  });

  it('measures the engagement from the ridge and passes a grasp 1.5 cm below it', () => {
    const v = check(at(TABLE - 0.04 + 0.015));
    expect(v.plausible).toBe(true);
    expect(v.engagement).toBeGreaterThan(0.015 - 0.001);
    expect(v.engagement).toBeLessThan(0.015 + 0.001);
  });

  it('fails along the axis (fingers on the 10 cm long body) and above the ridge', () => {
    expect(check(at(TABLE - 0.025, across + Math.PI / 2)).reason).toBe('finger-collision');
    expect(check(at(TABLE - 0.045)).reason).toBe('on-air');
  });
});

describe('plausibility check along the table normal under a tilted camera', () => {
  // A Γ-shaped bar lying along world x: a stem 2 cm wide and 4 cm tall, and a ledge at its top, 1 cm thick, reaching
  // 1.75 cm further towards +y (2.5 mm over finger 2's inner face). The camera looks from +y, 20° off vertical; the
  // grasp closes along y around the stem, 2 cm below its top, the robot coming straight down. Finger 2's column rises
  // into the ledge: a collision, which a sweep along the optical axis (leaning towards the camera by 3.6 mm per cm)
  // passes by.
  const profile = (ledge: number): [number, number][] => [
    [-0.01, 0],
    [0.01, 0],
    [0.01, 0.03],
    [0.01 + ledge, 0.03],
    [0.01 + ledge, 0.04],
    [-0.01, 0.04],
  ];
  // Profile (p, q) → world (y, z), extrusion → world x: a turn of 120° about (1, 1, 1).
  const objectToWorld = new RigidTransform(
    axisAngleToMat3([1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)], (2 * Math.PI) / 3),
    [0, 0, 0],
    'object',
    'table',
  );
  const cameraAt = (polar: number) => ({
    intrinsics: K,
    pose: lookAtPose({ radius: TABLE, polar, azimuth: Math.PI / 2, roll: 0 }, [0, 0, 0.02], 'cam', 'table'),
  });
  const setup = (ledge: number | [number, number][], polar: number) => {
    const mesh = extrudePolygon(typeof ledge === 'number' ? profile(ledge) : ledge, 0.08);
    const camera = cameraAt(polar);
    const image = new DepthRenderer(new MeshIndex(mesh)).render(objectToWorld, camera);
    const world = camera.pose.inverse();
    const c = world.applyToPoint([0, 0, 0.02]),
      c2 = world.applyToPoint([0, 0.01, 0.02]);
    const px = (p: number[]) => ({ x: (K.fx * p[0]!) / p[2]! + K.cx, y: (K.fy * p[1]!) / p[2]! + K.cy });
    const [a, b] = [px(c), px(c2)];
    const g: ImageGrasp = {
      center: a,
      angle: Math.atan2(b.y - a.y, b.x - a.x),
      depth: c[2],
      widthPx: widthToPixels(OPEN, c[2], 0, K),
    };
    const down = world.applyToDirection([0, 0, -1]);
    const scene = { depth: image.depth, intrinsics: K, segmask: image.segmask };
    return { mesh, camera, g, down, scene };
  };

  it('fails the finger under the ledge that the optical-axis sweep passes, as the referee does', () => {
    const { mesh, camera, g, down, scene } = setup(0.0175, (20 * Math.PI) / 180);
    expect(plausibilityCheck(scene)(g).plausible).toBe(true);
    const v = plausibilityCheck(scene, { approach: down })(g);
    expect(v.reason).toBe('finger-collision');
    // The ledge's top, 4 cm above the table, over the fingertip 1 cm above it.
    expect(v.fingerClearance[1]).toBeCloseTo(-0.03, 2);
    expect(v.fingerClearance[0]).toBeGreaterThan(0);
    const grasp = imageGraspInObject(g, { camera, objectToWorld }, DEFAULT_GRIPPER);
    expect(checkGripperCollision(new MeshIndex(mesh), grasp, DEFAULT_GRIPPER, objectToWorld).hit).toBe('finger2');
  });

  it('passes the stem alone under both sweeps, with the engagement measured along the table normal', () => {
    const { g, down, scene } = setup(0, (20 * Math.PI) / 180);
    const along = plausibilityCheck(scene, { approach: down })(g);
    expect(along.plausible).toBe(true);
    expect(along.engagement).toBeCloseTo(0.02, 3);
    expect(plausibilityCheck(scene)(g).plausible).toBe(true);
  });

  it("judges a fingertip hidden behind the object's far side by its column, as the referee does", () => {
    // A block 4 cm wide: finger 1's tip, 5 mm beyond its far face and 3 cm below its top, lies in its shadow.
    const block: [number, number][] = [
      [-0.02, 0],
      [0.02, 0],
      [0.02, 0.04],
      [-0.02, 0.04],
    ];
    const { mesh, camera, g, down, scene } = setup(block, (20 * Math.PI) / 180);
    const refused = plausibilityCheck(scene, { approach: down, hiddenTips: 'refuse' })(g);
    expect(refused.reason).toBe('finger-collision');
    expect(refused.fingerClearance[0]).toBeLessThan(-0.01);
    // Judged by its column: the default for an approach off the optical axis.
    const columns = plausibilityCheck(scene, { approach: down })(g);
    expect(columns).toEqual(plausibilityCheck(scene, { approach: down, hiddenTips: 'columns' })(g));
    expect(columns.plausible).toBe(true);
    // Finger 1's column is clear; what its footprint's seen part shows is the table 1 cm under the tip (a little more
    // along the slanted rays), as under finger 2.
    for (const c of columns.fingerClearance) {
      expect(c).toBeGreaterThan(0.0095);
      expect(c).toBeLessThan(0.011);
    }
    const grasp = imageGraspInObject(g, { camera, objectToWorld }, DEFAULT_GRIPPER);
    expect(checkGripperCollision(new MeshIndex(mesh), grasp, DEFAULT_GRIPPER, objectToWorld).collisionFree).toBe(true);
    // The ledge over finger 2 is seen: judged by columns it still fails.
    const ledge = setup(0.0175, (20 * Math.PI) / 180);
    const v = plausibilityCheck(ledge.scene, { approach: ledge.down })(ledge.g);
    expect(v.reason).toBe('finger-collision');
  });

  it('is the optical-axis check when the camera looks straight down, and refuses an approach towards the camera', () => {
    const { g, down, scene } = setup(0.02, 0);
    expect(plausibilityCheck(scene, { approach: down })(g)).toEqual(plausibilityCheck(scene)(g));
    expect(plausibilityCheck(scene)(g).reason).toBe('finger-collision');
    expect(() => plausibilityCheck(scene, { approach: [0, 0.3, -1] })).toThrow(/must point away from the camera/);
    expect(() => plausibilityCheck(scene, { approach: [0, 0, 0] })).toThrow(/non-zero direction/);
    expect(() => plausibilityCheck(scene, { hiddenTips: 'ignore' as 'refuse' })).toThrow(/hiddenTips must be one of/);
  });
});
