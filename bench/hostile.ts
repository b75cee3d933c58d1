// Hostile inputs, measured: the seeded cases of test/hostile (PNG, .npy, depth values, intrinsics, meshes, HTTP
// requests; at least 10,000) into the readers, the app (fastify.inject with a real planner process) and, for a
// sample, the real `dexnet` binary. Prints crashes (anything but a clean refusal: another exception, a 5xx, a
// stack trace), inputs that should be refused but were accepted, the slowest answer, and peak RSS of this process,
// of the planner and of the CLI runs (via /usr/bin/time when present).
// Usage: tsx bench/hostile.ts [--json] [--scale 1] [--seed 16] [--cli 40]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserInputError } from '../src/core/errors.js';
import { intrinsicsFromJson, parseIntrinsics } from '../src/geometry/camera-intrinsics.js';
import { meshProblem } from '../src/geometry/mesh-checks.js';
import { parseMesh } from '../src/geometry/mesh-io/index.js';
import { decodeDepth } from '../src/image/depth-io.js';
import { readMaskPng } from '../src/image/png.js';
import { checkPlanInputs } from '../src/policy/plan-io.js';
import { startServer } from '../src/server/app.js';
import {
  depthCases,
  httpCases,
  intrinsicsCases,
  LIBRARY_WORDING,
  meshCases,
  npyCases,
  pngCases,
  SCENE,
  sceneDepth,
  sceneIntrinsics,
  sceneNpy,
  type Verdict,
} from '../test/hostile/hostile-inputs.js';
import { flag, opt } from './args.js';

const json = flag('json');
const scale = Number(opt('scale', '1'));
const seed = Number(opt('seed', '16'));
const cliCount = Number(opt('cli', '40'));

interface Tally {
  cases: number;
  crashes: string[];
  accepted: string[];
  slowestMs: number;
  slowest: string;
}
const tallies: Record<string, Tally> = {};
const tally = (name: string): Tally =>
  (tallies[name] ??= { cases: 0, crashes: [], accepted: [], slowestMs: 0, slowest: '' });

/** One in-process case: 'crash' unless it returns or throws a one-line UserInputError in our words. */
function runCase(
  target: string,
  name: string,
  refuse: Verdict,
  read: () => void,
  isOurs: (e: unknown) => boolean = (e) => e instanceof UserInputError,
): void {
  const t = tally(target);
  t.cases++;
  const start = performance.now();
  let refused = false;
  try {
    read();
  } catch (e) {
    refused = true;
    const m = (e as Error)?.message ?? String(e);
    if (!isOurs(e) || /[\r\n]/.test(m) || LIBRARY_WORDING.test(m)) t.crashes.push(`${name}: ${m.slice(0, 200)}`);
  }
  const ms = performance.now() - start;
  if (ms > t.slowestMs) [t.slowestMs, t.slowest] = [ms, name];
  if (refuse === true && !refused) t.accepted.push(name);
}

const n = (k: number) => Math.round(k * scale);
const sceneImage = { width: SCENE.width, height: SCENE.height, data: sceneDepth() };

for (const c of pngCases(seed, n(3000)))
  runCase(
    'png',
    c.name,
    c.refuse,
    () => void (c.name.length % 2 ? decodeDepth(c.bytes, 'x.png', 'png') : readMaskPng(c.bytes, 'x.png')),
  );
for (const c of npyCases(seed, n(2000)))
  runCase('npy', c.name, c.refuse, () => void decodeDepth(c.bytes, 'x.npy', 'npy'));
for (const c of depthCases(seed, n(600)))
  runCase('depth values', c.name, c.refuse, () => {
    const d = decodeDepth(c.bytes, 'depth', c.format, { depthScale: c.depthScale });
    checkPlanInputs(d, intrinsicsFromJson(c.intrinsics, 'intrinsics'), null);
  });
for (const c of intrinsicsCases(seed, n(1500)))
  runCase('intrinsics', c.name, c.refuse, () => checkPlanInputs(sceneImage, parseIntrinsics(c.text, 'cam.intr'), null));
for (const c of meshCases(seed, n(1500)))
  runCase(
    'meshes',
    c.name,
    c.refuse,
    () => {
      const problem = meshProblem(parseMesh(c.bytes, c.format, `x.${c.format}`));
      if (problem) throw new UserInputError(`x.${c.format}: ${problem}`);
    },
    (e) => e instanceof UserInputError || (e as Error)?.name === 'MeshFormatError',
  );

// HTTP through the real app with one real planner process.
const server = await startServer({ modelDir: 'models/gqcnn-compact', port: 0, workers: 1, logLevel: false });
let plannerPeak = 0;
{
  const t = tally('http');
  for (const c of httpCases(seed, n(1600))) {
    t.cases++;
    const start = performance.now();
    const r = await server.app.inject({ method: c.method, url: c.url, headers: c.headers, payload: c.body });
    const ms = performance.now() - start;
    if (ms > t.slowestMs) [t.slowestMs, t.slowest] = [ms, c.name];
    let body: { error?: unknown; field?: unknown } = {};
    try {
      body = r.json();
    } catch {
      /* not JSON: counted below */
    }
    const clean =
      typeof body.error === 'string' &&
      !LIBRARY_WORDING.test(body.error) &&
      (typeof body.field === 'string' || body.field === null);
    if (r.statusCode >= 500 || !clean) t.crashes.push(`${c.name}: ${r.statusCode} ${r.body.slice(0, 200)}`);
    else if (r.statusCode < 400) t.accepted.push(c.name);
    if (t.cases % 100 === 0) plannerPeak = Math.max(plannerPeak, server.pool.plannerBytes());
  }
  const valid = await server.app.inject({
    method: 'POST',
    url: '/v1/plan',
    payload: { depth: Buffer.from(sceneNpy()).toString('base64'), intrinsics: sceneIntrinsics() },
  });
  if (valid.statusCode !== 200 && valid.statusCode !== 422)
    t.crashes.push(`valid request after the run: ${valid.statusCode} ${valid.body}`);
}
await server.close();

// A sample through the real binary, timed and measured with /usr/bin/time when there is one.
let cliPeakKb = 0;
if (cliCount > 0) {
  const t = tally('cli');
  const dir = mkdtempSync(join(tmpdir(), 'dexnet-hostile-bench-'));
  try {
    const intr = join(dir, 'scene.intr');
    writeFileSync(intr, JSON.stringify(sceneIntrinsics()));
    const runs: { name: string; args: string[] }[] = [];
    const pngs = pngCases(seed + 1, 200).filter((c) => c.refuse === true);
    const depths = depthCases(seed + 1, 60).filter((c) => c.refuse === true);
    const meshes = meshCases(seed + 1, 200).filter((c) => c.refuse === true);
    for (let i = 0; runs.length < cliCount; i++) {
      const kind = i % 3;
      if (kind === 0) {
        const c = pngs[i % pngs.length];
        writeFileSync(join(dir, `${i}.png`), c.bytes);
        runs.push({ name: `plan: ${c.name}`, args: ['plan', join(dir, `${i}.png`), '--intrinsics', intr] });
      } else if (kind === 1) {
        const c = depths[i % depths.length];
        writeFileSync(join(dir, `${i}.${c.format}`), c.bytes);
        writeFileSync(join(dir, `${i}.intr`), JSON.stringify(c.intrinsics));
        runs.push({
          name: `plan: ${c.name}`,
          args: [
            'plan',
            join(dir, `${i}.${c.format}`),
            '--intrinsics',
            join(dir, `${i}.intr`),
            '--depth-scale',
            String(c.depthScale),
          ],
        });
      } else {
        const c = meshes[i % meshes.length];
        writeFileSync(join(dir, `${i}.${c.format}`), c.bytes);
        runs.push({ name: `poses: ${c.name}`, args: [i % 2 ? 'poses' : 'grasps', join(dir, `${i}.${c.format}`)] });
      }
    }
    const timeBin = existsSync('/usr/bin/time');
    for (const run of runs) {
      t.cases++;
      const start = performance.now();
      const cmd = timeBin
        ? (['/usr/bin/time', ['-f', 'peak-kb %M', process.execPath, 'bin/dexnet.js', ...run.args]] as const)
        : ([process.execPath, ['bin/dexnet.js', ...run.args]] as const);
      const r = spawnSync(cmd[0], [...cmd[1]], { encoding: 'utf8', timeout: 60_000 });
      const ms = performance.now() - start;
      if (ms > t.slowestMs) [t.slowestMs, t.slowest] = [ms, run.name];
      const peak = /peak-kb (\d+)/.exec(r.stderr);
      if (peak) cliPeakKb = Math.max(cliPeakKb, Number(peak[1]));
      // /usr/bin/time adds its own lines: the peak, and "Command exited with non-zero status N".
      const stderr = r.stderr
        .replace(/peak-kb \d+\n?/, '')
        .replace(/^Command exited with non-zero status \d+\n?/m, '')
        .trim();
      if (r.status === 0) t.accepted.push(run.name);
      else if (
        r.status === null ||
        /\n\s+at /.test(stderr) ||
        stderr.split('\n').length !== 1 ||
        LIBRARY_WORDING.test(stderr)
      )
        t.crashes.push(`${run.name}: exit ${r.status ?? r.signal}: ${stderr.slice(0, 200)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const total = Object.values(tallies).reduce((s, t) => s + t.cases, 0);
const report = {
  seed,
  loadAverage: loadavg()[0],
  cases: total,
  crashes: Object.values(tallies).reduce((s, t) => s + t.crashes.length, 0),
  acceptedThatShouldBeRefused: Object.values(tallies).reduce((s, t) => s + t.accepted.length, 0),
  slowestAnswerMs: Math.max(...Object.values(tallies).map((t) => t.slowestMs)),
  peakRssMB: {
    thisProcess: Math.round(process.resourceUsage().maxRSS / 1024),
    planner: Math.round(plannerPeak / 2 ** 20),
    cli: Math.round(cliPeakKb / 1024),
  },
  byTarget: Object.fromEntries(
    Object.entries(tallies).map(([k, t]) => [
      k,
      {
        cases: t.cases,
        crashes: t.crashes.slice(0, 3),
        accepted: t.accepted.slice(0, 3),
        slowestMs: Math.round(t.slowestMs),
        slowest: t.slowest,
      },
    ]),
  ),
};
if (json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(
    `hostile inputs (seed ${seed}): ${report.cases} cases, ${report.crashes} crashes, ${report.acceptedThatShouldBeRefused} accepted that should be refused`,
  );
  console.log(
    `slowest answer ${report.slowestAnswerMs.toFixed(0)} ms (load average ${report.loadAverage.toFixed(1)}); peak RSS: this process ${report.peakRssMB.thisProcess} MB, planner ${report.peakRssMB.planner} MB, CLI runs ${report.peakRssMB.cli} MB`,
  );
  for (const [k, t] of Object.entries(report.byTarget))
    console.log(
      `  ${k.padEnd(13)} ${String(t.cases).padStart(5)} cases, slowest ${String(t.slowestMs).padStart(5)} ms (${t.slowest})${t.crashes.length ? `; crashes: ${t.crashes.join(' | ')}` : ''}${t.accepted.length ? `; accepted: ${t.accepted.join(' | ')}` : ''}`,
    );
}
