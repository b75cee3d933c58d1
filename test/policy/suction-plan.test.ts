// Suction planning end to end on synthetic scenes: targets land on a box's top face away from its edges, the approach
// is the face's normal, the JSON pose matches, every policy's grasps pass the suction check (whose verdicts --explain
// lists), minQ works as for the jaws, and a model of the wrong kind is refused with a clear error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { createDepthImage, createMask, type DepthImage, type Mask } from '../../src/image/depth-image.js';
import { readPng } from '../../src/image/png.js';
import {
  GQCNN_COMPACT,
  GQCNN_COMPACT_SUCTION,
  initParameters,
  type GqcnnArchitecture,
} from '../../src/model/architecture.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { drawGraspOverlay } from '../../src/policy/grasp-overlay.js';
import { BelowMinQError, plan } from '../../src/policy/plan.js';
import { planResultJson } from '../../src/policy/plan-io.js';
import { suctionPlausibilityCheck } from '../../src/policy/suction-plausibility.js';

const K: CameraIntrinsics = {
  fx: 525,
  fy: 525,
  cx: 319.5,
  cy: 239.5,
  skew: 0,
  width: 640,
  height: 480,
  frame: 'camera',
};
const BOX = { x0: 260, x1: 380, y0: 190, y1: 290 };
/** These scenes are noise-free: no smoothing, so the geometry checks are exact. */
const EXACT = { blurSigma: 0 };

/** A 640×480 view of a box whose top (0.6 m) is tilted by `tilt` rad about the camera's y-axis, on a 0.7 m table. */
function boxScene(tilt = 0): { depth: DepthImage; mask: Mask } {
  const depth = createDepthImage(K.width, K.height),
    mask = createMask(K.width, K.height);
  const n = [Math.sin(tilt), 0, -Math.cos(tilt)],
    c = -0.6 * Math.cos(tilt);
  for (let v = 0; v < K.height; v++)
    for (let u = 0; u < K.width; u++) {
      const i = v * K.width + u;
      const onBox = u >= BOX.x0 && u <= BOX.x1 && v >= BOX.y0 && v <= BOX.y1;
      const d = [(u - K.cx) / K.fx, (v - K.cy) / K.fy, 1];
      depth.data[i] = onBox ? c / (n[0] * d[0] + n[2] * d[2]) : 0.7;
      mask.data[i] = onBox ? 255 : 0;
    }
  return { depth, mask };
}

async function predictorFor(arch: GqcnnArchitecture): Promise<GqcnnPredictor> {
  const poseDim = arch.poseDim;
  const normalisation = {
    imMean: 0.03,
    imStd: 0.02,
    poseMean: poseDim === 2 ? [0.65, 0.2] : [0.65],
    poseStd: poseDim === 2 ? [0.05, 0.2] : [0.05],
  };
  const model = {
    arch: structuredClone(arch),
    params: initParameters(arch, 7),
    normalisation,
    training: {},
    metrics: {},
  };
  return GqcnnPredictor.create(model, { intraOpNumThreads: 1 });
}

let suction: GqcnnPredictor;
beforeAll(async () => {
  suction = await predictorFor(GQCNN_COMPACT_SUCTION);
});
afterAll(async () => {
  await suction.release();
});

describe('suction planning', () => {
  it.each(['ranking', 'cem', 'random'] as const)(
    '%s: targets on the top face, footprints inside it, approach = its normal, each passing the check',
    async (policy) => {
      const tilt = 0.2;
      const { depth, mask } = boxScene(tilt);
      const options = { policy, gripper: 'suction', segmask: mask, topK: 3, seed: 4, suctionSampler: EXACT } as const;
      const r = await plan(depth, K, suction, options);
      expect(r.gripper).toBe('suction');
      expect(r.grasps.length).toBe(policy === 'random' ? 1 : 3);
      const check = suctionPlausibilityCheck({ surface: depth, intrinsics: K, segmask: mask });
      for (const g of r.grasps) {
        const s = g.suction!;
        const edge = Math.min(g.center.x - BOX.x0, BOX.x1 - g.center.x, g.center.y - BOX.y0, BOX.y1 - g.center.y);
        expect(edge).toBeGreaterThanOrEqual(Math.floor(s.cupRadiusPx));
        // The approach is −(the top's normal) up to float32 depth rounding.
        expect(s.approach[0]).toBeCloseTo(-Math.sin(tilt), 4);
        expect(s.approach[1]).toBeCloseTo(0, 4);
        expect(s.approach[2]).toBeCloseTo(Math.cos(tilt), 4);
        expect(s.approachAngle).toBeCloseTo(tilt, 4);
        // The 4×4 pose: z column = approach, translation = the target point, which lies on the top's plane.
        expect([g.pose[2], g.pose[6], g.pose[10]]).toEqual(s.approach);
        expect([g.pose[3], g.pose[7], g.pose[11]]).toEqual(s.point);
        expect(Math.sin(tilt) * s.point[0] - Math.cos(tilt) * s.point[2]).toBeCloseTo(-0.6 * Math.cos(tilt), 5);
        expect(s.cupRadiusPx).toBeCloseTo((0.0075 * K.fx) / g.depth, 9);
        // The verdict attached is the check's own on this grasp.
        expect(g.plausibility).toEqual(check({ center: g.center, depth: g.depth, approach: s.approach as never }));
        expect(g.plausibility!.plausible).toBe(true);
      }
      if (policy === 'random') return;
      // Best first, targets at least a cup diameter apart.
      expect(r.grasps[0].q).toBeGreaterThanOrEqual(r.grasps[1].q);
      const [a, b] = r.grasps;
      expect(Math.hypot(a.center.x - b.center.x, a.center.y - b.center.y)).toBeGreaterThanOrEqual(
        2 * a.suction!.cupRadiusPx - 1e-9,
      );
      // Same seed, same plan.
      const again = await plan(depth, K, suction, options);
      expect(again.grasps.map((g) => g.center)).toEqual(r.grasps.map((g) => g.center));
    },
  );

  it('drops candidates the check refuses: a hole in the sensor image keeps targets off it, --explain shows why', async () => {
    const { depth, mask } = boxScene(0);
    // The sensor lost the right two thirds of the top; inpainting fills them flat, which the sampler alone accepts.
    const observed = createDepthImage(K.width, K.height, depth.data.slice());
    for (let v = BOX.y0; v <= BOX.y1; v++) for (let u = 300; u <= BOX.x1; u++) observed.data[v * K.width + u] = 0;
    const r = await plan(observed, K, suction, {
      policy: 'ranking',
      gripper: 'suction',
      segmask: mask,
      topK: 5,
      samples: 200,
      seed: 3,
      explain: 40,
      suctionSampler: EXACT,
    });
    const rPx = r.grasps[0].suction!.cupRadiusPx;
    for (const g of r.grasps) expect(g.center.x + Math.floor(rPx)).toBeLessThan(300);
    expect(r.implausible!['cup-unobserved']).toBeGreaterThan(0);
    const refused = r.candidates!.filter((c) => !c.plausibility.plausible);
    expect(refused.length).toBeGreaterThan(0);
    for (const c of refused) expect(c.plausibility.reason).toBe('cup-unobserved');
    expect(r.candidates![0].approach).toHaveLength(3);
    // The JSON carries the gripper and the suction fields.
    const json = planResultJson(r);
    expect(json.gripper).toBe('suction');
    expect(json.suction?.point).toHaveLength(3);
  });

  it('minQ: a threshold above the best q throws BelowMinQError with that q; at it, the grasp is returned', async () => {
    const { depth, mask } = boxScene(0);
    const options = { policy: 'ranking', gripper: 'suction', segmask: mask, seed: 1, suctionSampler: EXACT } as const;
    const best = (await plan(depth, K, suction, options)).grasps[0].q;
    const err = await plan(depth, K, suction, { ...options, minQ: Math.min(1, best + 1e-3) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BelowMinQError);
    expect((err as BelowMinQError).bestQ).toBe(best);
    expect((await plan(depth, K, suction, { ...options, minQ: best })).grasps[0].q).toBe(best);
  });

  it('without a segmask the footprints still avoid the box edges', async () => {
    const { depth } = boxScene(0);
    const r = await plan(depth, K, suction, {
      policy: 'ranking',
      gripper: 'suction',
      topK: 20,
      seed: 1,
      samples: 400,
      suctionSampler: EXACT,
    });
    for (const g of r.grasps) {
      const s = g.suction!,
        c = g.center;
      const dx = Math.max(BOX.x0 - c.x, 0, c.x - BOX.x1),
        dy = Math.max(BOX.y0 - c.y, 0, c.y - BOX.y1);
      const inside = dx === 0 && dy === 0;
      const toEdge = inside ? Math.min(c.x - BOX.x0, BOX.x1 - c.x, c.y - BOX.y0, BOX.y1 - c.y) : Math.hypot(dx, dy);
      expect(toEdge).toBeGreaterThanOrEqual(Math.floor(s.cupRadiusPx) - 1);
    }
  });

  it('refuses a jaw model for suction and a suction model for jaws, naming what is needed', async () => {
    const { depth, mask } = boxScene(0);
    const jaw = await predictorFor(GQCNN_COMPACT);
    try {
      await expect(plan(depth, K, jaw, { gripper: 'suction', segmask: mask })).rejects.toThrow(
        /takes 1 pose input.*suction model/,
      );
    } finally {
      await jaw.release();
    }
    await expect(plan(depth, K, suction, { segmask: mask })).rejects.toThrow(
      /suction model; plan with gripper suction/,
    );
  });

  it('the overlay draws the cup circle around the target and leaves far pixels alone', async () => {
    const { depth, mask } = boxScene(0.2);
    const r = await plan(depth, K, suction, { policy: 'ranking', gripper: 'suction', segmask: mask, seed: 2 });
    const g = r.grasps[0];
    const plain = readPng(drawGraspOverlay(depth, []), 'plain');
    const drawn = readPng(
      drawGraspOverlay(
        depth,
        r.grasps.map((p) => ({ grasp: p, q: p.q })),
      ),
      'drawn',
    );
    const px = (img: typeof plain, x: number, y: number) => {
      const o = (Math.round(y) * img.width + Math.round(x)) * img.channels;
      return Array.from(img.data.subarray(o, o + 3));
    };
    const rim = g.suction!.cupRadiusPx;
    let changed = 0;
    for (let k = 0; k < 8; k++) {
      const t = (k * Math.PI) / 4,
        x = g.center.x + rim * Math.cos(t),
        y = g.center.y + rim * Math.sin(t);
      if (px(drawn, x, y).join() !== px(plain, x, y).join()) changed++;
    }
    expect(changed).toBe(8);
    expect(px(drawn, 5, 5)).toEqual(px(plain, 5, 5));
  });
});
