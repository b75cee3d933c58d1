// The settings file of a resumable run: written by the first run into its output folder, and compared with by every
// later run there, so a resumed run never mixes outputs made with different settings.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { UserInputError } from './errors.js';

/**
 * Writes `plan` as `outDir/fileName`, or checks that the one already there is the same; a differing one throws a
 * UserInputError naming the first top-level field that differs.
 */
export async function writeOrCheckPlan(outDir: string, fileName: string, plan: Record<string, unknown>): Promise<void> {
  const path = join(outDir, fileName);
  let existing: Record<string, unknown> | null;
  try {
    existing = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    existing = null;
  }
  if (!existing) {
    await writeFileAtomic(path, JSON.stringify(plan, null, 2) + '\n');
    return;
  }
  if (JSON.stringify(existing) === JSON.stringify(plan)) return;
  const keys = [...new Set([...Object.keys(plan), ...Object.keys(existing)])];
  const field = keys.find((k) => JSON.stringify(existing[k]) !== JSON.stringify(plan[k])) ?? 'order';
  throw new UserInputError(
    `${outDir}: holds a run with different settings (${field} differs); resume with the same arguments or choose a new --out`,
    { file: outDir },
  );
}
