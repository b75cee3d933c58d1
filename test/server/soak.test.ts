// A short soak (bench/soak.ts is the 60 s one): valid plans, an fc plan on a 2000×2000 image past a short
// deadline, clients that hang up and seeded hostile requests, all at once. Every valid request gets a plan or a
// 429/503 with a reason, every hostile one a 4xx (or 429/503 while busy), and afterwards the server is idle and plans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../src/image/png.js';
import type { DexnetServer } from '../../src/server/app.js';
import { httpCases } from '../hostile/hostile-inputs.js';
import { exampleJson, postJson, startTestServer } from './server-helpers.js';

describe('mixed load', () => {
  let server: DexnetServer;
  beforeAll(async () => {
    // 4 s: the example plans well inside it; fc on 2000×2000 (tens of seconds here) does not.
    server = await startTestServer({ workers: 2, maxQueue: 4, timeoutMs: 4000 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('keeps answering every request with a reason, and is idle and planning afterwards', async () => {
    const side = 2000;
    const big = new Uint16Array(side * side).fill(700);
    for (let r = 800; r < 1200; r++) for (let c = 800; c < 1200; c++) big[r * side + c] = 650;
    const bigForm = () => {
      const form = new FormData();
      form.append('depth', new Blob([encodePng({ width: side, height: side, channels: 1, data: big })]), 'big.png');
      form.append(
        'intrinsics',
        JSON.stringify({ _fx: 1600, _fy: 1600, _cx: 999.5, _cy: 999.5, _height: side, _width: side }),
      );
      form.append('policy', 'fc');
      return form;
    };
    const valid: Promise<{ status: number; json: Record<string, any> }>[] = [];
    for (let i = 0; i < 4; i++)
      valid.push(postJson(server.url, exampleJson({ seed: i, policy: i % 2 ? 'fc' : 'cem' })));
    valid.push(
      fetch(`${server.url}/v1/plan`, { method: 'POST', body: bigForm() }).then(async (r) => ({
        status: r.status,
        json: (await r.json()) as Record<string, any>,
      })),
    );
    const hangUps = Array.from({ length: 3 }, (_, i) => {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 300 + 300 * i);
      return fetch(`${server.url}/v1/plan`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(exampleJson({ seed: 50 + i })),
        signal: abort.signal,
      }).catch(() => null);
    });
    const hostile = httpCases(7, 120).map(async (c) => {
      const r = await server.app.inject({ method: c.method, url: c.url, headers: c.headers, payload: c.body });
      return { name: c.name, status: r.statusCode, json: r.json() as Record<string, any> };
    });

    for (const r of await Promise.all(valid)) {
      expect([200, 429, 503]).toContain(r.status);
      if (r.status !== 200) expect(r.json.error).toMatch(/\w/);
    }
    for (const r of await Promise.all(hostile)) {
      // A hostile image is refused in a planner, so it can also wait past the deadline behind the big plan.
      expect((r.status >= 400 && r.status < 500) || r.status === 503, `${r.name}: ${r.status}`).toBe(true);
      expect(typeof r.json.error).toBe('string');
    }
    await Promise.all(hangUps);
    while (server.pool.depth > 0) await new Promise((r) => setTimeout(r, 20));
    while (server.pool.readyPlanners < 2) await new Promise((r) => setTimeout(r, 20));
    expect((await postJson(server.url, exampleJson())).status).toBe(200);
  }, 240_000);
});
