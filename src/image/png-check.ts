// Checks a PNG file before it is decoded: structure, chunk CRCs, one IHDR within the pixel budget, and image data
// that inflates (with a cap) to exactly the size the header promises with a correct zlib Adler-32. The decoder
// (fast-png) checks none of these: single-bit flips still decoded to a different image, a second IHDR slipped
// past the pixel limit, and a 1 MB file inflated to 1 GiB (issue 16). Pure JS, so the viewer can use it too.
import { Inflate } from 'fflate';

/** Largest image any reader accepts unless told otherwise: 4096 × 4096 (a 16-bit one inflates to 32 MiB). */
export const DEFAULT_MAX_PIXELS = 4096 * 4096;

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
}

export interface PngCheckOptions {
  /** Refuse images with more pixels than this (default DEFAULT_MAX_PIXELS). */
  maxPixels?: number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples per pixel of each colour type, and the bit depths PNG allows for it. */
const COLOUR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};
// Adam7: first row, first column, row step, column step of each pass.
const ADAM7 = [
  [0, 0, 8, 8],
  [0, 4, 8, 8],
  [4, 0, 8, 4],
  [0, 2, 4, 4],
  [2, 0, 4, 2],
  [0, 1, 2, 2],
  [1, 0, 2, 1],
];

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO 3309, as PNG chunks use) of bytes[start, end). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Adler-32 (RFC 1950) of `bytes`. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 is the longest run before b can overflow 2^32 (zlib's NMAX).
  for (let i = 0; i < bytes.length;) {
    const end = Math.min(bytes.length, i + 5552);
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Bytes of filtered image data (each row with its filter byte) the header promises. */
export function filteredSize(h: PngHeader): number {
  const channels = COLOUR_TYPES[h.colourType].channels;
  const rowBytes = (w: number) => (w === 0 ? 0 : 1 + Math.ceil((w * channels * h.bitDepth) / 8));
  if (!h.interlaced) return h.height * rowBytes(h.width);
  let total = 0;
  for (const [r0, c0, dr, dc] of ADAM7) {
    const w = Math.max(0, Math.ceil((h.width - c0) / dc));
    const rows = Math.max(0, Math.ceil((h.height - r0) / dr));
    if (w > 0) total += rows * rowBytes(w);
  }
  return total;
}

/**
 * Throws `makeError(message)` (one line, prefixed with `source`) unless `bytes` is a well-formed PNG within the
 * budget; returns its header. Costs one capped inflate of the image data.
 */
export function checkPng(
  bytes: Uint8Array,
  source: string,
  options: PngCheckOptions,
  makeError: (m: string) => Error,
): PngHeader {
  const fail = (problem: string): never => {
    throw makeError(`${source}: ${problem}`);
  };
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.length < 8 || !SIGNATURE.every((b, i) => bytes[i] === b)) fail('not a readable PNG (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: PngHeader | null = null;
  const idat: [number, number][] = [];
  let idatTotal = 0;
  let idatEnded = false;
  let hasPalette = false;
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) fail(`file ends inside a chunk at byte ${at} (truncated, no IEND)`);
    const length = view.getUint32(at);
    const typeBytes = bytes.subarray(at + 4, at + 8);
    const type = String.fromCharCode(...typeBytes);
    if (!/^[A-Za-z]{4}$/.test(type)) fail(`chunk at byte ${at} has an invalid type (corrupt file)`);
    if (length > 0x7fffffff || at + 12 + length > bytes.length)
      fail(`${type} chunk at byte ${at} claims ${length} bytes, past the end of the file (truncated?)`);
    const dataStart = at + 8;
    const dataEnd = dataStart + length;
    if (crc32(bytes, at + 4, dataEnd) !== view.getUint32(dataEnd))
      fail(`${type} chunk at byte ${at} fails its CRC check (corrupt file)`);
    if (header === null && type !== 'IHDR') fail(`the first chunk is ${type}, expected IHDR`);
    if (type === 'IHDR') {
      if (header !== null) fail('more than one IHDR chunk');
      if (length !== 13) fail(`IHDR is ${length} bytes, expected 13`);
      const width = view.getUint32(dataStart);
      const height = view.getUint32(dataStart + 4);
      const bitDepth = bytes[dataStart + 8];
      const colourType = bytes[dataStart + 9];
      if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff)
        fail(`image size ${width}×${height} is invalid`);
      if (width * height > maxPixels) fail(`image is ${width}×${height}, more than the ${maxPixels} pixels allowed`);
      const kind = COLOUR_TYPES[colourType];
      if (!kind) fail(`colour type ${colourType} does not exist (expected 0, 2, 3, 4 or 6)`);
      if (!kind.depths.includes(bitDepth)) fail(`bit depth ${bitDepth} is not allowed for colour type ${colourType}`);
      if (bytes[dataStart + 10] !== 0) fail(`compression method ${bytes[dataStart + 10]} does not exist (expected 0)`);
      if (bytes[dataStart + 11] !== 0) fail(`filter method ${bytes[dataStart + 11]} does not exist (expected 0)`);
      if (bytes[dataStart + 12] > 1) fail(`interlace method ${bytes[dataStart + 12]} does not exist (expected 0 or 1)`);
      header = { width, height, bitDepth, colourType, interlaced: bytes[dataStart + 12] === 1 };
    } else if (type === 'PLTE') {
      hasPalette = true;
      if (length === 0 || length % 3 !== 0 || length > 768)
        fail(`PLTE is ${length} bytes, expected a multiple of 3 up to 768`);
    } else if (type === 'IDAT') {
      if (idatEnded) fail('IDAT chunks are not consecutive');
      idat.push([dataStart, dataEnd]);
      idatTotal += length;
    } else if (type === 'IEND') {
      break;
    } else if (idat.length > 0) {
      idatEnded = true;
    }
    at = dataEnd + 4;
  }
  const h = header as PngHeader;
  if (h.colourType === 3 && !hasPalette) fail('palette image without a PLTE chunk');
  if (idat.length === 0) fail('no image data (IDAT chunk)');
  const zlib = new Uint8Array(idatTotal);
  let o = 0;
  for (const [s, e] of idat) {
    zlib.set(bytes.subarray(s, e), o);
    o += e - s;
  }
  checkImageData(zlib, h, fail);
  return h;
}

/** Inflates the zlib stream with a cap at the promised size, then checks its length, Adler-32 and row filters. */
function checkImageData(zlib: Uint8Array, h: PngHeader, fail: (p: string) => never): void {
  if (zlib.length < 6) fail('image data is too short to be a zlib stream');
  const cmf = zlib[0];
  const flg = zlib[1];
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0)
    fail('image data is not a zlib stream (bad header)');
  if (flg & 0x20) fail('image data uses a preset dictionary, which PNG does not allow');
  const expected = filteredSize(h);
  const out = new Uint8Array(expected);
  let got = 0;
  let overflow = false;
  const inflate = new Inflate((chunk) => {
    if (got + chunk.length > expected) {
      overflow = true;
      throw new Error('over the cap');
    }
    out.set(chunk, got);
    got += chunk.length;
  });
  const body = zlib.subarray(2, zlib.length - 4);
  // Pieces sized to the promise: deflate inflates at most ~1032× (zeros), so a bomb is stopped after inflating about
  // a thousand times one piece, never the whole stream (a 1 MB file held 1 GiB of zeros).
  const piece = Math.max(64, Math.min(65_536, expected >> 10));
  try {
    for (let i = 0; i < body.length; i += piece)
      inflate.push(body.subarray(i, Math.min(body.length, i + piece)), i + piece >= body.length);
  } catch (e) {
    if (overflow)
      fail(
        `image data inflates to more than the ${expected} bytes its ${h.width}×${h.height} header promises (a decompression bomb?)`,
      );
    fail(`image data is not valid deflate data (${(e as Error).message || 'corrupt'})`);
  }
  if (got !== expected)
    fail(`image data inflates to ${got} bytes, the ${h.width}×${h.height} header needs ${expected} (truncated?)`);
  const tail = zlib.length - 4;
  const stored = ((zlib[tail] << 24) | (zlib[tail + 1] << 16) | (zlib[tail + 2] << 8) | zlib[tail + 3]) >>> 0;
  if (adler32(out) !== stored) fail('image data fails its zlib Adler-32 check (corrupt file)');
  // Every row starts with a filter type 0–4.
  const channels = COLOUR_TYPES[h.colourType].channels;
  const rowBytes = (w: number) => 1 + Math.ceil((w * channels * h.bitDepth) / 8);
  const passes = h.interlaced ? ADAM7 : [[0, 0, 1, 1]];
  let at = 0;
  for (const [r0, c0, dr, dc] of passes) {
    const w = Math.max(0, Math.ceil((h.width - c0) / dc));
    const rows = w === 0 ? 0 : Math.max(0, Math.ceil((h.height - r0) / dr));
    for (let r = 0; r < rows; r++, at += rowBytes(w))
      if (out[at] > 4) fail(`row ${r} has filter type ${out[at]} (expected 0–4; corrupt file)`);
  }
}
