// The service's default limits, in a module with no imports so that `dexnet serve --help` shows them without
// loading fastify and the planner.
export const SERVER_DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  maxQueue: 16,
  timeoutMs: 30_000,
  bodyLimit: 32 * 1024 * 1024,
  maxPixels: 2048 * 2048,
} as const;
