// Suction datasets (Dex-Net 3.0): datapoints equal to what the planner reads at their pixel, consistent with their
// grasps, and the generator's guarantees —
// deterministic, independent of the worker count, resumable from finished parts — with the suction layout.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateDataset,
  listMeshes,
  makePlan,
  objectJobs,
  PARTS_DIR,
  preparePlan,
} from '../../src/dataset/generate.js';
import { runObjectJob } from '../../src/dataset/generation-job.js';
import { DEFAULT_DATAPOINT_OPTIONS, objectDatapoints } from '../../src/dataset/object-datapoints.js';
import {
  DEFAULT_MAX_APPROACH_ANGLE,
  DEFAULT_SURFACE_EDGE_TOLERANCE,
  SUCTION_DATASET_FIELDS,
} from '../../src/dataset/fields.js';
import { TensorDatasetReader } from '../../src/dataset/tensor-dataset.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { datasetDigest } from './dataset-helpers.js';
import { FieldColumns } from '../../src/dataset/field-columns.js';
import {
  appendViewSuctionDatapoints,
  type SuctionView,
  type ViewSettings,
} from '../../src/dataset/suction-datapoints.js';
import { Random } from '../../src/core/random.js';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { centerOfMass } from '../../src/geometry/mesh-properties.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { DEFAULT_SUCTION_GRIPPER } from '../../src/grasp/gripper.js';
import type { ObjectMass } from '../../src/grasp/object-mass.js';
import { SuctionQualityEvaluator } from '../../src/grasp/suction/quality.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { plan } from '../../src/policy/plan.js';
import { sampleCamera } from '../../src/render/camera-sampler.js';
import { DepthRenderer } from '../../src/render/depth-renderer.js';
import { applyDepthNoise } from '../../src/render/noise.js';
import { randomSuctionModel } from '../helpers/suction-scenes.js';

const SMALL = { graspsPerObject: 24, imagesPerPose: 2, robustSamples: 6, gripper: 'suction' as const };
const root = mkdtempSync(join(tmpdir(), 'dexnet-suction-'));
const meshes = join(root, 'meshes');

beforeAll(() => {
  mkdirSync(meshes);
  for (const f of ['box.obj', 'cylinder.stl']) copyFileSync(join('examples/meshes', f), join(meshes, f));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('suction datapoints', () => {
  it('record the planner candidates of each image with their depth, tilt and labels, the same for the same seed', () => {
    // No sensor noise here, so the crop can be checked against the recorded depth to the millimetre.
    const options = { ...DEFAULT_DATAPOINT_OPTIONS, ...SMALL, graspsPerObject: 60, noise: false };
    const dp = objectDatapoints(boxMesh(0.08, 0.06, 0.03), 3, 11, options);
    // 60 candidates over 6 poses × 2 images: 5 an image, and the box's tops have room for all of them.
    expect(dp.count).toBe(60);
    expect(dp.stats.grasps).toBe(60);
    expect(Object.keys(dp.fields).sort()).toEqual(Object.keys(SUCTION_DATASET_FIELDS).sort());
    const poses = dp.fields.hand_poses as Float32Array,
      ims = dp.fields.depth_ims_tf_table as Float32Array;
    const masks = dp.fields.obj_masks as Uint8Array;
    const robust = dp.fields.robust_suction_wrench_resistance as Float32Array;
    const seal = dp.fields.suction_seal as Float32Array,
      holds = dp.fields.suction_wrench_resistance as Float32Array;
    let centred = 0;
    for (let i = 0; i < dp.count; i++) {
      const [row, col, depth, , approachAngle] = poses.subarray(i * 7, i * 7 + 7);
      // Candidates sit on pixels: the planner's targets are whole pixels of the segmask.
      expect(Number.isInteger(row) && Number.isInteger(col)).toBe(true);
      expect(depth).toBeGreaterThan(0.45);
      expect(depth).toBeLessThan(0.85);
      expect(approachAngle).toBeLessThanOrEqual(Math.PI / 6 + 1e-6);
      expect(robust[i]).toBeGreaterThanOrEqual(0);
      expect(robust[i]).toBeLessThanOrEqual(1);
      if (holds[i] === 1) expect(seal[i]).toBe(1);
      expect(masks[i * 1024 + 16 * 32 + 16]).toBe(1);
      // The exact centre lies between crop pixels 15 and 16; on a plane their mean is its depth.
      const c = (r: number, k: number) => ims[i * 1024 + r * 32 + k];
      if (Math.abs((c(15, 15) + c(15, 16) + c(16, 15) + c(16, 16)) / 4 - depth) < 0.001) centred++;
      expect((dp.fields.obj_labels as Uint32Array)[i]).toBe(3);
    }
    expect(centred / dp.count).toBeGreaterThan(0.9);
    expect(new Set(robust).size).toBeGreaterThan(2);
    expect(dp.stats.positives).toBe(Array.from(robust).filter((q) => q > 0.2).length);
    const again = objectDatapoints(boxMesh(0.08, 0.06, 0.03), 3, 11, options);
    expect(again.fields.hand_poses).toEqual(dp.fields.hand_poses);
    expect(again.fields.robust_suction_wrench_resistance).toEqual(dp.fields.robust_suction_wrench_resistance);
  });

  it('measure the approach angle from the optical axis, as the planner does, not from the table normal', () => {
    // A box flat on the table under a camera tilted 15°: the sampler can only take its top (the sides face 75°+ away
    // from the optical axis), whose normal is the table's; so the approaches are 15° from the optical axis and 0° from
    // the table normal. Noise-free, the image normal at the rim is the face normal to a fraction of a degree.
    const tilt = (15 * Math.PI) / 180;
    const { view, evaluator } = boxView(tilt, null);
    const cols = new FieldColumns(SUCTION_DATASET_FIELDS);
    const made = appendViewSuctionDatapoints(cols, view, evaluator, [0, 0, -1], 0, 0, SETTINGS);
    expect(made.grasps).toBe(SETTINGS.candidates);
    const poses = cols.trimmed().fields.hand_poses as Float32Array;
    // Targets within the blur's reach of the top's edge read a normal bent toward the drop (the planner's too).
    const off = Array.from({ length: made.grasps }, (_, i) => Math.abs(poses[i * 7 + 4] - tilt)).sort((x, y) => x - y);
    expect(off[Math.floor(off.length * 0.75)]).toBeLessThan(0.005);
  });

  it("give each datapoint the planner's grasp, pose input and crop at the same pixel of the same noisy image", async () => {
    // The oracle is plan() itself, restricted to the datapoint's pixel by a one-pixel workspace: its target depth,
    // crop angle and approach angle must equal the recorded hand pose, and a suction GQ-CNN must give the datapoint's
    // crop and pose the very q the plan gave its own.
    const { view, evaluator } = boxView((12 * Math.PI) / 180, new Random(5));
    const cols = new FieldColumns(SUCTION_DATASET_FIELDS);
    const made = appendViewSuctionDatapoints(cols, view, evaluator, [0, 0, -1], 0, 0, SETTINGS);
    expect(made.grasps).toBe(SETTINGS.candidates);
    const { fields } = cols.trimmed();
    const poses = fields.hand_poses as Float32Array,
      ims = fields.depth_ims_tf_table as Float32Array;
    const predictor = await GqcnnPredictor.create(randomSuctionModel(7), { intraOpNumThreads: 1 });
    const k = view.camera.intrinsics;
    const angles = new Set<number>();
    for (let i = 0; i < made.grasps; i++) {
      const [row, col, depth, cropAngle, approachAngle] = poses.subarray(i * 7, i * 7 + 5);
      const planned = await plan(view.depth, k, predictor, {
        gripper: 'suction',
        policy: 'ranking',
        samples: 1,
        segmask: view.segmask,
        workspace: [col, row, col, row],
        plausibility: false,
      });
      const g = planned.grasps[0]!;
      expect(g.center).toEqual({ x: col, y: row });
      expect(depth).toBe(Math.fround(g.depth));
      expect(cropAngle).toBe(Math.fround(g.angle));
      expect(approachAngle).toBe(Math.fround(g.suction!.approachAngle));
      const q = await predictor.predict(ims.slice(i * 1024, (i + 1) * 1024), Float32Array.of(depth, approachAngle), 1);
      expect(q[0]).toBe(Math.fround(g.q));
      angles.add(Math.round(approachAngle * 1000));
    }
    // The noise tilts each normal its own way: the inputs are the noisy image's, not one face's.
    expect(angles.size).toBeGreaterThan(SETTINGS.candidates / 2);
  });
});

/** What `generate` weighs suction objects by unless told otherwise: their volume at the MuJoCo referee's density. */
const WEIGHED = { density: 700 };

describe('weighed suction labels', () => {
  // A 6 × 4 × 3 cm box: 50 g at 700 kg/m³. The labels are the same draws under a lighter load, so no label drops, and
  // cups far enough off the centre of mass to twist out under 1 kg hold its own weight.
  const mesh = boxMesh(0.06, 0.04, 0.03);
  const options = { ...DEFAULT_DATAPOINT_OPTIONS, ...SMALL, graspsPerObject: 60, robustSamples: 10 };
  const robust = (o: typeof options & { objectMass?: ObjectMass }) =>
    objectDatapoints(mesh, 0, 4, o).fields.robust_suction_wrench_resistance as Float32Array;

  it("load the object's own mass: never below Dex-Net 3.0's 1 kg labels, often above", () => {
    const fixed = robust(options);
    expect(robust({ ...options, objectMass: { kg: 1 } })).toEqual(fixed);
    const weighed = robust({ ...options, objectMass: WEIGHED });
    expect(weighed).toHaveLength(fixed.length);
    let above = 0;
    for (let i = 0; i < fixed.length; i++) {
      expect(weighed[i]).toBeGreaterThanOrEqual(fixed[i]!);
      if (weighed[i]! > fixed[i]!) above++;
    }
    expect(above).toBeGreaterThan(0);
    // A fixed mass as light as the box's own gives its labels.
    expect(robust({ ...options, objectMass: { kg: 700 * 0.06 * 0.04 * 0.03 } })).toEqual(weighed);
  });
});

const SETTINGS: ViewSettings = { seed: 9, objIndex: 0, candidates: 16, cropSize: 96, robustSamples: 4 };

/** A 20×16×4 cm box flat on the table, seen from 0.7 m with the optical axis `tilt` off vertical; noisy with `rng`. */
function boxView(tilt: number, rng: Random | null) {
  const mesh = boxMesh(0.2, 0.16, 0.04);
  const index = new MeshIndex(mesh);
  const evaluator = new SuctionQualityEvaluator(index, centerOfMass(mesh), DEFAULT_SUCTION_GRIPPER);
  const objectToWorld = new RigidTransform(undefined, [0, 0, 0.02], 'object', 'world');
  const camera = sampleCamera(new Random(1), {
    radius: [0.7, 0.7],
    polar: [tilt, tilt],
    worldFrame: 'world',
    width: 400,
    height: 400,
  });
  const image = new DepthRenderer(index).render(objectToWorld, camera);
  const depthScale = rng ? applyDepthNoise(image.depth, rng).multiplier : 1;
  const view: SuctionView = { depth: image.depth, segmask: image.segmask, camera, objectToWorld, depthScale };
  return { view, evaluator };
}

describe('suction dataset generation', () => {
  let reference = '';

  it('writes the suction fields and records the 0.2 threshold and its label field in config.json', async () => {
    reference = join(root, 'one');
    const s = await generateDataset(meshes, reference, { seed: 5, workers: 1, ...SMALL });
    expect(s.skipped).toEqual([]);
    expect(s.datapoints).toBeGreaterThan(20);
    const config = JSON.parse(readFileSync(join(reference, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      positive_threshold: 0.2,
      label_field: 'robust_suction_wrench_resistance',
      gripper: 'suction',
    });
    expect(Object.keys(config.fields).sort()).toEqual(Object.keys(SUCTION_DATASET_FIELDS).sort());
    const r = await TensorDatasetReader.open(reference);
    const robust = await r.readWholeField('robust_suction_wrench_resistance');
    expect(robust.length).toBe(s.datapoints);
    expect(Array.from(robust).filter((q) => q > 0.2).length).toBe(s.positives);
  });

  it('is byte-identical with two workers and when resumed from a finished part', async () => {
    const two = join(root, 'two');
    await generateDataset(meshes, two, { seed: 5, workers: 2, ...SMALL });
    expect(datasetDigest(two)).toEqual(datasetDigest(reference));
    // A run that stopped after object 1's part: the resumed run reuses it and ends with the same dataset.
    const resumed = join(root, 'resumed');
    const meshPaths = (await listMeshes(meshes)).map((m) => resolve(m));
    const plan = {
      seed: 5,
      options: {
        ...DEFAULT_DATAPOINT_OPTIONS,
        ...SMALL,
        maxOpticalAxisAngle: DEFAULT_MAX_APPROACH_ANGLE,
        surfaceEdgeTolerance: DEFAULT_SURFACE_EDGE_TOLERANCE,
        objectMass: WEIGHED,
      },
      meshes: meshPaths,
    };
    mkdirSync(join(resumed, PARTS_DIR), { recursive: true });
    await runObjectJob(objectJobs(resumed, plan)[1]);
    await generateDataset(meshes, resumed, { seed: 5, workers: 1, ...SMALL });
    expect(datasetDigest(resumed)).toEqual(datasetDigest(reference));
  });

  it('records the approach limit and the mass rule, and refuses to resume runs of older suction datapoints', async () => {
    const config = JSON.parse(readFileSync(join(reference, 'generation.json'), 'utf8'));
    expect(config.options.maxOpticalAxisAngle).toBeCloseTo(Math.PI / 6, 12);
    expect(config.options.objectMass).toEqual(WEIGHED);
    expect(config.options.surfaceEdgeTolerance).toBe(DEFAULT_SURFACE_EDGE_TOLERANCE);
    // Such a run's plan: the same arguments, without the limit (or with the old maxApproachAngle from the table).
    const old = join(root, 'old');
    const meshPaths = (await listMeshes(meshes)).map((m) => resolve(m));
    // …or with the limit but Dex-Net 3.0's 1 kg for every object (no mass rule named), or with both but the blur
    // across edges (no surface edge named).
    const limit = { maxOpticalAxisAngle: Math.PI / 6 };
    for (const extra of [{}, { maxApproachAngle: Math.PI / 4 }, limit, { ...limit, objectMass: WEIGHED }]) {
      rmSync(old, { recursive: true, force: true });
      await preparePlan(old, makePlan(5, { ...DEFAULT_DATAPOINT_OPTIONS, ...SMALL, ...extra }, meshPaths));
      await expect(generateDataset(meshes, old, { seed: 5, workers: 1, ...SMALL })).rejects.toThrow(/options differs/);
    }
  });
});
