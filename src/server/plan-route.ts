// POST /v1/plan: depth, intrinsics and options from a JSON body (images base64) or a multipart form (images as
// file parts), validated against the zod schemas, planned on the worker pool, answered with `dexnet plan --json`'s JSON.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Multipart } from '@fastify/multipart';
import { type CameraIntrinsics, IntrinsicsError, intrinsicsFromJson } from '../geometry/camera-intrinsics.js';
import { fromZod, HttpError } from './errors.js';
import type { ServerMetrics } from './metrics.js';
import {
  PlanAbortedError,
  PlanCrashError,
  PlanOverBudgetError,
  PlanTimeoutError,
  PoolClosedError,
  QueueFullError,
  type PlanPool,
} from './plan-pool.js';
import type { PlanTask } from './plan-worker.js';
import { planJsonBodySchema, planOptionsSchema, type PlanOptions } from './schemas.js';

export interface PlanRouteContext {
  pool: PlanPool;
  metrics: ServerMetrics;
  maxPixels: number;
  /** Largest file part of a multipart form (bytes). */
  maxFileBytes: number;
  authorize: (request: FastifyRequest) => void;
}

const FILE_PARTS = ['depth', 'segmask', 'intrinsics'];
const TEXT_PARTS = ['intrinsics', 'policy', 'gripper', 'topK', 'seed', 'depthScale', 'workspace', 'minQ'];

export function registerPlanRoute(app: FastifyInstance, ctx: PlanRouteContext): void {
  const tooMany = (why: string, early = false) =>
    new HttpError(
      429,
      `too many requests: ${why}`,
      null,
      early ? { 'retry-after': '1', connection: 'close' } : { 'retry-after': '1' },
    );
  const onRequest = async (request: FastifyRequest) => {
    ctx.authorize(request);
    // Decided before the body is read: a full queue should not cost an upload of up to the body limit.
    if (ctx.pool.full)
      // Closing the connection drops the unread upload instead of reading it to keep the connection alive.
      throw tooMany(
        `all ${ctx.pool.options.workers} planners are busy and ${ctx.pool.options.maxQueue} requests are waiting`,
        true,
      );
  };
  app.post('/v1/plan', { onRequest }, async (request, reply) => {
    const input = request.isMultipart() ? await fromMultipart(request, ctx.maxFileBytes) : fromJson(request);
    const task: PlanTask = {
      depth: input.depth,
      segmask: input.segmask,
      intrinsics: toIntrinsics(input.options.intrinsics),
      depthScale: input.options.depthScale ?? 0.001,
      policy: input.options.policy ?? 'cem',
      gripper: input.options.gripper,
      topK: input.options.topK ?? 1,
      seed: input.options.seed ?? 0,
      workspace: input.options.workspace as PlanTask['workspace'],
      minQ: input.options.minQ ?? 0,
      maxPixels: ctx.maxPixels,
    };
    // A client that hangs up stops its plan: out of the queue, or its planner ended.
    const gone = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) gone.abort();
    };
    reply.raw.once('close', onClose);
    let result;
    try {
      result = await ctx.pool.run(task, gone.signal);
    } catch (e) {
      if (e instanceof QueueFullError) throw tooMany(e.message);
      if (e instanceof PlanTimeoutError || e instanceof PoolClosedError || e instanceof PlanAbortedError)
        throw new HttpError(503, e.message, null, { 'retry-after': '1' });
      if (e instanceof PlanOverBudgetError) throw new HttpError(503, e.message, null);
      if (e instanceof PlanCrashError) throw new HttpError(500, e.message, null);
      throw e;
    } finally {
      reply.raw.off('close', onClose);
    }
    if (!result.ok) throw new HttpError(result.status, result.error, result.field);
    ctx.metrics.plan(result.json.policy, result.json.timeMs / 1000);
    return result.json;
  });
}

interface PlanInput {
  depth: Uint8Array;
  segmask: Uint8Array | null;
  options: PlanOptions;
}

function fromJson(request: FastifyRequest): PlanInput {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(
      415,
      `content-type: expected application/json or multipart/form-data, got ${type ? `"${type}"` : 'none'}`,
      'content-type',
    );
  const parsed = planJsonBodySchema.safeParse(request.body);
  if (!parsed.success) throw fromZod(parsed.error);
  const { depth, segmask, ...options } = parsed.data;
  return { depth: Buffer.from(depth, 'base64'), segmask: segmask ? Buffer.from(segmask, 'base64') : null, options };
}

async function fromMultipart(request: FastifyRequest, maxFileBytes: number): Promise<PlanInput> {
  const files: Record<string, Buffer> = {};
  const texts: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      const name = part.fieldname;
      if (name in files || name in texts) throw new HttpError(400, `${name}: given more than once`, name);
      if (part.type === 'file') {
        if (!FILE_PARTS.includes(name))
          throw new HttpError(400, `${name}: unknown file part (expected depth, segmask or intrinsics)`, name);
        files[name] = await readFilePart(part, maxFileBytes);
      } else {
        if (!TEXT_PARTS.includes(name)) throw new HttpError(400, `${name}: unknown field (no such option)`, name);
        if (part.valueTruncated) throw new HttpError(413, `${name}: value too long`, name);
        texts[name] = String(part.value);
      }
    }
  } catch (e) {
    // Read and drop the rest of the upload: a client still sending would otherwise never get to read the answer.
    request.raw.unpipe();
    request.raw.resume();
    if (e instanceof HttpError || (e as { statusCode?: number }).statusCode) throw e;
    // busboy's own complaints (no boundary, cut-off parts) are plain Errors: still the client's form.
    throw new HttpError(400, `body: malformed multipart form (${(e as Error).message})`, 'body');
  }
  if (!files.depth)
    throw new HttpError(400, 'depth: missing (a file part with the .npy or 16-bit PNG depth image)', 'depth');
  const intrinsicsText = files.intrinsics?.toString('utf8') ?? texts.intrinsics;
  if (intrinsicsText === undefined)
    throw new HttpError(400, 'intrinsics: missing (a .intr file part or text field)', 'intrinsics');
  let intrinsics: unknown;
  try {
    intrinsics = JSON.parse(intrinsicsText);
  } catch (e) {
    throw new HttpError(400, `intrinsics: not valid JSON (${(e as Error).message})`, 'intrinsics');
  }
  const number = (v: string | undefined) =>
    v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  const parsed = planOptionsSchema.safeParse({
    intrinsics,
    policy: texts.policy,
    gripper: texts.gripper,
    topK: number(texts.topK),
    seed: number(texts.seed),
    depthScale: number(texts.depthScale),
    workspace: texts.workspace?.split(',').map(Number),
    minQ: number(texts.minQ),
  });
  if (!parsed.success) throw fromZod(parsed.error);
  return { depth: files.depth, segmask: files.segmask ?? null, options: parsed.data };
}

async function readFilePart(part: Multipart & { type: 'file' }, maxBytes: number): Promise<Buffer> {
  try {
    const bytes = await part.toBuffer();
    if (bytes.length === 0) throw new HttpError(400, `${part.fieldname}: file is empty`, part.fieldname);
    return bytes;
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new HttpError(413, `${part.fieldname}: file larger than the ${maxBytes} bytes allowed`, part.fieldname);
    throw e;
  }
}

function toIntrinsics(raw: unknown): CameraIntrinsics {
  try {
    return intrinsicsFromJson(raw, 'intrinsics');
  } catch (e) {
    if (e instanceof IntrinsicsError)
      throw new HttpError(400, e.message, e.field ? `intrinsics.${e.field}` : 'intrinsics');
    throw e;
  }
}
