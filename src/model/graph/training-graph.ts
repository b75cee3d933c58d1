// The training graph: forward pass, softmax cross-entropy with L2, and the hand-written backward pass of
// every layer (each layer's own file holds its gradient), all from standard ops so onnxruntime-node
// runs it; the optimizer then updates the weights in TypeScript.
import { type GqcnnArchitecture, convGeometry, trainableSpecs } from '../architecture.js';
import { A, type Dim, GraphBuilder } from '../onnx-graph.js';
import { batchNormBackward } from './batch-norm.js';
import {
  type ConvInputGradMode,
  type ConvWeightGradMode,
  convInputGradient,
  convWeightGradient,
} from './conv-gradients.js';
import { convTrunk } from './conv-trunk.js';
import { denseHead } from './dense-head.js';
import { GradientCollector, denseBackward, reluBackward } from './dense-gradients.js';
import { lrnBackward } from './lrn.js';
import { maxPoolBackward } from './max-pool.js';
import { opsetFor } from './opset.js';
import { parameterTensors, tensorOf } from './parameter-inputs.js';

export interface TrainingGraphOptions {
  /** Also output `grad.im`, the loss gradient w.r.t. the (normalised) input crops. */
  inputGradient?: boolean;
  /**
   * Conv weight gradient: 'auto' (default) picks 'conv' for layers with fewer than
   * SHIFT_MIN_CHANNELS input channels (the first layer, where each shifted Gemm would be a
   * matrix-vector product) and 'shift' otherwise. 'shift' sums k² Gemms over row ranges of x in a
   * [H, W, N, C] layout, where each kernel offset (u, v) is one contiguous row range; 'conv' is a
   * Conv over batch/channel-transposed tensors, which ORT runs as many narrow GEMMs over a
   * large im2col buffer (about 2× slower for GQCNN-2.0's conv1_2).
   */
  convWeightGrad?: ConvWeightGradMode;
  /**
   * Conv input gradient: 'conv' (default) is a forward Conv of dy with the flipped, transposed
   * kernel; 'convTranspose' is ConvTranspose(dy, W), which ORT runs as GEMM + col2im (slower).
   */
  convInputGrad?: ConvInputGradMode;
}

/** Names of the training graph's outputs for each parameter. */
export const gradName = (param: string): string => `grad.${param}`;

/** Names of the training graph's batch-statistics outputs for each batch-norm buffer. */
export const statName = (buffer: string): string => `batch.${buffer}`;

/**
 * Training graph. Inputs: `im` [N, C, H, W], `pose` [N, poseDim], `labels` [N, 2] one-hot (or soft)
 * float, `l2` scalar, and every trainable parameter (trainableSpecs order). Outputs: `loss` (mean
 * softmax cross-entropy + l2·Σ‖W‖²/2 over weights, not biases or batch-norm scales), `losses` [N]
 * (each datapoint's cross-entropy), `probs` [N, 2],
 * `grad.<param>` for each trainable parameter (l2·W included), and `batch.<buffer>` — the batch
 * mean and biased variance of every batch-norm layer, for the running statistics.
 */
export function buildTrainingGraph(arch: GqcnnArchitecture, options: TrainingGraphOptions = {}): Uint8Array {
  const g = new GraphBuilder(`${arch.name}-training`);
  const N: Dim = 'N';
  const im = g.input('im', [N, arch.imChannels, arch.imHeight, arch.imWidth]);
  const pose = g.input('pose', [N, arch.poseDim]);
  const labels = g.input('labels', [N, arch.outputs]);
  const l2 = g.input('l2', []);
  const P = parameterTensors(g, arch, null, true);
  const specs = trainableSpecs(arch);
  const zero = g.constFloat([0], []);

  // ---- forward
  const trunk = convTrunk(g, arch, im, P, true);
  const flat = g.op1('Flatten', [trunk.out], { axis: A.i(1) });
  const head = denseHead(g, arch, flat, pose, P);
  const probs = g.op1('Softmax', [head.logits], { axis: A.i(1) });
  g.expose(probs, 'probs', [N, arch.outputs]);

  // ---- loss
  const logp = g.op1('LogSoftmax', [head.logits], { axis: A.i(1) });
  const perSample = g.op1('ReduceSum', [g.op1('Mul', [labels, logp]), g.constInt64([1])], { keepdims: A.i(0) });
  const ce = g.op1('Neg', [g.op1('ReduceMean', [perSample], { keepdims: A.i(0) })]);
  // per-datapoint cross-entropy, for loss-prioritised sampling
  g.expose(g.op1('Neg', [perSample]), 'losses', [N]);
  const weightSq = specs
    .filter((s) => s.role === 'weight')
    .map((s) => g.op1('ReduceSumSquare', [s.name], { keepdims: A.i(0) }));
  const sumSq = weightSq.length === 1 ? weightSq[0]! : g.op1('Sum', weightSq);
  const halfL2 = g.op1('Mul', [l2, g.constFloat([0.5], [])]);
  const loss = g.op1('Add', [ce, g.op1('Mul', [sumSq, halfL2])]);
  g.expose(loss, 'loss', []);

  // ---- backward: softmax cross-entropy, the dense head, then the conv trunk from the top
  const grads = new GradientCollector(g, l2);
  const relu = (dy: string, act: string) => reluBackward(g, dy, act, zero);
  const dense = (x: string, W: string, b: string | null, dz: string, needDx: boolean) =>
    denseBackward(g, grads, { x, W, b }, dz, needDx);
  const nFloat = g.op1('Cast', [g.op1('Gather', [g.op1('Shape', [im]), g.constInt64([0], [])], { axis: A.i(0) })], {
    to: A.i(1),
  });
  const invN = g.op1('Reciprocal', [nFloat]);
  let dm = g.op1('Mul', [g.op1('Sub', [probs, labels]), invN]);
  const mLast = head.mergeActs[head.mergeActs.length - 1]!;
  dm = dense(mLast, 'out.W', 'out.b', dm, true)!;
  for (let k = arch.mergeFc.length - 1; k >= 1; k--) {
    const dz = relu(dm, head.mergeActs[k]!);
    dm = dense(head.mergeActs[k - 1]!, `merge${k + 1}.W`, `merge${k + 1}.b`, dz, true)!;
  }
  const dzMerge = relu(dm, head.mergeActs[0]!);
  const hLast = head.imActs[head.imActs.length - 1]!;
  let dh = dense(hLast, 'merge1.Wim', 'merge1.b', dzMerge, true)!;
  const dap = dense(head.ap, 'merge1.Wpose', null, dzMerge, true)!;
  dense(pose, 'pose.W', 'pose.b', relu(dap, head.ap), false);
  for (let j = arch.fc.length - 1; j >= 0; j--) {
    const dz = relu(dh, head.imActs[j + 1]!);
    dh = dense(head.imActs[j]!, `fc${j + 1}.W`, `fc${j + 1}.b`, dz, true)!;
  }
  let dx = g.op1('Reshape', [dh, g.op1('Shape', [trunk.out])]);

  const geos = convGeometry(arch);
  for (let i = arch.conv.length - 1; i >= 0; i--) {
    const l = arch.conv[i]!;
    const geo = geos[i]!;
    const c = trunk.caches[i]!;
    let dy = dx;
    if (c.poolIdx) dy = maxPoolBackward(g, dy, c.y, c.poolIdx, l);
    if (c.bn) {
      const pre = `conv${i + 1}.bn`;
      const r = batchNormBackward(g, dy, c.bn);
      grads.plain(`${pre}.gamma`, r.dGamma);
      grads.plain(`${pre}.beta`, r.dBeta);
      dy = r.da;
    }
    if (c.lrn) dy = lrnBackward(g, dy, c.lrn, arch.lrn);
    const dz = relu(dy, c.a);
    const W = `conv${i + 1}.W`;
    grads.plain(`conv${i + 1}.b`, g.op1('ReduceSum', [dz, g.constInt64([0, 2, 3])], { keepdims: A.i(0) }));
    const k = l.filterSize;
    grads.weight(W, convWeightGradient(g, c.x, dz, k, l.numFilters, geo, options.convWeightGrad ?? 'auto'));
    if (i > 0 || options.inputGradient) dx = convInputGradient(g, dz, W, k, geo, options.convInputGrad ?? 'conv');
  }
  if (options.inputGradient) g.expose(dx, 'grad.im', [N, arch.imChannels, arch.imHeight, arch.imWidth]);
  trunk.caches.forEach((c, i) => {
    if (!c.bn) return;
    const C = arch.conv[i]!.numFilters;
    g.expose(g.op1('Reshape', [c.bn.mean, g.constInt64([C])]), statName(`conv${i + 1}.bn.mean`), [C]);
    g.expose(g.op1('Reshape', [c.bn.variance, g.constInt64([C])]), statName(`conv${i + 1}.bn.var`), [C]);
  });
  for (const s of specs) g.expose(tensorOf(grads.grads, s.name), gradName(s.name), s.shape);
  return g.toBytes(opsetFor(arch), JSON.stringify({ arch, training: true }));
}
