import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects, both run by `npm test`: unit tests mirror src/ and call the library in-process; end-to-end tests
// (test/e2e/) run the real `dexnet` binary, its server as a process, the browser and the Redis queue.
// Vitest's default of cores − 1 workers would run everything on one worker on a 2-core machine, with the second core
// idle while a test waits on the processes it spawned.
const shared = {
  pool: 'forks' as const,
  maxWorkers: Math.max(2, availableParallelism()),
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // Once per run (not per project): rebuilds a stale dist/ and gives the run its own TMPDIR.
    globalSetup: ['test/global-setup.ts'],
    projects: [
      // Unit files share their worker's module cache (isolate: false): each file re-importing three, ONNX Runtime and
      // MuJoCo cost a third of the unit run's CPU time. Unit tests restore what they patch (console spies) and keep
      // no module state of their own.
      {
        test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], isolate: false },
      },
      { test: { ...shared, name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 300_000 } },
    ],
  },
});
