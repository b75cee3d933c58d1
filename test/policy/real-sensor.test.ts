import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { readDepthFile } from '../../src/image/depth-io.js';
import { readMaskPng } from '../../src/image/png.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { graspEndpoints } from '../../src/grasp/image-grasp.js';
import { plan, POLICIES } from '../../src/policy/plan.js';
import { REAL_SENSOR_FIXTURE, realSensorFixture, unmet } from '../helpers/requirements.js';
import { plausibilityCheck } from '../../src/policy/plausibility.js';

// Optional: a real PrimeSense frame from gqcnn's examples, which this repository does not ship. It is read from a
// fixtures folder beside the checkout when one is there (the project's own development machine); everywhere else the
// test is skipped with a message saying so.
const fixture = REAL_SENSOR_FIXTURE;

describe.skipIf(unmet('planning on a real depth image', realSensorFixture))(
  'planning on a real PrimeSense depth image with the bundled model',
  () => {
    it.each(POLICIES)('%s: the grasp centre is on the object and the jaws straddle it', async (policy) => {
      const depth = await readDepthFile(`${fixture}/depth_0.npy`);
      const intrinsics = await readIntrinsics(`${fixture}/primesense.intr`);
      const mask = readMaskPng(readFileSync(`${fixture}/segmask_0.png`), 'segmask_0.png');
      const predictor = await GqcnnPredictor.load('models/gqcnn-compact');
      const { grasps } = await plan(depth, intrinsics, predictor, { policy, segmask: mask, seed: 1 });
      await predictor.release();
      const g = grasps[0];
      const on = (x: number, y: number) => mask.data[Math.round(y) * mask.width + Math.round(x)] !== 0;
      expect(on(g.center.x, g.center.y)).toBe(true);
      expect(g.q).toBeGreaterThan(0);
      expect(g.q).toBeLessThanOrEqual(1);
      // Walking from the centre to each jaw leaves the object: the jaws close from outside it on both sides.
      for (const end of graspEndpoints(g)) {
        let leaves = false;
        for (let t = 0; t <= 1; t += 0.02)
          if (!on(g.center.x + t * (end.x - g.center.x), g.center.y + t * (end.y - g.center.y))) leaves = true;
        expect(leaves).toBe(true);
      }
      // The grasp depth lies between the object's surface at the centre and 5 cm below it.
      const surface = depth.data[Math.round(g.center.y) * depth.width + Math.round(g.center.x)];
      expect(g.depth).toBeGreaterThanOrEqual(surface - 0.01);
      expect(g.depth).toBeLessThanOrEqual(surface + 0.05);
      // It passes the plausibility check on the observed depth, judged again here from the files alone.
      expect(g.plausibility?.plausible).toBe(true);
      const check = plausibilityCheck({ depth, intrinsics, segmask: mask });
      const again = check({ center: g.center, angle: g.angle, depth: g.depth, widthPx: g.widthPx });
      expect(again.plausible).toBe(true);
      expect(again.engagement).toBeGreaterThanOrEqual(0.005);
    });
  },
);
