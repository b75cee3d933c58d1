// The fully-convolutional graph: the trained weights slid over a whole image, the dense layers as
// convs, so one run scores every crop position at once.
import { type GqcnnArchitecture, type Params, convGeometry, parameterSpecs } from '../architecture.js';
import { A, GraphBuilder } from '../onnx-graph.js';
import { convTrunk } from './conv-trunk.js';
import { opsetFor } from './opset.js';

/** Dense weight [in, out] as a 1×1 conv weight [out, in, 1, 1]. */
function denseAsConv1x1(w: Float32Array, nIn: number, nOut: number): Float32Array {
  const c = new Float32Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) c[o * nIn + i] = w[i * nOut + o]!;
  return c;
}

/**
 * Fully convolutional graph with the same weights: `im` [B, C, H, W] (any H, W ≥ the crop),
 * `pose` [D, poseDim] with B = D or B = 1 → `probs` [D, 2, H', W'], where output (r, c) scores the crop
 * whose top-left pixel is (r·s, c·s), s = totalStride(arch). The first fc becomes a conv whose kernel is the last
 * feature map, later fcs 1×1 convs, and the pose stream a per-image bias on the merge layer.
 * Exact (equal to cropping) for VALID-padded architectures; SAME padding differs near crop borders
 * because a crop sees zero padding where the whole image has real pixels.
 */
export function buildFullyConvGraph(
  arch: GqcnnArchitecture,
  params: Params,
  options: FullyConvGraphOptions = {},
): Uint8Array {
  const poseMap = options.poseMap ?? false;
  const g = new GraphBuilder(`${arch.name}-fully-conv${poseMap ? '-pose-map' : ''}`);
  // B images and D pose rows with B = D (pairs) or B = 1 (one image scored at D depths: the conv
  // trunk runs once and the pose bias broadcasts over the depths); with a pose map, one pose per output cell
  const im = g.input('im', ['B', arch.imChannels, 'H', 'W']);
  const pose = poseMap ? g.input('pose', ['D', arch.poseDim, 'Hout', 'Wout']) : g.input('pose', ['D', arch.poseDim]);
  const P = new Map<string, string>();
  const specs = parameterSpecs(arch);
  const pget = (n: string): Float32Array => {
    const v = params.get(n);
    if (!v) throw new Error(`parameter ${n} missing`);
    return v;
  };
  for (const s of specs) if (s.name.startsWith('conv')) P.set(s.name, g.initializer(s.name, pget(s.name), s.shape));
  const { out } = convTrunk(g, arch, im, P, false);
  const geos = convGeometry(arch);
  const last = geos[geos.length - 1]!;
  const [C, Hf, Wf] = [last.outChannels, last.outH, last.outW];
  const D = C * Hf * Wf;
  const conv = (x: string, wName: string, w: Float32Array, dims: number[], b: string | null) =>
    g.op1('Conv', b ? [x, g.initializer(wName, w, dims), b] : [x, g.initializer(wName, w, dims)], {
      kernel_shape: A.is(dims.slice(2)),
      pads: A.is([0, 0, 0, 0]),
    });
  const bias = (n: string) => g.initializer(n, pget(n), [pget(n).length]);
  // the flattened index (c·Hf + h)·Wf + w of W [D, n] is exactly the [n, C, Hf, Wf] conv layout
  const n1 = arch.fc[0]!;
  let h = g.op1('Relu', [conv(out, 'fc1.Wconv', denseAsConv1x1(pget('fc1.W'), D, n1), [n1, C, Hf, Wf], bias('fc1.b'))]);
  let d = n1;
  for (let j = 1; j < arch.fc.length; j++) {
    const n = arch.fc[j]!;
    const w = denseAsConv1x1(pget(`fc${j + 1}.W`), d, n);
    h = g.op1('Relu', [conv(h, `fc${j + 1}.Wconv`, w, [n, d, 1, 1], bias(`fc${j + 1}.b`))]);
    d = n;
  }
  const m0 = arch.mergeFc[0]!;
  let poseBias4: string;
  if (poseMap) {
    // The pose stream as 1×1 convs over the map: each cell's own pose row, exactly as the dense layers read it.
    const poseW = denseAsConv1x1(pget('pose.W'), arch.poseDim, arch.poseFc);
    const ap = g.op1('Relu', [conv(pose, 'pose.Wconv', poseW, [arch.poseFc, arch.poseDim, 1, 1], bias('pose.b'))]);
    const mergePoseW = denseAsConv1x1(pget('merge1.Wpose'), arch.poseFc, m0);
    poseBias4 = conv(ap, 'merge1.WposeConv', mergePoseW, [m0, arch.poseFc, 1, 1], bias('merge1.b'));
  } else {
    const poseW = g.initializer('pose.W', pget('pose.W'), [arch.poseDim, arch.poseFc]);
    const ap = g.op1('Relu', [g.op1('Gemm', [pose, poseW, bias('pose.b')])]);
    const mergePoseW = g.initializer('merge1.Wpose', pget('merge1.Wpose'), [arch.poseFc, m0]);
    const poseBias = g.op1('Gemm', [ap, mergePoseW, bias('merge1.b')]);
    poseBias4 = g.op1('Reshape', [poseBias, g.constInt64([0, -1, 1, 1])]);
  }
  const mergeIm = conv(h, 'merge1.Wconv', denseAsConv1x1(pget('merge1.Wim'), d, m0), [m0, d, 1, 1], null);
  let m = g.op1('Relu', [g.op1('Add', [mergeIm, poseBias4])]);
  d = m0;
  for (let k = 1; k < arch.mergeFc.length; k++) {
    const n = arch.mergeFc[k]!;
    const w = denseAsConv1x1(pget(`merge${k + 1}.W`), d, n);
    m = g.op1('Relu', [conv(m, `merge${k + 1}.Wconv`, w, [n, d, 1, 1], bias(`merge${k + 1}.b`))]);
    d = n;
  }
  const outW = denseAsConv1x1(pget('out.W'), d, arch.outputs);
  const logits = conv(m, 'out.Wconv', outW, [arch.outputs, d, 1, 1], bias('out.b'));
  g.op1('Softmax', [logits], { axis: A.i(1) }, 'probs');
  g.output('probs', ['D', arch.outputs, 'Hout', 'Wout']);
  return g.toBytes(opsetFor(arch), JSON.stringify({ arch, fullyConvolutional: true, poseMap }));
}

export interface FullyConvGraphOptions {
  /**
   * Pose input per output cell, `pose` [D, poseDim, H', W'] (suction: every pixel has its own depth and approach
   * angle), instead of one row per image.
   */
  poseMap?: boolean;
}

/** Rows and columns of the fully-convolutional map over an H × W image (one per crop position, stride apart). */
export function fullyConvOutputSize(arch: GqcnnArchitecture, height: number, width: number): [number, number] {
  const whole = convGeometry(arch, height, width);
  const crop = convGeometry(arch);
  const a = whole[whole.length - 1]!,
    b = crop[crop.length - 1]!;
  return [a.outH - b.outH + 1, a.outW - b.outW + 1];
}
