// The model folder: config.json (architecture, normalisation, training settings, metrics) and
// model.onnx (self-contained inference graph whose initializers are also where weights are read
// back from). Writes are atomic (temp file + rename); loading validates and names what is wrong.
import { UserInputError } from '../core/errors.js';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import onnxPkg from 'onnx-proto';
import { type GqcnnArchitecture, type Params, parameterSpecs, sizeOf, validateArchitecture } from './architecture.js';
import { buildInferenceGraph } from './onnx-builder.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { validateCalibration, type QCalibration } from './calibration.js';

const { onnx } = onnxPkg;

export const MODEL_FORMAT = 'dexnet-ts-gqcnn';
export const MODEL_FORMAT_VERSION = 1;
export const CONFIG_FILE = 'config.json';
export const ONNX_FILE = 'model.onnx';

/**
 * Inputs are normalised as (im − imMean)/imStd and (pose − poseMean)/poseStd per pose column; with the
 * 'im_depth_sub' input mode `im` is the crop minus its grasp depth (the first pose column).
 */
export interface Normalisation {
  imMean: number;
  imStd: number;
  poseMean: number[];
  poseStd: number[];
}

export interface GqcnnModel {
  arch: GqcnnArchitecture;
  params: Params;
  normalisation: Normalisation;
  /** Free-form training settings (optimizer, epochs, dataset, split, …). */
  training: Record<string, unknown>;
  /** Free-form metrics (error rate, AP, AUC, …). */
  metrics: Record<string, unknown>;
  /** How its q maps to the share of executed grasps that held (`dexnet calibrate`); absent: q as predicted. */
  calibration?: QCalibration;
}

export interface ModelConfigFile {
  format: typeof MODEL_FORMAT;
  version: number;
  architecture: GqcnnArchitecture;
  normalisation: Normalisation;
  training: Record<string, unknown>;
  metrics: Record<string, unknown>;
  calibration?: QCalibration;
  onnx: string;
}

export const identityNormalisation = (poseDim = 1): Normalisation => ({
  imMean: 0,
  imStd: 1,
  poseMean: new Array<number>(poseDim).fill(0),
  poseStd: new Array<number>(poseDim).fill(1),
});

/**
 * Network inputs of n datapoints from raw crops (metres, n × pixels) and pose rows (n × poseDim) into `outIm` and
 * `outPose`: the one place training, validation and inference normalise, so they cannot disagree.
 */
export function normaliseInputs(
  arch: GqcnnArchitecture,
  norm: Normalisation,
  ims: ArrayLike<number>,
  poses: ArrayLike<number>,
  n: number,
  outIm: Float32Array,
  outPose: Float32Array,
): void {
  normaliseImages(arch, norm, ims, poses, n, arch.imChannels * arch.imHeight * arch.imWidth, outIm);
  normalisePoses(arch.poseDim, norm, poses, n, outPose);
}

/** n images of `pixels` values each; with 'im_depth_sub' image i first loses the first value of pose row i. */
export function normaliseImages(
  arch: GqcnnArchitecture,
  norm: Normalisation,
  ims: ArrayLike<number>,
  poses: ArrayLike<number>,
  n: number,
  pixels: number,
  out: Float32Array,
): void {
  const sub = arch.inputDepthMode === 'im_depth_sub';
  const inv = 1 / norm.imStd;
  for (let i = 0; i < n; i++) {
    const shift = norm.imMean + (sub ? poses[i * arch.poseDim]! : 0);
    for (let j = i * pixels, end = j + pixels; j < end; j++) out[j] = (ims[j]! - shift) * inv;
  }
}

/** n pose rows of poseDim values, each column by its own mean and deviation. */
export function normalisePoses(
  poseDim: number,
  norm: Normalisation,
  poses: ArrayLike<number>,
  n: number,
  out: Float32Array,
): void {
  for (let i = 0; i < n; i++)
    for (let d = 0; d < poseDim; d++)
      out[i * poseDim + d] = (poses[i * poseDim + d]! - norm.poseMean[d]!) / norm.poseStd[d]!;
}

export function validateNormalisation(n: unknown, poseDim: number, where: string): Normalisation {
  const errs: string[] = [];
  if (typeof n !== 'object' || n === null)
    throw new UserInputError(`${where}: normalisation must be an object {imMean, imStd, poseMean, poseStd}`, {
      file: where,
    });
  const o = n as Record<string, unknown>;
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (!finite(o.imMean)) errs.push(`imMean must be a finite number, got ${JSON.stringify(o.imMean)}`);
  if (!finite(o.imStd) || (o.imStd as number) <= 0)
    errs.push(`imStd must be a positive number, got ${JSON.stringify(o.imStd)}`);
  for (const k of ['poseMean', 'poseStd']) {
    const v = o[k];
    if (!Array.isArray(v) || v.length !== poseDim || !v.every(finite))
      errs.push(`${k} must be an array of ${poseDim} finite numbers, got ${JSON.stringify(v)}`);
    else if (k === 'poseStd' && !v.every((x: number) => x > 0))
      errs.push(`poseStd entries must be positive, got ${JSON.stringify(v)}`);
  }
  if (errs.length) throw new UserInputError(`${where}: invalid normalisation: ${errs.join('; ')}`, { file: where });
  return {
    imMean: o.imMean as number,
    imStd: o.imStd as number,
    poseMean: [...(o.poseMean as number[])],
    poseStd: [...(o.poseStd as number[])],
  };
}

/** Writes model.onnx then config.json (last, so a folder with a config is always complete). */
export async function saveModel(dir: string, model: GqcnnModel): Promise<void> {
  validateArchitecture(model.arch);
  validateNormalisation(model.normalisation, model.arch.poseDim, 'saveModel');
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, ONNX_FILE), buildInferenceGraph(model.arch, model.params));
  const config: ModelConfigFile = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    architecture: model.arch,
    normalisation: model.normalisation,
    training: model.training,
    metrics: model.metrics,
    ...(model.calibration ? { calibration: model.calibration } : {}),
    onnx: ONNX_FILE,
  };
  await writeFileAtomic(path.join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

/** Parameters stored as initializers of an ONNX model, checked against the architecture. */
export function readOnnxWeights(bytes: Uint8Array, arch: GqcnnArchitecture, where: string): Params {
  let model: onnxPkg.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new UserInputError(`${where}: not a valid ONNX model (${(e as Error).message})`, { file: where });
  }
  const inits = new Map((model.graph?.initializer ?? []).map((t) => [t.name, t]));
  const params: Params = new Map();
  const errs: string[] = [];
  for (const s of parameterSpecs(arch)) {
    const t = inits.get(s.name);
    if (!t) {
      errs.push(`weight ${s.name} (${s.shape.join('×')}) missing`);
      continue;
    }
    const dims = (t.dims ?? []).map(Number);
    if (dims.join(',') !== s.shape.join(',')) {
      errs.push(`weight ${s.name} has shape ${dims.join('×')}, the architecture needs ${s.shape.join('×')}`);
      continue;
    }
    if (t.dataType !== 1) {
      errs.push(`weight ${s.name} has ONNX data type ${t.dataType}, expected 1 (float32)`);
      continue;
    }
    const n = sizeOf(s.shape);
    let a: Float32Array;
    if (t.rawData && t.rawData.length > 0) {
      if (t.rawData.length !== 4 * n) {
        errs.push(`weight ${s.name} holds ${t.rawData.length} bytes, expected ${4 * n}`);
        continue;
      }
      a = new Float32Array(n);
      new Uint8Array(a.buffer).set(t.rawData);
    } else a = Float32Array.from(t.floatData ?? []);
    if (a.length !== n) {
      errs.push(`weight ${s.name} holds ${a.length} values, expected ${n}`);
      continue;
    }
    const bad = a.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) errs.push(`weight ${s.name}[${bad}] is ${a[bad]}`);
    params.set(s.name, a);
  }
  if (errs.length)
    throw new UserInputError(`${where}: weights do not match the architecture: ${errs.join('; ')}`, { file: where });
  return params;
}

/** Loads and validates a model folder; every error names the file and what was expected. */
export async function loadModel(dir: string): Promise<GqcnnModel> {
  const { cfgPath, cfg } = await loadModelConfig(dir);
  const arch = validateArchitecture(cfg.architecture, `${cfgPath} architecture`);
  const normalisation = validateNormalisation(cfg.normalisation, arch.poseDim, cfgPath);
  for (const k of ['training', 'metrics'])
    if (cfg[k] !== undefined && (typeof cfg[k] !== 'object' || cfg[k] === null || Array.isArray(cfg[k])))
      throw new UserInputError(`${cfgPath}: ${k} must be an object`, { file: cfgPath });
  const { onnxPath, bytes } = await readOnnxFile(dir, cfg.onnx);
  const params = readOnnxWeights(bytes, arch, onnxPath);
  const model: GqcnnModel = {
    arch,
    params,
    normalisation,
    training: (cfg.training as Record<string, unknown>) ?? {},
    metrics: (cfg.metrics as Record<string, unknown>) ?? {},
  };
  if (cfg.calibration !== undefined) model.calibration = validateCalibration(cfg.calibration, cfgPath);
  return model;
}

/**
 * A short fingerprint of a model folder's weights (SHA-256 of its ONNX file, 16 hex digits): reports record it so
 * that what is fitted on them later (a calibration) can tell which model planned their grasps.
 */
export async function modelDigest(dir: string): Promise<string> {
  const { bytes } = await readOnnxFile(dir, (await loadModelConfig(dir)).cfg.onnx);
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** The bytes of the ONNX file a config names (`onnx`, default model.onnx). */
async function readOnnxFile(dir: string, name: unknown): Promise<{ onnxPath: string; bytes: Uint8Array }> {
  const onnxPath = path.join(dir, typeof name === 'string' ? name : ONNX_FILE);
  try {
    return { onnxPath, bytes: await fs.readFile(onnxPath) };
  } catch {
    throw new UserInputError(`${onnxPath}: cannot read the ONNX model named in ${CONFIG_FILE}`, { file: onnxPath });
  }
}

/**
 * Sets (or with null removes) the calibration in a model folder's config.json, leaving everything else as it was;
 * the model is loaded first, so a broken folder is refused rather than patched. Atomic.
 */
export async function saveCalibration(dir: string, calibration: QCalibration | null): Promise<void> {
  await loadModel(dir);
  const { cfgPath, cfg } = await loadModelConfig(dir);
  if (calibration) cfg.calibration = validateCalibration(calibration, 'saveCalibration');
  else delete cfg.calibration;
  await writeFileAtomic(cfgPath, `${JSON.stringify(cfg, null, 2)}\n`);
}

/** A model folder's config.json, parsed, of this format and version (the rest is loadModel's to check). */
async function loadModelConfig(dir: string): Promise<{ cfgPath: string; cfg: Record<string, unknown> }> {
  const cfgPath = path.join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await fs.readFile(cfgPath, 'utf8');
  } catch {
    throw new UserInputError(`${cfgPath}: cannot read the model config (is ${dir} a model folder?)`, { file: cfgPath });
  }
  let cfg: Record<string, unknown>;
  try {
    cfg = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new UserInputError(`${cfgPath}: invalid JSON (${(e as Error).message})`, { file: cfgPath });
  }
  if (cfg.format !== MODEL_FORMAT)
    throw new UserInputError(`${cfgPath}: format must be "${MODEL_FORMAT}", got ${JSON.stringify(cfg.format)}`, {
      file: cfgPath,
    });
  if (cfg.version !== MODEL_FORMAT_VERSION)
    throw new UserInputError(
      `${cfgPath}: unsupported version ${JSON.stringify(cfg.version)} (this build reads ${MODEL_FORMAT_VERSION})`,
      { file: cfgPath },
    );
  return { cfgPath, cfg };
}
