import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/dataset/generate.js';
import { createMesh } from '../../src/geometry/mesh.js';
import { saveMesh } from '../../src/geometry/mesh-io/index.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { readSplit } from '../../src/dataset/splits.js';
import { TensorDatasetReader } from '../../src/dataset/tensor-dataset.js';
import { datasetDigest, firstPartFinished } from './dataset-helpers.js';
import { numpy, unmet } from '../helpers/requirements.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { within } from '../helpers/wait.js';
import { dexnet } from '../helpers/dexnet.js';

// Small settings so a dataset takes about a second; the logic is the same as at full size.
const SMALL = { graspsPerObject: 12, imagesPerPose: 2, robustSamples: 4 };
const tempDir = tempDirs('gen');
const root = tempDir();
const meshes = join(root, 'meshes');

beforeAll(() => {
  mkdirSync(meshes);
  for (const f of ['box.obj', 'cylinder.stl', 'bracket.ply']) copyFileSync(join('examples/meshes', f), join(meshes, f));
});

describe('dataset generation', () => {
  let reference = '';

  it('writes a gqcnn TensorDataset whose fields, shapes and labels are consistent', async () => {
    reference = join(root, 'one-worker');
    const summary = await generateDataset(meshes, reference, { seed: 7, workers: 1, ...SMALL });
    expect(summary.skipped).toEqual([]);
    expect(summary.datapoints).toBeGreaterThan(50);
    expect(summary.positiveRate).toBeGreaterThan(0.02);
    expect(summary.positiveRate).toBeLessThan(0.9);

    const r = await TensorDatasetReader.open(reference);
    expect(r.numDatapoints).toBe(summary.datapoints);
    const shard = await r.readShard(0);
    const n = shard.size;
    expect(shard.fields.depth_ims_tf_table.length).toBe(n * 32 * 32);
    const ims = shard.fields.depth_ims_tf_table as Float32Array;
    const poses = shard.fields.hand_poses as Float32Array;
    const intr = shard.fields.camera_intrs as Float32Array;
    let onObject = 0;
    for (let i = 0; i < n; i++) {
      const [row, col, depth, angle, drow, dcol, widthPx] = poses.subarray(i * 7, i * 7 + 7);
      expect(depth).toBeGreaterThan(0.5);
      expect(depth).toBeLessThan(0.85);
      expect(Math.abs(angle)).toBeLessThanOrEqual(Math.PI / 2 + 1e-6);
      expect(row - intr[i * 4 + 3]).toBeCloseTo(drow, 3);
      expect(col - intr[i * 4 + 2]).toBeCloseTo(dcol, 3);
      expect(widthPx).toBeGreaterThan(20);
      // The crop centre is the grasp centre, on the object: nearer the camera than the table around it.
      const centre = ims[i * 1024 + 16 * 32 + 16];
      expect(centre).toBeGreaterThan(0.4);
      expect(centre).toBeLessThan(depth + 0.06);
      if ((shard.fields.obj_masks as Uint8Array)[i * 1024 + 16 * 32 + 16] === 1) onObject++;
    }
    // Grasp centres lie on the object's silhouette, except across the gap of a non-convex part.
    expect(onObject / n).toBeGreaterThan(0.85);
    const robust = shard.fields.robust_ferrari_canny as Float32Array;
    const free = shard.fields.collision_free as Float32Array;
    for (let i = 0; i < n; i++) if (free[i] === 0) expect(robust[i]).toBe(0);
  });

  it('gives byte-identical shards and splits with two workers', async () => {
    const two = join(root, 'two-workers');
    await generateDataset(meshes, two, { seed: 7, workers: 2, ...SMALL });
    expect(datasetDigest(two)).toEqual(datasetDigest(reference));
  });

  it('splits keep every object, pose or image on one side, about 80/20', async () => {
    const r = await TensorDatasetReader.open(reference);
    for (const [name, field] of [
      ['object_wise', 'obj_labels'],
      ['stable_pose_wise', 'pose_labels'],
      ['image_wise', 'image_labels'],
    ] as const) {
      const split = await readSplit(reference, name);
      const labels = await r.readWholeField(field);
      const train = new Set(Array.from(split.train, (i) => labels[i]));
      for (const i of split.val) expect(train.has(labels[i])).toBe(false);
      expect(split.train.length + split.val.length).toBe(r.numDatapoints);
    }
    const images = await readSplit(reference, 'image_wise');
    expect(images.val.length / r.numDatapoints).toBeGreaterThan(0.05);
    expect(images.val.length / r.numDatapoints).toBeLessThan(0.45);
  });

  it.skipIf(unmet('numpy reads the shards', numpy))('numpy reads the shards with the same values', async () => {
    const r = await TensorDatasetReader.open(reference);
    const poses = (await r.readField('hand_poses', 0)) as Float32Array;
    const script = `import numpy as np, json, sys
d = np.load(sys.argv[1])['arr_0']; m = np.load(sys.argv[2])['arr_0']; l = np.load(sys.argv[3])['arr_0']
print(json.dumps({"shape": list(d.shape), "dtype": str(d.dtype), "sum": float(d.astype(np.float64).sum()), "mshape": list(m.shape), "mdtype": str(m.dtype), "ldtype": str(l.dtype)}))`;
    const t = join(reference, 'tensors');
    const out = spawnSync(
      'python3',
      ['-c', script, join(t, 'hand_poses_00000.npz'), join(t, 'obj_masks_00000.npz'), join(t, 'obj_labels_00000.npz')],
      { encoding: 'utf8' },
    );
    expect(out.stderr).toBe('');
    const res = JSON.parse(out.stdout);
    expect(res).toMatchObject({
      shape: [r.shardSizes[0], 7],
      dtype: 'float32',
      mshape: [r.shardSizes[0], 32, 32, 1],
      mdtype: 'uint8',
      ldtype: 'uint32',
    });
    expect(res.sum).toBeCloseTo(
      poses.reduce((a, b) => a + b, 0),
      0,
    );
  });

  it('skips a broken mesh with its reason and refuses to mix settings in one folder', async () => {
    const withBad = join(root, 'meshes-bad');
    mkdirSync(withBad);
    copyFileSync(join(meshes, 'box.obj'), join(withBad, 'box.obj'));
    writeFileSync(join(withBad, 'broken.stl'), 'solid nope\nfacet normal 0 0 1\nendsolid\n');
    // An open box (one face missing), a box in millimetres and a flat sheet.
    const box = boxMesh(0.03, 0.03, 0.03);
    await saveMesh(join(withBad, 'open.obj'), createMesh(box.vertices, box.triangles.slice(6)));
    await saveMesh(join(withBad, 'millimetres.obj'), boxMesh(30, 30, 30));
    await saveMesh(join(withBad, 'sheet.obj'), boxMesh(0.03, 0.03, 1e-7));
    const out = join(root, 'bad');
    const s = await generateDataset(withBad, out, { seed: 1, workers: 1, ...SMALL });
    const reasons = Object.fromEntries(s.skipped.map((k) => [k.meshPath.split('/').pop(), k.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['broken.stl', 'millimetres.obj', 'open.obj', 'sheet.obj']);
    expect(reasons['open.obj']).toMatch(/not watertight \(4 open/);
    expect(reasons['millimetres.obj']).toMatch(/millimetres/);
    expect(reasons['sheet.obj']).toMatch(/degenerate|watertight/);
    expect(reasons['broken.stl']).toMatch(/broken\.stl/);
    expect(s.datapoints).toBeGreaterThan(0);
    await expect(generateDataset(withBad, out, { seed: 2, workers: 1, ...SMALL })).rejects.toThrow(
      /different settings \(seed differs\)/,
    );
  });

  it('resumes after kill -9 and ends with the same dataset as an uninterrupted run', async () => {
    const out = join(root, 'killed');
    const args = [
      'bin/dexnet.js',
      'generate',
      meshes,
      '--out',
      out,
      '--seed',
      '7',
      '--workers',
      '1',
      '--grasps-per-object',
      String(SMALL.graspsPerObject),
      '--images-per-pose',
      String(SMALL.imagesPerPose),
      '--samples',
      String(SMALL.robustSamples),
    ];
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    // Kill as soon as the first object's part is finished, mid-run.
    const exit = new Promise((r) => child.on('exit', r));
    await within(firstPartFinished(out, exit), 'the first finished part of the run to kill', 120_000);
    child.kill('SIGKILL');
    await within(exit, 'the killed run to exit', 30_000);
    expect(existsSync(join(out, 'objects.json'))).toBe(false);
    const rerun = await dexnet(args.slice(1), { timeoutMs: 240_000 });
    expect(rerun.code).toBe(0);
    expect(datasetDigest(out)).toEqual(datasetDigest(reference));
    // Three processes one after the other: longer than a unit test's default; each wait above is bounded.
  }, 480_000);
});
