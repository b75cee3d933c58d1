// Plans run in planner processes: a deadline that fires mid-inference, a planner killed or aborting, one over its
// memory budget, or a client that hangs up answers that one request (or none), replaces the planner, and the
// server plans on. Also what the server refuses before reading a body, and the answers Node gives on its own.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveApiKey } from '../../src/cli/serve.js';
import { UserInputError } from '../../src/core/errors.js';
import { exampleJson, postJson, startTestServer } from './server-helpers.js';

const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 10));
};

describe('planner isolation', () => {
  it('a deadline that fires during inference answers 503, replaces the planner, and the next plan succeeds', async () => {
    // 20 ms: far shorter than any plan on the example (cem ~100 ms, the fastest policy ~40 ms on an idle laptop), so
    // the deadline fires whether the planner is still receiving the task or mid-inference, on any machine.
    const server = await startTestServer({ workers: 1, timeoutMs: 20 });
    try {
      await until(() => server.pool.readyPlanners === 1);
      for (let i = 0; i < 3; i++) {
        const r = await postJson(server.url, exampleJson({ seed: i }));
        expect(r.status).toBe(503);
        expect(r.json.error).toMatch(/longer than 20 ms/);
      }
      await until(() => server.pool.replaced >= 1);
      expect(server.pool.depth).toBe(0);
    } finally {
      await server.close();
    }
    const again = await startTestServer({ workers: 1 });
    try {
      expect((await postJson(again.url, exampleJson())).status).toBe(200);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('a planner that dies mid-plan (SIGKILL, SIGABRT) answers 500 with the reason; the others and the next plans go on', async () => {
    const server = await startTestServer({ workers: 2 });
    try {
      await until(() => server.pool.readyPlanners === 2);
      for (const signal of ['SIGKILL', 'SIGABRT'] as const) {
        const pidsBefore = server.pool.plannerPids();
        const doomed = postJson(server.url, exampleJson({ seed: 1 }));
        const healthy = postJson(server.url, exampleJson({ seed: 2 }));
        // Both tasks are handed out as they arrive (two idle planners), so end one planner at once: a cem plan
        // takes ~100 ms, and a planner killed after finishing its plan would fail the test without a bug.
        await until(() => server.pool.depth === 2);
        process.kill(pidsBefore[0], signal);
        const answers = await Promise.all([doomed, healthy]);
        const statuses = answers.map((a) => a.status).sort();
        expect(statuses).toEqual([200, 500]);
        const crashed = answers.find((a) => a.status === 500)!;
        expect(crashed.json.error).toMatch(new RegExp(`planner process ended while planning \\(signal ${signal}\\)`));
        await until(() => server.pool.readyPlanners === 2);
        expect(server.pool.plannerPids()).not.toContain(pidsBefore[0]);
      }
      expect((await postJson(server.url, exampleJson())).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('a planner over its memory budget is killed with a 503 that says so; one over its recycling budget is replaced after its plan', async () => {
    const tight = await startTestServer({ workers: 1, maxPlannerBytes: 64 * 2 ** 20 });
    try {
      const r = await postJson(tight.url, exampleJson());
      expect(r.status).toBe(503);
      expect(r.json.error).toMatch(/needed more than 64 MiB/);
    } finally {
      await tight.close();
    }
    const recycling = await startTestServer({ workers: 1, recycleBytes: 1 });
    try {
      for (let i = 0; i < 2; i++) expect((await postJson(recycling.url, exampleJson({ seed: i }))).status).toBe(200);
      await until(() => recycling.pool.replaced >= 2);
    } finally {
      await recycling.close();
    }
  }, 180_000);

  it('a client that hangs up frees its place: out of the queue, or its planner ended', async () => {
    const server = await startTestServer({ workers: 1, maxQueue: 4 });
    try {
      const controllers = Array.from({ length: 4 }, () => new AbortController());
      const requests = controllers.map((c, i) =>
        fetch(`${server.url}/v1/plan`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(exampleJson({ seed: i })),
          signal: c.signal,
        }).catch(() => null),
      );
      await until(() => server.pool.depth === 4);
      for (const c of controllers) c.abort();
      await Promise.all(requests);
      await until(() => server.pool.depth === 0);
      expect((await postJson(server.url, exampleJson())).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('answers 429 from the headers alone when the queue is full, without waiting for the upload', async () => {
    const server = await startTestServer({ workers: 1, maxQueue: 0 });
    try {
      const busy = postJson(server.url, exampleJson());
      await until(() => server.pool.depth === 1);
      const { port } = new URL(server.url);
      // Announce 20 MB, send 10 bytes, and wait: the answer must come anyway.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req: ReturnType<typeof httpRequest> = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/v1/plan',
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': String(20e6) },
          },
          (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => {
              req.destroy();
              resolve({ status: res.statusCode!, body });
            });
          },
        );
        req.on('error', reject);
        req.write('{"depth": "');
      });
      expect(answer.status).toBe(429);
      expect(JSON.parse(answer.body)).toMatchObject({ error: expect.stringMatching(/too many requests/), field: null });
      expect((await busy).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('the edges of the keyless service', () => {
  it('answers only to loopback Host names (DNS rebinding), and Node-level refusals are { error, field } JSON', async () => {
    const server = await startTestServer();
    try {
      const { port } = new URL(server.url);
      const get = (host: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          httpRequest({ host: '127.0.0.1', port, path: '/v1/health', headers: { host } }, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          })
            .on('error', reject)
            .end();
        });
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost'])
        expect((await get(host)).status).toBe(200);
      for (const host of ['evil.example', `attacker.test:${port}`, '127.0.0.1.nip.io']) {
        const r = await get(host);
        expect(r.status).toBe(421);
        expect(JSON.parse(r.body)).toMatchObject({ field: 'host' });
      }
      const raw = (text: string) =>
        new Promise<string>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
          let out = '';
          socket.on('data', (d) => (out += d));
          socket.on('close', () => resolve(out));
        });
      const malformed = await raw('GARBAGE / HTTP/1.1\r\n\r\n');
      expect(malformed).toMatch(/^HTTP\/1\.1 400/);
      expect(JSON.parse(malformed.slice(malformed.indexOf('\r\n\r\n') + 4))).toMatchObject({ field: 'request' });
      const huge = await raw(`GET /v1/health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(huge).toMatch(/^HTTP\/1\.1 431/);
      expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toMatchObject({ field: 'headers' });
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('the API key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dexnet-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('comes from --api-key-file (trimmed), DEXNET_API_KEY or --api-key, one way only; blank keys are refused', () => {
    const file = join(dir, 'key');
    writeFileSync(file, 's3cret-key\n');
    expect(resolveApiKey({ apiKeyFile: file }, {})).toBe('s3cret-key');
    expect(resolveApiKey({}, { DEXNET_API_KEY: 'k1' })).toBe('k1');
    expect(resolveApiKey({}, {})).toBeNull();
    // An empty variable is the shell's "no key" (DEXNET_API_KEY= dexnet serve).
    expect(resolveApiKey({}, { DEXNET_API_KEY: '' })).toBeNull();
    for (const [flags, env] of [
      [{}, { DEXNET_API_KEY: ' ' }],
      [{}, { DEXNET_API_KEY: '\t' }],
      [{ apiKey: '  ' }, {}],
      [{ apiKeyFile: join(dir, 'missing') }, {}],
      [{ apiKeyFile: file }, { DEXNET_API_KEY: 'k1' }],
    ] as const)
      expect(() => resolveApiKey(flags, env)).toThrow(UserInputError);
    writeFileSync(file, '\n \n');
    expect(() => resolveApiKey({ apiKeyFile: file }, {})).toThrow(/empty or blank/);
  });

  it('a blank key is refused when the server starts, not silently locking everyone out', async () => {
    await expect(startTestServer({ apiKey: ' ' })).rejects.toThrow(/empty or blank/);
  });
});
