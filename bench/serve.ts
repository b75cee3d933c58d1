// Service throughput: starts `dexnet serve` (compiled, in its own process) unless --url names a running one,
// then drives POST /v1/plan with the example scene from this process with autocannon: plans per second,
// p50/p99 latency, errors, and the server's RSS after warm-up and at the end (from its /metrics).
// Usage: tsx bench/serve.ts [--json] [--duration 60] [--connections 4] [--policy cem] [--workers n] [--url http://host:port]
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { flag, opt } from './args.js';

const json = flag('json');
const duration = Number(opt('duration', '60'));
const connections = Number(opt('connections', '4'));
const policy = opt('policy', 'cem');
const workers = opt('workers', '');
const apiKey = opt('api-key', '');

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/dexnet.js', 'serve', '--port', '0', ...(workers ? ['--workers', workers] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`dexnet serve exited (${code}) before listening; is dist/ built (npm run build)?`)));
  });
  return { url, child };
}

const headers: Record<string, string> = { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) };

async function rssBytes(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers })).text();
  const m = /^process_resident_memory_bytes (\S+)$/m.exec(text);
  if (!m) throw new Error(`${url}/metrics has no process_resident_memory_bytes`);
  return Number(m[1]);
}

const body = JSON.stringify({
  depth: readFileSync('examples/scene/depth.npy').toString('base64'),
  segmask: readFileSync('examples/scene/segmask.png').toString('base64'),
  intrinsics: JSON.parse(readFileSync('examples/scene/camera.intr', 'utf8')),
  policy,
});

const external = opt('url', '');
const server = external ? { url: external, child: null } : await startServer();
const { url } = server;
try {
  // Warm-up: every worker's ONNX session and JIT see a few plans before anything is measured.
  const warm = await autocannon({ url: `${url}/v1/plan`, method: 'POST', headers, body, connections, duration: 5 });
  if (warm['2xx'] === 0) throw new Error(`warm-up got no successful plan (${warm.non2xx} non-2xx, ${warm.errors} errors)`);
  const rssStart = await rssBytes(url);
  const load = loadavg()[0];
  const r = await autocannon({ url: `${url}/v1/plan`, method: 'POST', headers, body, connections, duration, timeout: 10 });
  const rssEnd = await rssBytes(url);
  const result = {
    policy,
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
    loadAverage1mAtStart: Number(load.toFixed(2)),
  };
  console.log(
    `${result.plansPerSecond} plans/s (${policy}, ${connections} connections, ${result.durationS} s), p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ` +
      `${result.errors} errors; server RSS ${result.rssStartMB} → ${result.rssEndMB} MB (${result.rssGrowthPct}%); load average ${result.loadAverage1mAtStart} at start`,
  );
  if (json) console.log(JSON.stringify(result));
} finally {
  if (server.child) {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child!.once('exit', resolve));
  }
}
