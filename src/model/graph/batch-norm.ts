// Batch normalisation over (N, H, W) after a conv's ReLU: batch statistics with their backward pass in
// training, the running statistics (ONNX BatchNormalization) in inference.
import { A, type GraphBuilder } from '../onnx-graph.js';

/** Batch-norm ε added to the variance. */
export const BN_EPSILON = 1e-5;

/** What the backward pass and the running-statistics update need from the forward. */
export interface BatchNormCache {
  xhat: string;
  invStd: string;
  gamma4: string;
  mean: string;
  variance: string;
}

/** Training: batch mean and biased variance over (N, H, W), as in the reference. */
export function batchNormTraining(
  g: GraphBuilder,
  a: string,
  gamma: string,
  beta: string,
): { y: string; cache: BatchNormCache } {
  const axes = { axes: A.is([0, 2, 3]), keepdims: A.i(1) };
  const mean = g.op1('ReduceMean', [a], axes);
  const d = g.op1('Sub', [a, mean]);
  const variance = g.op1('ReduceMean', [g.op1('Mul', [d, d])], axes);
  const invStd = g.op1('Reciprocal', [g.op1('Sqrt', [g.op1('Add', [variance, g.constFloat([BN_EPSILON], [])])])]);
  const xhat = g.op1('Mul', [d, invStd]);
  const c4 = g.constInt64([1, -1, 1, 1]);
  const gamma4 = g.op1('Reshape', [gamma, c4]);
  const y = g.op1('Add', [g.op1('Mul', [xhat, gamma4]), g.op1('Reshape', [beta, c4])]);
  return { y, cache: { xhat, invStd, gamma4, mean, variance } };
}

/** Inference: the running statistics. */
export function batchNormInference(
  g: GraphBuilder,
  a: string,
  p: { gamma: string; beta: string; mean: string; variance: string },
): string {
  return g.op1('BatchNormalization', [a, p.gamma, p.beta, p.mean, p.variance], { epsilon: A.f(BN_EPSILON) });
}

/** dγ, dβ and da = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / σ with dx̂ = dy·γ, means over (N, H, W). */
export function batchNormBackward(
  g: GraphBuilder,
  dy: string,
  c: BatchNormCache,
): { dGamma: string; dBeta: string; da: string } {
  const { xhat, invStd, gamma4 } = c;
  const sumAxes = g.constInt64([0, 2, 3]);
  const dGamma = g.op1('ReduceSum', [g.op1('Mul', [dy, xhat]), sumAxes], { keepdims: A.i(0) });
  const dBeta = g.op1('ReduceSum', [dy, sumAxes], { keepdims: A.i(0) });
  const dxhat = g.op1('Mul', [dy, gamma4]);
  const axes = { axes: A.is([0, 2, 3]), keepdims: A.i(1) };
  const m1 = g.op1('ReduceMean', [dxhat], axes);
  const m2 = g.op1('ReduceMean', [g.op1('Mul', [dxhat, xhat])], axes);
  const da = g.op1('Mul', [g.op1('Sub', [g.op1('Sub', [dxhat, m1]), g.op1('Mul', [xhat, m2])]), invStd]);
  return { dGamma, dBeta, da };
}
