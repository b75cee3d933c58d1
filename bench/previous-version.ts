// The previous version of the code, for benchmarks that report a ratio against it in the same run: `src/` of a git
// commit is extracted into a temporary folder (its imports of npm packages resolve through a link to this checkout's
// node_modules) and its modules are imported from there, next to the current ones.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const checkouts = new Map<string, string>();

/** A folder holding `src/` as it was at `ref` (extracted once per run, removed when the process exits). */
function checkout(ref: string): string {
  const known = checkouts.get(ref);
  if (known) return known;
  let commit: string;
  try {
    commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`--baseline-ref: '${ref}' is not a commit of ${root} (a shallow clone may lack it)`);
  }
  const dir = mkdtempSync(join(tmpdir(), `dexnet-${commit.slice(0, 8)}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const archive = execFileSync('git', ['archive', '--format=tar', commit, 'src'], { cwd: root, maxBuffer: 1 << 30 });
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  if (existsSync(join(root, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  checkouts.set(ref, dir);
  return dir;
}

/** Removes the extracted folders now (they go at exit anyway; a test runner's worker may outlive its checks). */
export function removeCheckouts(): void {
  for (const dir of checkouts.values()) rmSync(dir, { recursive: true, force: true });
  checkouts.clear();
}

/**
 * Imports `modulePath` (relative to the repository root, e.g. 'src/physics/mjcf.ts') as it was at `ref`. An npm package
 * the old code imports but this checkout no longer installs is named in the error, with the version `ref` pinned:
 * keep such packages in devDependencies (quickhull3d is one).
 */
export async function importAt<T>(ref: string, modulePath: string): Promise<T> {
  try {
    return (await import(join(checkout(ref), modulePath))) as T;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code !== 'MODULE_NOT_FOUND' && e.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    const name = /Cannot find (?:module|package) '((?:@[^/']+\/)?[^/']+)/.exec(e.message ?? '')?.[1];
    if (!name || name.startsWith('.') || name.startsWith('/')) throw err;
    let pinned = '';
    try {
      const pkg = JSON.parse(execFileSync('git', ['show', `${ref}:package.json`], { cwd: root, encoding: 'utf8' })) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      pinned = pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? '';
    } catch {
      // No package.json at that commit: the message names the package alone.
    }
    throw new Error(
      `the previous version (${ref}) of ${modulePath} imports npm package ${name}, which node_modules lacks: ` +
        `npm install --save-dev --save-exact ${name}${pinned ? `@${pinned}` : ''}`,
    );
  }
}
