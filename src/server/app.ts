// The HTTP service: one Fastify app with the planning pool, the read-only endpoints, metrics, the API docs and
// the built viewer; safe defaults (localhost, body and image limits, JSON errors) and a graceful close.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { DatasetBrowser } from '../dataset/dataset-browser.js';
import { loadModel, type GqcnnModel } from '../model/model-io.js';
import { UserInputError } from '../core/errors.js';
import { loadFcCompanion } from '../model/predictor.js';
import { assertSafeBind, assertUsableKey, requireKey, requireLoopbackHost } from './auth.js';
import { registerDatasetRoutes } from './dataset-routes.js';
import { errorHandler, HttpError } from './errors.js';
import { readModelInfo, registerInfoRoutes } from './info-routes.js';
import { ServerMetrics } from './metrics.js';
import { docsPage, openApiDocument } from './openapi.js';
import { PlanPool } from './plan-pool.js';
import { registerPlanRoute } from './plan-route.js';
import { SERVER_DEFAULTS } from './defaults.js';

/** Where `npm run build` puts the viewer (dist/viewer), from src/server or dist/server alike. */
export const VIEWER_DIR = fileURLToPath(new URL('../../dist/viewer/', import.meta.url));

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  modelDir: string;
  /** A suction model served beside a jaw model: requests may then ask for gripper suction or both. */
  suctionModelDir?: string | null;
  /** A dataset folder for the viewer's browser (chosen by the operator, never by a request). */
  datasetDir?: string | null;
  apiKey?: string | null;
  workers?: number;
  /** Plan requests that may wait for a worker before the next one gets 429. */
  maxQueue?: number;
  /** Deadline of one plan request, queueing included (ms). */
  timeoutMs?: number;
  /** Largest request body, and largest file part of a multipart form (bytes). */
  bodyLimit?: number;
  /** Largest depth image (pixels). */
  maxPixels?: number;
  /** A planner process over this resident memory after a plan is replaced (bytes; see POOL_DEFAULTS). */
  recycleBytes?: number;
  /** A planner process over this resident memory while planning is killed and its request answered 503 (bytes). */
  maxPlannerBytes?: number;
  /** Fastify's logger: false (tests), or a level such as 'warn'. */
  logLevel?: false | 'error' | 'warn' | 'info';
}

export { SERVER_DEFAULTS };

export interface DexnetServer {
  app: FastifyInstance;
  pool: PlanPool;
  /** http://host:port of the listening server. */
  url: string;
  /** Stops accepting requests, finishes the ones in flight (plans included), then stops the workers. */
  close(): Promise<void>;
}

const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Answers what Node's HTTP parser refuses before Fastify sees a request, then closes the connection. */
function answerClientError(error: Error & { code?: string }, socket: import('node:net').Socket): void {
  if (!socket.writable) return;
  const [status, reason, body] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          { error: 'headers: larger than the 16 KiB this server reads', field: 'headers' },
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', { error: 'request: not received in time', field: 'request' }]
        : [400, 'Bad Request', { error: `request: malformed HTTP (${error.code ?? 'parse error'})`, field: 'request' }];
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

export async function startServer(options: ServerOptions): Promise<DexnetServer> {
  const host = options.host ?? SERVER_DEFAULTS.host;
  assertUsableKey(options.apiKey);
  assertSafeBind(host, options.apiKey);
  const model = await loadModel(options.modelDir);
  const fullyConvolutional = await loadFcCompanion(options.modelDir);
  const info = await readModelInfo(options.modelDir, model, fullyConvolutional);
  const suction = options.suctionModelDir ? await loadSuctionModel(options.suctionModelDir, model) : undefined;
  const browser = options.datasetDir ? await DatasetBrowser.open(options.datasetDir) : null;
  const bodyLimit = options.bodyLimit ?? SERVER_DEFAULTS.bodyLimit;
  const pool = new PlanPool(
    model,
    {
      workers: options.workers ?? Math.max(1, Math.min(availableParallelism(), 8)),
      maxQueue: options.maxQueue ?? SERVER_DEFAULTS.maxQueue,
      timeoutMs: options.timeoutMs ?? SERVER_DEFAULTS.timeoutMs,
      recycleBytes: options.recycleBytes,
      maxPlannerBytes: options.maxPlannerBytes,
    },
    fullyConvolutional,
    suction,
  );
  const metrics = new ServerMetrics(
    () => pool.depth,
    () => pool.plannerBytes(),
    () => pool.replaced,
  );
  const app = Fastify({
    logger: options.logLevel ? { level: options.logLevel } : false,
    bodyLimit,
    // A slow or stalled upload cannot hold a connection for ever.
    requestTimeout: 60_000,
    // Node's own refusals (malformed HTTP, headers too large) in the same { error, field } JSON as every answer.
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, _request, reply) => {
      (reply as FastifyReply).code(400).send({ error: `url: ${error.message}`, field: 'url' });
    },
  });
  const authorize = (request: FastifyRequest) => requireKey(request.headers.authorization, options.apiKey);

  app.setErrorHandler(errorHandler);
  if (!options.apiKey) app.addHook('onRequest', async (request) => requireLoopbackHost(request.headers.host));
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send({ error: `url: no ${request.method} ${request.url.split('?')[0]} here (see /docs)`, field: 'url' });
  });
  let closing: Promise<void> | null = null;
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    // While closing, end each connection with its answer: a kept-alive one would hold the close for its whole idle timeout.
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.request(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  await app.register(fastifyMultipart, {
    // Counts well above a valid form's (3 files, 6 fields): the route refuses an unknown or repeated part first,
    // which answers sooner and more precisely than these limits.
    limits: { fileSize: bodyLimit, files: 12, fields: 12, parts: 24, fieldSize: 64 * 1024, headerPairs: 64 },
  });

  registerPlanRoute(app, {
    pool,
    metrics,
    maxPixels: options.maxPixels ?? SERVER_DEFAULTS.maxPixels,
    maxFileBytes: bodyLimit,
    authorize,
  });
  registerInfoRoutes(app, { info, pool, startedAt: Date.now(), authorize });
  registerDatasetRoutes(app, browser, authorize);
  app.get('/metrics', { onRequest: async (request) => authorize(request) }, async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.text()),
  );
  const doc = openApiDocument(version);
  const docs = docsPage(doc);
  app.get('/openapi.json', async () => doc);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(docs));
  if (existsSync(VIEWER_DIR)) await app.register(fastifyStatic, { root: VIEWER_DIR, prefix: '/', index: 'index.html' });
  else
    app.get('/', async () => {
      throw new HttpError(404, 'url: the viewer is not built (run `npm run build`)', 'url');
    });

  try {
    await app.listen({ host, port: options.port ?? SERVER_DEFAULTS.port });
  } catch (e) {
    await pool.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    app,
    pool,
    url,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await pool.close();
      })()),
  };
}

/** The suction model served beside a jaw model, refused at start-up unless the pair is a jaw and a suction model. */
async function loadSuctionModel(dir: string, served: GqcnnModel) {
  const model = await loadModel(dir);
  if (model.arch.poseDim !== 2 || served.arch.poseDim !== 1)
    throw new UserInputError(
      `${dir}: --suction-model needs a suction model (2 pose inputs, got ${model.arch.poseDim}) beside a jaw model ` +
        `(1 pose input, got ${served.arch.poseDim})`,
      { file: dir, field: 'suction-model' },
    );
  return { model, fullyConvolutional: await loadFcCompanion(dir) };
}
