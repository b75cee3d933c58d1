// The conv trunk: conv → ReLU → (LRN | batch norm) → (max-pool) for every conv layer; in training it
// keeps, per layer, the tensors the backward pass needs.
import { type GqcnnArchitecture, convGeometry } from '../architecture.js';
import { A, type GraphBuilder } from '../onnx-graph.js';
import { type BatchNormCache, batchNormInference, batchNormTraining } from './batch-norm.js';
import { type LrnCache, lrnForward } from './lrn.js';
import { tensorOf } from './parameter-inputs.js';

export interface ConvCache {
  /** the layer's input */
  x: string;
  /** ReLU output */
  a: string;
  lrn?: LrnCache;
  bn?: BatchNormCache;
  /** the pool's input (the normalised activation) */
  y: string;
  /** MaxPool's argmax indices into y */
  poolIdx?: string;
  out: string;
}

export function convTrunk(
  g: GraphBuilder,
  arch: GqcnnArchitecture,
  im: string,
  P: Map<string, string>,
  training: boolean,
): { out: string; caches: ConvCache[] } {
  const geos = convGeometry(arch);
  const caches: ConvCache[] = [];
  let x = im;
  arch.conv.forEach((l, i) => {
    const geo = geos[i]!;
    const z = g.op1('Conv', [x, tensorOf(P, `conv${i + 1}.W`), tensorOf(P, `conv${i + 1}.b`)], {
      kernel_shape: A.is([l.filterSize, l.filterSize]),
      pads: A.is(geo.convPads),
      strides: A.is([1, 1]),
    });
    const a = g.op1('Relu', [z]);
    const cache: ConvCache = { x, a, y: a, out: a };
    let y = a;
    if (l.norm === 'lrn') {
      const r = lrnForward(g, a, l.numFilters, arch.lrn);
      y = r.y;
      if (training) cache.lrn = r.cache;
    } else if (l.norm === 'batchnorm') {
      const pre = `conv${i + 1}.bn`;
      if (training) {
        const r = batchNormTraining(g, a, tensorOf(P, `${pre}.gamma`), tensorOf(P, `${pre}.beta`));
        y = r.y;
        cache.bn = r.cache;
      } else
        y = batchNormInference(g, a, {
          gamma: tensorOf(P, `${pre}.gamma`),
          beta: tensorOf(P, `${pre}.beta`),
          mean: tensorOf(P, `${pre}.mean`),
          variance: tensorOf(P, `${pre}.var`),
        });
    }
    cache.y = y;
    if (geo.hasPool) {
      const attrs = {
        kernel_shape: A.is([l.poolSize, l.poolSize]),
        strides: A.is([l.poolStride, l.poolStride]),
        pads: A.is(geo.poolPads),
      };
      if (training) {
        const [p, idx] = g.op('MaxPool', [y], attrs, 2);
        cache.poolIdx = idx!;
        y = p!;
      } else y = g.op1('MaxPool', [y], attrs);
    }
    cache.out = y;
    caches.push(cache);
    x = y;
  });
  return { out: x, caches };
}
