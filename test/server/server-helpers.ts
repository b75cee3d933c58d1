// Shared by the server tests: the example scene as request bodies, and small HTTP helpers on fetch.
import { readFileSync } from 'node:fs';
import { startServer, type DexnetServer, type ServerOptions } from '../../src/server/app.js';

export const MODEL = 'models/gqcnn-compact';
export const SCENE = 'examples/scene';
export const exampleDepth = readFileSync(`${SCENE}/depth.npy`);
export const exampleSegmask = readFileSync(`${SCENE}/segmask.png`);
export const exampleIntrinsicsText = readFileSync(`${SCENE}/camera.intr`, 'utf8');
export const exampleIntrinsics = JSON.parse(exampleIntrinsicsText) as Record<string, unknown>;

/** A real server on a free localhost port, with the bundled model and one planning thread unless told otherwise. */
export function startTestServer(options: Partial<ServerOptions> = {}): Promise<DexnetServer> {
  return startServer({ modelDir: MODEL, port: 0, workers: 1, logLevel: false, ...options });
}

/** The example scene as a JSON plan request; `extra` overrides or adds fields. */
export function exampleJson(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    depth: exampleDepth.toString('base64'),
    segmask: exampleSegmask.toString('base64'),
    intrinsics: exampleIntrinsics,
    ...extra,
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${url}/v1/plan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, headers: r.headers, json: (await r.json()) as Record<string, any> };
}

/** A multipart plan request: Uint8Array values become file parts, strings text fields. */
export async function postForm(url: string, parts: [string, Uint8Array | string][]) {
  const form = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value]), `${name}.bin`);
  }
  const r = await fetch(`${url}/v1/plan`, { method: 'POST', body: form });
  return { status: r.status, headers: r.headers, json: (await r.json()) as Record<string, any> };
}

export const exampleForm = (): [string, Uint8Array | string][] => [
  ['depth', exampleDepth],
  ['intrinsics', new TextEncoder().encode(exampleIntrinsicsText)],
  ['segmask', exampleSegmask],
];
