import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DexnetServer } from '../../src/server/app.js';
import { assertSafeBind, bearerMatches, isLoopback } from '../../src/server/auth.js';
import { exampleJson, MODEL, startTestServer } from './server-helpers.js';
import { startServer } from '../../src/server/app.js';

describe('binding', () => {
  it('knows which hosts only this machine reaches', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '128.0.0.1', '::ffff:10.0.0.1'])
      expect(isLoopback(h), h).toBe(false);
  });

  it('refuses to expose the service without an API key, before loading anything', async () => {
    expect(() => assertSafeBind('0.0.0.0', null)).toThrow(/--api-key/);
    expect(() => assertSafeBind('0.0.0.0', 'k')).not.toThrow();
    expect(() => assertSafeBind('127.0.0.1', null)).not.toThrow();
    await expect(startServer({ host: '0.0.0.0', port: 0, modelDir: MODEL, logLevel: false })).rejects.toThrow(
      /--api-key/,
    );
  });

  it('compares bearer tokens exactly', () => {
    expect(bearerMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerMatches('bearer   s3cret', 's3cret')).toBe(true);
    for (const h of [undefined, '', 's3cret', 'Bearer s3cre', 'Bearer s3cret2', 'Basic s3cret', 'Bearer '])
      expect(bearerMatches(h, 's3cret'), String(h)).toBe(false);
  });
});

describe('a server with an API key', () => {
  let server: DexnetServer;
  beforeAll(async () => {
    server = await startTestServer({ apiKey: 'test-key-123' });
  });
  afterAll(async () => {
    await server?.close();
  });
  const call = (path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(
      `${server.url}${path}`,
      body
        ? { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }
        : { headers },
    );

  it('answers 401 naming the authorization header without the right key', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'test-key-123' }] as Record<
      string,
      string
    >[]) {
      const r = await call('/v1/plan', headers, exampleJson({ policy: 'fc' }));
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await r.json()) as any).field).toBe('authorization');
    }
    for (const path of ['/v1/model', '/metrics', '/v1/model/plots/roc', '/v1/dataset'])
      expect((await call(path)).status, path).toBe(401);
  });

  it('plans with the key; health, docs and the viewer stay open', async () => {
    const r = await call('/v1/plan', { authorization: 'Bearer test-key-123' }, exampleJson({ policy: 'fc' }));
    expect(r.status).toBe(200);
    expect((await call('/metrics', { authorization: 'Bearer test-key-123' })).status).toBe(200);
    for (const path of ['/v1/health', '/openapi.json', '/docs', '/']) expect((await call(path)).status, path).toBe(200);
  });
});
