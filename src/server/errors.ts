// Every failure the service answers with: `{ error, field }` JSON and a 4xx status for anything the client
// can fix; a 5xx only for the server's own trouble (a bug, a timeout, shutting down).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly field: string | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The first zod issue as a 400 naming its field (`intrinsics._fx`); `where` is the whole input's name. */
export function fromZod(error: z.ZodError, where = 'body'): HttpError {
  const issue = error.issues[0];
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') path.push(issue.keys[0]);
  const field = path.length ? path.join('.') : where;
  const message = issue.code === 'unrecognized_keys' ? 'unknown field (no such option)' : issue.message;
  return new HttpError(400, `${field}: ${message}`, field);
}

// Errors raised by Fastify and its plugins before a handler runs, and the field each concerns.
const FIELD_OF_CODE: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'content-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'content-length',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'content-type',
};

export function errorHandler(error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof HttpError) {
    reply.headers(error.headers).code(error.status).send({ error: error.message, field: error.field });
    return;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Without a known code: a request without a body can only be wrong in its URL.
    const field = FIELD_OF_CODE[error.code] ?? (request.method === 'GET' || request.method === 'HEAD' ? 'url' : 'body');
    reply.code(status === 406 ? 415 : status).send({ error: `${field}: ${error.message}`, field });
    return;
  }
  request.log.error({ err: error }, 'request failed');
  reply.code(status >= 500 ? status : 500).send({ error: 'internal error (see the server log)', field: null });
}
