// The dataset browser's endpoints: a summary and pages of crops with their labels, from the dataset the
// server was started with (the operator names the folder; requests only page and filter).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DatasetBrowser } from '../dataset/dataset-browser.js';
import { CROP_SIZE } from '../dataset/fields.js';
import { fromZod, HttpError } from './errors.js';
import { datasetCropsQuerySchema } from './schemas.js';

export function registerDatasetRoutes(
  app: FastifyInstance,
  browser: DatasetBrowser | null,
  authorize: (request: FastifyRequest) => void,
): void {
  const onRequest = async (request: FastifyRequest) => authorize(request);
  const need = (): DatasetBrowser => {
    if (!browser)
      throw new HttpError(
        404,
        'no dataset: start the server with `dexnet view <dataset>` or `dexnet serve --dataset <dir>`',
        null,
      );
    return browser;
  };

  app.get('/v1/dataset', { onRequest }, async () => need().summary());

  app.get('/v1/dataset/crops', { onRequest }, async (request) => {
    const b = need();
    const query = datasetCropsQuerySchema.safeParse(request.query);
    if (!query.success) throw fromZod(query.error, 'query');
    const { offset, limit, object, label } = query.data;
    const page = await b.page({ object, label }, offset, limit);
    return {
      total: page.total,
      offset,
      cropSize: CROP_SIZE,
      items: page.items.map(({ crop, ...rest }) => ({
        ...rest,
        crop: Buffer.from(crop.buffer, crop.byteOffset, crop.byteLength).toString('base64'),
      })),
    };
  });
}
