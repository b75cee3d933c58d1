// What the planner calls: P(success) for a batch of grasp-aligned crops and depths, and the
// fully-convolutional probability map over a whole image; raw depths in, normalisation inside.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { totalStride } from './architecture.js';
import { type GqcnnModel, loadModel, normaliseImages, normaliseInputs, normalisePoses } from './model-io.js';
import { buildFullyConvGraph, buildInferenceGraph } from './onnx-builder.js';
import { fullyConvOutputSize } from './graph/fully-conv-graph.js';
import { type SessionSettings, sessionOptions } from './trainer.js';

export interface FullyConvResult {
  /** P(success) as [n, rows, cols]: (r, c) scores the crop with top-left pixel (r·stride, c·stride). */
  q: Float32Array;
  n: number;
  rows: number;
  cols: number;
  stride: number;
  /** Crop size in image pixels (the receptive field of one output). */
  cropHeight: number;
  cropWidth: number;
}

export interface PredictorOptions extends SessionSettings {
  /** Largest batch sent to ONNX Runtime at once (bounds memory). */
  maxBatch?: number;
}

/**
 * A model folder may hold, in this subfolder, a second model for the fully-convolutional policy: one whose grasp depth
 * joins at the merge layer (a pose stream), so the FC map runs the conv trunk once per angle for every depth bin, while
 * the main model (e.g. im_depth_sub, which needs a trunk pass per depth) scores crops.
 */
export const FC_COMPANION_DIR = 'fc';

/** The FC companion model of a model folder, or null when it has none. */
export async function loadFcCompanion(dir: string): Promise<GqcnnModel | null> {
  const fcDir = join(dir, FC_COMPANION_DIR);
  return existsSync(join(fcDir, 'config.json')) ? loadModel(fcDir) : null;
}

export class GqcnnPredictor {
  private fc: ort.InferenceSession | null = null;
  private fcPoseMap: ort.InferenceSession | null = null;
  private readonly maxBatch: number;
  private companion: GqcnnPredictor | null = null;

  private constructor(
    readonly model: GqcnnModel,
    private readonly session: ort.InferenceSession,
    private readonly settings: PredictorOptions,
  ) {
    this.maxBatch = settings.maxBatch ?? 1024;
  }

  /** The predictor the fully-convolutional policy uses: the folder's FC companion when it has one, else this one. */
  get fullyConvolutional(): GqcnnPredictor {
    return this.companion ?? this;
  }

  /** A predictor for `model`, with `fullyConvolutional` as its FC companion when given. */
  static async create(
    model: GqcnnModel,
    options: PredictorOptions = {},
    fullyConvolutional?: GqcnnModel | null,
  ): Promise<GqcnnPredictor> {
    const session = await ort.InferenceSession.create(
      buildInferenceGraph(model.arch, model.params),
      sessionOptions(options),
    );
    const predictor = new GqcnnPredictor(model, session, options);
    if (fullyConvolutional) predictor.companion = await GqcnnPredictor.create(fullyConvolutional, options);
    return predictor;
  }

  /** Loads a model folder, with its FC companion (subfolder `fc/`) when present. */
  static async load(dir: string, options: PredictorOptions = {}): Promise<GqcnnPredictor> {
    return GqcnnPredictor.create(await loadModel(dir), options, await loadFcCompanion(dir));
  }

  /**
   * P(success) of n crops ([n, C, H, W] raw depths in metres, row-major) with their pose rows
   * ([n, poseDim], e.g. grasp depth).
   */
  async predict(crops: Float32Array, poses: Float32Array, n: number): Promise<Float32Array> {
    const { imChannels: c, imHeight: h, imWidth: w, poseDim } = this.model.arch;
    const crop = c * h * w;
    if (crops.length < n * crop) throw new Error(`predict: ${crops.length} values for ${n} crops of ${c}×${h}×${w}`);
    if (poses.length < n * poseDim)
      throw new Error(`predict: ${poses.length} pose values for ${n} crops (pose size ${poseDim})`);
    const q = new Float32Array(n);
    for (let s = 0; s < n; s += this.maxBatch) {
      const b = Math.min(this.maxBatch, n - s);
      const im = new Float32Array(b * crop),
        pose = new Float32Array(b * poseDim);
      normaliseInputs(
        this.model.arch,
        this.model.normalisation,
        crops.subarray(s * crop),
        poses.subarray(s * poseDim),
        b,
        im,
        pose,
      );
      const out = await this.session.run({
        im: new ort.Tensor('float32', im, [b, c, h, w]),
        pose: new ort.Tensor('float32', pose, [b, poseDim]),
      });
      const p = out.probs!.data as Float32Array;
      for (let i = 0; i < b; i++) q[s + i] = p[i * 2 + 1]!;
    }
    return q;
  }

  /**
   * Runs the fully-convolutional graph: n pose rows (e.g. depth bins) against either n images
   * ([n, C, H, W] raw depths, one per pose) or a single image (`images` holding one; the conv
   * trunk then runs once for all n). Exact w.r.t. predict() for VALID-padded architectures. With the
   * 'im_depth_sub' input mode every pose row needs its own shifted image, so a single image is repeated n times.
   */
  async predictFullyConvolutional(
    images: Float32Array,
    height: number,
    width: number,
    poses: Float32Array,
    n: number,
  ): Promise<FullyConvResult> {
    const { imChannels: c, imHeight, imWidth, poseDim } = this.model.arch;
    const plane = c * height * width;
    const sub = this.model.arch.inputDepthMode === 'im_depth_sub';
    const given = images.length >= n * plane ? n : 1;
    const nImages = sub ? n : given;
    if (height < imHeight || width < imWidth)
      throw new Error(
        `predictFullyConvolutional: image ${height}×${width} is smaller than the ${imHeight}×${imWidth} crop`,
      );
    if (images.length < given * plane)
      throw new Error(
        `predictFullyConvolutional: ${images.length} values; expected 1 or ${n} images of ${c}×${height}×${width}`,
      );
    if (poses.length < n * poseDim)
      throw new Error(`predictFullyConvolutional: ${poses.length} pose values for ${n} poses of ${poseDim}`);
    if (!this.fc)
      this.fc = await ort.InferenceSession.create(
        buildFullyConvGraph(this.model.arch, this.model.params),
        sessionOptions(this.settings),
      );
    const im = new Float32Array(nImages * plane),
      pose = new Float32Array(n * poseDim);
    if (given < nImages) for (let i = 0; i < n; i++) im.set(images.subarray(0, plane), i * plane);
    else im.set(images.subarray(0, nImages * plane));
    // With 'im_depth_sub' image i is shifted by pose row i's depth (there is then one image per row).
    normaliseImages(this.model.arch, this.model.normalisation, im, poses, nImages, plane, im);
    normalisePoses(poseDim, this.model.normalisation, poses, n, pose);
    const out = await this.fc.run({
      im: new ort.Tensor('float32', im, [nImages, c, height, width]),
      pose: new ort.Tensor('float32', pose, [n, poseDim]),
    });
    const probs = out.probs!;
    const [, , rows, cols] = probs.dims as number[];
    const p = probs.data as Float32Array;
    const cells = rows! * cols!;
    const q = new Float32Array(n * cells);
    for (let i = 0; i < n; i++) q.set(p.subarray((i * 2 + 1) * cells, (i * 2 + 2) * cells), i * cells);
    return {
      q,
      n,
      rows: rows!,
      cols: cols!,
      stride: totalStride(this.model.arch),
      cropHeight: imHeight,
      cropWidth: imWidth,
    };
  }

  /**
   * The fully-convolutional map with a pose per output cell (suction: each pixel's own depth and approach angle).
   * `images` holds n images of height × width raw depths; with the 'im_depth_sub' input mode image i loses
   * `imageDepths[i]` first (a trunk pass per depth). `poseMap` holds, for each image, poseDim planes of rows × cols raw
   * pose values (rows × cols from {@link mapSize}). Output (r, c) scores the crop with top-left pixel (r·s, c·s) and
   * that cell's pose: exact w.r.t. predict() for VALID-padded architectures.
   */
  async predictWithPoseMap(
    images: Float32Array,
    imageDepths: Float32Array,
    height: number,
    width: number,
    poseMap: Float32Array,
    n: number,
  ): Promise<FullyConvResult> {
    const { imChannels: c, imHeight, imWidth, poseDim } = this.model.arch;
    const [rows, cols] = this.mapSize(height, width);
    const plane = c * height * width,
      cells = rows * cols;
    if (images.length < n * plane || poseMap.length < n * poseDim * cells || imageDepths.length < n)
      throw new Error(
        `predictWithPoseMap: expected ${n} images of ${c}×${height}×${width}, ${n} depths and ${n}×${poseDim}×${rows}×${cols} pose values`,
      );
    if (!this.fcPoseMap)
      this.fcPoseMap = await ort.InferenceSession.create(
        buildFullyConvGraph(this.model.arch, this.model.params, { poseMap: true }),
        sessionOptions(this.settings),
      );
    const im = new Float32Array(n * plane);
    // normaliseImages reads the subtracted depth from the first column of a pose row.
    const rowsForShift = new Float32Array(n * poseDim);
    for (let i = 0; i < n; i++) rowsForShift[i * poseDim] = imageDepths[i]!;
    normaliseImages(this.model.arch, this.model.normalisation, images, rowsForShift, n, plane, im);
    const pose = new Float32Array(n * poseDim * cells);
    const { poseMean, poseStd } = this.model.normalisation;
    for (let i = 0; i < n; i++)
      for (let d = 0; d < poseDim; d++) {
        const o = (i * poseDim + d) * cells;
        for (let j = 0; j < cells; j++) pose[o + j] = (poseMap[o + j]! - poseMean[d]!) / poseStd[d]!;
      }
    const out = await this.fcPoseMap.run({
      im: new ort.Tensor('float32', im, [n, c, height, width]),
      pose: new ort.Tensor('float32', pose, [n, poseDim, rows, cols]),
    });
    const p = out.probs!.data as Float32Array;
    const q = new Float32Array(n * cells);
    for (let i = 0; i < n; i++) q.set(p.subarray((i * 2 + 1) * cells, (i * 2 + 2) * cells), i * cells);
    return { q, n, rows, cols, stride: totalStride(this.model.arch), cropHeight: imHeight, cropWidth: imWidth };
  }

  /** Rows and columns of the fully-convolutional map over a height × width image. */
  mapSize(height: number, width: number): [number, number] {
    const { imHeight, imWidth } = this.model.arch;
    if (height < imHeight || width < imWidth)
      throw new Error(
        `fully-convolutional map: image ${height}×${width} is smaller than the ${imHeight}×${imWidth} crop`,
      );
    return fullyConvOutputSize(this.model.arch, height, width);
  }

  async release(): Promise<void> {
    await this.session.release();
    if (this.fc) await this.fc.release();
    this.fc = null;
    if (this.fcPoseMap) await this.fcPoseMap.release();
    this.fcPoseMap = null;
    await this.companion?.release();
    this.companion = null;
  }
}
