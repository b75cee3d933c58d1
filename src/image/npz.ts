// numpy .npz archives (a zip of .npy files, as np.savez / np.savez_compressed write them): the dataset's shard format.
import * as zlib from 'node:zlib';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { decodeNpy, encodeNpy, NpyFormatError, type DecodeNpyOptions, type NpyArray, type NpyData } from './npy.js';

export interface NpzEntry {
  readonly data: NpyData | Uint8ClampedArray;
  readonly shape: readonly number[];
  /** Store a Uint8Array as numpy bool. */
  readonly dtype?: 'bool';
}

export interface WriteNpzOptions {
  /** Deflate every member, like np.savez_compressed (default true); false stores them like np.savez. */
  compress?: boolean;
  /** Deflate level 1–9 when compressing (default 6, zlib's default, which numpy uses too). */
  level?: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

// A fixed timestamp keeps archives byte-identical across runs (the dataset promises that).
const FIXED_MTIME = new Date(2000, 0, 1); // local time: zip stores local DOS fields, so this encodes the same in every zone

/** Builds an .npz archive; each key becomes `<key>.npy` inside the zip. */
export function writeNpz(entries: Record<string, NpzEntry>, options: WriteNpzOptions = {}): Uint8Array {
  const compress = options.compress ?? true;
  const files: Zippable = {};
  for (const [key, entry] of Object.entries(entries)) {
    if (key.length === 0) throw new Error('writeNpz: empty entry name');
    files[`${key}.npy`] = [
      encodeNpy(entry.data, entry.shape, entry.dtype ? { dtype: entry.dtype } : {}),
      { level: compress ? (options.level ?? 6) : 0, mtime: FIXED_MTIME },
    ];
  }
  return zipSync(files);
}

/** Reads every `.npy` member of an .npz archive; keys lose their `.npy` suffix. Errors name `source` (and `source:key`). */
export function readNpz(bytes: Uint8Array, source: string, options: DecodeNpyOptions = {}): Record<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new NpyFormatError(`${source}: zip: not a readable .npz archive (${(e as Error).message})`);
  }
  const out: Record<string, NpyArray> = Object.create(null) as Record<string, NpyArray>;
  // fflate does not check CRCs; a flipped bit in a shard must not become silently wrong training data.
  const crcs = crc32 ? centralDirectoryCrcs(bytes) : undefined;
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('/')) continue; // directory entries carry no array
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    const expected = crcs?.get(name);
    if (crc32 && expected !== undefined && crc32(content) !== expected)
      throw new NpyFormatError(`${source}:${key}: zip: CRC-32 mismatch (the archive is corrupt)`);
    out[key] = decodeNpy(content, `${source}:${key}`, options);
  }
  return out;
}

// zlib.crc32 exists from Node 20.15 / 22.2; on older runtimes archives are read unverified.
const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** Member name → CRC-32 from the zip central directory (zip64 aware); empty when it cannot be parsed. */
function centralDirectoryCrcs(bytes: Uint8Array): Map<string, number> {
  const crcs = new Map<string, number>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 22 - 0xffff; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return crcs;
  let entries = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if ((entries === 0xffff || offset === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const z64 = Number(view.getBigUint64(eocd - 12, true));
    if (z64 + 56 > bytes.length || view.getUint32(z64, true) !== 0x06064b50) return crcs;
    entries = Number(view.getBigUint64(z64 + 32, true));
    offset = Number(view.getBigUint64(z64 + 48, true));
  }
  const decoder = new TextDecoder();
  for (let k = 0; k < entries; k++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) return new Map();
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    if (offset + 46 + nameLength > bytes.length) return new Map();
    crcs.set(decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)), view.getUint32(offset + 16, true));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return crcs;
}
