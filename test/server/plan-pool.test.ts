// The planning pool behind the routes: planning off the event loop, a bounded queue (429), a deadline (503)
// and a close that finishes what is in flight.
import { describe, expect, it } from 'vitest';
import { exampleJson, postJson, startTestServer } from './server-helpers.js';

describe('planning pool', () => {
  it('keeps the event loop free while plans run: health answers before the queued plans finish', async () => {
    const server = await startTestServer({ workers: 1 });
    try {
      let plansDone = 0;
      const plans = Array.from({ length: 4 }, (_, i) => postJson(server.url, exampleJson({ seed: i })).then((r) => (plansDone++, r)));
      // Wait until the pool holds them, then ask for health.
      while (server.pool.depth < 4) await new Promise((r) => setTimeout(r, 5));
      const health = (await (await fetch(`${server.url}/v1/health`)).json()) as any;
      expect(health.queueDepth).toBeGreaterThanOrEqual(1);
      expect(plansDone).toBeLessThan(4);
      for (const r of await Promise.all(plans)) expect(r.status).toBe(200);
      expect(server.pool.depth).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('answers 429 with Retry-After when the queue is full, and serves again once it drains', async () => {
    const server = await startTestServer({ workers: 1, maxQueue: 0 });
    try {
      const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => postJson(server.url, exampleJson({ seed: i }))));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toContain(200);
      expect(statuses).toContain(429);
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      const refused = answers.find((a) => a.status === 429)!;
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.json).toMatchObject({ error: expect.stringMatching(/too many requests/), field: null });
      expect((await postJson(server.url, exampleJson({ policy: 'fc' }))).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers 503 when a plan outlives its deadline, and the server lives on', async () => {
    const server = await startTestServer({ workers: 1, timeoutMs: 1 });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await postJson(server.url, exampleJson());
        expect(r.status).toBe(503);
        expect(r.headers.get('retry-after')).toBe('1');
        expect(r.json.error).toMatch(/longer than 1 ms/);
      }
      expect(server.pool.depth).toBe(0);
      expect((await fetch(`${server.url}/v1/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('closing finishes the plans in flight, then refuses new connections', async () => {
    const server = await startTestServer({ workers: 1 });
    const plans = Array.from({ length: 3 }, (_, i) => postJson(server.url, exampleJson({ seed: i })));
    while (server.pool.depth < 3) await new Promise((r) => setTimeout(r, 5));
    await server.close();
    for (const r of await Promise.all(plans)) expect(r.status).toBe(200);
    await expect(fetch(`${server.url}/v1/health`)).rejects.toThrow();
  });
});
