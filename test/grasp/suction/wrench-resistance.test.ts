// Wrench resistance against hand-computed loads, and the disc form of the paper's box constraints against a brute
// force over tangent frames.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { boxMesh } from '../../../src/geometry/primitives.js';
import { DEFAULT_SUCTION_GRIPPER } from '../../../src/grasp/gripper.js';
import { SuctionQualityEvaluator } from '../../../src/grasp/suction/quality.js';
import {
  GRAVITY,
  materialTorqueLimit,
  suctionWrenchSet,
  wrenchLimitBroken,
  type SuctionWrenchSet,
} from '../../../src/grasp/suction/wrench-resistance.js';

const cup = DEFAULT_SUCTION_GRIPPER;

/**
 * The paper's constraints on the contact wrench c = −w in one tangent frame (x at angle φ about the approach,
 * z = +z),
 * written out box by box: the brute-force reference.
 */
function paperBoxesHold(set: SuctionWrenchSet, w: number[], phi: number): boolean {
  const [fx, fy, fz, tx, ty, tz] = w.map((x) => -x);
  const c = Math.cos(phi),
    s = Math.sin(phi);
  const f1 = c * fx + s * fy,
    f2 = -s * fx + c * fy,
    t1 = c * tx + s * ty,
    t2 = -s * tx + c * ty;
  const fN = fz + set.vacuumForce;
  return (
    fz >= -set.vacuumForce &&
    Math.sqrt(3) * Math.abs(f1) <= set.friction * fN &&
    Math.sqrt(3) * Math.abs(f2) <= set.friction * fN &&
    Math.sqrt(3) * Math.abs(tz) <= set.radius * set.friction * fN &&
    Math.SQRT2 * Math.abs(t1) <= set.materialTorque &&
    Math.SQRT2 * Math.abs(t2) <= set.materialTorque
  );
}

describe('suction wrench resistance', () => {
  it('a cup far off the centre of mass of a long bar fails on torque at the offset computed by hand', () => {
    // 20 cm bar, 1 kg, centre of mass at the origin, cup on the top face (z = 1 cm) at x = d, approach −z.
    // Weight F = (0, 0, −m g) at the COM; torque about the contact
    // (com − p) × F = (−d, 0, −0.01) × (0, 0, −m g) = (0, −m g d, 0): a pure tangent torque.
    // Limit √2 m g d ≤ π r κ with π r κ = π · 7.5 · 0.005 = 0.1178 N·m
    // (r in mm, see materialTorqueLimit), so d* = 0.1178 / (√2 · 9.81) = 8.49 mm.
    const dStar = (Math.PI * 7.5 * 0.005) / (Math.SQRT2 * 1 * 9.81);
    expect(dStar).toBeCloseTo(0.00849, 5);
    expect(materialTorqueLimit(cup)).toBeCloseTo(Math.PI * 7.5 * 0.005, 12);
    const bar = new SuctionQualityEvaluator(new MeshIndex(boxMesh(0.2, 0.02, 0.02)), [0, 0, 0], cup);
    const at = (d: number) => bar.quality({ point: [d, 0, 0.01], approach: [0, 0, -1] });
    for (const d of [0, 0.004, 0.008, -0.008]) expect(at(d)).toMatchObject({ sealed: true, resists: true });
    for (const d of [0.009, -0.009, 0.05])
      expect(at(d)).toMatchObject({ sealed: true, resists: false, failure: 'tangent-torque' });
    // Straddling d*: just inside holds, just outside fails.
    expect(bar.quality({ point: [dStar - 1e-5, 0, 0.01], approach: [0, 0, -1] }).resists).toBe(true);
    expect(bar.quality({ point: [dStar + 1e-5, 0, 0.01], approach: [0, 0, -1] }).resists).toBe(false);
  });

  it('a side face holds the weight in shear but peels on the torque of the centre of mass 2 cm behind it', () => {
    // Contact on the x = +2 cm face, approach −x, gravity −z: shear m g = 9.81 N needs
    // √3 · 9.81 ≤ μ V = 125 ✓,
    // torque m g · 0.02 = 0.196 N·m > π r κ / √2 = 0.083 N·m ✗.
    const box = new SuctionQualityEvaluator(new MeshIndex(boxMesh(0.04, 0.04, 0.04)), [0, 0, 0], cup);
    expect(box.quality({ point: [0.02, 0, 0], approach: [-1, 0, 0] })).toMatchObject({
      sealed: true,
      resists: false,
      failure: 'tangent-torque',
    });
    // A 1 cm thin plate's COM only 5 mm behind its face: 9.81 · 0.005 = 0.049 N·m ≤ 0.083 N·m holds.
    const plate = new SuctionQualityEvaluator(new MeshIndex(boxMesh(0.01, 0.06, 0.06)), [0, 0, 0], cup);
    expect(plate.quality({ point: [0.005, 0, 0], approach: [-1, 0, 0] }).resists).toBe(true);
  });

  it('the vacuum and friction limits bind where the closed forms say', () => {
    const set = suctionWrenchSet(cup, 0.5);
    // Pulling straight off (along the approach, −z, away from a cup above): holds up to V = 250 N; pushing
    // the object into the cup is always held.
    expect(wrenchLimitBroken(set, 0, 0, -1, 0, 0, -249, 0, 0, 0)).toBeNull();
    expect(wrenchLimitBroken(set, 0, 0, -1, 0, 0, -251, 0, 0, 0)).toBe('vacuum');
    expect(wrenchLimitBroken(set, 0, 0, -1, 0, 0, 1000, 0, 0, 0)).toBeNull();
    // Shear with no pull: √3 |f_t| ≤ μ V → 72.2 N.
    const shear = (0.5 * 250) / Math.sqrt(3);
    expect(wrenchLimitBroken(set, 0, 0, -1, shear - 0.01, 0, 0, 0, 0, 0)).toBeNull();
    expect(wrenchLimitBroken(set, 0, 0, -1, 0, shear + 0.01, 0, 0, 0, 0)).toBe('friction');
    // Twist about the approach: √3 |τ_z| ≤ r μ V → 0.5413 N·m.
    const twist = (0.0075 * 0.5 * 250) / Math.sqrt(3);
    expect(wrenchLimitBroken(set, 0, 0, -1, 0, 0, 0, 0, 0, twist - 1e-4)).toBeNull();
    expect(wrenchLimitBroken(set, 0, 0, -1, 0, 0, 0, 0, 0, -twist - 1e-4)).toBe('torsion');
    // An object just heavier than V / g (25.5 kg) hanging under the cup is beyond the vacuum; just lighter holds.
    const box = new SuctionQualityEvaluator(new MeshIndex(boxMesh(0.04, 0.04, 0.04)), [0, 0, 0], cup);
    const top = { point: [0, 0, 0.02] as [number, number, number], approach: [0, 0, -1] as [number, number, number] };
    expect(box.quality(top, { mass: 250 / GRAVITY + 0.1 }).failure).toBe('vacuum');
    expect(box.quality(top, { mass: 250 / GRAVITY - 0.1 }).resists).toBe(true);
  });

  it("holds exactly when the paper's boxes hold in every tangent frame (brute force over 720 frames)", () => {
    const set = suctionWrenchSet(cup, 0.5);
    const frames = Array.from({ length: 720 }, (_, k) => (k * Math.PI) / 360);
    const wrench = fc.tuple(
      fc.double({ min: -120, max: 120, noNaN: true }),
      fc.double({ min: -120, max: 120, noNaN: true }),
      fc.double({ min: -300, max: 100, noNaN: true }),
      fc.double({ min: -0.12, max: 0.12, noNaN: true }),
      fc.double({ min: -0.12, max: 0.12, noNaN: true }),
      fc.double({ min: -0.8, max: 0.8, noNaN: true }),
    );
    let holds = 0;
    fc.assert(
      fc.property(wrench, (w) => {
        const [wfx, wfy, wfz, wtx, wty, wtz] = w;
        const fast = wrenchLimitBroken(set, 0, 0, 1, wfx, wfy, wfz, wtx, wty, wtz) === null;
        // Frames are a finite sample of the circle: skip wrenches within 0.5 % of a disc boundary.
        const [fx, fy, fz, tx, ty, tz] = w.map((x) => -x);
        const fN = fz + set.vacuumForce;
        const muV = set.friction * set.vacuumForce;
        const margins = [
          fN / set.vacuumForce,
          (set.friction * fN - Math.sqrt(3) * Math.hypot(fx, fy)) / muV,
          (set.radius * set.friction * fN - Math.sqrt(3) * Math.abs(tz)) / (set.radius * muV),
          (set.materialTorque - Math.SQRT2 * Math.hypot(tx, ty)) / set.materialTorque,
        ];
        if (margins.some((m) => Math.abs(m) < 0.005)) return true;
        const brute = frames.every((phi) => paperBoxesHold(set, w, phi));
        if (fast) holds++;
        return fast === brute;
      }),
      { numRuns: 2000, seed: 17 },
    );
    expect(holds).toBeGreaterThan(50); // both outcomes were exercised
  });
});
