// Backward passes of the dense layers and ReLU, and the collector of parameter gradients (which adds
// the L2 term l2·W to every weight's).
import { A, type GraphBuilder } from '../onnx-graph.js';

export class GradientCollector {
  readonly grads = new Map<string, string>();
  constructor(
    private readonly g: GraphBuilder,
    private readonly l2: string,
  ) {}

  /** A weight's gradient: the data term plus l2·W. */
  weight(name: string, raw: string): void {
    this.grads.set(name, this.g.op1('Add', [raw, this.g.op1('Mul', [name, this.l2])]));
  }

  /** A bias's or scale's gradient (not regularised). */
  plain(name: string, grad: string): void {
    this.grads.set(name, grad);
  }
}

/** dy through ReLU: dy where the activation is positive, else 0. */
export const reluBackward = (g: GraphBuilder, dy: string, act: string, zero: string): string =>
  g.op1('Where', [g.op1('Greater', [act, zero]), dy, zero]);

/**
 * y = x·W + b: dW = xᵀ·dz, db = Σ_rows dz, and dx = dz·Wᵀ when asked for.
 */
export function denseBackward(
  g: GraphBuilder,
  grads: GradientCollector,
  layer: { x: string; W: string; b: string | null },
  dz: string,
  needDx: boolean,
): string | null {
  grads.weight(layer.W, g.op1('Gemm', [layer.x, dz], { transA: A.i(1) }));
  if (layer.b) grads.plain(layer.b, g.op1('ReduceSum', [dz, g.constInt64([0])], { keepdims: A.i(0) }));
  return needDx ? g.op1('Gemm', [dz, layer.W], { transB: A.i(1) }) : null;
}
