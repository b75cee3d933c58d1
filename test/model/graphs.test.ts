// Inference graph vs training forward, the fully-convolutional graph vs cropping, and whole-net
// SGD/Adam steps in ONNX vs the float64 reference.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  GQCNN_COMPACT,
  type GqcnnArchitecture,
  type Params,
  parameterSpecs,
  totalStride,
} from '../../src/model/architecture.js';
import { buildFullyConvGraph, buildInferenceGraph } from '../../src/model/onnx-builder.js';
import { Adam, MomentumSGD } from '../../src/model/optimizer.js';
import { referenceForwardBackward } from './reference.js';
import { GqcnnTrainer } from '../../src/model/trainer.js';
import {
  TINY_BN,
  TINY_LRN_OVERLAP,
  TINY_SAME,
  TINY_VALID,
  randomArray,
  tinyBatch,
  tinyParams,
  tinyParamsBn,
} from './tiny.js';

const opts = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' as const };

async function runInference(
  arch: GqcnnArchitecture,
  params: Params,
  im: Float32Array,
  pose: Float32Array,
  n: number,
): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(buildInferenceGraph(arch, params), opts);
  const out = await s.run({
    im: new ort.Tensor('float32', im, [n, arch.imChannels, arch.imHeight, arch.imWidth]),
    pose: new ort.Tensor('float32', pose, [n, arch.poseDim]),
  });
  await s.release();
  return out.probs!.data as Float32Array;
}

describe('inference graph', () => {
  it.each([TINY_SAME, TINY_LRN_OVERLAP, TINY_VALID])('equals the training graph forward ($name)', async (arch) => {
    const params = tinyParams(arch, 7);
    const b = tinyBatch(arch, 6, 2);
    const t = await GqcnnTrainer.create({ arch, params, intraOpNumThreads: 1 });
    const train = await t.computeGradients(b.im, b.pose, b.labels, b.n);
    const viaInputs = await t.predict(b.im, b.pose, b.n);
    await t.release();
    const baked = await runInference(arch, params, b.im, b.pose, b.n);
    for (let i = 0; i < train.probs.length; i++) {
      expect(Math.abs(baked[i]! - train.probs[i]!)).toBeLessThan(1e-6);
      expect(Math.abs(viaInputs[i]! - train.probs[i]!)).toBeLessThan(1e-6);
    }
  });
  it('with batch norm, uses running statistics; after one step with momentum 0 they are the batch statistics', async () => {
    const arch = TINY_BN;
    const params = tinyParamsBn(arch, 7);
    const b = tinyBatch(arch, 6, 2);
    const t = await GqcnnTrainer.create({
      arch,
      params,
      intraOpNumThreads: 1,
      bnMomentum: 0,
      optimizer: new MomentumSGD({ learningRate: 0 }),
    });
    const before = await t.predict(b.im, b.pose, b.n);
    const train = await t.computeGradients(b.im, b.pose, b.labels, b.n);
    expect(Math.max(...before.map((v, i) => Math.abs(v - train.probs[i]!)))).toBeGreaterThan(1e-4);
    await t.step(b.im, b.pose, b.labels, b.n);
    expect(params.get('conv1.bn.mean')).toEqual(train.batchStats.get('conv1.bn.mean'));
    const after = await t.predict(b.im, b.pose, b.n);
    await t.release();
    const baked = await runInference(arch, params, b.im, b.pose, b.n);
    for (let i = 0; i < after.length; i++) {
      expect(Math.abs(after[i]! - train.probs[i]!)).toBeLessThan(1e-5);
      expect(Math.abs(baked[i]! - train.probs[i]!)).toBeLessThan(1e-5);
    }
  });
});

describe('fully-convolutional graph', () => {
  async function check(arch: GqcnnArchitecture, H: number, W: number, n: number) {
    const params = tinyParams(arch, 9);
    const image = randomArray(n * H * W, 21);
    const pose = randomArray(n * arch.poseDim, 22);
    const fc = await ort.InferenceSession.create(buildFullyConvGraph(arch, params), opts);
    const out = await fc.run({
      im: new ort.Tensor('float32', image, [n, 1, H, W]),
      pose: new ort.Tensor('float32', pose, [n, arch.poseDim]),
    });
    await fc.release();
    const [, k, Ho, Wo] = out.probs!.dims as number[];
    const s = totalStride(arch);
    expect(k).toBe(2);
    expect(Ho).toBe(Math.floor((H - arch.imHeight) / s) + 1);
    expect(Wo).toBe(Math.floor((W - arch.imWidth) / s) + 1);
    // every crop at the strided positions, through the crop inference graph
    const h = arch.imHeight;
    const w = arch.imWidth;
    const crops = new Float32Array(n * Ho! * Wo! * h * w);
    const poses = new Float32Array(n * Ho! * Wo! * arch.poseDim);
    let q = 0;
    for (let b = 0; b < n; b++)
      for (let r = 0; r < Ho!; r++)
        for (let c = 0; c < Wo!; c++, q++) {
          for (let y = 0; y < h; y++)
            for (let x = 0; x < w; x++) crops[(q * h + y) * w + x] = image[(b * H + r * s + y) * W + c * s + x]!;
          for (let d = 0; d < arch.poseDim; d++) poses[q * arch.poseDim + d] = pose[b * arch.poseDim + d]!;
        }
    const probs = await runInference(arch, params, crops, poses, q);
    const map = out.probs!.data as Float32Array;
    q = 0;
    let worst = 0;
    for (let b = 0; b < n; b++)
      for (let r = 0; r < Ho!; r++)
        for (let c = 0; c < Wo!; c++, q++)
          for (let j = 0; j < 2; j++)
            worst = Math.max(worst, Math.abs(map[((b * 2 + j) * Ho! + r) * Wo! + c]! - probs[q * 2 + j]!));
    expect(worst).toBeLessThan(1e-5);
  }
  it('equals the inference graph on every strided crop (tiny VALID net with LRN, 2 images)', () =>
    check(TINY_VALID, 21, 26, 2));
  it('equals the inference graph on every strided crop (compact default, 2 depths)', () =>
    check(GQCNN_COMPACT, 44, 52, 2));
  it('equals the inference graph on every strided crop (2-input pose stream, as the suction nets)', () =>
    check({ ...TINY_VALID, poseDim: 2 }, 21, 26, 2));
  it('equals the inference graph on every strided crop (batch norm with running statistics)', () =>
    check(
      { ...TINY_BN, conv: TINY_BN.conv.map((l) => ({ ...l, padding: 'VALID' as const })), imHeight: 10, imWidth: 10 },
      18,
      21,
      1,
    ));
});

describe('whole-net training steps', () => {
  // Adam turns float32 rounding noise in near-zero gradients into lr-sized steps when ε is tiny
  // (m/√v ≈ ±1), so the comparison uses ε = 1e-4 on both sides
  const ADAM_EPS = 1e-4;
  function refSteps(
    arch: GqcnnArchitecture,
    start: Params,
    batches: ReturnType<typeof tinyBatch>[],
    l2: number,
    kind: 'sgd' | 'adam',
    lr: number,
  ) {
    const p = new Map([...start].map(([k, v]) => [k, Float64Array.from(v)]));
    const slots = new Map([...p].map(([k, v]) => [k, [new Float64Array(v.length), new Float64Array(v.length)]]));
    const losses: number[] = [];
    batches.forEach((b, t) => {
      const r = referenceForwardBackward(arch, p, b.im, b.pose, b.oneHot, b.n, l2);
      losses.push(r.loss);
      for (const [k, batchStat] of r.batchStats) {
        const run = p.get(k)!;
        for (let i = 0; i < run.length; i++) run[i] = 0.9 * run[i]! + 0.1 * batchStat[i]!;
      }
      for (const [k, w] of p) {
        const g = r.grads.get(k);
        if (!g) continue; // running statistics
        const [m, v] = slots.get(k)! as [Float64Array, Float64Array];
        for (let i = 0; i < w.length; i++) {
          if (kind === 'sgd') {
            m[i] = 0.9 * m[i]! + g[i]!;
            w[i] = w[i]! - lr * m[i]!;
          } else {
            m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
            v[i] = 0.999 * v[i]! + 0.001 * g[i]! ** 2;
            const mh = m[i]! / (1 - 0.9 ** (t + 1));
            const vh = v[i]! / (1 - 0.999 ** (t + 1));
            w[i] = w[i]! - (lr * mh) / (Math.sqrt(vh) + ADAM_EPS);
          }
        }
      }
    });
    return { params: p, losses };
  }

  it.each([
    ['sgd', 'tiny', 0.1],
    ['sgd', 'lrn', 0.1],
    ['adam', 'valid', 0.01],
    ['sgd', 'bn', 0.1],
  ] as const)('4 %s steps in ONNX match the float64 reference to 1e-4 (%s)', async (kind, archName, lr) => {
    const arch = { tiny: TINY_SAME, lrn: TINY_LRN_OVERLAP, valid: TINY_VALID, bn: TINY_BN }[archName];
    const start = archName === 'bn' ? tinyParamsBn(arch, 4) : tinyParams(arch, 4);
    const batches = [tinyBatch(arch, 4, 1), tinyBatch(arch, 7, 2), tinyBatch(arch, 3, 3), tinyBatch(arch, 5, 4)];
    const ref = refSteps(arch, start, batches, 0.005, kind, lr);
    const params = new Map([...start].map(([k, v]) => [k, Float32Array.from(v)]));
    const optimizer =
      kind === 'sgd' ? new MomentumSGD({ learningRate: lr }) : new Adam({ learningRate: lr, epsilon: ADAM_EPS });
    const t = await GqcnnTrainer.create({ arch, params, optimizer, l2: 0.005, intraOpNumThreads: 1 });
    const losses: number[] = [];
    for (const b of batches) losses.push(await t.step(b.im, b.pose, b.labels, b.n));
    await t.release();
    losses.forEach((l, i) => expect(Math.abs(l - ref.losses[i]!)).toBeLessThan(1e-4));
    let moved = 0;
    for (const s of parameterSpecs(arch)) {
      const a = params.get(s.name)!;
      const e = ref.params.get(s.name)!;
      for (let i = 0; i < a.length; i++) {
        expect(Math.abs(a[i]! - e[i]!), `${s.name}[${i}]`).toBeLessThan(1e-4);
        moved = Math.max(moved, Math.abs(e[i]! - start.get(s.name)![i]!));
      }
    }
    expect(moved).toBeGreaterThan(1e-3);
  });
});
