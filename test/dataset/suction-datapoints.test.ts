// Suction datasets (Dex-Net 3.0): datapoints consistent with their grasps, and the generator's guarantees —
// deterministic, independent of the worker count, resumable from finished parts — with the suction layout.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, listMeshes, objectJobs, PARTS_DIR } from '../../src/dataset/generate.js';
import { runObjectJob } from '../../src/dataset/generation-job.js';
import { DEFAULT_DATAPOINT_OPTIONS, objectDatapoints } from '../../src/dataset/object-datapoints.js';
import { SUCTION_DATASET_FIELDS } from '../../src/dataset/fields.js';
import { TensorDatasetReader } from '../../src/dataset/tensor-dataset.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { datasetDigest } from './dataset-helpers.js';

const SMALL = { graspsPerObject: 24, imagesPerPose: 2, robustSamples: 6, gripper: 'suction' as const };
const root = mkdtempSync(join(tmpdir(), 'dexnet-suction-'));
const meshes = join(root, 'meshes');

beforeAll(() => {
  mkdirSync(meshes);
  for (const f of ['box.obj', 'cylinder.stl']) copyFileSync(join('examples/meshes', f), join(meshes, f));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('suction datapoints', () => {
  it('record visible targets with their depth, tilt and labels, the same for the same seed', () => {
    // No sensor noise here, so the crop can be checked against the recorded depth to the millimetre.
    const options = { ...DEFAULT_DATAPOINT_OPTIONS, ...SMALL, graspsPerObject: 60, noise: false };
    const dp = objectDatapoints(boxMesh(0.08, 0.06, 0.03), 3, 11, options);
    expect(dp.count).toBeGreaterThan(30);
    expect(Object.keys(dp.fields).sort()).toEqual(Object.keys(SUCTION_DATASET_FIELDS).sort());
    const poses = dp.fields.hand_poses as Float32Array,
      ims = dp.fields.depth_ims_tf_table as Float32Array;
    const masks = dp.fields.obj_masks as Uint8Array;
    const robust = dp.fields.robust_suction_wrench_resistance as Float32Array;
    const seal = dp.fields.suction_seal as Float32Array,
      holds = dp.fields.suction_wrench_resistance as Float32Array;
    let onObject = 0,
      sealed = 0,
      centred = 0;
    for (let i = 0; i < dp.count; i++) {
      const [, , depth, , approachAngle] = poses.subarray(i * 7, i * 7 + 7);
      expect(depth).toBeGreaterThan(0.45);
      expect(depth).toBeLessThan(0.85);
      expect(approachAngle).toBeLessThanOrEqual(Math.PI / 4 + 1e-6);
      expect(robust[i]).toBeGreaterThanOrEqual(0);
      expect(robust[i]).toBeLessThanOrEqual(1);
      if (holds[i] === 1) expect(seal[i]).toBe(1);
      sealed += seal[i];
      // The crop centre is the target on the visible surface: inside the object's mask, and at the recorded depth.
      // The exact centre lies between pixels 15 and 16; on a plane their mean is its depth, but a target within a
      // few image pixels of a face's edge mixes in the face beyond, so only most targets match to 1 mm.
      if (masks[i * 1024 + 16 * 32 + 16] === 1) onObject++;
      const c = (r: number, k: number) => ims[i * 1024 + r * 32 + k];
      if (Math.abs((c(15, 15) + c(15, 16) + c(16, 15) + c(16, 16)) / 4 - depth) < 0.001) centred++;
      expect((dp.fields.obj_labels as Uint32Array)[i]).toBe(3);
    }
    expect(onObject / dp.count).toBeGreaterThan(0.9);
    expect(centred / dp.count).toBeGreaterThan(0.65);
    // Targets a cup radius inside a face's edges seal (29–61 % of the area of this box's faces), the rest do not;
    // the hold and the robust label vary with the offset from the centre of mass.
    expect(sealed / dp.count).toBeGreaterThan(0.25);
    expect(sealed / dp.count).toBeLessThan(0.75);
    expect(new Set(robust).size).toBeGreaterThan(2);
    const again = objectDatapoints(boxMesh(0.08, 0.06, 0.03), 3, 11, options);
    expect(again.fields.hand_poses).toEqual(dp.fields.hand_poses);
    expect(again.fields.robust_suction_wrench_resistance).toEqual(dp.fields.robust_suction_wrench_resistance);
  });
});

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
    const plan = { seed: 5, options: { ...DEFAULT_DATAPOINT_OPTIONS, ...SMALL }, meshes: meshPaths };
    mkdirSync(join(resumed, PARTS_DIR), { recursive: true });
    await runObjectJob(objectJobs(resumed, plan)[1]);
    await generateDataset(meshes, resumed, { seed: 5, workers: 1, ...SMALL });
    expect(datasetDigest(resumed)).toEqual(datasetDigest(reference));
  });
});
