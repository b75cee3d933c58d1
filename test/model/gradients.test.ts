// The training graph's gradients against the float64 reference (analytic) and against central
// finite differences of the reference loss, for every layer type, on tiny nets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GqcnnArchitecture, type Params, trainableSpecs } from '../../src/model/architecture.js';
import type { TrainingGraphOptions } from '../../src/model/onnx-builder.js';
import { referenceForwardBackward } from './reference.js';
import { GqcnnTrainer } from '../../src/model/trainer.js';
import {
  TINY_BN,
  TINY_LRN_OVERLAP,
  TINY_SAME,
  TINY_SAME_POOL_PAD,
  TINY_VALID,
  tinyBatch,
  tinyParams,
  tinyParamsBn,
} from './tiny.js';

const L2 = 0.01;

function refLoss(arch: GqcnnArchitecture, params: Map<string, Float64Array>, b: ReturnType<typeof tinyBatch>): number {
  return referenceForwardBackward(arch, params, b.im, b.pose, b.oneHot, b.n, L2, false).loss;
}

/** Trainable parameters only: batch-norm running statistics have no gradient. */
function to64(p: Params): Map<string, Float64Array> {
  return new Map(
    [...p]
      .filter(([k]) => !k.endsWith('.bn.mean') && !k.endsWith('.bn.var'))
      .map(([k, v]) => [k, Float64Array.from(v)]),
  );
}

/** Central differences of the reference loss for every parameter entry. */
function finiteDifferences(
  arch: GqcnnArchitecture,
  p64: Map<string, Float64Array>,
  b: ReturnType<typeof tinyBatch>,
  eps = 1e-6,
): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const [name, w] of p64) {
    const g = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) {
      const w0 = w[i]!;
      w[i] = w0 + eps;
      const lp = refLoss(arch, p64, b);
      w[i] = w0 - eps;
      const lm = refLoss(arch, p64, b);
      w[i] = w0;
      g[i] = (lp - lm) / (2 * eps);
    }
    out.set(name, g);
  }
  return out;
}

function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
  what: string,
): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) - (atol + rtol * Math.abs(expected[i]!));
    if (err > worst) {
      worst = err;
      worstAt = i;
    }
  }
  expect(worstAt, `${what}[${worstAt}] = ${actual[worstAt]} vs ${expected[worstAt]}`).toBe(-1);
}

const cases: [string, GqcnnArchitecture][] = [
  ['SAME convs, stride-1, 2/2 pool, dense, relu, softmax-CE, L2', TINY_SAME],
  ['VALID conv, LRN, overlapping 3/2 pool (ScatterElements add), 2-D pose, 2 fc + 2 merge', TINY_LRN_OVERLAP],
  ['SAME pool over the border, asymmetric SAME pad, LRN without pool', TINY_SAME_POOL_PAD],
  ['VALID stack with LRN before pool', TINY_VALID],
  ['batch norm (training mode) before a pool and without one', TINY_BN],
];

const variants: [string, TrainingGraphOptions][] = [
  ['auto dW + flipped-conv dx (default)', {}],
  ['shifted-Gemm dW on every layer', { convWeightGrad: 'shift' }],
  ['transposed-conv dW + ConvTranspose dx', { convWeightGrad: 'conv', convInputGrad: 'convTranspose' }],
];

describe.each(cases.flatMap(([label, arch]) => variants.map(([v, o]) => [`${label} · ${v}`, arch, o] as const)))(
  'training graph gradients: %s',
  (_label, arch, graphOptions) => {
    let trainer: GqcnnTrainer;
    const params = arch === TINY_BN ? tinyParamsBn(arch, 3) : tinyParams(arch, 3);
    const batch = tinyBatch(arch, 5, 11);
    beforeAll(async () => {
      trainer = await GqcnnTrainer.create({
        arch,
        params,
        l2: L2,
        inputGradient: true,
        intraOpNumThreads: 1,
        ...graphOptions,
      });
    });
    afterAll(async () => trainer?.release());

    it('reference analytic gradients equal central differences of the reference loss', () => {
      const p64 = to64(params);
      const ref = referenceForwardBackward(arch, p64, batch.im, batch.pose, batch.oneHot, batch.n, L2);
      const fd = finiteDifferences(arch, p64, batch);
      for (const s of trainableSpecs(arch))
        expectClose(ref.grads.get(s.name)!, fd.get(s.name)!, 1e-7, 1e-5, `ref ${s.name}`);
    });

    it('ONNX loss, probabilities, parameter and input gradients equal the reference', async () => {
      const r = await trainer.computeGradients(batch.im, batch.pose, batch.labels, batch.n);
      const ref = referenceForwardBackward(arch, params, batch.im, batch.pose, batch.oneHot, batch.n, L2);
      expect(Math.abs(r.loss - ref.loss)).toBeLessThan(1e-5);
      // per-datapoint CE: mean equals the loss without the L2 term
      const l2Term =
        ref.loss - referenceForwardBackward(arch, params, batch.im, batch.pose, batch.oneHot, batch.n, 0, false).loss;
      expect(Math.abs(r.losses.reduce((a, b) => a + b, 0) / batch.n + l2Term - ref.loss)).toBeLessThan(1e-5);
      expect(r.losses.every((v) => v > 0)).toBe(true);
      expectClose(r.probs, ref.probs, 1e-6, 1e-5, 'probs');
      for (const s of trainableSpecs(arch))
        expectClose(r.grads.get(s.name)!, ref.grads.get(s.name)!, 2e-6, 1e-4, `onnx ${s.name}`);
      expectClose(r.dIm!, ref.dIm, 2e-6, 1e-4, 'grad.im');
      for (const [k, v] of ref.batchStats) expectClose(r.batchStats.get(k)!, v, 1e-6, 1e-5, `batch stats ${k}`);
      expect(r.batchStats.size).toBe(ref.batchStats.size);
    });

    it('ONNX gradients equal central differences of the reference loss', async () => {
      const r = await trainer.computeGradients(batch.im, batch.pose, batch.labels, batch.n);
      const fd = finiteDifferences(arch, to64(params), batch);
      for (const s of trainableSpecs(arch))
        expectClose(r.grads.get(s.name)!, fd.get(s.name)!, 5e-6, 1e-4, `onnx-vs-fd ${s.name}`);
    });
  },
);

/** A 1×1 conv (w = 1, b = 0.5) keeps the input's plateaus, so pool windows hold exact ties. */
function tieArch(poolSize: number, poolStride: number): GqcnnArchitecture {
  return {
    name: 'ties',
    imHeight: 6,
    imWidth: 6,
    imChannels: 1,
    conv: [{ filterSize: 1, numFilters: 1, poolSize, poolStride, norm: 'none', padding: 'VALID' }],
    fc: [3],
    poseDim: 1,
    poseFc: 2,
    mergeFc: [3],
    outputs: 2,
    lrn: TINY_SAME.lrn,
  };
}

describe('max-pool gradient with exact ties', () => {
  // plateaus: every 2×2 block is constant, so every 2/2 window is a 4-way tie
  const im = Float32Array.from({ length: 2 * 36 }, (_, i) => {
    const n = Math.floor(i / 36);
    const r = Math.floor((i % 36) / 6);
    const c = i % 6;
    return 0.3 * (Math.floor(r / 2) * 3 + Math.floor(c / 2)) - 1 + n;
  });
  const pose = Float32Array.of(0.2, -0.4);
  const labels = Uint8Array.of(1, 0);
  const oneHot = Float32Array.of(0, 1, 1, 0);

  for (const [size, stride] of [
    [2, 2],
    [3, 2],
  ] as const) {
    it(`pool ${size}/${stride}: each window's gradient goes to one element (the first maximum), never twice`, async () => {
      const arch = tieArch(size, stride);
      const params = tinyParams(arch, 5);
      params.get('conv1.W')!.fill(1);
      params.get('conv1.b')!.fill(0.5);
      const t = await GqcnnTrainer.create({ arch, params, l2: 0, inputGradient: true, intraOpNumThreads: 1 });
      const r = await t.computeGradients(im, pose, labels, 2);
      await t.release();
      const ref = referenceForwardBackward(arch, params, im, pose, oneHot, 2, 0);
      expectClose(r.dIm!, ref.dIm, 1e-6, 1e-5, 'grad.im with ties');
      expectClose(r.grads.get('conv1.W')!, ref.grads.get('conv1.W')!, 1e-6, 1e-5, 'conv1.W with ties');
      if (size === stride) {
        // non-overlapping: per window, exactly one nonzero entry
        for (let n = 0; n < 2; n++)
          for (let wr = 0; wr < 3; wr++)
            for (let wc = 0; wc < 3; wc++) {
              let nonzero = 0;
              for (let u = 0; u < 2; u++)
                for (let v = 0; v < 2; v++) if (r.dIm![n * 36 + (wr * 2 + u) * 6 + wc * 2 + v] !== 0) nonzero++;
              expect(nonzero).toBeLessThanOrEqual(1);
            }
      }
    });
  }
});
