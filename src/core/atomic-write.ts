// Crash-safe file writes: a temp file beside the target, then rename (atomic on one filesystem).
// Lives in the lowest stage so that mesh, image, dataset and model files all share it.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserInputError } from './errors.js';

export interface WriteFileOptions {
  /**
   * Create missing parent folders (default true: dataset and model writers own their folders). Off for a file the
   * user named, where a typo in a folder name should be an error rather than a new folder.
   */
  createFolders?: boolean;
}

export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: WriteFileOptions = {},
): Promise<void> {
  const folder = dirname(path);
  if (options.createFolders === false) {
    const info = await stat(folder).catch(() => null);
    if (!info) throw new UserInputError(`${path}: folder ${folder} does not exist (create it first)`, { file: path });
    if (!info.isDirectory()) throw new UserInputError(`${path}: ${folder} is not a folder`, { file: path });
  } else {
    await mkdir(folder, { recursive: true });
  }
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(data);
      // Flushed before the rename, so a power cut cannot leave a renamed but empty file.
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}
