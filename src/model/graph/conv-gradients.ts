// Weight and input gradients of a stride-1 conv layer from plain ops: the weight gradient as shifted
// Gemms (or a batch/channel-swapped Conv), the input gradient as a Conv with the flipped kernel (or
// ConvTranspose). Which formulation is fastest was measured with ORT's profiler (see the options).
import type { ConvLayerGeometry } from '../architecture.js';
import { A, type GraphBuilder } from '../onnx-graph.js';

/** Below this many input channels the 'conv' weight gradient beats k² thin Gemms. */
export const SHIFT_MIN_CHANNELS = 4;

export type ConvWeightGradMode = 'auto' | 'shift' | 'conv';
export type ConvInputGradMode = 'conv' | 'convTranspose';

/** dW[o,i,u,v] = Σ_n,h,w dz[n,o,h,w]·xpad[n,i,h+u,w+v] for a k×k conv with pads geo.convPads. */
export function convWeightGradient(
  g: GraphBuilder,
  x: string,
  dz: string,
  k: number,
  numFilters: number,
  geo: ConvLayerGeometry,
  mode: ConvWeightGradMode,
): string {
  if (mode === 'shift' || (mode === 'auto' && geo.inChannels >= SHIFT_MIN_CHANNELS))
    return shiftedGemmWeightGradient(g, x, dz, k, numFilters, geo);
  // the same sum as a conv with batch and channels swapped
  const xT = g.op1('Transpose', [x], { perm: A.is([1, 0, 2, 3]) });
  const dzT = g.op1('Transpose', [dz], { perm: A.is([1, 0, 2, 3]) });
  const dWT = g.op1('Conv', [xT, dzT], { pads: A.is(geo.convPads) });
  return g.op1('Transpose', [dWT], { perm: A.is([1, 0, 2, 3]) });
}

/**
 * x as rows (h, w, n) × I, padded to [Hp+1, Wp, N, I]; dz as rows (h, w, n) × O padded to width Wp.
 * For offset (u, v) the x rows pairing with dz rows start at (u·Wp + v)·N and run contiguously (the
 * padded dz columns are zero, so wrapping into the next row adds nothing):
 * dW[o, i, u, v] = Σ_r dz[r, o]·x[r + (u·Wp + v)·N, i]
 */
function shiftedGemmWeightGradient(
  g: GraphBuilder,
  x: string,
  dz: string,
  k: number,
  O: number,
  geo: ConvLayerGeometry,
): string {
  const [pt, pl, pb, pr] = geo.convPads;
  const Wp = geo.inW + pl + pr;
  const I = geo.inChannels;
  // [N, C, H, W] → [H, W, N, C] is a 2-D transpose of [(N, C), (H, W)]; written that way
  // ORT takes its fast 2-D path (the generic 4-D permutation was ~2× slower)
  const hwnc = (t: string, C: number, H: number, Wd: number) =>
    g.op1('Reshape', [
      g.op1('Transpose', [g.op1('Reshape', [t, g.constInt64([-1, H * Wd])])], { perm: A.is([1, 0]) }),
      g.constInt64([H, Wd, -1, C]),
    ]);
  const xs = hwnc(x, I, geo.inH, geo.inW);
  // x as [(Hp+1)·Wp, N, I] (rows (h, w), then batch): row offset u·Wp + v is kernel offset (u, v)
  const X = g.op1('Reshape', [
    g.op1('Pad', [xs, g.constInt64([pt, pl, 0, 0, pb + 1, pr, 0, 0])]),
    g.constInt64([(geo.inH + pt + pb + 1) * Wp, -1, I]),
  ]);
  const dzs = hwnc(dz, O, geo.convH, geo.convW);
  const dzp = Wp > geo.convW ? g.op1('Pad', [dzs, g.constInt64([0, 0, 0, 0, 0, Wp - geo.convW, 0, 0])]) : dzs;
  const D = g.op1('Reshape', [dzp, g.constInt64([geo.convH * Wp, -1, O])]);
  // columns (v, o): dz moved down v rows, so one Gemm per u covers all k offsets v at once
  const Dv = Array.from({ length: k }, (_, v) =>
    k === 1 ? D : g.op1('Pad', [D, g.constInt64([v, 0, 0, k - 1 - v, 0, 0])]),
  );
  const Dstack = g.op1('Reshape', [k === 1 ? D : g.op1('Concat', Dv, { axis: A.i(2) }), g.constInt64([-1, k * O])]);
  const rows = geo.convH * Wp + k - 1;
  const parts: string[] = [];
  for (let u = 0; u < k; u++) {
    const Xu = g.op1('Slice', [X, g.constInt64([u * Wp]), g.constInt64([u * Wp + rows]), g.constInt64([0])]);
    parts.push(g.op1('Gemm', [Dstack, g.op1('Reshape', [Xu, g.constInt64([-1, I])])], { transA: A.i(1) }));
  }
  const stacked = parts.length === 1 ? parts[0]! : g.op1('Concat', parts, { axis: A.i(0) });
  return g.op1('Transpose', [g.op1('Reshape', [stacked, g.constInt64([k, k, O, I])])], { perm: A.is([2, 3, 0, 1]) });
}

/** dx of a k×k stride-1 conv from dz and W [O, I, k, k]. */
export function convInputGradient(
  g: GraphBuilder,
  dz: string,
  W: string,
  k: number,
  geo: ConvLayerGeometry,
  mode: ConvInputGradMode,
): string {
  const [pt, pl, pb, pr] = geo.convPads;
  if (mode === 'convTranspose')
    return g.op1('ConvTranspose', [dz, W], { pads: A.is(geo.convPads), strides: A.is([1, 1]) });
  // dx[j] = Σ_u dz[j + pt − u]·W[u]: correlation with the flipped kernel, pads k−1−p
  const big = -(2 ** 62);
  const Wflip = g.op1('Slice', [
    W,
    g.constInt64([-1, -1]),
    g.constInt64([big, big]),
    g.constInt64([2, 3]),
    g.constInt64([-1, -1]),
  ]);
  const Wt = g.op1('Transpose', [Wflip], { perm: A.is([1, 0, 2, 3]) });
  const pads = [k - 1 - pt, k - 1 - pl, k - 1 - pb, k - 1 - pr];
  return g.op1('Conv', [dz, Wt], { kernel_shape: A.is([k, k]), pads: A.is(pads) });
}
