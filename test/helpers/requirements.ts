// What some tests need from outside npm (numpy, redis-server, Chromium, PyTorch, the local real-sensor fixture):
// one place that probes for each, and one way to skip that says what is missing, why, and how to get it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Requirement {
  /** Short name for DEXNET_REQUIRE: numpy, torch, redis-server, chromium, real-sensor-fixture. */
  readonly id: string;
  /** What is needed, as a user would install it. */
  readonly name: string;
  /** How to get it. */
  readonly install: string;
  /** null when present, else why not (probed once, on first use). */
  problem(): string | null;
}

function requirement(id: string, name: string, install: string, probe: () => string | null): Requirement {
  let cached: string | null | undefined;
  return { id, name, install, problem: () => (cached === undefined ? (cached = probe()) : cached) };
}

/** The first of `names` on $PATH, or null. */
function onPath(...names: string[]): string | null {
  for (const n of names) {
    const r = spawnSync('sh', ['-c', `command -v ${n}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

function pythonImports(module: string): string | null {
  const r = spawnSync('python3', ['-c', `import ${module}`], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `python3 cannot run (${r.error.message})`;
  if (r.status !== 0) return `python3 -c "import ${module}" failed: ${r.stderr.trim().split('\n').pop()}`;
  return null;
}

export const numpy = requirement('numpy', 'python3 with numpy', 'apt-get install python3-numpy', () =>
  pythonImports('numpy'),
);

export const torch = requirement('torch', 'python3 with PyTorch', 'apt-get install python3-torch', () =>
  pythonImports('torch'),
);

export const redisServer = requirement('redis-server', 'redis-server', 'apt-get install redis-server', () =>
  onPath('redis-server') ? null : 'redis-server is not on $PATH',
);

/** Chromium for the viewer's browser test: $CHROMIUM_PATH, else chromium or chromium-browser on $PATH. */
export function chromiumPath(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return onPath('chromium', 'chromium-browser');
}

export const chromium = requirement(
  'chromium',
  'Chromium',
  'apt-get install chromium, or set CHROMIUM_PATH to a Chromium binary',
  () => {
    if (process.env.DEXNET_SKIP_BROWSER === '1') return 'DEXNET_SKIP_BROWSER=1';
    if (chromiumPath()) return null;
    return process.env.CHROMIUM_PATH
      ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`
      : 'neither chromium nor chromium-browser is on $PATH and CHROMIUM_PATH is unset';
  },
);

/** A real PrimeSense frame from gqcnn's examples: not ours to ship, so only on machines that keep it beside the repo. */
export const REAL_SENSOR_FIXTURE = '../shared/fixtures/real/primesense';
export const realSensorFixture = requirement(
  'real-sensor-fixture',
  'the real-sensor fixture',
  `only present on the development machine (${REAL_SENSOR_FIXTURE}); this test skips everywhere else`,
  () => (existsSync(`${REAL_SENSOR_FIXTURE}/depth_0.npy`) ? null : `${REAL_SENSOR_FIXTURE}/depth_0.npy not found`),
);

/**
 * True when any requirement is missing, after printing one line per missing one: use as
 * `describe.skipIf(unmet('what the tests check', numpy))(…)`. With DEXNET_REQUIRE=all (or a comma list of
 * ids such as redis-server,chromium) a missing requirement fails instead, for machines where it must be there.
 */
export function unmet(what: string, ...requirements: Requirement[]): boolean {
  const missing = requirements.filter((r) => r.problem() !== null);
  const required = (process.env.DEXNET_REQUIRE ?? '').split(',').map((s) => s.trim().toLowerCase());
  for (const r of missing) {
    const line = `${what}: needs ${r.name}, which is missing (${r.problem()}); to run it: ${r.install}`;
    if (required.includes('all') || required.includes(r.id)) throw new Error(`${line} [DEXNET_REQUIRE]`);
    process.stderr.write(`SKIPPED ${line}\n`);
  }
  return missing.length > 0;
}
