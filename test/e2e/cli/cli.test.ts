// The `dexnet` binary: start-up without the heavy dependencies, help, the mesh commands and their errors.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../helpers/temp-dir.js';
import { dexnet } from '../../helpers/dexnet.js';

const tempDir = tempDirs('cli');

const COMMANDS = ['plan', 'poses', 'grasps', 'objects', 'generate', 'worker', 'train', 'evaluate', 'serve', 'view'];
// What a command loads only when it runs: ONNX Runtime, MuJoCo, the queue, the web server, the renderer's BVH,
// CSG, canvas, the worker pool, schema validation, metrics.
const HEAVY = [
  'onnxruntime-node',
  'mujoco-js',
  'bullmq',
  'ioredis',
  'fastify',
  '@fastify/static',
  '@fastify/multipart',
  'three',
  'three-mesh-bvh',
  'manifold-3d',
  '@napi-rs/canvas',
  'piscina',
  'zod',
  'prom-client',
  'onnx-proto',
];
const TRACE = new URL('../../helpers/trace-imports.mjs', import.meta.url).pathname;

/** The npm packages a `dexnet` invocation resolved, read from the import trace. */
function packagesIn(trace: string): Set<string> {
  const found = new Set<string>();
  for (const m of trace.matchAll(/node_modules\/((?:@[^/\n]+\/)?[^/\n]+)/g)) found.add(m[1]);
  return found;
}

describe('dexnet CLI', () => {
  it("--version, --help and every command's --help start without loading any command's dependencies", async () => {
    const dir = tempDir();
    const runs = await Promise.all(
      [['--version'], ['--help'], ...COMMANDS.map((c) => [c, '--help'])].map(async (args, i) => {
        const trace = join(dir, `trace-${i}.txt`);
        writeFileSync(trace, '');
        const r = await dexnet(args, {
          nodeArgs: ['--import', TRACE],
          env: { ...process.env, DEXNET_TRACE_IMPORTS: trace },
        });
        return { args, r, packages: packagesIn(readFileSync(trace, 'utf8')) };
      }),
    );
    for (const { args, r, packages } of runs) {
      expect(r.code, args.join(' ')).toBe(0);
      // The trace works: commander itself is seen.
      expect(packages.has('commander'), args.join(' ')).toBe(true);
      expect(
        HEAVY.filter((p) => packages.has(p)),
        args.join(' '),
      ).toEqual([]);
    }
    const [version, help, ...commandHelp] = runs.map((x) => x.r.stdout);
    expect(version.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    for (const cmd of COMMANDS) expect(help).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    for (const [i, cmd] of COMMANDS.entries()) {
      expect(commandHelp[i]).toMatch(new RegExp(`^Usage: dexnet ${cmd}\\b`));
      expect(commandHelp[i]).toMatch(/--/);
    }
  });

  it('poses: a 3 × 3 × 6 cm box rests on its four long sides far more often than on its ends', async () => {
    const [all, likely] = await Promise.all([
      dexnet(['poses', 'examples/meshes/box.obj', '--json']),
      dexnet(['poses', 'examples/meshes/box.obj', '--json', '--min-probability', '0.1']),
    ]);
    expect(all.code).toBe(0);
    const { poses } = JSON.parse(all.stdout) as {
      poses: { probability: number; facetNormal: number[]; rotation: number[][] }[];
    };
    expect(poses).toHaveLength(6);
    expect(poses.reduce((s, p) => s + p.probability, 0)).toBeCloseTo(1, 9);
    // Exact quasi-static values for a 1:1:2 box: asin(2/3)/π per long side, asin(1/3)/π... per end (see stable-poses tests).
    expect(poses[0].probability).toBeGreaterThan(poses[5].probability * 3);
    expect(poses[0].rotation).toHaveLength(3);
    // --min-probability drops the unlikely poses.
    expect(JSON.parse(likely.stdout).poses).toHaveLength(4);
  });

  it('grasps: same seed, same ranked grasps, each fully labelled', async () => {
    const args = ['grasps', 'examples/meshes/bracket.ply', '--count', '6', '--samples', '5', '--seed', '3', '--json'];
    const [a, b] = await Promise.all([dexnet(args), dexnet(args)]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const { grasps } = JSON.parse(a.stdout) as { grasps: Record<string, unknown>[] };
    expect(grasps.length).toBeGreaterThan(0);
    for (const g of grasps)
      for (const key of [
        'center',
        'axis',
        'width',
        'forceClosure',
        'ferrariCanny',
        'robustFerrariCanny',
        'collisionFree',
      ])
        expect(g).toHaveProperty(key);
    const robust = grasps.map((g) => g.robustFerrariCanny as number);
    expect([...robust].sort((x, y) => y - x)).toEqual(robust);
  });

  it('bad input is one clear line naming the file, never a stack trace', async () => {
    const dir = tempDir();
    const broken = join(dir, 'broken.stl');
    writeFileSync(broken, 'solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 nope\n');
    const cases = [
      ['poses', broken],
      ['grasps', join(dir, 'missing.obj')],
      ['poses', join(dir, 'mesh.xyz')],
    ];
    const [bad, ...runs] = await Promise.all([
      dexnet(['grasps', 'examples/meshes/box.obj', '--count', 'lots']),
      ...cases.map((args) => dexnet(args)),
    ]);
    for (const [i, r] of runs.entries()) {
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(cases[i][1]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--count must be an integer/);
  });
});
