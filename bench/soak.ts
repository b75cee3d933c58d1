// Service soak: `dexnet serve` (compiled, its own process) under mixed valid and hostile load — cem plans on the
// example, fc plans on a 2000×2000 16-bit PNG that outlive the deadline, clients that hang up mid-plan, and the
// seeded hostile requests of test/hostile — for --duration seconds. Checks that the process never exits, that every
// valid request gets 200 or a 429/503 with a reason, that every hostile one gets a 4xx (or 429/503 when busy), and
// prints resident memory (server + planner processes, from /metrics) after warm-up, at its peak, and once the load
// has stopped and the queue drained.
// Usage: tsx bench/soak.ts [--json] [--duration 60] [--timeout 10000] [--workers 2] [--settle 30]
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { encodePng } from '../src/image/png.js';
import { httpCases, type HttpCase } from '../test/hostile/hostile-inputs.js';
import { flag, opt } from './args.js';
import { startServeProcess } from './serve-process.js';

const json = flag('json');
const duration = Number(opt('duration', '60')) * 1000;
const timeout = opt('timeout', '10000');
const workers = opt('workers', '2');
const settle = Number(opt('settle', '30')) * 1000;

const { url, child } = await startServeProcess(['--timeout', timeout, '--workers', workers, '--max-queue', '8']);
let exited: string | null = null;
child.on('exit', (code, signal) => (exited = `exit ${code ?? signal}`));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function rss(): Promise<{ server: number; planners: number; total: number; depth: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const server = read('process_resident_memory_bytes'),
    planners = read('dexnet_planner_resident_memory_bytes');
  return { server, planners, total: server + planners, depth: read('dexnet_plan_queue_depth') };
}
const mb = (b: number) => Math.round(b / 2 ** 20);

// The inputs: the example as JSON, and a large scene as a multipart form for fc.
const example = {
  depth: readFileSync('examples/scene/depth.npy').toString('base64'),
  segmask: readFileSync('examples/scene/segmask.png').toString('base64'),
  intrinsics: JSON.parse(readFileSync('examples/scene/camera.intr', 'utf8')),
};
const side = 2000;
const big = new Uint16Array(side * side).fill(700);
for (let r = 800; r < 1200; r++) for (let c = 800; c < 1200; c++) big[r * side + c] = 650;
const bigPng = encodePng({ width: side, height: side, channels: 1, data: big });
const bigIntr = JSON.stringify({
  _fx: 1600,
  _fy: 1600,
  _cx: 999.5,
  _cy: 999.5,
  _skew: 0,
  _height: side,
  _width: side,
  _K: 0,
  _frame: 'camera',
});

type Outcome = { kind: string; status: number; error?: string };
const outcomes: Outcome[] = [];
const failures: string[] = [];
async function call(kind: string, init: RequestInit, path = '/v1/plan'): Promise<void> {
  let r: Response;
  try {
    r = await fetch(`${url}${path}`, init);
  } catch (e) {
    if (kind !== 'hang-up') failures.push(`${kind}: no answer (${(e as Error).message})`);
    return;
  }
  const text = await r.text();
  let error: string | undefined;
  try {
    error = (JSON.parse(text) as { error?: string }).error;
  } catch {
    error = undefined;
  }
  outcomes.push({ kind, status: r.status, error });
  const reasoned = typeof error === 'string' && error.length > 0;
  if (kind === 'valid' || kind === 'fc-large') {
    if (!(r.status === 200 || ((r.status === 429 || r.status === 503) && reasoned)))
      failures.push(`${kind}: ${r.status} ${text.slice(0, 160)}`);
  } else if (kind === 'hostile') {
    if (!((r.status >= 400 && r.status < 500) || r.status === 503) || !reasoned)
      failures.push(`${kind}: ${r.status} ${text.slice(0, 160)}`);
  }
}

// Made before the clock starts: building the hostile files takes a while.
const hostile = httpCases(16, 2000);

/** A hostile request over node:http, which (unlike fetch) sends any Host header and URL as given. */
function rawCall(c: HttpCase): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const req = httpRequest({ host: hostname, port, method: c.method, path: c.url, headers: c.headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        let error: string | undefined;
        try {
          error = (JSON.parse(text) as { error?: string }).error;
        } catch {
          error = undefined;
        }
        const status = res.statusCode ?? 0;
        outcomes.push({ kind: 'hostile', status, error });
        if (!((status >= 400 && status < 500) || status === 503) || !error)
          failures.push(`hostile ${c.name}: ${status} ${text.slice(0, 160)}`);
        resolve();
      });
    });
    req.on('error', (e) => {
      // A cut-off body or a refusal before the upload may end the connection: an answer was still required.
      failures.push(`hostile ${c.name}: no answer (${e.message})`);
      resolve();
    });
    req.end(c.method === 'GET' ? undefined : c.body);
  });
}

// Warm up: the planners load and run their first plans, then measure the starting point.
for (let i = 0; i < 4; i++)
  await call('valid', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...example, seed: i }),
  });
await sleep(2000);
const start = await rss();
let peak = start.total;

const end = Date.now() + duration;
const loops: Promise<void>[] = [];
const loop = (fn: (i: number) => Promise<void>) =>
  loops.push(
    (async () => {
      for (let i = 0; Date.now() < end && !exited; i++) await fn(i);
    })(),
  );
loop((i) =>
  call('valid', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...example, seed: i }),
  }),
);
loop((i) =>
  call('valid', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...example, seed: 1000 + i, policy: 'fc' }),
  }),
);
loop(async () => {
  const form = new FormData();
  form.append('depth', new Blob([bigPng]), 'big.png');
  form.append('intrinsics', bigIntr);
  form.append('policy', 'fc');
  await call('fc-large', { method: 'POST', body: form });
});
for (const offset of [0, hostile.length >> 1])
  loop(async (i) => {
    const c = hostile[(offset + i) % hostile.length];
    await rawCall(c);
  });
loop(async (i) => {
  const abort = new AbortController();
  const done = call('hang-up', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...example, seed: i }),
    signal: abort.signal,
  });
  await sleep(200 + (i % 10) * 200);
  abort.abort();
  await done;
});
loops.push(
  (async () => {
    while (Date.now() < end && !exited) {
      peak = Math.max(peak, (await rss()).total);
      await sleep(1000);
    }
  })(),
);
await Promise.all(loops);

// Let the queue drain and over-budget planners be replaced, then read memory again.
const settleEnd = Date.now() + settle;
let after = await rss();
while (Date.now() < settleEnd && !exited) {
  await sleep(2000);
  after = await rss();
  if (after.depth === 0 && after.total <= start.total * 1.1) break;
}
const stillRunning = !exited;
child.kill('SIGTERM');

const count = (kind: string, pred: (o: Outcome) => boolean) =>
  outcomes.filter((o) => o.kind === kind && pred(o)).length;
const report = {
  durationS: duration / 1000,
  timeoutMs: Number(timeout),
  workers: Number(workers),
  processStillRunning: stillRunning,
  exit: exited,
  requests: outcomes.length,
  valid: {
    ok: count('valid', (o) => o.status === 200),
    busy429: count('valid', (o) => o.status === 429),
    unavailable503: count('valid', (o) => o.status === 503),
  },
  fcLarge: {
    ok: count('fc-large', (o) => o.status === 200),
    busy429: count('fc-large', (o) => o.status === 429),
    deadline503: count('fc-large', (o) => o.status === 503),
  },
  hostile: {
    refused4xx: count('hostile', (o) => o.status >= 400 && o.status < 500),
    unavailable503: count('hostile', (o) => o.status === 503),
  },
  failures: failures.length,
  failureSamples: failures.slice(0, 5),
  rssMB: {
    start: mb(start.total),
    peak: mb(peak),
    after: mb(after.total),
    afterServer: mb(after.server),
    afterPlanners: mb(after.planners),
    startServer: mb(start.server),
    startPlanners: mb(start.planners),
  },
  rssAfterOverStart: Number((after.total / start.total).toFixed(3)),
};
if (json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(
    `soak ${report.durationS} s (timeout ${timeout} ms, ${workers} planners): process ${stillRunning ? 'still running' : `EXITED (${exited})`}; ${report.requests} answers, ${failures.length} failures`,
  );
  console.log(
    `  valid: ${JSON.stringify(report.valid)}; fc 2000×2000: ${JSON.stringify(report.fcLarge)}; hostile: ${JSON.stringify(report.hostile)}`,
  );
  console.log(
    `  RSS (server + planners): start ${report.rssMB.start} MB, peak ${report.rssMB.peak} MB, after ${report.rssMB.after} MB (×${report.rssAfterOverStart})`,
  );
  for (const f of report.failureSamples) console.log(`  failure: ${f}`);
}
process.exit(failures.length === 0 && stillRunning ? 0 : 1);
