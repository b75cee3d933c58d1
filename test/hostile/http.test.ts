// 1,500 seeded hostile requests through the real app (fastify.inject, real planner process): every one is refused
// with a 4xx and the { error, field } JSON the README promises, in the project's words; the server then still
// plans. A sample of 8 hostile files also goes through the real `dexnet` binary, which must exit non-zero with one
// clean line.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DexnetServer } from '../../src/server/app.js';
import { startTestServer } from '../server/server-helpers.js';
import {
  depthCases,
  httpCases,
  intrinsicsCases,
  LIBRARY_WORDING,
  meshCases,
  pngCases,
  sceneIntrinsics,
  sceneNpy,
} from './hostile-inputs.js';

const SEED = 1616;

describe('hostile HTTP requests', () => {
  let server: DexnetServer;
  beforeAll(async () => {
    server = await startTestServer({ workers: 1 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('1,500 cases: each a 4xx with { error, field } in one line of our words, and the server plans afterwards', async () => {
    const wrong: string[] = [];
    for (const c of httpCases(SEED, 1500)) {
      const r = await server.app.inject({ method: c.method, url: c.url, headers: c.headers, payload: c.body });
      const ok = r.statusCode >= 400 && r.statusCode < 500;
      let body: { error?: unknown; field?: unknown } = {};
      try {
        body = r.json();
      } catch {
        body = {};
      }
      const clean =
        typeof body.error === 'string' &&
        !/[\r\n]/.test(body.error) &&
        !LIBRARY_WORDING.test(body.error) &&
        (typeof body.field === 'string' || body.field === null);
      if (!ok || !clean) wrong.push(`${c.name} → ${r.statusCode} ${r.body.slice(0, 200)}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(server.pool.depth).toBe(0);
    const valid = await server.app.inject({
      method: 'POST',
      url: '/v1/plan',
      payload: { depth: Buffer.from(sceneNpy()).toString('base64'), intrinsics: sceneIntrinsics(), policy: 'ranking' },
    });
    // The tiny scene may hold no graspable object for the model: a plan or a 422, never a refusal of the input.
    expect([200, 422]).toContain(valid.statusCode);
  }, 120_000);
});

describe('hostile files through the dexnet binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dexnet-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const dexnet = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/dexnet.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '',
        stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('a sample of 8 hostile depth images, intrinsics and meshes: exit code ≠ 0 and one line on stderr, no stack', async () => {
    const intr = join(dir, 'scene.intr');
    writeFileSync(intr, JSON.stringify(sceneIntrinsics()));
    const runs: string[][] = [];
    for (const [i, c] of pngCases(SEED, 17)
      .filter((c) => c.refuse === true)
      .slice(0, 2)
      .entries()) {
      writeFileSync(join(dir, `d${i}.png`), c.bytes);
      runs.push(['plan', join(dir, `d${i}.png`), '--intrinsics', intr]);
    }
    for (const [i, c] of depthCases(SEED, 9)
      .filter((c) => c.refuse === true)
      .slice(0, 2)
      .entries()) {
      writeFileSync(join(dir, `v${i}.${c.format}`), c.bytes);
      writeFileSync(join(dir, `v${i}.intr`), JSON.stringify(c.intrinsics));
      runs.push([
        'plan',
        join(dir, `v${i}.${c.format}`),
        '--intrinsics',
        join(dir, `v${i}.intr`),
        '--depth-scale',
        String(c.depthScale),
      ]);
    }
    for (const [i, c] of intrinsicsCases(SEED, 6)
      .filter((c) => c.refuse === true)
      .slice(0, 1)
      .entries()) {
      writeFileSync(join(dir, `scene${i}.npy`), sceneNpy());
      writeFileSync(join(dir, `k${i}.intr`), c.text);
      runs.push(['plan', join(dir, `scene${i}.npy`), '--intrinsics', join(dir, `k${i}.intr`)]);
    }
    for (const [i, c] of meshCases(SEED, 40)
      .filter((c) => c.refuse === true)
      .slice(0, 3)
      .entries()) {
      writeFileSync(join(dir, `m${i}.${c.format}`), c.bytes);
      runs.push([i % 2 ? 'grasps' : 'poses', join(dir, `m${i}.${c.format}`)]);
    }
    expect(runs).toHaveLength(8);
    // Four at a time: most of each run is Node loading the CLI.
    for (let i = 0; i < runs.length; i += 4) {
      for (const r of await Promise.all(runs.slice(i, i + 4).map(dexnet))) {
        expect(r.code, r.stderr).not.toBe(0);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.stderr).not.toMatch(LIBRARY_WORDING);
      }
    }
  }, 180_000);
});
