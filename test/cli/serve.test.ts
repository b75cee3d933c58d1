// `dexnet serve` and `dexnet view` as processes: startup, refusal to bind unsafely, graceful shutdown on a signal.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeKnownDataset } from '../dataset/dataset-helpers.js';
import { exampleJson, postJson } from '../server/server-helpers.js';

/** Starts the command and resolves with the URL it prints once listening. */
function start(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, ['bin/dexnet.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1], stderr: () => err, exit });
    });
    void exit.then((code) => reject(new Error(`exited with ${code} before listening: ${err}`)));
  });
}

describe('dexnet serve', () => {
  it('refuses to listen beyond localhost without an API key', () => {
    const r = spawnSync(process.execPath, ['bin/dexnet.js', 'serve', '--host', '0.0.0.0', '--port', '0'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DEXNET_API_KEY: '' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^dexnet: binding to 0\.0\.0\.0 .*--api-key/);
  });

  it('on SIGTERM finishes the plans in flight, then exits 0', async () => {
    const s = await start(['serve', '--port', '0', '--workers', '1']);
    const plans = Array.from({ length: 3 }, (_, i) => postJson(s.url, exampleJson({ seed: i })));
    // Signal once the server holds the plans.
    for (;;) {
      const health = (await (await fetch(`${s.url}/v1/health`)).json()) as { queueDepth: number };
      if (health.queueDepth >= 2) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    s.child.kill('SIGTERM');
    for (const r of await Promise.all(plans)) expect(r.status).toBe(200);
    expect(await s.exit).toBe(0);
    expect(s.stderr()).toMatch(/shutting down \([23] plans in flight\)/);
  });
});

describe('dexnet view', () => {
  it('serves a dataset folder to the browser page and stops on Ctrl-C', async () => {
    const dataset = join(mkdtempSync(join(tmpdir(), 'dexnet-view-')), 'ds');
    await writeKnownDataset(dataset, [5]);
    const s = await start(['view', dataset, '--port', '0']);
    const summary = (await (await fetch(`${s.url}/v1/dataset`)).json()) as { datapoints: number };
    expect(summary.datapoints).toBe(5);
    s.child.kill('SIGINT');
    expect(await s.exit).toBe(0);
  });

  it('names a folder that is neither a model nor a dataset', () => {
    const r = spawnSync(process.execPath, ['bin/dexnet.js', 'view', 'examples'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/examples: neither a model nor a dataset/);
  });
});
