// Temporary folders for tests, each removed after its file's tests (the global setup also checks none is left).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A factory of fresh temporary folders named `dexnet-<prefix>-…`, all removed in this file's afterAll. */
export function tempDirs(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `dexnet-${prefix}-`));
    made.push(dir);
    return dir;
  };
}
