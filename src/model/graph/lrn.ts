// Local response normalisation (TensorFlow's convention, as gqcnn) and its backward pass, written
// out of plain ops rather than ONNX's LRN: ORT's LRN kernel took 272 ms of a 700 ms GQCNN-2.0 batch,
// and the backward pass reuses the forward's s and s^−β.
import type { LrnSpec } from '../architecture.js';
import type { GraphBuilder } from '../onnx-graph.js';

/** What the backward pass needs from the forward. */
export interface LrnCache {
  /** the ReLU output the LRN normalises */
  a: string;
  /** its output y = a / q */
  y: string;
  /** s = bias + α·Σ_window a² */
  s: string;
  /** q = s^β */
  q: string;
  channels: number;
}

/** Channel-window matrix of LRN as a 1×1 conv weight: B[c, c'] = scale where |c − c'| ≤ radius. */
export function lrnBand(channels: number, radius: number, scale = 1): Float32Array {
  const b = new Float32Array(channels * channels);
  for (let c = 0; c < channels; c++)
    for (let d = Math.max(0, c - radius); d <= Math.min(channels - 1, c + radius); d++) b[c * channels + d] = scale;
  return b;
}

/** s^β with vectorised Sqrt where β allows it (ORT's Pow is scalar and slow); s > 0. */
function power(g: GraphBuilder, s: string, beta: number): string {
  if (beta === 0.75) return g.op1('Sqrt', [g.op1('Mul', [s, g.op1('Sqrt', [s])])]);
  if (beta === 0.5) return g.op1('Sqrt', [s]);
  if (beta === 1) return s;
  return g.op1('Exp', [g.op1('Mul', [g.op1('Log', [s]), g.constFloat([beta], [])])]);
}

/**
 * y = a / s^β over `channels` channels of a [N, C, H, W] tensor. α and the bias ride in the window
 * conv's weight and bias, and y divides by s^β rather than multiplying by a reciprocal: three fewer
 * passes over the activations than the formula written term by term.
 */
export function lrnForward(g: GraphBuilder, a: string, channels: number, lrn: LrnSpec): { y: string; cache: LrnCache } {
  const { radius, alpha, beta, bias } = lrn;
  const band = g.constFloat(lrnBand(channels, radius, alpha), [channels, channels, 1, 1]);
  const biases = g.constFloat(new Float32Array(channels).fill(bias), [channels]);
  const s = g.op1('Conv', [g.op1('Mul', [a, a]), band, biases]);
  const q = power(g, s, beta);
  const y = g.op1('Div', [a, q]);
  return { y, cache: { a, y, s, q, channels } };
}

/**
 * da from dy: da_d = dy_d / q_d − 2αβ·a_d·Σ_{c∋d} dy_c·y_c / s_c, using a_c·s_c^(−β−1) = y_c / s_c; the
 * window is symmetric so its matrix is its own transpose.
 */
export function lrnBackward(g: GraphBuilder, dy: string, c: LrnCache, lrn: LrnSpec): string {
  const { radius, alpha, beta } = lrn;
  const { a, y, s, q, channels } = c;
  const band = g.constFloat(lrnBand(channels, radius, 2 * alpha * beta), [channels, channels, 1, 1]);
  const u = g.op1('Conv', [g.op1('Div', [g.op1('Mul', [dy, y]), s]), band]);
  return g.op1('Sub', [g.op1('Div', [dy, q]), g.op1('Mul', [u, a])]);
}
