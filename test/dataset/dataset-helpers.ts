// Shared by the dataset tests: a content digest of a dataset and a wait for its first finished part.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** sha256 of every file under a dataset's tensors/ and splits/, keyed by relative path. */
export function datasetDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}/${e.name}`);
      else out[`${rel}/${e.name}`] = createHash('sha256').update(readFileSync(join(d, e.name))).digest('hex');
    }
  };
  walk(join(dir, 'tensors'), 'tensors');
  walk(join(dir, 'splits'), 'splits');
  return out;
}

/** Resolves once some object's part of a run in `outDir` is complete (its JSON marker exists). */
export function firstPartFinished(outDir: string, abort?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      const parts = join(outDir, 'parts');
      if (existsSync(parts) && readdirSync(parts).some((f) => f.endsWith('.json'))) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    abort?.then(() => { clearInterval(timer); reject(new Error('the run ended before its first part was seen')); });
  });
}
