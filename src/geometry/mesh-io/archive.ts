// Zip archives of meshes (.zip, Sweet Home 3D's .sh3f): entries listed from the central directory and inflated one
// at a time, each only after its declared size and compression ratio pass the caps, into a buffer of exactly the
// declared size, so a zip bomb costs at most the cap whatever it claims or holds.
import { unzipSync } from 'fflate';
import { MeshFormatError } from './errors.js';

export interface ArchiveEntry {
  name: string;
  /** Compressed size (bytes). */
  size: number;
  /** Declared uncompressed size (bytes). */
  originalSize: number;
}

export interface ArchiveLimits {
  /** Largest declared size of one entry (bytes; default 256 MiB). */
  maxEntryBytes?: number;
  /** Largest declared-to-compressed ratio (default 200; deflate cannot exceed ≈ 1032, meshes compress ≈ 3–10×). */
  maxRatio?: number;
}

export class MeshArchive {
  readonly entries: ArchiveEntry[] = [];
  private readonly maxEntryBytes: number;
  private readonly maxRatio: number;

  constructor(
    private readonly bytes: Uint8Array,
    readonly path: string,
    limits: ArchiveLimits = {},
  ) {
    this.maxEntryBytes = limits.maxEntryBytes ?? 256 * 1024 * 1024;
    this.maxRatio = limits.maxRatio ?? 200;
    try {
      unzipSync(bytes, {
        filter: (file) => {
          if (!file.name.endsWith('/')) {
            this.entries.push({ name: file.name, size: file.size, originalSize: file.originalSize });
          }
          return false;
        },
      });
    } catch (err) {
      throw new MeshFormatError(path, `not a readable zip archive (${(err as Error).message})`);
    }
  }

  /** The entry's bytes; throws a MeshFormatError naming `path:entry` when it breaks a cap or does not inflate. */
  read(name: string): Uint8Array {
    const entry = this.entries.find((e) => e.name === name);
    const where = `${this.path}:${name}`;
    if (entry === undefined) throw new MeshFormatError(where, 'no such entry in the archive');
    if (entry.originalSize > this.maxEntryBytes) {
      throw new MeshFormatError(
        where,
        `declares ${entry.originalSize} bytes, more than the ${this.maxEntryBytes} allowed`,
      );
    }
    if (entry.originalSize > this.maxRatio * Math.max(entry.size, 1) && entry.originalSize > 1 << 20) {
      throw new MeshFormatError(
        where,
        `declares ${entry.originalSize} bytes from ${entry.size} compressed (ratio over ${this.maxRatio}): a zip bomb?`,
      );
    }
    let out: Uint8Array | undefined;
    try {
      out = unzipSync(this.bytes, { filter: (file) => file.name === name })[name];
    } catch (err) {
      throw new MeshFormatError(where, `does not inflate (${(err as Error).message})`);
    }
    if (out === undefined) throw new MeshFormatError(where, 'entry could not be read');
    return out;
  }
}
