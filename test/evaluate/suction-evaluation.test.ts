// Suction evaluation: the analytic referee is the dataset's label, the planned cup is read back onto the object as the
// dataset projects it, ground truth counts the cup's own grasps, and a run's records carry both referees' verdicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { runEvaluation } from '../../src/evaluate/evaluation.js';
import { groundTruthSummary } from '../../src/evaluate/ground-truth.js';
import { gravityInObject, judgeSuctionAnalytic, suctionEvaluator } from '../../src/evaluate/suction-referee.js';
import { prepareTrialObject, sampleTrialScene } from '../../src/evaluate/trial-scene.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { mat3MulVec, mat3Transpose, type Vec3 } from '../../src/geometry/vector.js';
import { DEFAULT_SUCTION_GRIPPER } from '../../src/grasp/gripper.js';
import { GQCNN_COMPACT_SUCTION, initParameters } from '../../src/model/architecture.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { refereeMass } from '../../src/physics/mjcf.js';
import { judgeSuctionPhysics } from '../../src/physics/suction-lift.js';
import { cameraSuctionInObject, projectSuctionGrasp } from '../../src/render/suction-projection.js';

// 3 × 4 × 5 cm: it rests on its 4 × 5 face; every stable pose has a face at least 3 × 4 cm on top.
const box = prepareTrialObject('box', boxMesh(0.03, 0.04, 0.05));
const cup = DEFAULT_SUCTION_GRIPPER;

/** The top face's centre and straight down, in the object frame, for a scene's resting pose. */
function topCentre(scene: ReturnType<typeof sampleTrialScene>): { point: Vec3; approach: Vec3 } {
  const down = gravityInObject(scene.tableFromObject);
  // The box is centred on its origin: the top face's centre is the half extent along up.
  const half = [0.015, 0.02, 0.025];
  const axis = down.map(Math.abs).indexOf(Math.max(...down.map(Math.abs)));
  const point: Vec3 = [0, 0, 0];
  point[axis] = -Math.sign(down[axis]!) * half[axis]!;
  return { point, approach: down };
}

describe('judgeSuctionAnalytic', () => {
  const scene = sampleTrialScene(box, new Random(7), { noise: false });
  const evaluator = suctionEvaluator(box.object);

  it("uses the dataset's gravity (−table up in the object frame) and the same robust label", () => {
    const up = mat3MulVec(mat3Transpose(scene.tableFromObject.rotation), [0, 0, 1]);
    const g = gravityInObject(scene.tableFromObject);
    for (let k = 0; k < 3; k++) expect(g[k]).toBeCloseTo(-up[k]!, 12);
    const grasp = topCentre(scene);
    const v = judgeSuctionAnalytic(evaluator, grasp, { tableFromObject: scene.tableFromObject, seed: 4, samples: 40 });
    expect(v.robustQuality).toBe(evaluator.robustQuality(grasp, 4, { samples: 40 }, g));
    expect(v).toMatchObject({ gripper: 'suction', success: true, sealed: true, resists: true });
    expect(suctionEvaluator(box.object)).toBe(evaluator);
  });

  it('fails a cup centred on an edge of the top face', () => {
    const { point, approach } = topCentre(scene);
    const axis = approach.map(Math.abs).indexOf(Math.max(...approach.map(Math.abs)));
    const side = (axis + 1) % 3;
    const edge: Vec3 = [...point];
    edge[side] = [0.015, 0.02, 0.025][side]!;
    const v = judgeSuctionAnalytic(
      evaluator,
      { point: edge, approach },
      { tableFromObject: scene.tableFromObject, seed: 4 },
    );
    expect(v.success).toBe(false);
    expect(v.sealed).toBe(false);
  });
});

describe("judgeSuctionAnalytic's load", () => {
  // A 16 × 4 × 2 cm bar resting on its broad face, the cup 3 cm from its middle: held up, 1 kg twists the cup by
  // 9.81 × 0.03 = 0.29 N·m, over three times what the cup's material withstands (π r κ / √2 = 0.083 N·m), while
  // the bar's own 90 g at 700 kg/m³ twists it by 0.026 N·m.
  const bar = prepareTrialObject('bar', boxMesh(0.16, 0.04, 0.02));
  const tableFromObject = sampleTrialScene(bar, new Random(3), { noise: false }).tableFromObject;
  const up = mat3MulVec(mat3Transpose(tableFromObject.rotation), [0, 0, 1]);
  const grasp = { point: [0.03, 0, 0.01] as Vec3, approach: [0, 0, -1] as Vec3 };
  const evaluator = suctionEvaluator(bar.object);

  it("fails an off-centre cup on a bar under 1 kg (the default) and passes it under the bar's own mass", () => {
    expect(up[2]).toBeCloseTo(1, 9); // the scene rests the bar on its 16 × 4 cm face
    const mass = refereeMass(bar.object.mesh);
    expect(mass).toBeCloseTo(700 * 0.16 * 0.04 * 0.02, 6); // float32 vertices
    const heavy = judgeSuctionAnalytic(evaluator, grasp, { tableFromObject, seed: 2, samples: 40 });
    expect(heavy).toMatchObject({ sealed: true, resists: false, success: false });
    const own = judgeSuctionAnalytic(evaluator, grasp, { tableFromObject, seed: 2, samples: 40, mass });
    expect(own).toMatchObject({ sealed: true, resists: true, success: true });
    expect(own.robustQuality).toBeGreaterThan(0.5);
  });
});

describe('cameraSuctionInObject', () => {
  it('inverts the dataset projection, with and without a depth scale error', () => {
    const scene = sampleTrialScene(box, new Random(11), { noise: false });
    const grasp = { point: [0.004, -0.003, 0.01] as Vec3, approach: [0.6, 0, -0.8] as Vec3 };
    const p = projectSuctionGrasp(grasp, scene.objectToWorld, scene.camera);
    for (const s of [1, 1.07]) {
      const seen = p.pointCamera.map((x) => x * s);
      const back = cameraSuctionInObject(seen, p.approachCamera, scene, s);
      for (let k = 0; k < 3; k++) {
        expect(back.point[k]).toBeCloseTo(grasp.point[k]!, 9);
        expect(back.approach[k]).toBeCloseTo(grasp.approach[k]!, 9);
      }
    }
  });
});

describe('groundTruthSummary for a suction cup', () => {
  it("finds visible robust cups on a box's top, none on a cube narrower than the cup", () => {
    const scene = sampleTrialScene(box, new Random(5), { noise: false });
    const gt = groundTruthSummary(box, scene, 2, { gripper: cup, grasps: 30, samples: 20 });
    expect(gt.sampled).toBeGreaterThan(10);
    expect(gt.robustVisible).toBeGreaterThan(0);
    expect(gt.robustVisible).toBeLessThanOrEqual(gt.visible);
    expect(gt.visible).toBeLessThanOrEqual(gt.sampled);
    // Under the sensor's noise too: its scale draw moves every depth by up to a few per cent (±2 cm at 0.6 m), which
    // must not hide the top from the 3 mm occlusion test (visibility is the scene's geometry).
    for (let seed = 1; seed <= 12; seed++) {
      const noisy = sampleTrialScene(box, new Random(seed));
      expect(noisy.depth.data).not.toEqual(noisy.trueDepth.data);
      expect(groundTruthSummary(box, noisy, 2, { gripper: cup, grasps: 30, samples: 4 }).visible).toBeGreaterThan(5);
    }
    const bead = prepareTrialObject('bead', boxMesh(0.008, 0.008, 0.008));
    const beadScene = sampleTrialScene(bead, new Random(5), { noise: false });
    const none = groundTruthSummary(bead, beadScene, 2, { gripper: cup, grasps: 30, samples: 20 });
    expect(none.sampled).toBeGreaterThan(0);
    expect(none.robustVisible).toBe(0);
  });
});

describe('runEvaluation with a suction cup', () => {
  let predictor: GqcnnPredictor;
  beforeAll(async () => {
    const arch = structuredClone(GQCNN_COMPACT_SUCTION);
    predictor = await GqcnnPredictor.create(
      {
        arch,
        params: initParameters(arch, 7),
        normalisation: { imMean: 0.6, imStd: 0.05, poseMean: [0.6, 0.2], poseStd: [0.05, 0.2] },
        training: {},
        metrics: {},
      },
      { intraOpNumThreads: 1 },
    );
  });
  afterAll(async () => predictor.release());

  it("records both suction referees' verdicts and the scene's suction ground truth", async () => {
    const records = await runEvaluation([box], predictor, {
      policies: ['random'],
      gripper: cup,
      trials: 2,
      seed: 3,
      robustSamples: 20,
    });
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r.analytic).toHaveProperty('gripper', 'suction');
      expect(r.groundTruth?.sampled).toBeGreaterThan(0);
      expect(r.grasp).not.toBeNull();
      expect(r.physics.reason).not.toBe('not simulated');
    }
  });

  it("the physics referee lifts the box of a trial scene by its top face's centre, in the scene's resting pose", async () => {
    const scene = sampleTrialScene(box, new Random(9), { noise: false });
    const g = topCentre(scene);
    const v = await judgeSuctionPhysics({
      mesh: box.object.mesh,
      objectToWorld: scene.objectToWorld,
      grasp: g,
      friction: 0.5,
      seed: 1,
    });
    expect(v.reason).toBe('lifted');
  });
});
