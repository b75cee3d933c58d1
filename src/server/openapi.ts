// /openapi.json and the /docs page, both generated from the zod schemas the routes validate with, so the
// documentation cannot drift from what the server accepts.
import { z } from 'zod';
import {
  datasetCropsQuerySchema,
  datasetCropsSchema,
  datasetSummarySchema,
  errorSchema,
  exampleParamsSchema,
  healthSchema,
  modelPlotParamsSchema,
  modelSchema,
  planJsonBodySchema,
  planMultipartDocSchema,
  planResponseSchema,
} from './schemas.js';

interface Endpoint {
  method: 'get' | 'post';
  /** OpenAPI path template ({name}). */
  path: string;
  summary: string;
  auth: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { json: z.ZodType; multipart: z.ZodType };
  /** A zod schema for JSON answers, or the media type of anything else. */
  response: z.ZodType | string;
  errors: number[];
}

const ENDPOINTS: Endpoint[] = [
  {
    method: 'post',
    path: '/v1/plan',
    auth: true,
    summary:
      'Plan grasps on a depth image: the same JSON as `dexnet plan --json`. Send JSON (images base64) or a multipart form (images as files).',
    body: { json: planJsonBodySchema, multipart: planMultipartDocSchema },
    response: planResponseSchema,
    errors: [400, 401, 413, 415, 422, 429, 503],
  },
  {
    method: 'get',
    path: '/v1/health',
    auth: false,
    summary: 'Liveness, the model in use and the planning queue.',
    response: healthSchema,
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/model',
    auth: true,
    summary: 'The model: architecture, normalisation, training settings and report, validation metrics.',
    response: modelSchema,
    errors: [401],
  },
  {
    method: 'get',
    path: '/v1/model/plots/{name}',
    auth: true,
    summary: 'A training plot of the model (PNG).',
    params: modelPlotParamsSchema,
    response: 'image/png',
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/v1/example/{file}',
    auth: false,
    summary: 'A file of the bundled example scene.',
    params: exampleParamsSchema,
    response: 'application/octet-stream',
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/dataset',
    auth: true,
    summary: 'The dataset being browsed: sizes and label counts.',
    response: datasetSummarySchema,
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/v1/dataset/crops',
    auth: true,
    summary: 'A page of dataset crops with grasp depth and label, filtered by object and label.',
    query: datasetCropsQuerySchema,
    response: datasetCropsSchema,
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/metrics',
    auth: true,
    summary: 'Prometheus metrics: requests, latency, planning time, queue depth, process.',
    response: 'text/plain',
    errors: [401],
  },
  {
    method: 'get',
    path: '/openapi.json',
    auth: false,
    summary: 'This description (OpenAPI 3.1).',
    response: 'application/json',
    errors: [],
  },
  {
    method: 'get',
    path: '/docs',
    auth: false,
    summary: 'This description as a page.',
    response: 'text/html',
    errors: [],
  },
];

const STATUS_TEXT: Record<number, string> = {
  400: 'invalid request (the field is named)',
  401: 'missing or wrong API key',
  404: 'not found',
  413: 'body, file or image too large',
  415: 'unsupported content type',
  422: 'valid input but no grasp could be planned',
  429: 'queue full: retry after Retry-After seconds',
  503: 'timed out or shutting down',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input') as { properties: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(s.properties).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    description: p.description,
    schema: p,
  }));
}

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) {
    const responses: Record<string, unknown> = {
      200: {
        description: 'OK',
        content:
          typeof e.response === 'string'
            ? { [e.response]: {} }
            : { 'application/json': { schema: jsonSchema(e.response, 'output') } },
      },
    };
    for (const status of e.errors)
      responses[status] = {
        description: STATUS_TEXT[status],
        content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } },
      };
    paths[e.path] ??= {};
    paths[e.path][e.method] = {
      summary: e.summary,
      ...(e.auth ? { security: [{ bearer: [] }] } : {}),
      parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
      ...(e.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: jsonSchema(e.body.json, 'input') },
                'multipart/form-data': { schema: jsonSchema(e.body.multipart, 'input') },
              },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'dexnet-ts grasp planning service',
      version,
      description:
        'Dex-Net 2.0 grasp planning over HTTP. Every error is JSON `{ "error", "field" }`. Endpoints marked with a lock need `Authorization: Bearer <API key>` when the server was started with --api-key.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

const escape = (s: unknown) =>
  String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

interface SchemaNode {
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  enum?: unknown[];
  anyOf?: SchemaNode[];
  format?: string;
}

function typeOf(s: SchemaNode): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'any'}[]`;
  return [s.type ?? 'any'].flat().join(' | ') + (s.format ? ` (${s.format})` : '');
}

/** Table rows for an object schema, nested objects indented under their field (`intrinsics._fx`). */
function rows(s: SchemaNode, prefix = ''): string {
  return Object.entries(s.properties ?? {})
    .map(([name, p]) => {
      const row = `<tr><td><code>${escape(prefix + name)}</code></td><td>${escape(typeOf(p))}</td><td>${(s.required ?? []).includes(name) ? 'yes' : ''}</td><td>${escape(p.description)}</td></tr>`;
      return p.type === 'object' && p.properties ? row + rows(p, `${prefix}${name}.`) : row;
    })
    .join('');
}

const table = (s: SchemaNode) =>
  `<table><tr><th>field</th><th>type</th><th>required</th><th>meaning</th></tr>${rows(s)}</table>`;

/** A self-contained HTML page (no scripts, no CDN) listing every endpoint with its fields. */
export function docsPage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; version: string; description: string };
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const parts = [
        `<h2><span class="m">${method.toUpperCase()}</span> <code>${escape(path)}</code>${op.security ? ' 🔒' : ''}</h2><p>${escape(op.summary)}</p>`,
      ];
      const params = op.parameters as {
        name: string;
        in: string;
        description?: string;
        schema: SchemaNode;
        required: boolean;
      }[];
      if (params.length) {
        const asSchema: SchemaNode = {
          properties: Object.fromEntries(
            params.map((p) => [p.name, { ...p.schema, description: `(${p.in}) ${p.description ?? ''}` }]),
          ),
          required: params.filter((p) => p.required).map((p) => p.name),
        };
        parts.push(`<h3>parameters</h3>${table(asSchema)}`);
      }
      const body = op.requestBody as { content: Record<string, { schema: SchemaNode }> } | undefined;
      for (const [type, { schema }] of Object.entries(body?.content ?? {}))
        parts.push(`<h3>body: <code>${escape(type)}</code></h3>${table(schema)}`);
      const responses = op.responses as Record<
        string,
        { description: string; content: Record<string, { schema?: SchemaNode }> }
      >;
      const ok = Object.entries(responses['200'].content)[0];
      parts.push(`<h3>200: <code>${escape(ok[0])}</code></h3>${ok[1].schema?.properties ? table(ok[1].schema) : ''}`);
      const errors = Object.entries(responses).filter(([s]) => s !== '200');
      if (errors.length)
        parts.push(
          `<p>errors (JSON <code>{ error, field }</code>): ${errors.map(([s, r]) => `<b>${s}</b> ${escape(r.description)}`).join('; ')}</p>`,
        );
      sections.push(`<section>${parts.join('')}</section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.3rem 0 1rem}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
section{border-top:1px solid #ddd;padding-top:.5rem}.m{background:#234;color:#fff;padding:0 .4rem;border-radius:3px;font-size:.8em}
code{background:#f3f3f3;padding:0 .2rem}</style></head><body>
<h1>${escape(info.title)} <small>${escape(info.version)}</small></h1><p>${escape(info.description)}</p>
<p>Machine-readable: <a href="openapi.json">/openapi.json</a>. Viewer: <a href="./">/</a>.</p>
${sections.join('\n')}</body></html>`;
}
