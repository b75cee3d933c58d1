// Max-pooling's backward pass: each output's gradient goes to exactly the input element the forward
// picked (MaxPool's second output), never to every tied maximum as an upsample-and-compare mask would.
import type { ConvLayerSpec } from '../architecture.js';
import { A, type GraphBuilder } from '../onnx-graph.js';

/**
 * dy [N, C, Hp, Wp] (pooled) → d(pool input) shaped like `input` [N, C, H, W]. MaxPool's indices
 * address the flattened NCHW input (padding excluded); overlapping windows add where they share an
 * element. (Laying each window's p² positions out as channels and interleaving them with DepthToSpace
 * instead took 43 ms against ScatterElements' 30 ms for GQCNN-2.0's second pool at batch 64, 1 thread.)
 */
export function maxPoolBackward(g: GraphBuilder, dy: string, input: string, indices: string, l: ConvLayerSpec): string {
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
