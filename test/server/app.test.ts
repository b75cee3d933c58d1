import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DexnetServer } from '../../src/server/app.js';
import { decodeDepth } from '../../src/image/depth-io.js';
import { encodeDepthPng16 } from '../../src/image/png.js';
import { POLICIES } from '../../src/policy/plan.js';
import { planResponseSchema } from '../../src/server/schemas.js';
import { writeKnownDataset } from '../dataset/dataset-helpers.js';
import {
  exampleDepth,
  exampleForm,
  exampleJson,
  postForm,
  postJson,
  SCENE,
  startTestServer,
} from './server-helpers.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { expectSameBytes } from '../helpers/same-bytes.js';

const dir = tempDirs('serve')();
let server: DexnetServer;

function cliPlan(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/dexnet.js', 'plan', ...args, '--json'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Record<string, unknown>;
}
const withoutTime = (j: Record<string, unknown>) => ({ ...j, timeMs: 0 });

beforeAll(async () => {
  await writeKnownDataset(join(dir, 'dataset'), [10, 10, 5]);
  server = await startTestServer({ datasetDir: join(dir, 'dataset') });
});
afterAll(async () => {
  await server?.close();
});

describe('POST /v1/plan', () => {
  it('answers the same JSON as `dexnet plan --json` on the example, as JSON and as a multipart form', async () => {
    const cli = cliPlan(
      `${SCENE}/depth.npy`,
      '--intrinsics',
      `${SCENE}/camera.intr`,
      '--segmask',
      `${SCENE}/segmask.png`,
      '--top-k',
      '3',
      '--seed',
      '7',
    );
    const json = await postJson(server.url, exampleJson({ topK: 3, seed: 7 }));
    expect(json.status).toBe(200);
    expect(planResponseSchema.parse(json.json)).toBeTruthy();
    expect(withoutTime(json.json)).toEqual(withoutTime(cli));
    const form = await postForm(server.url, [...exampleForm(), ['topK', '3'], ['seed', '7']]);
    expect(form.status).toBe(200);
    expect(withoutTime(form.json)).toEqual(withoutTime(cli));
  });

  it('plans on a 16-bit PNG depth image like the CLI, with the policy and depth scale given', async () => {
    const png = encodeDepthPng16(decodeDepth(exampleDepth, 'example', 'npy'), 0.0005);
    const file = join(dir, 'depth.png');
    writeFileSync(file, png);
    const cli = cliPlan(
      file,
      '--intrinsics',
      `${SCENE}/camera.intr`,
      '--segmask',
      `${SCENE}/segmask.png`,
      '--policy',
      'fc',
      '--depth-scale',
      '0.0005',
      '--top-k',
      '2',
    );
    const r = await postJson(
      server.url,
      exampleJson({ depth: Buffer.from(png).toString('base64'), policy: 'fc', depthScale: 0.0005, topK: 2 }),
    );
    expect(r.status).toBe(200);
    expect(r.json.policy).toBe('fc');
    expect(r.json.grasps).toHaveLength(2);
    expect(withoutTime(r.json)).toEqual(withoutTime(cli));
  });
});

describe('read-only endpoints', () => {
  it('health reports the model, workers and queue', async () => {
    const r = (await (await fetch(`${server.url}/v1/health`)).json()) as any;
    expect(r).toMatchObject({ status: 'ok', model: 'compact-depth-sub', workers: 1, queueDepth: 0 });
  });

  it('model: architecture, validation metrics, the training report and its plots', async () => {
    const r = (await (await fetch(`${server.url}/v1/model`)).json()) as any;
    expect(r.architecture.name).toBe('compact-depth-sub');
    expect(r.metrics.validation.accuracy).toBeGreaterThan(0.8);
    expect(r.training.history).toBeUndefined();
    expect(r.report.history.length).toBeGreaterThan(1);
    expect(r.plots).toEqual(['loss', 'error', 'roc', 'precision-recall']);
    expect(r.fullyConvolutional.name).toBe('compact'); // the bundled folder's FC companion
    const roc = await fetch(`${server.url}/v1/model/plots/roc`);
    expect(roc.headers.get('content-type')).toBe('image/png');
    expectSameBytes(new Uint8Array(await roc.arrayBuffer()), readFileSync('models/gqcnn-compact/roc.png'));
  });

  it('serves the example scene by name, and nothing else', async () => {
    const depth = await fetch(`${server.url}/v1/example/depth.npy`);
    expectSameBytes(new Uint8Array(await depth.arrayBuffer()), exampleDepth);
    for (const name of ['..%2Fpackage.json', '..%2F..%2Fpackage.json', 'grasp.png']) {
      const r = await fetch(`${server.url}/v1/example/${name}`);
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).field).toBe('file');
    }
    const plot = await fetch(`${server.url}/v1/model/plots/..%2Fconfig.json`);
    expect(plot.status).toBe(400);
  });

  it('pages through the dataset with filters, and names a bad query field', async () => {
    expect(await (await fetch(`${server.url}/v1/dataset`)).json()).toMatchObject({
      datapoints: 25,
      objects: 3,
      positives: 7,
    });
    const page = (await (await fetch(`${server.url}/v1/dataset/crops?offset=1&limit=2&label=positive`)).json()) as any;
    expect(page.total).toBe(7);
    expect(page.items.map((c: { index: number }) => c.index)).toEqual([4, 8]);
    const crop = new Float32Array(Buffer.from(page.items[0].crop, 'base64').buffer.slice(0));
    expect(crop).toHaveLength(1024);
    expect(crop[0]).toBeCloseTo(0.04, 6);
    for (const [query, field] of [
      ['limit=1000', 'limit'],
      ['label=maybe', 'label'],
      ['object=-1', 'object'],
      ['path=/etc', 'path'],
    ]) {
      const r = await fetch(`${server.url}/v1/dataset/crops?${query}`);
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).field).toBe(field);
    }
  });

  it('metrics count requests by route and status, with latency, queue depth and RSS', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/dexnet_http_requests_total\{method="POST",route="\/v1\/plan",status="200"\} [1-9]/);
    expect(text).toMatch(/dexnet_http_request_duration_seconds_bucket\{le="0.5",route="\/v1\/plan"\}/);
    expect(text).toMatch(/dexnet_plan_duration_seconds_count\{policy="cem"\} [1-9]/);
    expect(text).toMatch(/^dexnet_plan_queue_depth 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('OpenAPI and the docs page come from the request schemas', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    const plan = doc.paths['/v1/plan'].post;
    const json = plan.requestBody.content['application/json'].schema;
    expect(json.required).toEqual(expect.arrayContaining(['depth', 'intrinsics']));
    expect(json.properties.intrinsics.properties._fx.exclusiveMinimum).toBe(0);
    expect(json.properties.policy.enum).toEqual([...POLICIES]);
    expect(plan.requestBody.content['multipart/form-data'].schema.properties.depth.format).toBe('binary');
    expect(Object.keys(plan.responses)).toEqual(expect.arrayContaining(['200', '400', '413', '415', '422', '429']));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/health', '/v1/model', '/metrics', '/v1/dataset/crops']),
    );
    const docs = await fetch(`${server.url}/docs`);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    const html = await docs.text();
    expect(html).toContain('intrinsics._fx');
    expect(html).toContain('/v1/dataset/crops');
  });

  it('serves the built viewer at /', async () => {
    const r = await fetch(`${server.url}/`);
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/<canvas|id="app"/);
  });
});
