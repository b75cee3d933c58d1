// Service throughput: starts `dexnet serve` (compiled, in its own process) unless --url names a running one,
// then drives POST /v1/plan with the example scene from this process with autocannon: plans per second,
// p50/p99 latency, errors, and the server's RSS (from its /metrics, sampled every 2 s) over the first and the
// last 10 s of the run (medians: the heap's sawtooth makes any single sample ±10 %), after a 10 s warm-up.
// The example goes as a multipart form (files, as curl and the viewer send them) or, with --body json, as JSON
// with base64 images.
// Usage: tsx bench/serve.ts [--json] [--duration 60] [--connections 4] [--policy cem] [--body multipart|json]
//        [--workers n] [--url http://host:port] [--api-key k]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { flag, opt } from './args.js';
import { startServeProcess } from './serve-process.js';

const json = flag('json');
const duration = Number(opt('duration', '60'));
const connections = Number(opt('connections', '4'));
const policy = opt('policy', 'cem');
const workers = opt('workers', '');
const apiKey = opt('api-key', '');

const auth: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};

async function rssBytes(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: auth })).text();
  const m = /^process_resident_memory_bytes (\S+)$/m.exec(text);
  if (!m) throw new Error(`${url}/metrics has no process_resident_memory_bytes`);
  return Number(m[1]);
}

const files = {
  depth: readFileSync('examples/scene/depth.npy'),
  intrinsics: readFileSync('examples/scene/camera.intr'),
  segmask: readFileSync('examples/scene/segmask.png'),
};
const bodyKind = opt('body', 'multipart');
let body: Buffer;
let contentType: string;
if (bodyKind === 'json') {
  contentType = 'application/json';
  body = Buffer.from(
    JSON.stringify({
      depth: files.depth.toString('base64'),
      segmask: files.segmask.toString('base64'),
      intrinsics: JSON.parse(files.intrinsics.toString()),
      policy,
    }),
  );
} else {
  // One form built once, so the client spends nothing per request on encoding.
  const boundary = 'dexnet-bench-boundary';
  contentType = `multipart/form-data; boundary=${boundary}`;
  const part = (name: string, value: Buffer, file: boolean) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${name}"` : ''}\r\n\r\n`,
      ),
      value,
      Buffer.from('\r\n'),
    ]);
  body = Buffer.concat([
    part('depth', files.depth, true),
    part('intrinsics', files.intrinsics, true),
    part('segmask', files.segmask, true),
    part('policy', Buffer.from(policy), false),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
}
const headers = { 'content-type': contentType, ...auth };
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const external = opt('url', '');
const server = external
  ? { url: external, child: null }
  : await startServeProcess(workers ? ['--workers', workers] : [], true);
const { url } = server;
try {
  // Warm-up: every worker's ONNX session, the JIT and the heaps reach their working size before anything is measured.
  const warm = await autocannon({ url: `${url}/v1/plan`, method: 'POST', headers, body, connections, duration: 10 });
  if (warm['2xx'] === 0)
    throw new Error(`warm-up got no successful plan (${warm.non2xx} non-2xx, ${warm.errors} errors)`);
  const load = loadavg()[0];
  const samples: { t: number; rss: number }[] = [];
  const t0 = performance.now();
  const sampler = setInterval(
    () => void rssBytes(url).then((rss) => samples.push({ t: (performance.now() - t0) / 1000, rss })),
    2000,
  );
  samples.push({ t: 0, rss: await rssBytes(url) });
  const r = await autocannon({
    url: `${url}/v1/plan`,
    method: 'POST',
    headers,
    body,
    connections,
    duration,
    timeout: 10,
  });
  clearInterval(sampler);
  samples.push({ t: (performance.now() - t0) / 1000, rss: await rssBytes(url) });
  const rssStart = median(samples.filter((s) => s.t <= 10).map((s) => s.rss));
  const rssEnd = median(samples.filter((s) => s.t >= r.duration - 10).map((s) => s.rss));
  const rssMax = Math.max(...samples.map((s) => s.rss));
  const result = {
    policy,
    body: bodyKind,
    connections,
    durationS: r.duration,
    plansPerSecond: Number((r['2xx'] / r.duration).toFixed(1)),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts + r.non2xx,
    rssStartMB: Number((rssStart / 2 ** 20).toFixed(1)),
    rssEndMB: Number((rssEnd / 2 ** 20).toFixed(1)),
    rssGrowthPct: Number((((rssEnd - rssStart) / rssStart) * 100).toFixed(1)),
    rssMaxMB: Number((rssMax / 2 ** 20).toFixed(1)),
    loadAverage1mAtStart: Number(load.toFixed(2)),
  };
  console.log(
    `${result.plansPerSecond} plans/s (${policy}, ${bodyKind}, ${connections} connections, ${result.durationS} s), p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ` +
      `${result.errors} errors; server RSS ${result.rssStartMB} → ${result.rssEndMB} MB (${result.rssGrowthPct}%, peak ${result.rssMaxMB}); load average ${result.loadAverage1mAtStart} at start`,
  );
  if (json) console.log(JSON.stringify(result));
} finally {
  if (server.child) {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child!.once('exit', resolve));
  }
}
