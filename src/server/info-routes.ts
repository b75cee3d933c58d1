// Read-only endpoints: health, the model and its training report and plots, and the bundled example scene
// (fixed files chosen from a list by name: no request ever names a path).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GqcnnModel } from '../model/model-io.js';
import { fromZod, HttpError } from './errors.js';
import type { PlanPool } from './plan-pool.js';
import { exampleParamsSchema, MODEL_PLOTS, modelPlotParamsSchema } from './schemas.js';

const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/scene/', import.meta.url));
const EXAMPLE_TYPES: Record<string, string> = {
  'depth.npy': 'application/octet-stream',
  'camera.intr': 'application/json',
  'segmask.png': 'image/png',
};

export interface ModelInfo {
  name: string;
  model: GqcnnModel;
  report: Record<string, unknown> | null;
  plots: Map<string, Buffer>;
  /** The FC companion's architecture and validation metrics, when the folder has one. */
  fullyConvolutional: { name: string; metrics: Record<string, unknown> } | null;
}

/** The report and plots `dexnet train` leaves beside a model, read once at start (a missing one is just absent). */
export async function readModelInfo(
  dir: string,
  model: GqcnnModel,
  companion: GqcnnModel | null = null,
): Promise<ModelInfo> {
  let report: Record<string, unknown> | null = null;
  try {
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    report = null;
  }
  const plots = new Map<string, Buffer>();
  for (const name of MODEL_PLOTS) {
    try {
      plots.set(name, await readFile(join(dir, `${name}.png`)));
    } catch {
      // a model trained elsewhere may have no plots
    }
  }
  const fullyConvolutional = companion ? { name: companion.arch.name, metrics: companion.metrics } : null;
  return { name: model.arch.name, model, report, plots, fullyConvolutional };
}

export interface InfoRouteContext {
  info: ModelInfo;
  pool: PlanPool;
  startedAt: number;
  authorize: (request: FastifyRequest) => void;
}

export function registerInfoRoutes(app: FastifyInstance, ctx: InfoRouteContext): void {
  const onRequest = async (request: FastifyRequest) => ctx.authorize(request);
  app.get('/v1/health', async () => ({
    status: 'ok' as const,
    model: ctx.info.name,
    workers: ctx.pool.options.workers,
    queueDepth: ctx.pool.depth,
    uptimeSeconds: (Date.now() - ctx.startedAt) / 1000,
  }));

  app.get('/v1/model', { onRequest }, async () => {
    const { model, report, plots, name, fullyConvolutional } = ctx.info;
    const { history: _history, ...training } = model.training;
    return {
      name,
      architecture: model.arch,
      normalisation: model.normalisation,
      metrics: model.metrics,
      training,
      report,
      plots: [...plots.keys()],
      fullyConvolutional,
    };
  });

  app.get('/v1/model/plots/:name', { onRequest }, async (request, reply) => {
    const params = modelPlotParamsSchema.safeParse(request.params);
    if (!params.success) throw fromZod(params.error, 'name');
    const png = ctx.info.plots.get(params.data.name);
    if (!png) throw new HttpError(404, `name: this model has no ${params.data.name} plot`, 'name');
    return reply.type('image/png').send(png);
  });

  app.get('/v1/example/:file', async (request, reply) => {
    const params = exampleParamsSchema.safeParse(request.params);
    if (!params.success) throw fromZod(params.error, 'file');
    return reply.type(EXAMPLE_TYPES[params.data.file]).send(await readFile(join(EXAMPLE_DIR, params.data.file)));
  });
}
