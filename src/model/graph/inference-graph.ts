// The inference graph: normalised crops and poses in, class probabilities out.
import type { GqcnnArchitecture, Params } from '../architecture.js';
import { A, GraphBuilder } from '../onnx-graph.js';
import { convTrunk } from './conv-trunk.js';
import { denseHead } from './dense-head.js';
import { opsetFor } from './opset.js';
import { parameterTensors } from './parameter-inputs.js';

/**
 * Inference graph: `im` [N, C, H, W] (normalised), `pose` [N, poseDim] (normalised) → `probs` [N, 2].
 * With `params` the weights are initializers (a self-contained model); with null they are inputs
 * named like the parameters, so a trainer can evaluate current weights without rebuilding.
 */
export function buildInferenceGraph(arch: GqcnnArchitecture, params: Params | null): Uint8Array {
  const g = new GraphBuilder(`${arch.name}-inference`);
  const im = g.input('im', ['N', arch.imChannels, arch.imHeight, arch.imWidth]);
  const pose = g.input('pose', ['N', arch.poseDim]);
  const P = parameterTensors(g, arch, params);
  const { out } = convTrunk(g, arch, im, P, false);
  const flat = g.op1('Flatten', [out], { axis: A.i(1) });
  const { logits } = denseHead(g, arch, flat, pose, P);
  g.op1('Softmax', [logits], { axis: A.i(1) }, 'probs');
  g.output('probs', ['N', arch.outputs]);
  return g.toBytes(opsetFor(arch), JSON.stringify({ arch }));
}
