// Runs once per `vitest run`, before any test file: makes dist/ match src/, and gives the run its own temp folder.
//
// Stale code: the CLI tests run bin/dexnet.js → dist/, the planning pool's threads load dist/server/plan-worker.js and
// the server serves the viewer from dist/viewer/, while the tests themselves import src/ through vitest. We keep
// testing what ships (the real binary and the compiled worker, not a tsx shim) and rebuild dist/ here whenever a
// source file is newer than its compiled file (or the viewer's sources than its bundle), so `npx vitest run test/…`
// after an edit never silently tests the last build. An up-to-date dist/ costs one directory walk.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const require = createRequire(import.meta.url);

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* files(path);
    else yield path;
  }
}

const mtime = (path: string) => statSync(path).mtimeMs;

/** The first library source whose compiled file is missing or older, or null when dist/ is current. */
function staleLibrary(): string | null {
  for (const src of files('src')) {
    if (src.startsWith(join('src', 'viewer')) || !src.endsWith('.ts') || src.endsWith('.d.ts')) continue;
    const out = join('dist', relative('src', src).replace(/\.ts$/, '.js'));
    if (!existsSync(out) || mtime(out) < mtime(src)) return src;
  }
  return null;
}

/** The first viewer source newer than the viewer bundle, or null. */
function staleViewer(): string | null {
  const bundle = join('dist', 'viewer', 'index.html');
  const built = existsSync(bundle) ? mtime(bundle) : -Infinity;
  for (const src of files(join('src', 'viewer'))) if (mtime(src) > built) return src;
  return null;
}

function run(what: string, script: string, args: string[]): void {
  process.stderr.write(`global setup: ${what}\n`);
  execFileSync(process.execPath, [script, ...args], { stdio: 'inherit' });
}

export default function setup(): () => void {
  const lib = staleLibrary();
  if (lib)
    run(`dist/ is older than ${lib}: compiling (tsc -p tsconfig.build.json)`, require.resolve('typescript/bin/tsc'), [
      '-p',
      'tsconfig.build.json',
    ]);
  const viewer = staleViewer();
  if (viewer) {
    const vite = join(require.resolve('vite/package.json'), '..', 'bin', 'vite.js');
    run(`dist/viewer/ is older than ${viewer}: bundling (vite build)`, vite, [
      'build',
      '--config',
      'src/viewer/vite.config.ts',
      '--logLevel',
      'warn',
    ]);
  }

  // Every test file and every process it spawns inherits TMPDIR, so whatever a test leaves behind is found and
  // removed here, and named so that the test gets fixed.
  const root = mkdtempSync(join(tmpdir(), 'dexnet-test-run-'));
  process.env.TMPDIR = root;
  // Commands that tests run print no plain progress lines (progress.ts) however slow the machine: several tests read
  // their stderr whole. test/cli/progress.test.ts tests the lines.
  process.env.DEXNET_PROGRESS_SECONDS ??= String(24 * 3600);
  return () => {
    const left = readdirSync(root).filter((name) => name.startsWith('dexnet-'));
    rmSync(root, { recursive: true, force: true });
    if (left.length > 0)
      throw new Error(
        `tests left temporary folders behind (remove them in afterAll; see test/helpers/temp-dir.ts): ${left.join(', ')}`,
      );
  };
}
