// PNG io for segmentation masks (8-bit) and sensor depth (16-bit millimetres), on fast-png.
import { UserInputError } from '../core/errors.js';
import { decode, encode } from 'fast-png';
import { createDepthImage, createMask, type DepthImage, type Mask } from './depth-image.js';
import { checkPng, type PngCheckOptions } from './png-check.js';

export { DEFAULT_MAX_PIXELS } from './png-check.js';

/** A decoded PNG with one sample per array element (low bit depths unpacked, palettes expanded to RGB(A)). */
export interface PngImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** Bits per sample of `data`: 1, 2, 4 or 8 (Uint8Array, unscaled) or 16 (Uint16Array). */
  readonly bitDepth: number;
  /** Row-major, channels interleaved: `data[(row * width + col) * channels + channel]`. */
  readonly data: Uint8Array | Uint16Array;
}

export class PngFormatError extends UserInputError {
  override name = 'PngFormatError';
}

/** Width and height from a PNG's IHDR chunk without decoding it (to refuse huge images cheaply), or null if it is no PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || !signature.every((b, i) => bytes[i] === b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Decodes a PNG; `source` prefixes every error message. The file is checked first (chunk CRCs, one IHDR within
 * `maxPixels`, image data that inflates to exactly the promised size with a valid Adler-32), so the decoder only
 * ever sees well-formed input of bounded size.
 */
export function readPng(bytes: Uint8Array, source: string, options: PngCheckOptions = {}): PngImage {
  checkPng(bytes, source, options, (m) => new PngFormatError(m, { file: source }));
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new PngFormatError(`${source}: not a readable PNG (${(e as Error).message})`);
  }
  const { width, height, depth } = png;
  let channels = png.channels;
  let data: Uint8Array | Uint16Array;
  if (depth === 16) {
    data = png.data instanceof Uint16Array ? png.data : new Uint16Array(png.data);
  } else if (depth === 8) {
    data =
      png.data instanceof Uint8Array
        ? png.data
        : new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
  } else {
    data = unpackBits(png.data as Uint8Array, width, height, channels, depth);
  }
  const expected = width * height * channels;
  if (data.length < expected)
    throw new PngFormatError(
      `${source}: image data holds ${data.length} samples, expected ${width}×${height}×${channels} (truncated?)`,
    );
  if (data.length > expected) data = data.subarray(0, expected);
  let bitDepth: number = depth;
  if (png.palette) {
    const palette = png.palette;
    const outChannels = palette.some((c) => c.length > 3) ? 4 : 3;
    const rgb = new Uint8Array(width * height * outChannels);
    for (let i = 0; i < width * height; i++) {
      const colour = palette[data[i]];
      if (!colour)
        throw new PngFormatError(
          `${source}: pixel ${i} uses palette index ${data[i]}, palette has ${palette.length} colours`,
        );
      for (let c = 0; c < outChannels; c++) rgb[i * outChannels + c] = colour[c] ?? 255;
    }
    data = rgb;
    channels = outChannels;
    bitDepth = 8;
  }
  return { width, height, channels, bitDepth, data };
}

/** Encodes 8-bit (Uint8Array) or 16-bit (Uint16Array) samples with 1–4 interleaved channels. */
export function encodePng(image: {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array | Uint16Array;
}): Uint8Array {
  const { width, height, channels, data } = image;
  if (!(channels >= 1 && channels <= 4)) throw new Error(`encodePng: channels must be 1–4, got ${channels}`);
  if (data.length !== width * height * channels)
    throw new Error(`encodePng: data has ${data.length} samples, expected ${width}×${height}×${channels}`);
  return encode({ width, height, channels, depth: data instanceof Uint16Array ? 16 : 8, data });
}

/** A segmentation mask: any PNG; a pixel is inside when its first channel is non-zero. */
export function readMaskPng(bytes: Uint8Array, source: string, options: PngCheckOptions = {}): Mask {
  const png = readPng(bytes, source, options);
  const n = png.width * png.height;
  const mask = new Uint8Array(n);
  const src = png.data;
  const c = png.channels;
  for (let i = 0; i < n; i++) mask[i] = src[i * c] !== 0 ? 255 : 0;
  return createMask(png.width, png.height, mask);
}

/** Writes a mask as a single-channel 8-bit PNG with values {0, 255} (gqcnn's segmask convention). */
export function encodeMaskPng(mask: Mask): Uint8Array {
  const out = new Uint8Array(mask.width * mask.height);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] !== 0 ? 255 : 0;
  return encodePng({ width: mask.width, height: mask.height, channels: 1, data: out });
}

/**
 * Depth from a 16-bit single-channel PNG (RealSense/Kinect style): value × `scale` metres
 * (default 0.001, i.e. millimetres); 0 stays 0 (missing).
 */
export function readDepthPng16(
  bytes: Uint8Array,
  source: string,
  scale = 0.001,
  options: PngCheckOptions = {},
): DepthImage {
  const png = readPng(bytes, source, options);
  if (png.bitDepth !== 16) throw new PngFormatError(`${source}: depth PNG must be 16-bit, got ${png.bitDepth}-bit`);
  if (png.channels !== 1) throw new PngFormatError(`${source}: depth PNG must have one channel, got ${png.channels}`);
  if (!(scale > 0 && Number.isFinite(scale)))
    throw new PngFormatError(`${source}: depth scale must be a positive number, got ${scale}`);
  const n = png.width * png.height;
  const out = new Float32Array(n);
  const src = png.data;
  for (let i = 0; i < n; i++) out[i] = src[i] * scale;
  return createDepthImage(png.width, png.height, out);
}

/**
 * Depth as a 16-bit single-channel PNG of round(depth / scale); 0 (missing) stays 0.
 * Depths beyond 65535 × scale cannot be stored and throw.
 */
export function encodeDepthPng16(depth: DepthImage, scale = 0.001): Uint8Array {
  const n = depth.width * depth.height;
  const out = new Uint16Array(n);
  const src = depth.data;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (!(v >= 0) || !Number.isFinite(v))
      throw new Error(`encodeDepthPng16: pixel ${i} has depth ${v}, expected a finite value ≥ 0`);
    const q = Math.round(v / scale);
    if (q > 65535)
      throw new Error(
        `encodeDepthPng16: depth ${v} m at pixel ${i} exceeds the 16-bit range (${65535 * scale} m at scale ${scale})`,
      );
    out[i] = q;
  }
  return encodePng({ width: depth.width, height: depth.height, channels: 1, data: out });
}

function unpackBits(packed: Uint8Array, width: number, height: number, channels: number, depth: number): Uint8Array {
  const samplesPerRow = width * channels;
  const bytesPerRow = Math.ceil((samplesPerRow * depth) / 8);
  const out = new Uint8Array(samplesPerRow * height);
  const perByte = 8 / depth;
  const maskBits = (1 << depth) - 1;
  for (let r = 0; r < height; r++) {
    const rowStart = r * bytesPerRow;
    for (let s = 0; s < samplesPerRow; s++) {
      const byte = packed[rowStart + Math.floor(s / perByte)] ?? 0;
      const shift = 8 - depth * ((s % perByte) + 1);
      out[r * samplesPerRow + s] = (byte >> shift) & maskBits;
    }
  }
  return out;
}
