// Tiny architectures and seeded inputs shared by the model tests.
import {
  type ConvLayerSpec,
  type GqcnnArchitecture,
  GQCNN_LRN,
  initParameters,
  type Params,
} from '../../src/model/architecture.js';
import { Random } from '../../src/core/random.js';

const layer = (
  filterSize: number,
  numFilters: number,
  poolSize: number,
  poolStride: number,
  norm: 'none' | 'lrn',
  padding: 'SAME' | 'VALID',
): ConvLayerSpec => ({
  filterSize,
  numFilters,
  poolSize,
  poolStride,
  norm,
  padding,
});

/** SAME convs (stride 1), one unpooled and one with a 2/2 pool; one fc, one merge. */
export const TINY_SAME: GqcnnArchitecture = {
  name: 'tiny-same',
  imHeight: 6,
  imWidth: 6,
  imChannels: 1,
  conv: [layer(3, 2, 1, 1, 'none', 'SAME'), layer(3, 3, 2, 2, 'none', 'SAME')],
  fc: [4],
  poseDim: 1,
  poseFc: 3,
  mergeFc: [4],
  outputs: 2,
  lrn: GQCNN_LRN,
};

/** VALID conv + LRN (strong α so it matters) + overlapping 3/2 pool; two fcs, two merges, 2-D pose. */
export const TINY_LRN_OVERLAP: GqcnnArchitecture = {
  name: 'tiny-lrn-overlap',
  imHeight: 7,
  imWidth: 7,
  imChannels: 1,
  conv: [layer(2, 4, 3, 2, 'lrn', 'VALID')],
  fc: [4, 3],
  poseDim: 2,
  poseFc: 3,
  mergeFc: [4, 3],
  outputs: 2,
  lrn: { radius: 1, alpha: 0.3, beta: 0.5, bias: 1.0 },
};

/** SAME pool whose window hangs over the border (5 → 3), LRN after the second conv. */
export const TINY_SAME_POOL_PAD: GqcnnArchitecture = {
  name: 'tiny-same-pool-pad',
  imHeight: 5,
  imWidth: 5,
  imChannels: 1,
  conv: [layer(3, 2, 2, 2, 'none', 'SAME'), layer(2, 3, 1, 1, 'lrn', 'SAME')],
  fc: [3],
  poseDim: 1,
  poseFc: 2,
  mergeFc: [3],
  outputs: 2,
  lrn: { radius: 1, alpha: 0.5, beta: 0.6, bias: 2.0 },
};

/** VALID everywhere: the fully-convolutional graph must equal cropping exactly. Total stride 4. */
export const TINY_VALID: GqcnnArchitecture = {
  name: 'tiny-valid',
  imHeight: 12,
  imWidth: 12,
  imChannels: 1,
  conv: [layer(3, 2, 2, 2, 'none', 'VALID'), layer(2, 3, 2, 2, 'lrn', 'VALID')],
  fc: [5, 4],
  poseDim: 1,
  poseFc: 3,
  mergeFc: [4, 3],
  outputs: 2,
  lrn: { radius: 1, alpha: 0.2, beta: 0.75, bias: 1.0 },
};

export function randomArray(n: number, seed: number, scale = 1, offset = 0): Float32Array {
  const r = (
    (g) => () =>
      g.normal()
  )(new Random(seed));
  return Float32Array.from({ length: n }, () => offset + scale * r());
}

/** He-init weights plus small random biases so ReLUs and bias gradients are all exercised. */
export function tinyParams(arch: GqcnnArchitecture, seed: number): Params {
  const p = initParameters(arch, seed);
  let s = seed * 97 + 1;
  for (const [k, v] of p) if (k.endsWith('.b')) v.set(randomArray(v.length, s++, 0.1, 0.05));
  return p;
}

export interface Batch {
  im: Float32Array;
  pose: Float32Array;
  labels: Uint8Array;
  oneHot: Float32Array;
  n: number;
}

export function tinyBatch(arch: GqcnnArchitecture, n: number, seed: number): Batch {
  const im = randomArray(n * arch.imChannels * arch.imHeight * arch.imWidth, seed);
  const pose = randomArray(n * arch.poseDim, seed + 1);
  const labels = Uint8Array.from({ length: n }, (_, i) => ((i * 7 + seed) % 3 === 0 ? 1 : 0));
  const oneHot = new Float32Array(n * 2);
  labels.forEach((c, i) => (oneHot[i * 2 + c] = 1));
  return { im, pose, labels, oneHot, n };
}

/** Batch norm in the LRN slot: SAME conv + BN + 2/2 pool, then VALID conv + BN without pool. */
export const TINY_BN: GqcnnArchitecture = {
  name: 'tiny-bn',
  imHeight: 6,
  imWidth: 6,
  imChannels: 1,
  conv: [
    { filterSize: 3, numFilters: 3, poolSize: 2, poolStride: 2, norm: 'batchnorm', padding: 'SAME' },
    { filterSize: 2, numFilters: 2, poolSize: 1, poolStride: 1, norm: 'batchnorm', padding: 'VALID' },
  ],
  fc: [4],
  poseDim: 1,
  poseFc: 3,
  mergeFc: [4],
  outputs: 2,
  lrn: GQCNN_LRN,
};

/** Random γ, β (so their gradients are not at a symmetric point) on top of tinyParams. */
export function tinyParamsBn(arch: GqcnnArchitecture, seed: number): Params {
  const p = tinyParams(arch, seed);
  let s = seed * 31 + 7;
  for (const [k, v] of p) {
    if (k.endsWith('.bn.gamma')) v.set(randomArray(v.length, s++, 0.2, 1));
    if (k.endsWith('.bn.beta')) v.set(randomArray(v.length, s++, 0.2, 0.1));
  }
  return p;
}
