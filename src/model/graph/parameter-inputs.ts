// The network's parameters as graph tensors: initializers (a self-contained model) or inputs (weights fed
// each run), and a lookup that fails loudly on a name the builders expect but the graph lacks.
import { type GqcnnArchitecture, type Params, parameterSpecs, sizeOf, trainableSpecs } from '../architecture.js';
import type { GraphBuilder } from '../onnx-graph.js';

/** Parameter name → tensor name; with `params` the values are initializers, with null graph inputs. */
export function parameterTensors(
  g: GraphBuilder,
  arch: GqcnnArchitecture,
  params: Params | null,
  trainableOnly = false,
): Map<string, string> {
  const refs = new Map<string, string>();
  for (const p of trainableOnly ? trainableSpecs(arch) : parameterSpecs(arch)) {
    if (params) {
      const data = params.get(p.name);
      if (!data) throw new Error(`parameter ${p.name} missing`);
      if (data.length !== sizeOf(p.shape))
        throw new Error(
          `parameter ${p.name} has ${data.length} values, expected ${sizeOf(p.shape)} (shape ${p.shape.join('×')})`,
        );
      g.initializer(p.name, data, p.shape);
    } else g.input(p.name, p.shape);
    refs.set(p.name, p.name);
  }
  return refs;
}

/** The tensor for `key`; a missing one is a bug in the builders, not bad input. */
export const tensorOf = (m: Map<string, string>, key: string): string => {
  const v = m.get(key);
  if (v === undefined) throw new Error(`internal: no tensor ${key}`);
  return v;
};
