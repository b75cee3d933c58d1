// The dense part of the GQ-CNN: image-stream fcs on the flattened features, the pose stream, the merge
// layers that join them, and the logits; returns the activations the backward pass needs.
import type { GqcnnArchitecture } from '../architecture.js';
import type { GraphBuilder } from '../onnx-graph.js';
import { tensorOf } from './parameter-inputs.js';

export interface DenseHead {
  /** the flattened features, then each image-stream fc's output */
  imActs: string[];
  /** the pose stream's output */
  ap: string;
  /** each merge layer's output */
  mergeActs: string[];
  logits: string;
}

export function denseHead(
  g: GraphBuilder,
  arch: GqcnnArchitecture,
  flat: string,
  pose: string,
  P: Map<string, string>,
): DenseHead {
  const p = (name: string) => tensorOf(P, name);
  const imActs: string[] = [flat];
  let h = flat;
  arch.fc.forEach((_, j) => {
    h = g.op1('Relu', [g.op1('Gemm', [h, p(`fc${j + 1}.W`), p(`fc${j + 1}.b`)])]);
    imActs.push(h);
  });
  const ap = g.op1('Relu', [g.op1('Gemm', [pose, p('pose.W'), p('pose.b')])]);
  let m = g.op1('Relu', [
    g.op1('Add', [g.op1('Gemm', [h, p('merge1.Wim'), p('merge1.b')]), g.op1('MatMul', [ap, p('merge1.Wpose')])]),
  ]);
  const mergeActs: string[] = [m];
  for (let k = 1; k < arch.mergeFc.length; k++) {
    m = g.op1('Relu', [g.op1('Gemm', [m, p(`merge${k + 1}.W`), p(`merge${k + 1}.b`)])]);
    mergeActs.push(m);
  }
  const logits = g.op1('Gemm', [m, p('out.W'), p('out.b')]);
  return { imActs, ap, mergeActs, logits };
}
