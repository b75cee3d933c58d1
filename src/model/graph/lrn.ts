// Local response normalisation (TensorFlow's convention, as gqcnn) and its backward pass, written
// out of plain ops rather than ONNX's LRN: ORT's LRN kernel took 272 ms of a 700 ms GQCNN-2.0 batch,
// and the backward pass reuses the forward's s and s^−β.
import type { LrnSpec } from '../architecture.js';
import type { GraphBuilder } from '../onnx-graph.js';

/** What the backward pass needs from the forward. */
export interface LrnCache {
  /** the ReLU output the LRN normalises */
  a: string;
  /** s = bias + α·Σ_window a² */
  s: string;
  /** s^−β */
  sb: string;
  band: string;
}

/** Channel-window matrix of LRN as a 1×1 conv weight: B[c, c'] = 1 where |c − c'| ≤ radius. */
export function lrnBand(channels: number, radius: number): Float32Array {
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

/** y = a · s^−β over `channels` channels of a [N, C, H, W] tensor. */
export function lrnForward(
  g: GraphBuilder,
  a: string,
  channels: number,
  lrn: LrnSpec,
): { y: string; cache: LrnCache } {
  const { radius, alpha, beta, bias } = lrn;
  const band = g.constFloat(lrnBand(channels, radius), [channels, channels, 1, 1]);
  const S = g.op1('Conv', [g.op1('Mul', [a, a]), band]);
  const s = g.op1('Add', [g.op1('Mul', [S, g.constFloat([alpha], [])]), g.constFloat([bias], [])]);
  const sb = negativePower(g, s, beta);
  return { y: g.op1('Mul', [a, sb]), cache: { a, s, sb, band } };
}

/**
 * da from dy: da_d = dy_d·s_d^−β − 2αβ·a_d·Σ_{c∋d} dy_c·a_c·s_c^(−β−1); the window is symmetric so B = Bᵀ.
 */
export function lrnBackward(g: GraphBuilder, dy: string, c: LrnCache, lrn: LrnSpec): string {
  const { alpha, beta } = lrn;
  const { a, s, sb, band } = c;
  const t = g.op1('Mul', [g.op1('Mul', [dy, a]), g.op1('Div', [sb, s])]);
  const u = g.op1('Conv', [t, band]);
  return g.op1('Sub', [
    g.op1('Mul', [dy, sb]),
    g.op1('Mul', [g.op1('Mul', [u, a]), g.constFloat([2 * alpha * beta], [])]),
  ]);
}
