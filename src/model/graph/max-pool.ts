// Max-pooling's backward pass: each output's gradient goes to exactly the input element the forward
// picked (MaxPool's second output), never to every tied maximum as an upsample-and-compare mask would.
import type { ConvLayerGeometry, ConvLayerSpec } from '../architecture.js';
import { A, type GraphBuilder } from '../onnx-graph.js';

/**
 * 'auto' (default): 'blocks' where pool windows tile the input exactly (size = stride, no padding,
 * sizes divisible), else 'scatter'. 'scatter' writes each gradient at its index with ScatterElements
 * (adding where overlapping windows share an element); 'blocks' lays the p² positions of each window
 * out as channels and interleaves them back with DepthToSpace, which avoids ScatterElements' scalar loop
 * over int64 indices and its zero-filled buffer.
 */
export type MaxPoolGradMode = 'auto' | 'scatter';

/**
 * dy [N, C, Hp, Wp] (pooled) → d(pool input) shaped like `input` [N, C, H, W]. MaxPool's indices
 * address the flattened NCHW input (padding excluded).
 */
export function maxPoolBackward(
  g: GraphBuilder,
  dy: string,
  input: string,
  indices: string,
  l: ConvLayerSpec,
  geo: ConvLayerGeometry,
  mode: MaxPoolGradMode,
): string {
  const p = l.poolSize;
  const tiles =
    p === l.poolStride && geo.poolPads.every((x) => x === 0) && geo.convH % p === 0 && geo.convW % p === 0;
  if (mode === 'auto' && tiles) return windowBlocksBackward(g, dy, indices, p, geo);
  const shapeY = g.op1('Shape', [input]);
  const flatShape = g.constInt64([-1]);
  const zeros = g.op1('Reshape', [
    g.op1('ConstantOfShape', [shapeY], { value: A.t({ dataType: 1, dims: [1], floatData: [0] }) }),
    flatShape,
  ]);
  const scatterAttrs: Record<string, ReturnType<typeof A.i>> = { axis: A.i(0) };
  if (l.poolSize > l.poolStride) scatterAttrs.reduction = A.s('add');
  const scattered = g.op1(
    'ScatterElements',
    [zeros, g.op1('Reshape', [indices, flatShape]), g.op1('Reshape', [dy, flatShape])],
    scatterAttrs,
  );
  return g.op1('Reshape', [scattered, shapeY]);
}

/**
 * Windows p×p tiling an H×W map (H, W divisible by p). The flat index of input element
 * (n, c, i·p + bh, j·p + bw) modulo p·W is bh·W + j·p + bw, which names the window position
 * (bh, bw) of output column j; the gradient of position k = bh·p + bw goes to channel block k, and
 * DepthToSpace (DCR: channel (bh·p + bw)·C + c → pixel offset (bh, bw)) puts it in place.
 */
function windowBlocksBackward(g: GraphBuilder, dy: string, indices: string, p: number, geo: ConvLayerGeometry): string {
  const W = geo.convW;
  const hOut = geo.convH / p;
  const wOut = W / p;
  const expected: number[] = [];
  for (let bh = 0; bh < p; bh++)
    for (let bw = 0; bw < p; bw++) for (let j = 0; j < wOut; j++) expected.push(bh * W + j * p + bw);
  const position = g.op1('Mod', [indices, g.constInt64([p * W], [])]);
  const blocks = [0, 1, -1, hOut, wOut];
  const picked = g.op1('Equal', [
    g.op1('Reshape', [position, g.constInt64(blocks)]),
    g.constInt64(expected, [1, p * p, 1, 1, wOut]),
  ]);
  const spread = g.op1('Where', [picked, g.op1('Reshape', [dy, g.constInt64(blocks)]), g.constFloat([0], [])]);
  return g.op1(
    'DepthToSpace',
    [g.op1('Reshape', [spread, g.constInt64([0, -1, hOut, wOut])])],
    { blocksize: A.i(p), mode: A.s('DCR') },
  );
}
