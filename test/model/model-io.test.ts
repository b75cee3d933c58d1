// Model folder round trip, validation messages, and the predictor's normalisation and FC path.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GQCNN_COMPACT } from '../../src/model/architecture.js';
import { type GqcnnModel, loadModel, saveModel } from '../../src/model/model-io.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { GqcnnTrainer } from '../../src/model/trainer.js';
import { TINY_VALID, randomArray, tinyParams } from './tiny.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dexnet-model-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const model = (): GqcnnModel => ({
  arch: structuredClone(TINY_VALID),
  params: tinyParams(TINY_VALID, 12),
  normalisation: { imMean: 0.6, imStd: 0.05, poseMean: [0.65], poseStd: [0.04] },
  training: { optimizer: 'momentum', batchSize: 64 },
  metrics: { errorRate: 0.1 },
});

describe('model folder', () => {
  it('round-trips config and weights, leaves no temp files, and model.onnx loads in plain ONNX Runtime', async () => {
    const m = model();
    const d = path.join(dir, 'a');
    await saveModel(d, m);
    expect((await fs.readdir(d)).sort()).toEqual(['config.json', 'model.onnx']);
    const back = await loadModel(d);
    expect(back.arch).toEqual(m.arch);
    expect(back.normalisation).toEqual(m.normalisation);
    expect(back.training).toEqual(m.training);
    expect(back.metrics).toEqual(m.metrics);
    for (const [k, v] of m.params) expect(back.params.get(k)).toEqual(v);
    const s = await ort.InferenceSession.create(path.join(d, 'model.onnx'));
    expect(s.inputNames).toEqual(['im', 'pose']);
    expect(s.outputNames).toEqual(['probs']);
  });

  it('keeps batch-norm running statistics', async () => {
    const { TINY_BN, tinyParamsBn } = await import('./tiny.js');
    const params = tinyParamsBn(TINY_BN, 1);
    params.get('conv1.bn.mean')!.set([0.1, -0.2, 0.3]);
    params.get('conv2.bn.var')!.set([2, 3]);
    const d = path.join(dir, 'bn');
    await saveModel(d, { ...model(), arch: TINY_BN, params });
    const back = await loadModel(d);
    for (const [k, v] of params) expect(back.params.get(k)).toEqual(v);
  });

  it('names what is wrong on load', async () => {
    const d = path.join(dir, 'b');
    await saveModel(d, model());
    const cfgPath = path.join(d, 'config.json');
    const cfg = JSON.parse(await fs.readFile(cfgPath, 'utf8'));
    await expect(loadModel(path.join(dir, 'missing'))).rejects.toThrow(/config.json: cannot read/);
    await fs.writeFile(
      cfgPath,
      JSON.stringify({ ...cfg, normalisation: { ...cfg.normalisation, imStd: 0, poseMean: [1, 2] } }),
    );
    await expect(loadModel(d)).rejects.toThrow(/imStd must be a positive number[\s\S]*poseMean must be an array of 1/);
    const arch = structuredClone(cfg.architecture);
    arch.fc = [6, 4];
    await fs.writeFile(cfgPath, JSON.stringify({ ...cfg, architecture: arch }));
    await expect(loadModel(d)).rejects.toThrow(
      /model.onnx: weights do not match[\s\S]*fc1.W has shape 12×5, the architecture needs 12×6/,
    );
    await fs.writeFile(cfgPath, JSON.stringify(cfg));
    await fs.writeFile(path.join(d, 'model.onnx'), Uint8Array.of(1, 2, 3));
    await expect(loadModel(d)).rejects.toThrow(/model.onnx/);
    await fs.writeFile(cfgPath, '{');
    await expect(loadModel(d)).rejects.toThrow(/config.json: invalid JSON/);
  });
});

describe('GqcnnPredictor', () => {
  it('normalises raw depths like the training inputs and matches the FC map on a VALID net', async () => {
    const m = model();
    const d = path.join(dir, 'c');
    await saveModel(d, m);
    const p = await GqcnnPredictor.load(d, { intraOpNumThreads: 1 });
    const n = 3;
    const crops = randomArray(n * 144, 5, 0.05, 0.6);
    const depths = Float32Array.of(0.62, 0.66, 0.7);
    const q = await p.predict(crops, depths, n);
    const t = await GqcnnTrainer.create({ arch: m.arch, params: m.params, intraOpNumThreads: 1 });
    const probs = await t.predict(
      crops.map((v) => (v - 0.6) / 0.05),
      depths.map((v) => (v - 0.65) / 0.04),
      n,
    );
    await t.release();
    for (let i = 0; i < n; i++) expect(Math.abs(q[i]! - probs[i * 2 + 1]!)).toBeLessThan(1e-5);
    // a 12×12 image is exactly one crop
    const fc = await p.predictFullyConvolutional(crops.subarray(0, 144), 12, 12, depths.subarray(0, 1), 1);
    expect([fc.rows, fc.cols, fc.stride]).toEqual([1, 1, 4]);
    expect(Math.abs(fc.q[0]! - q[0]!)).toBeLessThan(1e-5);
    // one image at three depths: the same as three copies of the image
    const image = randomArray(20 * 24, 6, 0.05, 0.6);
    const shared = await p.predictFullyConvolutional(image, 20, 24, depths, 3);
    const copies = new Float32Array(3 * 480);
    for (let i = 0; i < 3; i++) copies.set(image, i * 480);
    const paired = await p.predictFullyConvolutional(copies, 20, 24, depths, 3);
    expect([shared.n, shared.rows, shared.cols]).toEqual([3, 3, 4]);
    for (let i = 0; i < shared.q.length; i++) expect(Math.abs(shared.q[i]! - paired.q[i]!)).toBeLessThan(1e-6);
    await p.release();
  });

  it('im_depth_sub: crops lose their grasp depth before normalisation, and the FC map (one trunk per depth) agrees', async () => {
    const m: GqcnnModel = {
      ...model(),
      arch: { ...structuredClone(TINY_VALID), inputDepthMode: 'im_depth_sub' },
      normalisation: { imMean: -0.02, imStd: 0.03, poseMean: [0.65], poseStd: [0.04] },
    };
    const p = await GqcnnPredictor.create(m, { intraOpNumThreads: 1 });
    const crops = randomArray(3 * 144, 15, 0.05, 0.6);
    const depths = Float32Array.of(0.62, 0.66, 0.7);
    const q = await p.predict(crops, depths, 3);
    const t = await GqcnnTrainer.create({ arch: m.arch, params: m.params, intraOpNumThreads: 1 });
    const probs = await t.predict(
      crops.map((v, j) => (v - depths[Math.floor(j / 144)]! + 0.02) / 0.03),
      depths.map((v) => (v - 0.65) / 0.04),
      3,
    );
    await t.release();
    for (let i = 0; i < 3; i++) expect(Math.abs(q[i]! - probs[i * 2 + 1]!)).toBeLessThan(1e-5);
    // The same crop at three depths: a single 12×12 image scored by the FC graph at each depth.
    const same = new Float32Array(3 * 144);
    for (let i = 0; i < 3; i++) same.set(crops.subarray(0, 144), i * 144);
    const perCrop = await p.predict(same, depths, 3);
    const fc = await p.predictFullyConvolutional(crops.subarray(0, 144), 12, 12, depths, 3);
    for (let i = 0; i < 3; i++) expect(Math.abs(fc.q[i]! - perCrop[i]!)).toBeLessThan(1e-5);
    expect(new Set(Array.from(perCrop, (v) => v.toFixed(6))).size).toBe(3);
    await p.release();
  });

  it('scores the compact default at any batch size, splitting large batches', async () => {
    const m: GqcnnModel = { ...model(), arch: structuredClone(GQCNN_COMPACT), params: tinyParams(GQCNN_COMPACT, 1) };
    const p = await GqcnnPredictor.create(m, { intraOpNumThreads: 1, maxBatch: 4 });
    const crops = randomArray(10 * 1024, 8, 0.05, 0.6);
    const depths = randomArray(10, 9, 0.02, 0.65);
    const all = await p.predict(crops, depths, 10);
    const one = await p.predict(crops.subarray(7 * 1024), depths.subarray(7), 1);
    expect(Math.abs(all[7]! - one[0]!)).toBeLessThan(1e-6);
    expect(all.every((v) => v > 0 && v < 1)).toBe(true);
    await p.release();
  });
});

describe('checkpoints', () => {
  it('resume gives the same weights as an uninterrupted run', async () => {
    const { saveCheckpoint, loadCheckpoint } = await import('../../src/model/checkpoint.js');
    const { MomentumSGD } = await import('../../src/model/optimizer.js');
    const { tinyBatch } = await import('./tiny.js');
    const arch = TINY_VALID;
    const batches = [1, 2, 3, 4].map((s) => tinyBatch(arch, 4, s));
    const straight = await GqcnnTrainer.create({
      arch,
      params: tinyParams(arch, 2),
      optimizer: new MomentumSGD({ learningRate: 0.1 }),
      intraOpNumThreads: 1,
    });
    for (const b of batches) await straight.step(b.im, b.pose, b.labels, b.n);
    const first = await GqcnnTrainer.create({
      arch,
      params: tinyParams(arch, 2),
      optimizer: new MomentumSGD({ learningRate: 0.1 }),
      intraOpNumThreads: 1,
    });
    for (const b of batches.slice(0, 2)) await first.step(b.im, b.pose, b.labels, b.n);
    const file = path.join(dir, 'ck.bin');
    await saveCheckpoint(file, {
      arch,
      params: first.params,
      optimizer: { kind: 'momentum', ...first.optimizer.state() },
      progress: { epoch: 0, step: 2 },
    });
    const ck = await loadCheckpoint(file, arch);
    expect(ck.progress).toEqual({ epoch: 0, step: 2 });
    const opt = new MomentumSGD({ learningRate: 0.1 });
    opt.loadState(ck.optimizer);
    const resumed = await GqcnnTrainer.create({ arch, params: ck.params, optimizer: opt, intraOpNumThreads: 1 });
    for (const b of batches.slice(2)) await resumed.step(b.im, b.pose, b.labels, b.n);
    for (const [k, v] of straight.params) expect(resumed.params.get(k)).toEqual(v);
    await Promise.all([straight.release(), first.release(), resumed.release()]);
    await fs.writeFile(path.join(dir, 'bad.bin'), 'nope');
    await expect(loadCheckpoint(path.join(dir, 'bad.bin'))).rejects.toThrow(/bad magic/);
    await expect(loadCheckpoint(file, GQCNN_COMPACT)).rejects.toThrow(/differs from the requested "compact"/);
  });
});
