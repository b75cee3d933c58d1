// Plain float64 forward/backward of the GQ-CNN layers, written loop by loop from the definitions:
// the oracle the ONNX graphs are tested against (tiny shapes only; far too slow for training).
import { type GqcnnArchitecture, convGeometry, parameterSpecs, sizeOf } from '../../src/model/architecture.js';

type Num = ArrayLike<number>;

export interface Tensor4 {
  data: Float64Array;
  n: number;
  c: number;
  h: number;
  w: number;
}

/** Stride-1 cross-correlation with zero padding [top, left, bottom, right]. */
export function convForward(x: Tensor4, W: Num, b: Num, outC: number, k: number, pads: readonly number[]): Tensor4 {
  const [pt, pl, pb, pr] = pads as [number, number, number, number];
  const Ho = x.h + pt + pb - k + 1;
  const Wo = x.w + pl + pr - k + 1;
  const out = new Float64Array(x.n * outC * Ho * Wo);
  for (let n = 0; n < x.n; n++)
    for (let o = 0; o < outC; o++)
      for (let h = 0; h < Ho; h++)
        for (let w = 0; w < Wo; w++) {
          let s = b[o]!;
          for (let c = 0; c < x.c; c++)
            for (let u = 0; u < k; u++) {
              const ih = h + u - pt;
              if (ih < 0 || ih >= x.h) continue;
              for (let v = 0; v < k; v++) {
                const iw = w + v - pl;
                if (iw < 0 || iw >= x.w) continue;
                s += W[((o * x.c + c) * k + u) * k + v]! * x.data[((n * x.c + c) * x.h + ih) * x.w + iw]!;
              }
            }
          out[((n * outC + o) * Ho + h) * Wo + w] = s;
        }
  return { data: out, n: x.n, c: outC, h: Ho, w: Wo };
}

export function convBackward(
  x: Tensor4,
  W: Num,
  dz: Tensor4,
  k: number,
  pads: readonly number[],
): { dW: Float64Array; db: Float64Array; dx: Float64Array } {
  const [pt, pl] = pads as [number, number];
  const O = dz.c;
  const dW = new Float64Array(O * x.c * k * k);
  const db = new Float64Array(O);
  const dx = new Float64Array(x.data.length);
  for (let n = 0; n < x.n; n++)
    for (let o = 0; o < O; o++)
      for (let h = 0; h < dz.h; h++)
        for (let w = 0; w < dz.w; w++) {
          const g = dz.data[((n * O + o) * dz.h + h) * dz.w + w]!;
          db[o]! += g;
          for (let c = 0; c < x.c; c++)
            for (let u = 0; u < k; u++) {
              const ih = h + u - pt;
              if (ih < 0 || ih >= x.h) continue;
              for (let v = 0; v < k; v++) {
                const iw = w + v - pl;
                if (iw < 0 || iw >= x.w) continue;
                const xi = ((n * x.c + c) * x.h + ih) * x.w + iw;
                const wi = ((o * x.c + c) * k + u) * k + v;
                dW[wi]! += g * x.data[xi]!;
                dx[xi]! += g * W[wi]!;
              }
            }
        }
  return { dW, db, dx };
}

export function relu(x: Float64Array): Float64Array {
  return x.map((v) => (v > 0 ? v : 0));
}

export function reluBackward(dy: Float64Array, y: Float64Array): Float64Array {
  return dy.map((g, i) => (y[i]! > 0 ? g : 0));
}

/** TensorFlow-convention LRN across channels: y = a·(bias + α·Σ_{|c'−c|≤r} a_c'²)^−β. */
export function lrnForward(
  a: Tensor4,
  radius: number,
  alpha: number,
  beta: number,
  bias: number,
): { y: Tensor4; s: Float64Array } {
  const { n: N, c: C, h: H, w: W } = a;
  const hw = H * W;
  const s = new Float64Array(a.data.length);
  const y = new Float64Array(a.data.length);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let p = 0; p < hw; p++) {
        let sq = 0;
        for (let d = Math.max(0, c - radius); d <= Math.min(C - 1, c + radius); d++)
          sq += a.data[(n * C + d) * hw + p]! ** 2;
        const i = (n * C + c) * hw + p;
        s[i] = bias + alpha * sq;
        y[i] = a.data[i]! * s[i]! ** -beta;
      }
  return { y: { ...a, data: y }, s };
}

export function lrnBackward(
  a: Tensor4,
  s: Float64Array,
  dy: Float64Array,
  radius: number,
  alpha: number,
  beta: number,
): Float64Array {
  const { n: N, c: C, h: H, w: W } = a;
  const hw = H * W;
  const da = new Float64Array(a.data.length);
  for (let n = 0; n < N; n++)
    for (let d = 0; d < C; d++)
      for (let p = 0; p < hw; p++) {
        const i = (n * C + d) * hw + p;
        let acc = dy[i]! * s[i]! ** -beta;
        for (let c = Math.max(0, d - radius); c <= Math.min(C - 1, d + radius); c++) {
          const j = (n * C + c) * hw + p;
          acc -= 2 * alpha * beta * a.data[i]! * dy[j]! * a.data[j]! * s[j]! ** (-beta - 1);
        }
        da[i] = acc;
      }
  return da;
}

/** Training-mode batch norm per channel over (N, H, W) with the biased batch variance. */
export function batchNormForward(
  a: Tensor4,
  gamma: Num,
  beta: Num,
  eps: number,
): { y: Tensor4; xhat: Float64Array; invStd: Float64Array; mean: Float64Array; variance: Float64Array } {
  const { n: N, c: C, h: H, w: W } = a;
  const hw = H * W;
  const M = N * hw;
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  const invStd = new Float64Array(C);
  const xhat = new Float64Array(a.data.length);
  const y = new Float64Array(a.data.length);
  for (let c = 0; c < C; c++) {
    let m = 0;
    for (let n = 0; n < N; n++) for (let p = 0; p < hw; p++) m += a.data[(n * C + c) * hw + p]!;
    m /= M;
    let v = 0;
    for (let n = 0; n < N; n++) for (let p = 0; p < hw; p++) v += (a.data[(n * C + c) * hw + p]! - m) ** 2;
    v /= M;
    mean[c] = m;
    variance[c] = v;
    invStd[c] = 1 / Math.sqrt(v + eps);
    for (let n = 0; n < N; n++)
      for (let p = 0; p < hw; p++) {
        const i = (n * C + c) * hw + p;
        xhat[i] = (a.data[i]! - m) * invStd[c]!;
        y[i] = gamma[c]! * xhat[i]! + beta[c]!;
      }
  }
  return { y: { ...a, data: y }, xhat, invStd, mean, variance };
}

export function batchNormBackward(
  a: Tensor4,
  xhat: Float64Array,
  invStd: Float64Array,
  gamma: Num,
  dy: Float64Array,
): { da: Float64Array; dGamma: Float64Array; dBeta: Float64Array } {
  const { n: N, c: C, h: H, w: W } = a;
  const hw = H * W;
  const M = N * hw;
  const da = new Float64Array(a.data.length);
  const dGamma = new Float64Array(C);
  const dBeta = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let sdx = 0;
    let sdxx = 0;
    for (let n = 0; n < N; n++)
      for (let p = 0; p < hw; p++) {
        const i = (n * C + c) * hw + p;
        dGamma[c]! += dy[i]! * xhat[i]!;
        dBeta[c]! += dy[i]!;
        sdx += dy[i]! * gamma[c]!;
        sdxx += dy[i]! * gamma[c]! * xhat[i]!;
      }
    for (let n = 0; n < N; n++)
      for (let p = 0; p < hw; p++) {
        const i = (n * C + c) * hw + p;
        da[i] = invStd[c]! * (dy[i]! * gamma[c]! - sdx / M - (xhat[i]! * sdxx) / M);
      }
  }
  return { da, dGamma, dBeta };
}

/**
 * Max-pool; padded cells never win. Ties go to the first maximum in row-major window order
 * (what ONNX Runtime picks), and `argmax` holds the flat input index of each winner.
 */
export function maxPoolForward(
  x: Tensor4,
  size: number,
  stride: number,
  pads: readonly number[],
  Ho: number,
  Wo: number,
): { y: Tensor4; argmax: Int32Array } {
  const [pt, pl] = pads as [number, number];
  const y = new Float64Array(x.n * x.c * Ho * Wo);
  const argmax = new Int32Array(y.length);
  for (let nc = 0; nc < x.n * x.c; nc++)
    for (let oh = 0; oh < Ho; oh++)
      for (let ow = 0; ow < Wo; ow++) {
        let best = -Infinity;
        let bi = -1;
        for (let u = 0; u < size; u++) {
          const ih = oh * stride - pt + u;
          if (ih < 0 || ih >= x.h) continue;
          for (let v = 0; v < size; v++) {
            const iw = ow * stride - pl + v;
            if (iw < 0 || iw >= x.w) continue;
            const xi = (nc * x.h + ih) * x.w + iw;
            if (x.data[xi]! > best) {
              best = x.data[xi]!;
              bi = xi;
            }
          }
        }
        const oi = (nc * Ho + oh) * Wo + ow;
        y[oi] = best;
        argmax[oi] = bi;
      }
  return { y: { data: y, n: x.n, c: x.c, h: Ho, w: Wo }, argmax };
}

export function maxPoolBackward(dy: Float64Array, argmax: Int32Array, inputSize: number): Float64Array {
  const dx = new Float64Array(inputSize);
  for (let i = 0; i < dy.length; i++) dx[argmax[i]!]! += dy[i]!;
  return dx;
}

/** y[n, o] = b[o] + Σ_i x[n, i]·W[i, o]. */
export function denseForward(x: Num, n: number, nIn: number, W: Num, b: Num | null, nOut: number): Float64Array {
  const y = new Float64Array(n * nOut);
  for (let r = 0; r < n; r++)
    for (let o = 0; o < nOut; o++) {
      let s = b ? b[o]! : 0;
      for (let i = 0; i < nIn; i++) s += x[r * nIn + i]! * W[i * nOut + o]!;
      y[r * nOut + o] = s;
    }
  return y;
}

export function denseBackward(
  x: Num,
  n: number,
  nIn: number,
  W: Num,
  dy: Float64Array,
  nOut: number,
): { dW: Float64Array; db: Float64Array; dx: Float64Array } {
  const dW = new Float64Array(nIn * nOut);
  const db = new Float64Array(nOut);
  const dx = new Float64Array(n * nIn);
  for (let r = 0; r < n; r++)
    for (let o = 0; o < nOut; o++) {
      const g = dy[r * nOut + o]!;
      db[o]! += g;
      for (let i = 0; i < nIn; i++) {
        dW[i * nOut + o]! += x[r * nIn + i]! * g;
        dx[r * nIn + i]! += g * W[i * nOut + o]!;
      }
    }
  return { dW, db, dx };
}

/** Row-wise softmax, mean cross-entropy against (soft) labels, and dlogits = (p − y)/N. */
export function softmaxCrossEntropy(
  logits: Float64Array,
  labels: Num,
  n: number,
  k: number,
): { probs: Float64Array; loss: number; dlogits: Float64Array } {
  const probs = new Float64Array(n * k);
  const dlogits = new Float64Array(n * k);
  let loss = 0;
  for (let r = 0; r < n; r++) {
    let mx = -Infinity;
    for (let j = 0; j < k; j++) mx = Math.max(mx, logits[r * k + j]!);
    let z = 0;
    for (let j = 0; j < k; j++) z += Math.exp(logits[r * k + j]! - mx);
    for (let j = 0; j < k; j++) {
      const lp = logits[r * k + j]! - mx - Math.log(z);
      probs[r * k + j] = Math.exp(lp);
      loss -= labels[r * k + j]! * lp;
      dlogits[r * k + j] = (probs[r * k + j]! - labels[r * k + j]!) / n;
    }
  }
  return { probs, loss: loss / n, dlogits };
}

export interface ReferenceResult {
  loss: number;
  probs: Float64Array;
  grads: Map<string, Float64Array>;
  /** Gradient w.r.t. the input crops. */
  dIm: Float64Array;
  /** Batch mean and biased variance of each batch-norm layer, keyed like its running buffers. */
  batchStats: Map<string, Float64Array>;
}

/**
 * Whole-net forward and backward, matching buildTrainingGraph: loss = mean CE + l2·Σ‖W‖²/2 over
 * weights. `labels` is one-hot (or soft) [n, 2].
 */
export function referenceForwardBackward(
  arch: GqcnnArchitecture,
  // batch norm (training mode) uses batch statistics, so running-statistics buffers may be absent
  params: Map<string, Num>,
  im: Num,
  pose: Num,
  labels: Num,
  n: number,
  l2: number,
  backward = true,
  bnEpsilon = 1e-5,
): ReferenceResult {
  const P = (k: string): Num => {
    const v = params.get(k);
    if (!v) throw new Error(`reference: parameter ${k} missing`);
    return v;
  };
  const geos = convGeometry(arch);
  let x: Tensor4 = { data: Float64Array.from(im), n, c: arch.imChannels, h: arch.imHeight, w: arch.imWidth };
  const caches: {
    x: Tensor4;
    a: Tensor4;
    lrn?: { s: Float64Array };
    bn?: { xhat: Float64Array; invStd: Float64Array };
    argmax?: Int32Array;
    yLen: number;
  }[] = [];
  const batchStats = new Map<string, Float64Array>();
  arch.conv.forEach((l, i) => {
    const g = geos[i]!;
    const z = convForward(x, P(`conv${i + 1}.W`), P(`conv${i + 1}.b`), l.numFilters, l.filterSize, g.convPads);
    const a: Tensor4 = { ...z, data: relu(z.data) };
    const cache: (typeof caches)[number] = { x, a, yLen: a.data.length };
    let y = a;
    if (l.norm === 'lrn') {
      const r = lrnForward(a, arch.lrn.radius, arch.lrn.alpha, arch.lrn.beta, arch.lrn.bias);
      y = r.y;
      cache.lrn = { s: r.s };
    } else if (l.norm === 'batchnorm') {
      const r = batchNormForward(a, P(`conv${i + 1}.bn.gamma`), P(`conv${i + 1}.bn.beta`), bnEpsilon);
      y = r.y;
      cache.bn = { xhat: r.xhat, invStd: r.invStd };
      batchStats.set(`conv${i + 1}.bn.mean`, r.mean);
      batchStats.set(`conv${i + 1}.bn.var`, r.variance);
    }
    if (g.hasPool) {
      const p = maxPoolForward(y, l.poolSize, l.poolStride, g.poolPads, g.outH, g.outW);
      cache.argmax = p.argmax;
      y = p.y;
    }
    caches.push(cache);
    x = y;
  });
  const D = x.c * x.h * x.w;
  const imActs: Float64Array[] = [x.data];
  let h = x.data;
  let d = D;
  arch.fc.forEach((nOut, j) => {
    h = relu(denseForward(h, n, d, P(`fc${j + 1}.W`), P(`fc${j + 1}.b`), nOut));
    imActs.push(h);
    d = nOut;
  });
  const ap = relu(denseForward(pose, n, arch.poseDim, P('pose.W'), P('pose.b'), arch.poseFc));
  const m0 = arch.mergeFc[0]!;
  const zi = denseForward(h, n, d, P('merge1.Wim'), P('merge1.b'), m0);
  const zp = denseForward(ap, n, arch.poseFc, P('merge1.Wpose'), null, m0);
  let m = relu(zi.map((v, i) => v + zp[i]!));
  const mergeActs = [m];
  let dm0 = m0;
  for (let k = 1; k < arch.mergeFc.length; k++) {
    m = relu(denseForward(m, n, dm0, P(`merge${k + 1}.W`), P(`merge${k + 1}.b`), arch.mergeFc[k]!));
    dm0 = arch.mergeFc[k]!;
    mergeActs.push(m);
  }
  const logits = denseForward(m, n, dm0, P('out.W'), P('out.b'), arch.outputs);
  const sce = softmaxCrossEntropy(logits, labels, n, arch.outputs);
  let sumSq = 0;
  const specs = parameterSpecs(arch);
  for (const s of specs) if (s.role === 'weight') for (const v of Array.from(P(s.name))) sumSq += v * v;
  const loss = sce.loss + 0.5 * l2 * sumSq;
  const grads = new Map<string, Float64Array>();
  if (!backward) return { loss, probs: sce.probs, grads, dIm: new Float64Array(0), batchStats };

  const mergeSizes = arch.mergeFc;
  let g = denseBackward(m, n, mergeSizes[mergeSizes.length - 1]!, P('out.W'), sce.dlogits, arch.outputs);
  grads.set('out.W', g.dW);
  grads.set('out.b', g.db);
  let dm = g.dx;
  for (let k = mergeSizes.length - 1; k >= 1; k--) {
    const dz = reluBackward(dm, mergeActs[k]!);
    g = denseBackward(mergeActs[k - 1]!, n, mergeSizes[k - 1]!, P(`merge${k + 1}.W`), dz, mergeSizes[k]!);
    grads.set(`merge${k + 1}.W`, g.dW);
    grads.set(`merge${k + 1}.b`, g.db);
    dm = g.dx;
  }
  const dzm = reluBackward(dm, mergeActs[0]!);
  const dImFc = arch.fc[arch.fc.length - 1]!;
  g = denseBackward(h, n, dImFc, P('merge1.Wim'), dzm, m0);
  grads.set('merge1.Wim', g.dW);
  grads.set('merge1.b', g.db);
  let dh = g.dx;
  const gp = denseBackward(ap, n, arch.poseFc, P('merge1.Wpose'), dzm, m0);
  grads.set('merge1.Wpose', gp.dW);
  const gpose = denseBackward(pose, n, arch.poseDim, P('pose.W'), reluBackward(gp.dx, ap), arch.poseFc);
  grads.set('pose.W', gpose.dW);
  grads.set('pose.b', gpose.db);
  for (let j = arch.fc.length - 1; j >= 0; j--) {
    const nIn = j === 0 ? D : arch.fc[j - 1]!;
    g = denseBackward(imActs[j]!, n, nIn, P(`fc${j + 1}.W`), reluBackward(dh, imActs[j + 1]!), arch.fc[j]!);
    grads.set(`fc${j + 1}.W`, g.dW);
    grads.set(`fc${j + 1}.b`, g.db);
    dh = g.dx;
  }
  let dx = dh;
  for (let i = arch.conv.length - 1; i >= 0; i--) {
    const l = arch.conv[i]!;
    const c = caches[i]!;
    let dy = c.argmax ? maxPoolBackward(dx, c.argmax, c.yLen) : dx;
    if (c.lrn) dy = lrnBackward(c.a, c.lrn.s, dy, arch.lrn.radius, arch.lrn.alpha, arch.lrn.beta);
    if (c.bn) {
      const r = batchNormBackward(c.a, c.bn.xhat, c.bn.invStd, P(`conv${i + 1}.bn.gamma`), dy);
      grads.set(`conv${i + 1}.bn.gamma`, r.dGamma);
      grads.set(`conv${i + 1}.bn.beta`, r.dBeta);
      dy = r.da;
    }
    const dz: Tensor4 = { ...c.a, data: reluBackward(dy, c.a.data) };
    const cb = convBackward(c.x, P(`conv${i + 1}.W`), dz, l.filterSize, geos[i]!.convPads);
    grads.set(`conv${i + 1}.W`, cb.dW);
    grads.set(`conv${i + 1}.b`, cb.db);
    dx = cb.dx;
  }
  for (const s of specs) {
    if (s.role !== 'weight') continue;
    const gr = grads.get(s.name)!;
    const w = P(s.name);
    for (let i = 0; i < gr.length; i++) gr[i]! += l2 * w[i]!;
    if (gr.length !== sizeOf(s.shape)) throw new Error(`reference: gradient ${s.name} has wrong size`);
  }
  return { loss, probs: sce.probs, grads, dIm: dx, batchStats };
}
