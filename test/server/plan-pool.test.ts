// The planning pool behind the routes: planning off the event loop, a bounded queue (429), a deadline (503)
// and a close that finishes what is in flight.
import { describe, expect, it } from 'vitest';
import { waitUntil, within } from '../helpers/wait.js';
import { exampleJson, postJson, startTestServer } from './server-helpers.js';

// Every wait is bounded: a pool that never fills or never drains fails here with what it waited for, well before
// vitest's own timeout would report only that the test took too long.
const PLANS_MS = 45_000;

describe('planning pool', () => {
  it('keeps the event loop free while plans run: health answers before the queued plans finish', async () => {
    const server = await startTestServer({ workers: 1 });
    try {
      let plansDone = 0;
      const plans = Array.from({ length: 4 }, (_, i) =>
        postJson(server.url, exampleJson({ seed: i })).then((r) => (plansDone++, r)),
      );
      // Wait until the pool holds them, then ask for health.
      await waitUntil(() => server.pool.depth >= 4, 'the pool holds the 4 plans', { timeoutMs: PLANS_MS });
      const health = (await (await fetch(`${server.url}/v1/health`)).json()) as any;
      expect(health.queueDepth).toBeGreaterThanOrEqual(1);
      expect(plansDone).toBeLessThan(4);
      for (const r of await within(Promise.all(plans), 'the 4 queued plans', PLANS_MS)) expect(r.status).toBe(200);
      expect(server.pool.depth).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('answers 429 with Retry-After when the queue is full, and serves again once it drains', async () => {
    const server = await startTestServer({ workers: 1, maxQueue: 0 });
    try {
      const answers = await within(
        Promise.all(Array.from({ length: 4 }, (_, i) => postJson(server.url, exampleJson({ seed: i })))),
        'answers to 4 plans',
        PLANS_MS,
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toContain(200);
      expect(statuses).toContain(429);
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      const refused = answers.find((a) => a.status === 429)!;
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.json).toMatchObject({ error: expect.stringMatching(/too many requests/), field: null });
      expect(
        (await within(postJson(server.url, exampleJson({ policy: 'fc' })), 'a plan after the queue drained', PLANS_MS))
          .status,
      ).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers 503 when a plan outlives its deadline, and the server lives on', async () => {
    const server = await startTestServer({ workers: 1, timeoutMs: 1 });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await within(postJson(server.url, exampleJson()), 'a 503 for a plan past its deadline', PLANS_MS);
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
    await waitUntil(() => server.pool.depth >= 3, 'the pool holds the 3 plans', { timeoutMs: PLANS_MS });
    await within(server.close(), 'close() to finish the plans in flight', PLANS_MS);
    for (const r of await within(Promise.all(plans), 'the 3 plans in flight at close', PLANS_MS))
      expect(r.status).toBe(200);
    await expect(fetch(`${server.url}/v1/health`)).rejects.toThrow();
  });
});
