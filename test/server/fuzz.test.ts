// Fuzzing the running server with 1,000+ random and mutated requests: every answer is below 500 and well formed,
// nothing hangs, and afterwards the server is healthy with no tasks, connections or memory left behind.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDepth } from '../../src/image/depth-io.js';
import { encodeNpy } from '../../src/image/npy.js';
import { encodeMaskPng, readMaskPng } from '../../src/image/png.js';
import type { DexnetServer } from '../../src/server/app.js';
import { planResponseSchema } from '../../src/server/schemas.js';
import { writeKnownDataset } from '../dataset/dataset-helpers.js';
import { exampleDepth, exampleSegmask, startTestServer } from './server-helpers.js';
import { join } from 'node:path';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('fuzz');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// A 240×200 window of the example around the object: valid plans stay cheap.
const [X0, Y0, W, H] = [136, 132, 240, 200];
const full = decodeDepth(exampleDepth, 'example', 'npy');
const fullMask = readMaskPng(exampleSegmask, 'example');
const depth = new Float32Array(W * H),
  mask = new Uint8Array(W * H);
for (let y = 0; y < H; y++)
  for (let x = 0; x < W; x++) {
    depth[y * W + x] = full.data[(y + Y0) * 640 + x + X0];
    mask[y * W + x] = fullMask.data[(y + Y0) * 640 + x + X0];
  }
const depthBytes = encodeNpy(depth, [H, W]);
const maskBytes = encodeMaskPng({ width: W, height: H, data: mask });
const intrinsics = {
  _fx: 525,
  _fy: 525,
  _cx: 319.5 - X0,
  _cy: 239.5 - Y0,
  _skew: 0,
  _width: W,
  _height: H,
  _frame: 'camera',
};
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

type Bytes =
  { op: 'flip'; at: number; value: number } | { op: 'truncate'; length: number } | { op: 'append'; extra: Uint8Array };
function mutate(bytes: Uint8Array, m: Bytes): Uint8Array {
  if (m.op === 'truncate') return bytes.subarray(0, m.length % (bytes.length + 1));
  if (m.op === 'append') return Buffer.concat([bytes, m.extra]);
  const out = Uint8Array.from(bytes);
  out[m.at % out.length] = m.value;
  return out;
}
const bytesMutation: fc.Arbitrary<Bytes> = fc.oneof(
  // Mostly headers: that is where a decoder's assumptions live.
  fc.record({ op: fc.constant('flip' as const), at: fc.oneof(fc.nat(160), fc.nat()), value: fc.nat(255) }),
  fc.record({ op: fc.constant('truncate' as const), length: fc.nat() }),
  fc.record({ op: fc.constant('append' as const), extra: fc.uint8Array({ maxLength: 64 }) }),
);
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.double(),
  fc.integer(),
  fc.constant(null),
  fc.string({ maxLength: 20 }),
);

interface Request {
  method: string;
  path: string;
  contentType?: string;
  body?: string | Uint8Array | FormData;
}

const jsonRequest: fc.Arbitrary<Request> = fc
  .record({
    policy: fc.constantFrom('ranking', 'fc', 'cem'),
    drop: fc.subarray(['depth', 'segmask', 'intrinsics']),
    set: fc.array(
      fc.tuple(
        fc.constantFrom(
          'topK',
          'seed',
          'workspace',
          'depthScale',
          'policy',
          'depth',
          'segmask',
          'path',
          '__proto__',
          'constructor',
        ),
        anyValue,
      ),
      { maxLength: 2 },
    ),
    intr: fc.array(
      fc.tuple(
        fc.constantFrom('_fx', '_fy', '_cx', '_cy', '_width', '_height', '_skew', '_frame', '_K', 'fx'),
        anyValue,
      ),
      { maxLength: 2 },
    ),
    depthBytes: fc.array(bytesMutation, { maxLength: 2 }),
    maskBytes: fc.array(bytesMutation, { maxLength: 1 }),
  })
  .map((r) => {
    const body: Record<string, unknown> = {
      depth: b64(r.depthBytes.reduce(mutate, depthBytes)),
      segmask: b64(r.maskBytes.reduce(mutate, maskBytes)),
      intrinsics: { ...intrinsics, ...Object.fromEntries(r.intr) },
      policy: r.policy,
    };
    for (const k of r.drop) delete body[k];
    for (const [k, v] of r.set) body[k] = v;
    return { method: 'POST', path: '/v1/plan', contentType: 'application/json', body: JSON.stringify(body) };
  });

// Well-formed requests with strange but legal numbers: these reach the planner itself.
const planRequest: fc.Arbitrary<Request> = fc
  .record({
    scale: fc.constantFrom(1, 1, 1e-3, 1e3, 1e-30, 1e30),
    patch: fc.option(
      fc.record({
        x: fc.nat(W - 1),
        y: fc.nat(H - 1),
        size: fc.nat(120),
        value: fc.constantFrom(0, NaN, Infinity, 1e30, 3e38, 1e-40),
      }),
    ),
    fx: fc.oneof(fc.constant(525), fc.double({ min: 1e-6, max: 1e9, noNaN: true })),
    cx: fc.oneof(fc.constant(intrinsics._cx), fc.double({ min: -1e5, max: 1e5, noNaN: true })),
    topK: fc.integer({ min: 1, max: 100 }),
    policy: fc.constantFrom('ranking', 'fc', 'cem'),
    seed: fc.nat(),
    workspace: fc.option(fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300))),
    useMask: fc.boolean(),
  })
  .map((r) => {
    const d = depth.map((v) => v * r.scale);
    if (r.patch)
      for (let y = r.patch.y; y < Math.min(H, r.patch.y + r.patch.size); y++)
        d.fill(r.patch.value, y * W + r.patch.x, y * W + Math.min(W, r.patch.x + r.patch.size));
    const ws = r.workspace && [
      Math.min(r.workspace[0], r.workspace[2]),
      Math.min(r.workspace[1], r.workspace[3]),
      Math.max(r.workspace[0], r.workspace[2]),
      Math.max(r.workspace[1], r.workspace[3]),
    ];
    const body = {
      depth: b64(encodeNpy(d, [H, W])),
      ...(r.useMask ? { segmask: b64(maskBytes) } : {}),
      intrinsics: { ...intrinsics, _fx: r.fx, _cx: r.cx },
      topK: r.topK,
      policy: r.policy,
      seed: r.seed,
      ...(ws ? { workspace: ws } : {}),
    };
    return { method: 'POST', path: '/v1/plan', contentType: 'application/json', body: JSON.stringify(body) };
  });

const validPart: Record<string, string | Uint8Array> = {
  depth: depthBytes,
  segmask: maskBytes,
  intrinsics: JSON.stringify(intrinsics),
  policy: 'fc',
  topK: '2',
  seed: '3',
  depthScale: '0.001',
  workspace: '0,0,239,199',
};
const multipartRequest: fc.Arbitrary<Request> = fc
  .array(
    fc.record({
      name: fc.constantFrom(...Object.keys(validPart), 'other', '__proto__', ''),
      asFile: fc.boolean(),
      value: fc.oneof(fc.constant(null), fc.uint8Array({ maxLength: 256 }), fc.string({ maxLength: 30 })),
      mutation: fc.option(bytesMutation),
    }),
    { maxLength: 6 },
  )
  .map((parts) => {
    const form = new FormData();
    for (const p of parts) {
      const base = p.value ?? (Object.hasOwn(validPart, p.name) ? validPart[p.name] : '');
      let value: string | Uint8Array = base;
      if (p.mutation) value = mutate(typeof base === 'string' ? new TextEncoder().encode(base) : base, p.mutation);
      if (p.asFile || typeof value !== 'string') form.append(p.name, new Blob([value]), `${p.name}.bin`);
      else form.append(p.name, value);
    }
    return { method: 'POST', path: '/v1/plan', body: form };
  });

const printable = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
const rawRequest: fc.Arbitrary<Request> = fc.record({
  method: fc.constant('POST'),
  path: fc.constant('/v1/plan'),
  contentType: fc.oneof(
    fc.constantFrom(
      'application/json',
      'multipart/form-data; boundary=XyZ',
      'multipart/form-data',
      'text/plain',
      'application/octet-stream',
      'application/json; charset=latin1',
      'image/png',
    ),
    printable,
  ),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 4096 }),
    fc.string({ maxLength: 200 }),
    fc.tuple(fc.nat(), fc.string({ maxLength: 3 })).map(([at, s]) => {
      const text = JSON.stringify({ depth: b64(depthBytes.subarray(0, 300)), intrinsics });
      const i = at % text.length;
      return text.slice(0, i) + s + text.slice(i + 1);
    }),
    fc.constant('--XyZ\r\nContent-Disposition: form-data; name="depth"; filename="d"\r\n\r\n\x93NUMPY'),
  ),
});

const routeRequest: fc.Arbitrary<Request> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
  path: fc.oneof(
    fc.constantFrom(
      '/',
      '/docs',
      '/openapi.json',
      '/metrics',
      '/v1/health',
      '/v1/model',
      '/v1/dataset',
      '/v1/plan',
      '/v1/model/plots/roc',
      '/v1/example/camera.intr',
    ),
    fc
      .tuple(fc.constantFrom('/v1/model/plots/', '/v1/example/', '/v1/dataset/crops?', '/assets/', '/v1/'), printable)
      .map(([a, b]) => a + encodeURIComponent(b)),
    fc.webQueryParameters().map((q) => `/v1/dataset/crops?${q}`),
    fc.webPath().map((p) => p || '/'),
  ),
});

let server: DexnetServer;
beforeAll(async () => {
  const dataset = join(tempDir(), 'ds');
  await writeKnownDataset(dataset, [20]);
  server = await startTestServer({ datasetDir: dataset, bodyLimit: 1_000_000, maxPixels: 1_000_000 });
});
afterAll(async () => {
  await server?.close();
});

describe('fuzz', () => {
  it('1,000 random and mutated requests: no 5xx, every error is { error, field }, no leaks', async () => {
    const connections = () => new Promise<number>((resolve) => server.app.server.getConnections((_e, n) => resolve(n)));
    // Warm up, then take the baseline.
    for (let i = 0; i < 5; i++)
      await fetch(`${server.url}/v1/plan`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ depth: b64(depthBytes), intrinsics, policy: 'fc' }),
      });
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const statuses = new Map<number, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: jsonRequest, weight: 4 },
          { arbitrary: planRequest, weight: 2 },
          { arbitrary: multipartRequest, weight: 3 },
          { arbitrary: rawRequest, weight: 2 },
          { arbitrary: routeRequest, weight: 2 },
        ),
        async (req) => {
          const r = await fetch(`${server.url}${req.path}`, {
            method: req.method,
            headers: req.contentType !== undefined ? { 'content-type': req.contentType } : {},
            body: req.method === 'GET' ? undefined : req.body,
            signal: AbortSignal.timeout(30_000),
          });
          sent++;
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          const text = await r.text();
          expect(r.status, `${req.method} ${req.path}: ${text}`).toBeLessThan(500);
          if (r.status >= 400) {
            const body = JSON.parse(text) as { error: unknown; field: unknown };
            expect(typeof body.error).toBe('string');
            expect(body.field === null || typeof body.field === 'string').toBe(true);
          } else if (req.path === '/v1/plan') {
            planResponseSchema.parse(JSON.parse(text));
          }
        },
      ),
      { numRuns: 1000, seed: Number(process.env.DEXNET_FUZZ_SEED ?? 20240607), endOnFailure: true },
    );
    expect(sent).toBeGreaterThanOrEqual(1000);
    console.log(
      `fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );

    // Nothing left behind: no queued plans, at most the client's few kept-alive connections, a bounded heap.
    expect(server.pool.depth).toBe(0);
    expect(await connections()).toBeLessThanOrEqual(4);
    gc();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(30 * 2 ** 20);
    const health = await fetch(`${server.url}/v1/health`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const answered = [...metrics.matchAll(/^dexnet_http_requests_total\{[^}]*\} (\d+)$/gm)].reduce(
      (a, m) => a + Number(m[1]),
      0,
    );
    expect(answered).toBeGreaterThanOrEqual(1000);
  }, 600_000);
});
