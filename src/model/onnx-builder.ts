// Compiles a GQ-CNN architecture into ONNX graphs: inference (crop + pose → probs), fully
// convolutional (whole image → probability map) and training (forward, loss and hand-written
// backward of every parameter) — all from standard opset-13 ops so onnxruntime-node runs them.
import {
  type GqcnnArchitecture,
  type Params,
  convGeometry,
  parameterSpecs,
  sizeOf,
  trainableSpecs,
} from './architecture.js';
import { A, type Dim, GraphBuilder } from './onnx-graph.js';

/** Opset of every graph; 16 only where overlapping pools need ScatterElements(reduction=add). */
export function opsetFor(arch: GqcnnArchitecture): number {
  return arch.conv.some((l) => l.poolSize > l.poolStride) ? 16 : 13;
}

/** Batch-norm ε added to the variance. */
export const BN_EPSILON = 1e-5;

function paramRefs(g: GraphBuilder, arch: GqcnnArchitecture, params: Params | null, trainableOnly = false): Map<string, string> {
  const refs = new Map<string, string>();
  for (const p of trainableOnly ? trainableSpecs(arch) : parameterSpecs(arch)) {
    if (params) {
      const data = params.get(p.name);
      if (!data) throw new Error(`parameter ${p.name} missing`);
      if (data.length !== sizeOf(p.shape)) throw new Error(`parameter ${p.name} has ${data.length} values, expected ${sizeOf(p.shape)} (shape ${p.shape.join('×')})`);
      g.initializer(p.name, data, p.shape);
    } else g.input(p.name, p.shape);
    refs.set(p.name, p.name);
  }
  return refs;
}

const get = (m: Map<string, string>, k: string): string => {
  const v = m.get(k);
  if (v === undefined) throw new Error(`internal: no tensor ${k}`);
  return v;
};

/** Channel-window matrix of LRN as a 1×1 conv weight: B[c, c'] = 1 where |c − c'| ≤ radius. */
function lrnBand(channels: number, radius: number): Float32Array {
  const b = new Float32Array(channels * channels);
  for (let c = 0; c < channels; c++)
    for (let d = Math.max(0, c - radius); d <= Math.min(channels - 1, c + radius); d++) b[c * channels + d] = 1;
  return b;
}

/** s^−β with vectorised Sqrt where β allows it (ORT's Pow is scalar and slow); s > 0. */
function negativePower(g: GraphBuilder, s: string, beta: number): string {
  if (beta === 0.75) return g.op1('Reciprocal', [g.op1('Sqrt', [g.op1('Mul', [s, g.op1('Sqrt', [s])])])]);
  if (beta === 0.5) return g.op1('Reciprocal', [g.op1('Sqrt', [s])]);
  return g.op1('Exp', [g.op1('Mul', [g.op1('Log', [s]), g.constFloat([-beta], [])])]);
}

interface ConvCache {
  x: string;
  a: string;
  lrn?: { s: string; sb: string; band: string };
  bn?: { xhat: string; invStd: string; gamma4: string; mean: string; variance: string };
  y: string;
  poolIdx?: string;
  out: string;
}

/** Conv → ReLU → (LRN) → (max-pool) for every conv layer; training keeps what backward needs. */
function convTrunk(g: GraphBuilder, arch: GqcnnArchitecture, im: string, P: Map<string, string>, training: boolean): { out: string; caches: ConvCache[] } {
  const geos = convGeometry(arch);
  const caches: ConvCache[] = [];
  let x = im;
  arch.conv.forEach((l, i) => {
    const geo = geos[i]!;
    const z = g.op1('Conv', [x, get(P, `conv${i + 1}.W`), get(P, `conv${i + 1}.b`)], {
      kernel_shape: A.is([l.filterSize, l.filterSize]),
      pads: A.is(geo.convPads),
      strides: A.is([1, 1]),
    });
    const a = g.op1('Relu', [z]);
    const cache: ConvCache = { x, a, y: a, out: a };
    let y = a;
    if (l.norm === 'lrn') {
      // written out rather than ONNX's LRN op: ORT's LRN kernel took 272 ms of a 700 ms
      // GQCNN-2.0 batch, and backward reuses s and s^-β. TF convention: s = bias + α·Σ_window a²
      const { radius, alpha, beta, bias } = arch.lrn;
      const band = g.constFloat(lrnBand(l.numFilters, radius), [l.numFilters, l.numFilters, 1, 1]);
      const S = g.op1('Conv', [g.op1('Mul', [a, a]), band]);
      const s = g.op1('Add', [g.op1('Mul', [S, g.constFloat([alpha], [])]), g.constFloat([bias], [])]);
      const sb = negativePower(g, s, beta);
      y = g.op1('Mul', [a, sb]);
      if (training) cache.lrn = { s, sb, band };
    } else if (l.norm === 'batchnorm') {
      const pre = `conv${i + 1}.bn`;
      if (training) {
        // batch statistics over (N, H, W), biased variance, as in the reference
        const axes = { axes: A.is([0, 2, 3]), keepdims: A.i(1) };
        const mean = g.op1('ReduceMean', [a], axes);
        const d = g.op1('Sub', [a, mean]);
        const variance = g.op1('ReduceMean', [g.op1('Mul', [d, d])], axes);
        const invStd = g.op1('Reciprocal', [g.op1('Sqrt', [g.op1('Add', [variance, g.constFloat([BN_EPSILON], [])])])]);
        const xhat = g.op1('Mul', [d, invStd]);
        const c4 = g.constInt64([1, -1, 1, 1]);
        const gamma4 = g.op1('Reshape', [get(P, `${pre}.gamma`), c4]);
        y = g.op1('Add', [g.op1('Mul', [xhat, gamma4]), g.op1('Reshape', [get(P, `${pre}.beta`), c4])]);
        cache.bn = { xhat, invStd, gamma4, mean, variance };
      } else
        y = g.op1('BatchNormalization', [a, get(P, `${pre}.gamma`), get(P, `${pre}.beta`), get(P, `${pre}.mean`), get(P, `${pre}.var`)], {
          epsilon: A.f(BN_EPSILON),
        });
    }
    cache.y = y;
    if (geo.hasPool) {
      const attrs = { kernel_shape: A.is([l.poolSize, l.poolSize]), strides: A.is([l.poolStride, l.poolStride]), pads: A.is(geo.poolPads) };
      if (training) {
        const [p, idx] = g.op('MaxPool', [y], attrs, 2);
        cache.poolIdx = idx!;
        y = p!;
      } else y = g.op1('MaxPool', [y], attrs);
    }
    cache.out = y;
    caches.push(cache);
    x = y;
  });
  return { out: x, caches };
}

/** Dense head on flattened features: returns logits and the activations backward needs. */
function denseHead(g: GraphBuilder, arch: GqcnnArchitecture, flat: string, pose: string, P: Map<string, string>) {
  const imActs: string[] = [flat];
  let h = flat;
  arch.fc.forEach((_, j) => {
    h = g.op1('Relu', [g.op1('Gemm', [h, get(P, `fc${j + 1}.W`), get(P, `fc${j + 1}.b`)])]);
    imActs.push(h);
  });
  const ap = g.op1('Relu', [g.op1('Gemm', [pose, get(P, 'pose.W'), get(P, 'pose.b')])]);
  let m = g.op1('Relu', [g.op1('Add', [g.op1('Gemm', [h, get(P, 'merge1.Wim'), get(P, 'merge1.b')]), g.op1('MatMul', [ap, get(P, 'merge1.Wpose')])])]);
  const mergeActs: string[] = [m];
  for (let k = 1; k < arch.mergeFc.length; k++) {
    m = g.op1('Relu', [g.op1('Gemm', [m, get(P, `merge${k + 1}.W`), get(P, `merge${k + 1}.b`)])]);
    mergeActs.push(m);
  }
  const logits = g.op1('Gemm', [m, get(P, 'out.W'), get(P, 'out.b')]);
  return { imActs, ap, mergeActs, logits };
}

/**
 * Inference graph: `im` [N, C, H, W] (normalised), `pose` [N, poseDim] (normalised) → `probs` [N, 2].
 * With `params` the weights are initializers (a self-contained model); with null they are inputs
 * named like the parameters, so a trainer can evaluate current weights without rebuilding.
 */
export function buildInferenceGraph(arch: GqcnnArchitecture, params: Params | null): Uint8Array {
  const g = new GraphBuilder(`${arch.name}-inference`);
  const im = g.input('im', ['N', arch.imChannels, arch.imHeight, arch.imWidth]);
  const pose = g.input('pose', ['N', arch.poseDim]);
  const P = paramRefs(g, arch, params);
  const { out } = convTrunk(g, arch, im, P, false);
  const flat = g.op1('Flatten', [out], { axis: A.i(1) });
  const { logits } = denseHead(g, arch, flat, pose, P);
  g.op1('Softmax', [logits], { axis: A.i(1) }, 'probs');
  g.output('probs', ['N', arch.outputs]);
  return g.toBytes(opsetFor(arch), JSON.stringify({ arch }));
}

/** Dense weight [in, out] as a 1×1 conv weight [out, in, 1, 1]. */
function denseAsConv1x1(w: Float32Array, nIn: number, nOut: number): Float32Array {
  const c = new Float32Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) c[o * nIn + i] = w[i * nOut + o]!;
  return c;
}

/**
 * Fully convolutional graph with the same weights: `im` [B, C, H, W] (any H, W ≥ the crop),
 * `pose` [D, poseDim] with B = D or B = 1 → `probs` [D, 2, H', W'], where output (r, c) scores the crop whose top-left
 * pixel is (r·s, c·s), s = totalStride(arch). The first fc becomes a conv whose kernel is the last
 * feature map, later fcs 1×1 convs, and the pose stream a per-image bias on the merge layer.
 * Exact (equal to cropping) for VALID-padded architectures; SAME padding differs near crop borders
 * because a crop sees zero padding where the whole image has real pixels.
 */
export function buildFullyConvGraph(arch: GqcnnArchitecture, params: Params): Uint8Array {
  const g = new GraphBuilder(`${arch.name}-fully-conv`);
  // B images and D pose rows with B = D (pairs) or B = 1 (one image scored at D depths: the conv
  // trunk runs once and the pose bias broadcasts over the depths)
  const im = g.input('im', ['B', arch.imChannels, 'H', 'W']);
  const pose = g.input('pose', ['D', arch.poseDim]);
  const P = new Map<string, string>();
  const specs = parameterSpecs(arch);
  const pget = (n: string): Float32Array => {
    const v = params.get(n);
    if (!v) throw new Error(`parameter ${n} missing`);
    return v;
  };
  for (const s of specs) if (s.name.startsWith('conv')) P.set(s.name, g.initializer(s.name, pget(s.name), s.shape));
  const { out } = convTrunk(g, arch, im, P, false);
  const geos = convGeometry(arch);
  const last = geos[geos.length - 1]!;
  const [C, Hf, Wf] = [last.outChannels, last.outH, last.outW];
  const D = C * Hf * Wf;
  const conv = (x: string, wName: string, w: Float32Array, dims: number[], b: string | null) =>
    g.op1('Conv', b ? [x, g.initializer(wName, w, dims), b] : [x, g.initializer(wName, w, dims)], { kernel_shape: A.is(dims.slice(2)), pads: A.is([0, 0, 0, 0]) });
  const bias = (n: string) => g.initializer(n, pget(n), [pget(n).length]);
  // the flattened index (c·Hf + h)·Wf + w of W [D, n] is exactly the [n, C, Hf, Wf] conv layout
  const n1 = arch.fc[0]!;
  let h = g.op1('Relu', [conv(out, 'fc1.Wconv', denseAsConv1x1(pget('fc1.W'), D, n1), [n1, C, Hf, Wf], bias('fc1.b'))]);
  let d = n1;
  for (let j = 1; j < arch.fc.length; j++) {
    const n = arch.fc[j]!;
    h = g.op1('Relu', [conv(h, `fc${j + 1}.Wconv`, denseAsConv1x1(pget(`fc${j + 1}.W`), d, n), [n, d, 1, 1], bias(`fc${j + 1}.b`))]);
    d = n;
  }
  const ap = g.op1('Relu', [g.op1('Gemm', [pose, g.initializer('pose.W', pget('pose.W'), [arch.poseDim, arch.poseFc]), bias('pose.b')])]);
  const m0 = arch.mergeFc[0]!;
  const poseBias = g.op1('Gemm', [ap, g.initializer('merge1.Wpose', pget('merge1.Wpose'), [arch.poseFc, m0]), bias('merge1.b')]);
  const poseBias4 = g.op1('Reshape', [poseBias, g.constInt64([0, -1, 1, 1])]);
  let m = g.op1('Relu', [g.op1('Add', [conv(h, 'merge1.Wconv', denseAsConv1x1(pget('merge1.Wim'), d, m0), [m0, d, 1, 1], null), poseBias4])]);
  d = m0;
  for (let k = 1; k < arch.mergeFc.length; k++) {
    const n = arch.mergeFc[k]!;
    m = g.op1('Relu', [conv(m, `merge${k + 1}.Wconv`, denseAsConv1x1(pget(`merge${k + 1}.W`), d, n), [n, d, 1, 1], bias(`merge${k + 1}.b`))]);
    d = n;
  }
  const logits = conv(m, 'out.Wconv', denseAsConv1x1(pget('out.W'), d, arch.outputs), [arch.outputs, d, 1, 1], bias('out.b'));
  g.op1('Softmax', [logits], { axis: A.i(1) }, 'probs');
  g.output('probs', ['D', arch.outputs, 'Hout', 'Wout']);
  return g.toBytes(opsetFor(arch), JSON.stringify({ arch, fullyConvolutional: true }));
}

/** Below this many input channels the 'conv' weight gradient beats k² thin Gemms. */
export const SHIFT_MIN_CHANNELS = 4;

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
  convWeightGrad?: 'auto' | 'shift' | 'conv';
  /**
   * Conv input gradient: 'conv' (default) is a forward Conv of dy with the flipped, transposed
   * kernel; 'convTranspose' is ConvTranspose(dy, W), which ORT runs as GEMM + col2im (slower).
   */
  convInputGrad?: 'conv' | 'convTranspose';
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
  const P = paramRefs(g, arch, null, true);
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
  const weightSq = specs.filter((s) => s.role === 'weight').map((s) => g.op1('ReduceSumSquare', [s.name], { keepdims: A.i(0) }));
  const sumSq = weightSq.length === 1 ? weightSq[0]! : g.op1('Sum', weightSq);
  const halfL2 = g.op1('Mul', [l2, g.constFloat([0.5], [])]);
  const loss = g.op1('Add', [ce, g.op1('Mul', [sumSq, halfL2])]);
  g.expose(loss, 'loss', []);

  // ---- backward
  const grads = new Map<string, string>();
  const emitWeightGrad = (name: string, raw: string) => grads.set(name, g.op1('Add', [raw, g.op1('Mul', [name, l2])]));
  const reluBack = (dy: string, act: string) => g.op1('Where', [g.op1('Greater', [act, zero]), dy, zero]);
  const denseBack = (x: string, W: string, b: string | null, dz: string, needDx: boolean): string | null => {
    emitWeightGrad(W, g.op1('Gemm', [x, dz], { transA: A.i(1) }));
    if (b) grads.set(b, g.op1('ReduceSum', [dz, g.constInt64([0])], { keepdims: A.i(0) }));
    return needDx ? g.op1('Gemm', [dz, W], { transB: A.i(1) }) : null;
  };

  const nFloat = g.op1('Cast', [g.op1('Gather', [g.op1('Shape', [im]), g.constInt64([0], [])], { axis: A.i(0) })], { to: A.i(1) });
  const invN = g.op1('Reciprocal', [nFloat]);
  let dm = g.op1('Mul', [g.op1('Sub', [probs, labels]), invN]);
  const mLast = head.mergeActs[head.mergeActs.length - 1]!;
  dm = denseBack(mLast, 'out.W', 'out.b', dm, true)!;
  for (let k = arch.mergeFc.length - 1; k >= 1; k--) {
    const dz = reluBack(dm, head.mergeActs[k]!);
    dm = denseBack(head.mergeActs[k - 1]!, `merge${k + 1}.W`, `merge${k + 1}.b`, dz, true)!;
  }
  const dzMerge = reluBack(dm, head.mergeActs[0]!);
  const hLast = head.imActs[head.imActs.length - 1]!;
  let dh = denseBack(hLast, 'merge1.Wim', 'merge1.b', dzMerge, true)!;
  const dap = denseBack(head.ap, 'merge1.Wpose', null, dzMerge, true)!;
  denseBack(pose, 'pose.W', 'pose.b', reluBack(dap, head.ap), false);
  for (let j = arch.fc.length - 1; j >= 0; j--) {
    const dz = reluBack(dh, head.imActs[j + 1]!);
    dh = denseBack(head.imActs[j]!, `fc${j + 1}.W`, `fc${j + 1}.b`, dz, true)!;
  }
  let dx = g.op1('Reshape', [dh, g.op1('Shape', [trunk.out])]);

  const geos = convGeometry(arch);
  for (let i = arch.conv.length - 1; i >= 0; i--) {
    const l = arch.conv[i]!;
    const geo = geos[i]!;
    const c = trunk.caches[i]!;
    let dy = dx;
    if (c.poolIdx) {
      // MaxPool's indices address the flattened NCHW input (padding excluded): scatter each
      // output gradient to exactly the element the forward pass picked
      const shapeY = g.op1('Shape', [c.y]);
      const flatShape = g.constInt64([-1]);
      const zeros = g.op1('Reshape', [g.op1('ConstantOfShape', [shapeY], { value: A.t({ dataType: 1, dims: [1], floatData: [0] }) }), flatShape]);
      const scatterAttrs: Record<string, ReturnType<typeof A.i>> = { axis: A.i(0) };
      if (l.poolSize > l.poolStride) scatterAttrs.reduction = A.s('add');
      const scattered = g.op1('ScatterElements', [zeros, g.op1('Reshape', [c.poolIdx, flatShape]), g.op1('Reshape', [dy, flatShape])], scatterAttrs);
      dy = g.op1('Reshape', [scattered, shapeY]);
    }
    if (c.bn) {
      // dx̂ = dy·γ; da = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / σ over (N, H, W)
      const { xhat, invStd, gamma4 } = c.bn;
      const pre = `conv${i + 1}.bn`;
      const sumAxes = g.constInt64([0, 2, 3]);
      grads.set(`${pre}.gamma`, g.op1('ReduceSum', [g.op1('Mul', [dy, xhat]), sumAxes], { keepdims: A.i(0) }));
      grads.set(`${pre}.beta`, g.op1('ReduceSum', [dy, sumAxes], { keepdims: A.i(0) }));
      const dxhat = g.op1('Mul', [dy, gamma4]);
      const axes = { axes: A.is([0, 2, 3]), keepdims: A.i(1) };
      const m1 = g.op1('ReduceMean', [dxhat], axes);
      const m2 = g.op1('ReduceMean', [g.op1('Mul', [dxhat, xhat])], axes);
      dy = g.op1('Mul', [g.op1('Sub', [g.op1('Sub', [dxhat, m1]), g.op1('Mul', [xhat, m2])]), invStd]);
    }
    if (c.lrn) {
      const { alpha, beta } = arch.lrn;
      const { s, sb, band } = c.lrn;
      // da_d = dy_d·s_d^-β − 2αβ·a_d·Σ_{c∋d} dy_c·a_c·s_c^(−β−1); the window is symmetric so B = Bᵀ
      const t = g.op1('Mul', [g.op1('Mul', [dy, c.a]), g.op1('Div', [sb, s])]);
      const u = g.op1('Conv', [t, band]);
      dy = g.op1('Sub', [g.op1('Mul', [dy, sb]), g.op1('Mul', [g.op1('Mul', [u, c.a]), g.constFloat([2 * alpha * beta], [])])]);
    }
    const dz = reluBack(dy, c.a);
    const W = `conv${i + 1}.W`;
    grads.set(`conv${i + 1}.b`, g.op1('ReduceSum', [dz, g.constInt64([0, 2, 3])], { keepdims: A.i(0) }));
    // dW[o,i,u,v] = Σ_n,h,w dz[n,o,h,w]·xpad[n,i,h+u,w+v]
    const k = l.filterSize;
    const [pt, pl, pb, pr] = geo.convPads;
    const dwMode = options.convWeightGrad ?? 'auto';
    if (dwMode === 'shift' || (dwMode === 'auto' && geo.inChannels >= SHIFT_MIN_CHANNELS)) {
      // x as rows (h, w, n) × I, padded to [Hp+1, Wp, N, I]; dz as rows (h, w, n) × O padded to
      // width Wp. For offset (u, v) the x rows pairing with dz rows start at (u·Wp + v)·N and run
      // contiguously (the padded dz columns are zero, so wrapping into the next row adds nothing):
      // dW[o, i, u, v] = Σ_r dz[r, o]·x[r + (u·Wp + v)·N, i]
      const Wp = geo.inW + pl + pr;
      const I = geo.inChannels;
      const O = l.numFilters;
      // [N, C, H, W] → [H, W, N, C] is a 2-D transpose of [(N, C), (H, W)]; written that way
      // ORT takes its fast 2-D path (the generic 4-D permutation was ~2× slower)
      const hwnc = (t: string, C: number, H: number, Wd: number) =>
        g.op1('Reshape', [g.op1('Transpose', [g.op1('Reshape', [t, g.constInt64([-1, H * Wd])])], { perm: A.is([1, 0]) }), g.constInt64([H, Wd, -1, C])]);
      const xs = hwnc(c.x, I, geo.inH, geo.inW);
      // x as [(Hp+1)·Wp, N, I] (rows (h, w), then batch): row offset u·Wp + v is kernel offset (u, v)
      const X = g.op1('Reshape', [g.op1('Pad', [xs, g.constInt64([pt, pl, 0, 0, pb + 1, pr, 0, 0])]), g.constInt64([(geo.inH + pt + pb + 1) * Wp, -1, I])]);
      const dzs = hwnc(dz, O, geo.convH, geo.convW);
      const dzp = Wp > geo.convW ? g.op1('Pad', [dzs, g.constInt64([0, 0, 0, 0, 0, Wp - geo.convW, 0, 0])]) : dzs;
      const D = g.op1('Reshape', [dzp, g.constInt64([geo.convH * Wp, -1, O])]);
      // columns (v, o): dz moved down v rows, so one Gemm per u covers all k offsets v at once
      const Dv = Array.from({ length: k }, (_, v) => (k === 1 ? D : g.op1('Pad', [D, g.constInt64([v, 0, 0, k - 1 - v, 0, 0])])));
      const Dstack = g.op1('Reshape', [k === 1 ? D : g.op1('Concat', Dv, { axis: A.i(2) }), g.constInt64([-1, k * O])]);
      const rows = geo.convH * Wp + k - 1;
      const parts: string[] = [];
      for (let u = 0; u < k; u++) {
        const Xu = g.op1('Slice', [X, g.constInt64([u * Wp]), g.constInt64([u * Wp + rows]), g.constInt64([0])]);
        parts.push(g.op1('Gemm', [Dstack, g.op1('Reshape', [Xu, g.constInt64([-1, I])])], { transA: A.i(1) }));
      }
      const stacked = parts.length === 1 ? parts[0]! : g.op1('Concat', parts, { axis: A.i(0) });
      const dW = g.op1('Transpose', [g.op1('Reshape', [stacked, g.constInt64([k, k, O, I])])], { perm: A.is([2, 3, 0, 1]) });
      emitWeightGrad(W, dW);
    } else {
      // the same sum as a conv with batch and channels swapped
      const xT = g.op1('Transpose', [c.x], { perm: A.is([1, 0, 2, 3]) });
      const dzT = g.op1('Transpose', [dz], { perm: A.is([1, 0, 2, 3]) });
      const dWT = g.op1('Conv', [xT, dzT], { pads: A.is(geo.convPads) });
      emitWeightGrad(W, g.op1('Transpose', [dWT], { perm: A.is([1, 0, 2, 3]) }));
    }
    if (i > 0 || options.inputGradient) {
      if ((options.convInputGrad ?? 'conv') === 'conv') {
        // dx[j] = Σ_u dz[j + pt − u]·W[u]: correlation with the flipped kernel, pads k−1−p
        const Wflip = g.op1('Slice', [W, g.constInt64([-1, -1]), g.constInt64([-(2 ** 62), -(2 ** 62)]), g.constInt64([2, 3]), g.constInt64([-1, -1])]);
        const Wt = g.op1('Transpose', [Wflip], { perm: A.is([1, 0, 2, 3]) });
        dx = g.op1('Conv', [dz, Wt], { kernel_shape: A.is([k, k]), pads: A.is([k - 1 - pt, k - 1 - pl, k - 1 - pb, k - 1 - pr]) });
      } else dx = g.op1('ConvTranspose', [dz, W], { pads: A.is(geo.convPads), strides: A.is([1, 1]) });
    }
  }
  if (options.inputGradient) g.expose(dx, 'grad.im', [N, arch.imChannels, arch.imHeight, arch.imWidth]);
  trunk.caches.forEach((c, i) => {
    if (!c.bn) return;
    const C = arch.conv[i]!.numFilters;
    g.expose(g.op1('Reshape', [c.bn.mean, g.constInt64([C])]), statName(`conv${i + 1}.bn.mean`), [C]);
    g.expose(g.op1('Reshape', [c.bn.variance, g.constInt64([C])]), statName(`conv${i + 1}.bn.var`), [C]);
  });
  for (const s of specs) g.expose(get(grads, s.name), gradName(s.name), s.shape);
  return g.toBytes(opsetFor(arch), JSON.stringify({ arch, training: true }));
}
