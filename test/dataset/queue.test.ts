import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/dataset/generate.js';
import { parseRedisUrl } from '../../src/dataset/queue.js';
import { datasetDigest, firstPartFinished } from './dataset-helpers.js';

// A real redis-server (Debian package; .ci/run installs it). Without one the test says so and skips.
const redisServer = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
const SMALL = ['--grasps-per-object', '12', '--images-per-pose', '2', '--samples', '4', '--seed', '7'];
const children: ChildProcess[] = [];

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => resolve(port));
  });
});

const redisReady = (port: number) => new Promise<boolean>((resolve) => {
  const sock = new Socket();
  sock.once('error', () => resolve(false));
  sock.connect(port, '127.0.0.1', () => sock.write('PING\r\n'));
  sock.once('data', (d) => { sock.destroy(); resolve(d.toString().startsWith('+PONG')); });
});

const exited = (c: ChildProcess) => new Promise<number | null>((resolve) => (c.exitCode !== null ? resolve(c.exitCode) : c.once('exit', (code) => resolve(code))));

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('distributed generation on a Redis queue', () => {
  it('parses queue URLs and rejects others clearly', () => {
    expect(parseRedisUrl('redis://example:6380/2')).toMatchObject({ host: 'example', port: 6380, db: 2 });
    expect(() => parseRedisUrl('http://x')).toThrow(/redis:\/\//);
    expect(() => parseRedisUrl('nonsense')).toThrow(/--queue/);
  });

  it.skipIf(!redisServer)('two workers, one killed mid-run, build the same dataset as a local run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dexnet-queue-'));
    const meshes = join(root, 'meshes');
    mkdirSync(meshes);
    for (const copy of ['a', 'b'])
      for (const f of ['box.obj', 'cylinder.stl', 'bracket.ply']) copyFileSync(join('examples/meshes', f), join(meshes, `${copy}-${f}`));

    const port = await freePort();
    const redis = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    children.push(redis);
    for (let i = 0; i < 100 && !(await redisReady(port)); i++) await new Promise((r) => setTimeout(r, 50));
    const url = `redis://127.0.0.1:${port}`;

    const out = join(root, 'queued');
    const coordinator = spawn(process.execPath, ['bin/dexnet.js', 'generate', meshes, '--out', out, '--queue', url, ...SMALL], { stdio: ['ignore', 'ignore', 'pipe'] });
    let coordinatorErr = '';
    coordinator.stderr!.on('data', (d) => (coordinatorErr += d));
    children.push(coordinator);
    const worker = () => spawn(process.execPath, ['bin/dexnet.js', 'worker', '--queue', url, '--lock-ms', '1000'], { stdio: 'ignore' });
    const a = worker(), b = worker();
    children.push(a, b);

    // Kill worker A without warning once the run is under way; its job must be handed to B.
    await firstPartFinished(out, exited(coordinator));
    a.kill('SIGKILL');
    expect(await exited(coordinator)).toBe(0);
    expect(coordinatorErr).not.toMatch(/Error/);
    b.kill('SIGTERM');
    expect(await exited(b)).toBe(0);

    const local = join(root, 'local');
    await generateDataset(meshes, local, { seed: 7, workers: 1, graspsPerObject: 12, imagesPerPose: 2, robustSamples: 4 });
    expect(datasetDigest(out)).toEqual(datasetDigest(local));
  });
});
