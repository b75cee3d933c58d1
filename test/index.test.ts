import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The package as a user imports it: by name, through package.json's `exports` (resolved to dist/, which `npm test`
// builds before vitest starts). Node resolves a package's own name from inside it, so no install is needed.
const dir = mkdtempSync(join(tmpdir(), 'dexnet-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A resolve hook that refuses MuJoCo, bullmq and fastify: importing the library must not load them.
writeFileSync(
  join(dir, 'hooks.mjs'),
  `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (/\\/node_modules\\/(fastify|bullmq|mujoco-js)\\//.test(result.url)) throw new Error('loaded ' + result.url);
  return result;
}\n`,
);
writeFileSync(
  join(dir, 'register.mjs'),
  `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
);

function node(code: string, guarded = false) {
  const args = [
    ...(guarded ? ['--import', pathToFileURL(join(dir, 'register.mjs')).href] : []),
    '--input-type=module',
    '-e',
    code,
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("import 'dexnet-ts'", () => {
  it('exports the planner, the bundled model, the analytic engine, evaluation, objects and the server', () => {
    const names = [
      'plan',
      'GqcnnPredictor',
      'BUNDLED_MODEL_DIR',
      'loadBundledPredictor',
      'trainModel',
      'generateDataset',
      'ferrariCanny',
      'forceClosure',
      'GraspableObject',
      'runEvaluation',
      'loadTrialObjects',
      'generateObjects',
      'generateHeaps',
      'dropHeap',
      'renderScene',
      'applyStructuredLight',
      'startServer',
      'UserInputError',
      'PlanInputError',
    ];
    const r = node(`const m = await import('dexnet-ts');
console.log(JSON.stringify({ missing: ${JSON.stringify(names)}.filter((n) => m[n] === undefined), dir: m.BUNDLED_MODEL_DIR }));`);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { missing: string[]; dir: string };
    expect(out.missing).toEqual([]);
    expect(existsSync(join(out.dir, 'model.onnx'))).toBe(true);
    expect(existsSync(join(out.dir, 'fc', 'model.onnx'))).toBe(true);
  });

  it('loads neither MuJoCo, bullmq nor fastify until they are used', () => {
    const control = node(`await import('fastify');`, true);
    expect(control.code).not.toBe(0);
    expect(control.stderr).toMatch(/loaded .*fastify/);
    const r = node(`const m = await import('dexnet-ts'); console.log(typeof m.startServer);`, true);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('function');
  });

  it('exposes only the entry and package.json, not the files of dist/', () => {
    expect(node(`await import('dexnet-ts/package.json', { with: { type: 'json' } });`).code).toBe(0);
    const deep = node(`await import('dexnet-ts/dist/model/predictor.js');`);
    expect(deep.code).not.toBe(0);
    expect(deep.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
