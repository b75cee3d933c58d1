// Every kind of bad request gets its 4xx and a JSON error naming the field; the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/image/npy.js';
import { encodeMaskPng, encodePng } from '../../src/image/png.js';
import type { DexnetServer } from '../../src/server/app.js';
import {
  exampleDepth,
  exampleForm,
  exampleIntrinsics,
  exampleIntrinsicsText,
  exampleJson,
  postForm,
  postJson,
  startTestServer,
} from './server-helpers.js';

let server: DexnetServer;
// Small limits so that "too large" is cheap to reach: 2 MB bodies, images up to the example's 640×480.
beforeAll(async () => {
  server = await startTestServer({ bodyLimit: 2_000_000, maxPixels: 640 * 480 });
});
afterAll(async () => {
  await server?.close();
});

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const npy = (data: Float32Array | Int32Array, shape: number[]) => encodeNpy(data, shape);
const smallIntr = (w: number, h: number) => ({ ...exampleIntrinsics, _width: w, _height: h, _cx: w / 2, _cy: h / 2 });

describe('JSON bodies', () => {
  const cases: [string, Record<string, unknown>, number, string, RegExp?][] = [
    ['depth missing', { ...exampleJson(), depth: undefined }, 400, 'depth'],
    ['intrinsics missing', { ...exampleJson(), intrinsics: undefined }, 400, 'intrinsics'],
    ['depth not base64', exampleJson({ depth: '***not base64***' }), 400, 'depth'],
    [
      'depth neither .npy nor PNG',
      exampleJson({ depth: b64(new TextEncoder().encode('hello, world')) }),
      400,
      'depth',
      /not a \.npy or PNG/,
    ],
    ['truncated .npy', exampleJson({ depth: b64(exampleDepth.subarray(0, 5000)) }), 400, 'depth', /truncated/],
    [
      'integer .npy',
      exampleJson({ depth: b64(npy(new Int32Array(20).fill(700), [4, 5])), intrinsics: smallIntr(5, 4) }),
      400,
      'depth',
      /dtype/,
    ],
    [
      'RGB-shaped .npy',
      exampleJson({ depth: b64(npy(new Float32Array(60).fill(0.7), [4, 5, 3])), intrinsics: smallIntr(5, 4) }),
      400,
      'depth',
      /shape/,
    ],
    [
      'all-zero depth',
      exampleJson({ depth: b64(npy(new Float32Array(20), [4, 5])), intrinsics: smallIntr(5, 4), segmask: undefined }),
      400,
      'depth',
      /missing/,
    ],
    [
      'negative depth',
      exampleJson({
        depth: b64(npy(new Float32Array(20).fill(-1), [4, 5])),
        intrinsics: smallIntr(5, 4),
        segmask: undefined,
      }),
      400,
      'depth',
      /negative/,
    ],
    [
      '8-bit PNG as depth',
      exampleJson({
        depth: b64(encodePng({ width: 5, height: 4, channels: 1, data: new Uint8Array(20).fill(9) })),
        intrinsics: smallIntr(5, 4),
        segmask: undefined,
      }),
      400,
      'depth',
      /16-bit/,
    ],
    [
      'depth image over the pixel limit',
      exampleJson({
        depth: b64(npy(new Float32Array(641 * 480).fill(0.7), [480, 641])),
        intrinsics: smallIntr(641, 480),
        segmask: undefined,
      }),
      413,
      'depth',
      /pixels allowed/,
    ],
    ['segmask not a PNG', exampleJson({ segmask: b64(new Uint8Array([1, 2, 3, 4])) }), 400, 'segmask'],
    [
      'segmask of the wrong size',
      exampleJson({ segmask: b64(encodeMaskPng({ width: 32, height: 32, data: new Uint8Array(1024) })) }),
      400,
      'segmask',
      /32×32/,
    ],
    ['_fx negative', exampleJson({ intrinsics: { ...exampleIntrinsics, _fx: -525 } }), 400, 'intrinsics._fx'],
    [
      '_height not a number',
      exampleJson({ intrinsics: { ...exampleIntrinsics, _height: '480' } }),
      400,
      'intrinsics._height',
    ],
    [
      '_width fractional',
      exampleJson({ intrinsics: { ...exampleIntrinsics, _width: 640.5 } }),
      400,
      'intrinsics._width',
    ],
    ['_cy missing', exampleJson({ intrinsics: { ...exampleIntrinsics, _cy: undefined } }), 400, 'intrinsics._cy'],
    [
      'unknown intrinsics field',
      exampleJson({ intrinsics: { ...exampleIntrinsics, _path: '/etc/passwd' } }),
      400,
      'intrinsics._path',
    ],
    [
      'intrinsics for another size',
      exampleJson({ intrinsics: smallIntr(320, 240) }),
      400,
      'intrinsics',
      /320×240 image, but the depth image is 640×480/,
    ],
    ['unknown policy', exampleJson({ policy: 'magic' }), 400, 'policy'],
    ['topK zero', exampleJson({ topK: 0 }), 400, 'topK'],
    ['topK fractional', exampleJson({ topK: 1.5 }), 400, 'topK'],
    ['negative seed', exampleJson({ seed: -1 }), 400, 'seed'],
    ['depthScale zero', exampleJson({ depthScale: 0 }), 400, 'depthScale'],
    ['workspace of three numbers', exampleJson({ workspace: [1, 2, 3] }), 400, 'workspace'],
    ['workspace upside down', exampleJson({ workspace: [100, 100, 10, 10] }), 400, 'workspace'],
    ['a file path besides the image', exampleJson({ depthPath: '/etc/passwd' }), 400, 'depthPath', /unknown field/],
  ];
  for (const [name, body, status, field, message] of cases) {
    it(`${name}: ${status}, field ${field}`, async () => {
      const r = await postJson(server.url, body);
      expect(r.status).toBe(status);
      expect(r.json.field).toBe(field);
      expect(r.json.error).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
      if (message) expect(r.json.error).toMatch(message);
    });
  }

  it('malformed JSON, a non-object, an empty body and an oversized body', async () => {
    for (const [body, status] of [
      ['{"depth": ', 400],
      ['[1, 2]', 400],
      ['"text"', 400],
      ['null', 400],
      ['', 400],
    ] as const) {
      const r = await postJson(server.url, body);
      expect(r.status, body).toBe(status);
      expect(r.json.field).toBe('body');
    }
    const big = await postJson(server.url, exampleJson({ depth: 'A'.repeat(2_100_000) }));
    expect(big.status).toBe(413);
    expect(big.json.field).toBe('body');
  });

  it('a valid request with no graspable object is 422, not an error of the server', async () => {
    const r = await postJson(
      server.url,
      exampleJson({ segmask: b64(encodeMaskPng({ width: 640, height: 480, data: new Uint8Array(640 * 480) })) }),
    );
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ field: 'depth', error: expect.stringMatching(/no valid grasp/) });
  });
});

describe('content types and multipart forms', () => {
  const raw = (body: string | Uint8Array | undefined, type?: string) =>
    fetch(`${server.url}/v1/plan`, { method: 'POST', body, headers: type ? { 'content-type': type } : {} }).then(
      async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }),
    );

  it('anything but JSON or multipart is 415 naming the content type', async () => {
    for (const [body, type] of [
      ['hello', 'text/plain'],
      ['<plan/>', 'application/xml'],
      [exampleDepth, 'application/octet-stream'],
      [undefined, undefined],
    ] as const) {
      const r = await raw(body as string | Uint8Array | undefined, type);
      expect(r.status, String(type)).toBe(415);
      expect(r.json.field).toBe('content-type');
    }
  });

  it('multipart: missing, duplicated, unknown, empty and oversized parts name the part', async () => {
    const form = exampleForm();
    const without = (name: string) => form.filter(([n]) => n !== name);
    const cases: [string, [string, Uint8Array | string][], number, string][] = [
      ['no depth', without('depth'), 400, 'depth'],
      ['no intrinsics', without('intrinsics'), 400, 'intrinsics'],
      ['two depths', [...form, ['depth', exampleDepth]], 400, 'depth'],
      ['unknown file part', [...form, ['config', new Uint8Array([1])]], 400, 'config'],
      ['unknown text field', [...form, ['modelDir', '/tmp']], 400, 'modelDir'],
      ['empty depth file', [...without('depth'), ['depth', new Uint8Array(0)]], 400, 'depth'],
      ['intrinsics not JSON', [...without('intrinsics'), ['intrinsics', 'fx=525']], 400, 'intrinsics'],
      [
        'intrinsics with _fy = 0',
        [...without('intrinsics'), ['intrinsics', JSON.stringify({ ...exampleIntrinsics, _fy: 0 })]],
        400,
        'intrinsics._fy',
      ],
      ['topK not a number', [...form, ['topK', 'three']], 400, 'topK'],
      ['workspace text', [...form, ['workspace', '1,2,x,4']], 400, 'workspace.2'],
      ['depth file over the body limit', [...without('depth'), ['depth', new Uint8Array(2_100_000)]], 413, 'depth'],
    ];
    for (const [name, parts, status, field] of cases) {
      const r = await postForm(server.url, parts);
      expect(r.status, name).toBe(status);
      expect(r.json.field, name).toBe(field);
    }
    // Intrinsics as a text field work like the file part.
    const ok = await postForm(server.url, [
      ...without('intrinsics'),
      ['intrinsics', exampleIntrinsicsText],
      ['policy', 'fc'],
    ]);
    expect(ok.status).toBe(200);
  });

  it('a malformed multipart body is 400, not a crash', async () => {
    const bodies = [
      '--x\r\nContent-Disposition: form-data; name="depth"\r\n\r\nabc',
      'no boundary at all',
      '--x--\r\n',
      '',
    ];
    for (const body of bodies) {
      const r = await raw(body, 'multipart/form-data; boundary=x');
      expect(r.status, body).toBeGreaterThanOrEqual(400);
      expect(r.status, body).toBeLessThan(500);
    }
    const noBoundary = await raw('abc', 'multipart/form-data');
    expect(noBoundary.status).toBeGreaterThanOrEqual(400);
    expect(noBoundary.status).toBeLessThan(500);
  });
});

describe('routes', () => {
  it('unknown routes and methods are 404 JSON naming the url', async () => {
    for (const [method, path] of [
      ['GET', '/v1/plan'],
      ['GET', '/v2/plan'],
      ['DELETE', '/v1/model'],
      ['GET', '/v1/../../etc/passwd'],
    ]) {
      const r = await fetch(`${server.url}${path}`, { method });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(((await r.json()) as any).field).toBe('url');
    }
  });

  it('the server still plans after all of the above', async () => {
    const r = await postJson(server.url, exampleJson({ policy: 'fc' }));
    expect(r.status).toBe(200);
    expect(r.json.q).toBeGreaterThan(0);
  });
});
