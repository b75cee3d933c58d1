// numpy .npz archives (a zip of .npy files, as np.savez / np.savez_compressed write them): the dataset's shard format.
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
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('/')) continue; // directory entries carry no array
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    out[key] = decodeNpy(content, `${source}:${key}`, options);
  }
  return out;
}
