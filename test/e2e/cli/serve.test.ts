// `dexnet serve` and `dexnet view` as processes: startup, refusal to bind unsafely, graceful shutdown on a signal.
// The tests only wait on their own processes, so they run side by side.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { writeKnownDataset } from '../../dataset/dataset-helpers.js';
import { tempDirs } from '../../helpers/temp-dir.js';
import { waitUntil, within } from '../../helpers/wait.js';
import { exampleJson, postJson } from '../../server/server-helpers.js';
import { BIN, dexnet } from '../../helpers/dexnet.js';

const tempDir = tempDirs('serve');
const STARTUP_MS = 60_000;
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts the command and resolves with the URL it prints once listening (or fails after STARTUP_MS). */
function start(
  args: string[],
): Promise<{ child: ChildProcess; url: string; stderr: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '',
    err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<{
    child: ChildProcess;
    url: string;
    stderr: () => string;
    exit: Promise<number | null>;
  }>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1], stderr: () => err, exit });
    });
    void exit.then((code) => reject(new Error(`exited with ${code} before listening: ${err}`)));
  });
  return within(listening, `dexnet ${args.join(' ')} to print its URL`, STARTUP_MS);
}

describe.concurrent('dexnet serve', () => {
  it('refuses to listen beyond localhost without an API key', async ({ expect }) => {
    const r = await dexnet(['serve', '--host', '0.0.0.0', '--port', '0'], {
      env: { ...process.env, DEXNET_API_KEY: '' },
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dexnet: binding to 0\.0\.0\.0 .*--api-key/);
  });

  it('on SIGTERM finishes the plans in flight, then exits 0', async ({ expect }) => {
    const s = await start(['serve', '--port', '0', '--workers', '1']);
    const plans = Array.from({ length: 3 }, (_, i) => postJson(s.url, exampleJson({ seed: i })));
    // Signal once the server holds the plans.
    await waitUntil(
      async () => {
        const health = (await (await fetch(`${s.url}/v1/health`)).json()) as { queueDepth: number };
        return health.queueDepth >= 2;
      },
      'the server holds 2 plans',
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    s.child.kill('SIGTERM');
    for (const r of await within(Promise.all(plans), 'the plans in flight at SIGTERM', 60_000))
      expect(r.status).toBe(200);
    expect(await within(s.exit, 'dexnet serve to exit after SIGTERM', 60_000)).toBe(0);
    expect(s.stderr()).toMatch(/shutting down \([23] plans in flight\)/);
  });
});

describe.concurrent('dexnet view', () => {
  it('serves a dataset folder to the browser page and stops on Ctrl-C', async ({ expect }) => {
    const dataset = join(tempDir(), 'ds');
    await writeKnownDataset(dataset, [5]);
    const s = await start(['view', dataset, '--port', '0']);
    const summary = (await (await fetch(`${s.url}/v1/dataset`)).json()) as { datapoints: number };
    expect(summary.datapoints).toBe(5);
    s.child.kill('SIGINT');
    expect(await within(s.exit, 'dexnet view to exit after SIGINT', 60_000)).toBe(0);
  });

  it('names a folder that is neither a model nor a dataset', async ({ expect }) => {
    const r = await dexnet(['view', 'examples'], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/examples: neither a model nor a dataset/);
  });
});
