// GQ-CNN architecture description in gqcnn's vocabulary, its presets, shape inference, validation
// and seeded parameter initialisation; every graph builder and the reference net read this one spec.
import { UserInputError } from '../core/errors.js';
import { Random } from '../core/random.js';

/**
 * Normalisation after a conv's ReLU (before its pool): LRN as in GQCNN-2.0, or batch norm in the
 * same slot (docs/dex-net-facts.md §6: "a drop-in for local response normalisation"); batch statistics in
 * training, running statistics in inference.
 */
export type Norm = 'none' | 'lrn' | 'batchnorm';
export type Padding = 'SAME' | 'VALID';

export interface ConvLayerSpec {
  filterSize: number;
  numFilters: number;
  /** 1 with stride 1 means no pooling. */
  poolSize: number;
  poolStride: number;
  norm: Norm;
  /** Padding of the conv and of its pool; VALID makes the fully-convolutional graph exact. */
  padding: Padding;
}

/** Local response normalisation in TensorFlow's convention (gqcnn's config keys). */
export interface LrnSpec {
  radius: number;
  alpha: number;
  beta: number;
  bias: number;
}

export interface GqcnnArchitecture {
  name: string;
  imHeight: number;
  imWidth: number;
  imChannels: number;
  conv: ConvLayerSpec[];
  /** Image-stream fully connected sizes (gqcnn fc3, …); at least one. */
  fc: number[];
  /** Length of the pose input (1: grasp depth). */
  poseDim: number;
  /** Pose-stream fully connected size (gqcnn pc1). */
  poseFc: number;
  /** Merge stream sizes (gqcnn fc4, …); the first merges image and pose streams. */
  mergeFc: number[];
  /** Output classes: always 2 (p_fail, p_success). */
  outputs: number;
  lrn: LrnSpec;
  /**
   * How the grasp depth reaches the network (gqcnn's input_depth_mode): 'pose_stream' (GQCNN-2.0, the default)
   * feeds it beside the image to the merge layer; 'im_depth_sub' also subtracts it from every crop pixel, so the
   * first layer sees the surface relative to the jaws. The fully-convolutional graph then runs its trunk per depth.
   */
  inputDepthMode?: InputDepthMode;
}

export type InputDepthMode = 'pose_stream' | 'im_depth_sub';

export const GQCNN_LRN: LrnSpec = { radius: 2, alpha: 2e-5, beta: 0.75, bias: 1.0 };

const conv = (filterSize: number, numFilters: number, pool: number, norm: Norm, padding: Padding): ConvLayerSpec => ({
  filterSize,
  numFilters,
  poolSize: pool,
  poolStride: pool,
  norm,
  padding,
});

/** Dex-Net 2.0's network (docs/dex-net-facts.md §4): 5,442,914 parameters. */
export const GQCNN_2_0: GqcnnArchitecture = {
  name: 'GQCNN-2.0',
  imHeight: 32,
  imWidth: 32,
  imChannels: 1,
  conv: [
    conv(7, 64, 1, 'none', 'SAME'),
    conv(5, 64, 2, 'lrn', 'SAME'),
    conv(3, 64, 1, 'none', 'SAME'),
    conv(3, 64, 2, 'lrn', 'SAME'),
  ],
  fc: [1024],
  poseDim: 1,
  poseFc: 16,
  mergeFc: [1024],
  outputs: 2,
  lrn: GQCNN_LRN,
};

/** Dex-Net 4.0 parallel-jaw network: 96×96 input, VALID padding so fc3 becomes a 17×17 conv. */
export const GQCNN_4_0_PJ: GqcnnArchitecture = {
  name: 'GQCNN-4.0-PJ',
  imHeight: 96,
  imWidth: 96,
  imChannels: 1,
  conv: [
    conv(9, 16, 1, 'none', 'VALID'),
    conv(5, 16, 2, 'none', 'VALID'),
    conv(5, 16, 1, 'none', 'VALID'),
    conv(5, 16, 2, 'none', 'VALID'),
  ],
  fc: [128],
  poseDim: 1,
  poseFc: 16,
  mergeFc: [128],
  outputs: 2,
  lrn: GQCNN_LRN,
};

/**
 * Compact default for laptop CPUs: 32×32 crops, VALID padding (exact fully-convolutional use),
 * no normalisation layers.
 */
export const GQCNN_COMPACT: GqcnnArchitecture = {
  name: 'compact',
  imHeight: 32,
  imWidth: 32,
  imChannels: 1,
  conv: [conv(5, 16, 2, 'none', 'VALID'), conv(3, 32, 2, 'none', 'VALID')],
  fc: [128],
  poseDim: 1,
  poseFc: 16,
  mergeFc: [128],
  outputs: 2,
  lrn: GQCNN_LRN,
};

/**
 * The compact net with the grasp depth subtracted from every crop pixel (gqcnn's im_depth_sub): the first layer sees
 * the surface relative to the jaws. Same weights and speed per crop; the fully-convolutional policy runs the trunk
 * once per depth bin instead of once per angle.
 */
export const GQCNN_COMPACT_DEPTH_SUB: GqcnnArchitecture = {
  ...GQCNN_COMPACT,
  name: 'compact-depth-sub',
  inputDepthMode: 'im_depth_sub',
};

/**
 * Dex-Net 3.0's suction network (REFERENCE §4, §8): GQCNN-2.0 with a pose stream of (grasp depth, approach angle)
 * into 128 units; 5,557,954 parameters.
 */
export const GQCNN_3_0: GqcnnArchitecture = { ...GQCNN_2_0, name: 'GQCNN-3.0', poseDim: 2, poseFc: 128 };

/**
 * The compact depth-subtracted net for suction datasets: the pose input is (grasp depth, approach angle); the crop
 * loses the grasp depth, so the first layer sees the surface relative to the cup.
 */
export const GQCNN_COMPACT_SUCTION: GqcnnArchitecture = {
  ...GQCNN_COMPACT_DEPTH_SUB,
  name: 'compact-suction',
  poseDim: 2,
};

export const PRESETS: Record<string, GqcnnArchitecture> = {
  'GQCNN-2.0': GQCNN_2_0,
  'GQCNN-3.0': GQCNN_3_0,
  'GQCNN-4.0-PJ': GQCNN_4_0_PJ,
  compact: GQCNN_COMPACT,
  'compact-depth-sub': GQCNN_COMPACT_DEPTH_SUB,
  'compact-suction': GQCNN_COMPACT_SUCTION,
  default: GQCNN_COMPACT_DEPTH_SUB,
};

/** The bundled model's architecture: on the same data it beats `compact` by 2–3 points of validation error. */
export const DEFAULT_ARCHITECTURE = GQCNN_COMPACT_DEPTH_SUB;

/** The preset `--arch default` means for a dataset of each gripper kind. */
export function defaultArchitectureFor(gripper: 'parallel-jaw' | 'suction'): GqcnnArchitecture {
  return structuredClone(gripper === 'suction' ? GQCNN_COMPACT_SUCTION : DEFAULT_ARCHITECTURE);
}

export function getPreset(name: string): GqcnnArchitecture {
  const a = PRESETS[name];
  if (!a)
    throw new UserInputError(
      `unknown architecture preset "${name}"; expected one of ${Object.keys(PRESETS).join(', ')}`,
    );
  return structuredClone(a);
}

/** Output size and explicit [begin, end] padding of a window op, TensorFlow's SAME/VALID rules. */
export function windowGeometry(
  inSize: number,
  kernel: number,
  stride: number,
  padding: Padding,
): { out: number; padBegin: number; padEnd: number } {
  if (padding === 'VALID') {
    return { out: Math.floor((inSize - kernel) / stride) + 1, padBegin: 0, padEnd: 0 };
  }
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + kernel - inSize, 0);
  const padBegin = Math.floor(total / 2);
  return { out, padBegin, padEnd: total - padBegin };
}

export interface ConvLayerGeometry {
  inChannels: number;
  inH: number;
  inW: number;
  /** conv output (stride 1) */
  convH: number;
  convW: number;
  /** [top, left, bottom, right] */
  convPads: [number, number, number, number];
  hasPool: boolean;
  outH: number;
  outW: number;
  poolPads: [number, number, number, number];
  outChannels: number;
}

/** Spatial sizes through the conv trunk for an input of the given size (crop or whole image). */
export function convGeometry(arch: GqcnnArchitecture, inH = arch.imHeight, inW = arch.imWidth): ConvLayerGeometry[] {
  const out: ConvLayerGeometry[] = [];
  let h = inH;
  let w = inW;
  let c = arch.imChannels;
  for (const l of arch.conv) {
    const gh = windowGeometry(h, l.filterSize, 1, l.padding);
    const gw = windowGeometry(w, l.filterSize, 1, l.padding);
    const hasPool = !(l.poolSize === 1 && l.poolStride === 1);
    let oh = gh.out;
    let ow = gw.out;
    let poolPads: [number, number, number, number] = [0, 0, 0, 0];
    if (hasPool) {
      const ph = windowGeometry(gh.out, l.poolSize, l.poolStride, l.padding);
      const pw = windowGeometry(gw.out, l.poolSize, l.poolStride, l.padding);
      oh = ph.out;
      ow = pw.out;
      poolPads = [ph.padBegin, pw.padBegin, ph.padEnd, pw.padEnd];
    }
    out.push({
      inChannels: c,
      inH: h,
      inW: w,
      convH: gh.out,
      convW: gw.out,
      convPads: [gh.padBegin, gw.padBegin, gh.padEnd, gw.padEnd],
      hasPool,
      outH: oh,
      outW: ow,
      poolPads,
      outChannels: l.numFilters,
    });
    h = oh;
    w = ow;
    c = l.numFilters;
  }
  return out;
}

/** Total stride of the conv trunk: the step in input pixels between fully-convolutional outputs. */
export function totalStride(arch: GqcnnArchitecture): number {
  return arch.conv.reduce((s, l) => s * (l.poolSize === 1 && l.poolStride === 1 ? 1 : l.poolStride), 1);
}

/** Flattened size of the last feature map. */
export function flatSize(arch: GqcnnArchitecture): number {
  const g = convGeometry(arch);
  const last = g[g.length - 1]!;
  return last.outChannels * last.outH * last.outW;
}

export interface ParamSpec {
  name: string;
  shape: number[];
  /**
   * weight: L2-regularised; bias/scale: trained, not regularised; buffer: batch-norm running
   * statistics, updated from batch statistics rather than by gradients.
   */
  role: 'weight' | 'bias' | 'scale' | 'buffer';
  fanIn: number;
  fanOut: number;
}

/**
 * Every trainable tensor in graph-input order. Conv weights are [out, in, kh, kw] (ONNX);
 * dense weights are [in, out] so that y = x·W + b; flattening is NCHW (channel, row, col).
 */
export function parameterSpecs(arch: GqcnnArchitecture): ParamSpec[] {
  const specs: ParamSpec[] = [];
  let c = arch.imChannels;
  arch.conv.forEach((l, i) => {
    const k = l.filterSize;
    specs.push({
      name: `conv${i + 1}.W`,
      shape: [l.numFilters, c, k, k],
      role: 'weight',
      fanIn: c * k * k,
      fanOut: l.numFilters * k * k,
    });
    specs.push({ name: `conv${i + 1}.b`, shape: [l.numFilters], role: 'bias', fanIn: c * k * k, fanOut: l.numFilters });
    if (l.norm === 'batchnorm') {
      const bn = (suffix: string, role: ParamSpec['role']) =>
        specs.push({ name: `conv${i + 1}.bn.${suffix}`, shape: [l.numFilters], role, fanIn: 1, fanOut: 1 });
      bn('gamma', 'scale');
      bn('beta', 'bias');
      bn('mean', 'buffer');
      bn('var', 'buffer');
    }
    c = l.numFilters;
  });
  let d = flatSize(arch);
  arch.fc.forEach((n, j) => {
    specs.push({ name: `fc${j + 1}.W`, shape: [d, n], role: 'weight', fanIn: d, fanOut: n });
    specs.push({ name: `fc${j + 1}.b`, shape: [n], role: 'bias', fanIn: d, fanOut: n });
    d = n;
  });
  specs.push({
    name: 'pose.W',
    shape: [arch.poseDim, arch.poseFc],
    role: 'weight',
    fanIn: arch.poseDim,
    fanOut: arch.poseFc,
  });
  specs.push({ name: 'pose.b', shape: [arch.poseFc], role: 'bias', fanIn: arch.poseDim, fanOut: arch.poseFc });
  const m0 = arch.mergeFc[0]!;
  specs.push({ name: 'merge1.Wim', shape: [d, m0], role: 'weight', fanIn: d + arch.poseFc, fanOut: m0 });
  specs.push({ name: 'merge1.Wpose', shape: [arch.poseFc, m0], role: 'weight', fanIn: d + arch.poseFc, fanOut: m0 });
  specs.push({ name: 'merge1.b', shape: [m0], role: 'bias', fanIn: d + arch.poseFc, fanOut: m0 });
  d = m0;
  for (let k = 1; k < arch.mergeFc.length; k++) {
    const n = arch.mergeFc[k]!;
    specs.push({ name: `merge${k + 1}.W`, shape: [d, n], role: 'weight', fanIn: d, fanOut: n });
    specs.push({ name: `merge${k + 1}.b`, shape: [n], role: 'bias', fanIn: d, fanOut: n });
    d = n;
  }
  specs.push({ name: 'out.W', shape: [d, arch.outputs], role: 'weight', fanIn: d, fanOut: arch.outputs });
  specs.push({ name: 'out.b', shape: [arch.outputs], role: 'bias', fanIn: d, fanOut: arch.outputs });
  return specs;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The parameters that get gradients (everything but batch-norm running statistics). */
export const trainableSpecs = (arch: GqcnnArchitecture): ParamSpec[] =>
  parameterSpecs(arch).filter((p) => p.role !== 'buffer');

export function countParameters(arch: GqcnnArchitecture): number {
  return parameterSpecs(arch).reduce((s, p) => s + sizeOf(p.shape), 0);
}

/** Multiply-adds ×2 of one crop's forward pass. */
export function forwardFlops(arch: GqcnnArchitecture): number {
  let f = 0;
  for (const [i, g] of convGeometry(arch).entries()) {
    const k = arch.conv[i]!.filterSize;
    f += 2 * g.convH * g.convW * g.outChannels * g.inChannels * k * k;
  }
  for (const p of parameterSpecs(arch)) if (p.role === 'weight' && p.shape.length === 2) f += 2 * sizeOf(p.shape);
  return f;
}

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/**
 * Checks a parsed architecture and names every problem; throws one Error listing them all.
 * `where` prefixes messages (e.g. a file name).
 */
export function validateArchitecture(a: unknown, where = 'architecture'): GqcnnArchitecture {
  const errs: string[] = [];
  if (typeof a !== 'object' || a === null) throw new UserInputError(`${where}: expected an object`, { file: where });
  const o = a as Record<string, unknown>;
  const needInt = (key: string) => {
    if (!isPosInt(o[key])) errs.push(`${key} must be a positive integer, got ${JSON.stringify(o[key])}`);
  };
  if (typeof o.name !== 'string') errs.push(`name must be a string`);
  for (const k of ['imHeight', 'imWidth', 'imChannels', 'poseDim', 'poseFc']) needInt(k);
  if (o.outputs !== 2) errs.push(`outputs must be 2 (p_fail, p_success), got ${JSON.stringify(o.outputs)}`);
  if (!Array.isArray(o.conv) || o.conv.length === 0) errs.push('conv must be a non-empty array of conv layers');
  else {
    o.conv.forEach((l: unknown, i: number) => {
      const p = `conv[${i}]`;
      if (typeof l !== 'object' || l === null) {
        errs.push(`${p} must be an object`);
        return;
      }
      const c = l as Record<string, unknown>;
      for (const k of ['filterSize', 'numFilters', 'poolSize', 'poolStride'])
        if (!isPosInt(c[k])) errs.push(`${p}.${k} must be a positive integer, got ${JSON.stringify(c[k])}`);
      if (c.norm !== 'none' && c.norm !== 'lrn' && c.norm !== 'batchnorm')
        errs.push(`${p}.norm must be "none", "lrn" or "batchnorm", got ${JSON.stringify(c.norm)}`);
      if (c.padding !== 'SAME' && c.padding !== 'VALID')
        errs.push(`${p}.padding must be "SAME" or "VALID", got ${JSON.stringify(c.padding)}`);
      if (isPosInt(c.poolSize) && isPosInt(c.poolStride) && c.poolStride > c.poolSize)
        errs.push(`${p}.poolStride (${c.poolStride}) larger than poolSize (${c.poolSize}) would skip pixels`);
    });
  }
  for (const k of ['fc', 'mergeFc']) {
    const v = o[k];
    if (!Array.isArray(v) || v.length === 0 || !v.every(isPosInt))
      errs.push(`${k} must be a non-empty array of positive integers, got ${JSON.stringify(v)}`);
  }
  if (o.inputDepthMode !== undefined && o.inputDepthMode !== 'pose_stream' && o.inputDepthMode !== 'im_depth_sub')
    errs.push(`inputDepthMode must be "pose_stream" or "im_depth_sub", got ${JSON.stringify(o.inputDepthMode)}`);
  const lrn = o.lrn as Record<string, unknown> | undefined;
  if (typeof lrn !== 'object' || lrn === null) errs.push('lrn must be an object {radius, alpha, beta, bias}');
  else {
    if (!(typeof lrn.radius === 'number' && Number.isInteger(lrn.radius) && lrn.radius >= 0))
      errs.push('lrn.radius must be an integer ≥ 0');
    for (const k of ['alpha', 'beta', 'bias'])
      if (typeof lrn[k] !== 'number' || !Number.isFinite(lrn[k])) errs.push(`lrn.${k} must be a finite number`);
    if (typeof lrn.bias === 'number' && lrn.bias <= 0) errs.push('lrn.bias must be > 0');
  }
  if (errs.length === 0) {
    const arch = o as unknown as GqcnnArchitecture;
    const geo = convGeometry(arch);
    geo.forEach((g, i) => {
      if (g.convH < 1 || g.convW < 1 || g.outH < 1 || g.outW < 1)
        errs.push(
          `conv[${i}]: feature map shrinks to ${g.convH}×${g.convW} (after pool ${g.outH}×${g.outW}); input ${arch.imHeight}×${arch.imWidth} is too small`,
        );
    });
  }
  if (errs.length) throw new UserInputError(`${where}: invalid architecture: ${errs.join('; ')}`, { file: where });
  return o as unknown as GqcnnArchitecture;
}

export type Params = Map<string, Float32Array>;

/**
 * He (default, matching gqcnn's std = sqrt(2 / fan_in)) or Glorot-normal weights, truncated at 2σ,
 * zero biases; batch norm starts as the identity (γ = 1, β = 0, running mean 0, variance 1).
 */
export function initParameters(arch: GqcnnArchitecture, seed = 0, scheme: 'he' | 'glorot' = 'he'): Params {
  const rng = new Random(seed);
  const randn = () => rng.normal();
  const params: Params = new Map();
  for (const p of parameterSpecs(arch)) {
    const a = new Float32Array(sizeOf(p.shape));
    if (p.name.endsWith('.bn.gamma') || p.name.endsWith('.bn.var')) a.fill(1);
    else if (p.role === 'weight') {
      const std = scheme === 'he' ? Math.sqrt(2 / p.fanIn) : Math.sqrt(2 / (p.fanIn + p.fanOut));
      for (let i = 0; i < a.length; i++) {
        let v = randn();
        while (Math.abs(v) > 2) v = randn();
        a[i] = v * std;
      }
    }
    params.set(p.name, a);
  }
  return params;
}
