import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/dataset/generate.js';
import { parseRedisUrl } from '../../src/dataset/queue.js';
import { datasetDigest, firstPartFinished } from '../dataset/dataset-helpers.js';
import { redisServer, unmet } from '../helpers/requirements.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { waitUntil, within } from '../helpers/wait.js';

// A real redis-server (Debian package; .ci/run installs it). Without one the test says so and skips.
const noRedis = unmet('distributed generation on a Redis queue', redisServer);
const tempDir = tempDirs('queue');
const SMALL = ['--grasps-per-object', '12', '--images-per-pose', '2', '--samples', '4', '--seed', '7'];
const children: ChildProcess[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const redisReady = (port: number) =>
  new Promise<boolean>((resolve) => {
    const sock = new Socket();
    sock.once('error', () => resolve(false));
    sock.connect(port, '127.0.0.1', () => sock.write('PING\r\n'));
    sock.once('data', (d) => {
      sock.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
  });

const exited = (c: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    c.exitCode !== null ? resolve(c.exitCode) : c.once('exit', (code) => resolve(code)),
  );

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('distributed generation on a Redis queue', () => {
  it('parses queue URLs and rejects others clearly', () => {
    expect(parseRedisUrl('redis://example:6380/2')).toMatchObject({ host: 'example', port: 6380, db: 2 });
    expect(() => parseRedisUrl('http://x')).toThrow(/redis:\/\//);
    expect(() => parseRedisUrl('nonsense')).toThrow(/--queue/);
  });

  it.skipIf(noRedis)('two workers, one killed mid-run, build the same dataset as a local run', async () => {
    const root = tempDir();
    const meshes = join(root, 'meshes');
    mkdirSync(meshes);
    for (const copy of ['a', 'b'])
      for (const f of ['box.obj', 'cylinder.stl', 'bracket.ply'])
        copyFileSync(join('examples/meshes', f), join(meshes, `${copy}-${f}`));

    const port = await freePort();
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    children.push(redis);
    await waitUntil(() => redisReady(port), `redis-server to answer PING on port ${port}`, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const url = `redis://127.0.0.1:${port}`;

    // The local reference run is independent of the queued one: it runs beside it.
    const local = join(root, 'local');
    const localRun = generateDataset(meshes, local, {
      seed: 7,
      workers: 1,
      graspsPerObject: 12,
      imagesPerPose: 2,
      robustSamples: 4,
    });

    const out = join(root, 'queued');
    const coordinator = spawn(
      process.execPath,
      ['bin/dexnet.js', 'generate', meshes, '--out', out, '--queue', url, ...SMALL],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let coordinatorErr = '';
    coordinator.stderr!.on('data', (d) => (coordinatorErr += d));
    children.push(coordinator);
    const worker = () =>
      spawn(process.execPath, ['bin/dexnet.js', 'worker', '--queue', url, '--lock-ms', '1000'], { stdio: 'ignore' });
    const a = worker(),
      b = worker();
    children.push(a, b);

    // Kill worker A without warning once the run is under way; its job must be handed to B.
    await within(firstPartFinished(out, exited(coordinator)), 'the first finished part of the queued run', 120_000);
    a.kill('SIGKILL');
    expect(await within(exited(coordinator), 'the coordinator to finish the queued run', 240_000)).toBe(0);
    expect(coordinatorErr).not.toMatch(/Error/);
    b.kill('SIGTERM');
    expect(await within(exited(b), 'worker B to exit on SIGTERM', 60_000)).toBe(0);
    await within(localRun, 'the local reference run', 240_000);
    expect(datasetDigest(out)).toEqual(datasetDigest(local));
  });
});
