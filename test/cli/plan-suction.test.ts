// `dexnet plan --gripper suction` and the service's `gripper`: a suction model (random weights, saved here) plans a cup
// on the example object and draws it; --explain, --min-q and minQ work as for the jaws; a model of the other kind, an
// unknown gripper and a missing bundled suction model are one-line errors.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_SUCTION_MODEL_DIR } from '../../src/model/bundled-model.js';
import { saveModel } from '../../src/model/model-io.js';
import { randomSuctionModel } from '../helpers/suction-scenes.js';
import { readPng } from '../../src/image/png.js';
import type { DexnetServer } from '../../src/server/app.js';
import { exampleForm, exampleJson, postForm, postJson, SCENE, startTestServer } from '../server/server-helpers.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('plan-suction');

const scene = [`${SCENE}/depth.npy`, '--intrinsics', `${SCENE}/camera.intr`, '--segmask', `${SCENE}/segmask.png`];
function dexnet(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/dexnet.js', 'plan', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let model: string;
let jawServer: DexnetServer;
let suctionServer: DexnetServer;
beforeAll(async () => {
  dir = tempDir();
  model = join(dir, 'suction-model');
  // Random weights: these tests check plumbing, checks and errors, not grasp quality.
  await saveModel(model, randomSuctionModel(1));
  [jawServer, suctionServer] = await Promise.all([startTestServer(), startTestServer({ modelDir: model })]);
});
afterAll(async () => {
  await Promise.all([jawServer?.close(), suctionServer?.close()]);
});

describe('dexnet plan --gripper suction', () => {
  it('plans a cup on the object within 30° of the optical axis, as JSON and drawn', () => {
    const png = join(dir, 'suction.png');
    const r = dexnet(...scene, '--model', model, '--gripper', 'suction', '--json', '--png', png, '--top-k', '2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.gripper).toBe('suction');
    expect(out.suction.approach).toHaveLength(3);
    expect(out.suction.approach[2]).toBeGreaterThanOrEqual(Math.cos(Math.PI / 6) - 1e-9);
    expect(out.plausibility).toMatchObject({ plausible: true, reason: null });
    expect(out.plausibility.flatness).toBeLessThanOrEqual(0.003);
    const mask = readPng(readFileSync(`${SCENE}/segmask.png`), 'mask');
    expect(mask.data[Math.round(out.center.y) * mask.width + Math.round(out.center.x)]).not.toBe(0);
    expect(readPng(readFileSync(png), png).width).toBe(mask.width);
  });

  it('--explain prints the suction checks; --min-q above the best q exits 2 with that q', () => {
    const args = [...scene, '--model', model, '--gripper', 'suction', '--policy', 'ranking'];
    const text = dexnet(...args, '--explain');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/best suction grasp \(ranking/);
    expect(text.stdout).toMatch(/#1 plausible: footprint seen and flat, the cup reaches it; footprint [0-9.]+ mm/);
    expect(text.stdout).toMatch(/best candidates by q:\n {2}q [0-9.]+ centre \(.*\) approach \(/);
    const best = JSON.parse(dexnet(...args, '--json').stdout).q as number;
    const above = dexnet(...args, '--min-q', String(Math.min(1, best + 0.001)));
    expect(above.code).toBe(2);
    expect(above.stderr).toMatch(new RegExp(`the best plausible grasp has q ${best.toFixed(3)}`));
  });

  it('refuses a jaw model, an unknown gripper, and (when none is installed) the missing bundled suction model', () => {
    const jaw = dexnet(...scene, '--gripper', 'suction', '--model', 'models/gqcnn-compact');
    expect(jaw.code).toBe(1);
    expect(jaw.stderr).toMatch(/takes 1 pose input\(s\); suction planning needs a suction model/);
    const magnet = dexnet(...scene, '--gripper', 'magnet');
    expect(magnet.code).toBe(1);
    expect(magnet.stderr).toMatch(/--gripper must be one of parallel-jaw, suction, both, got "magnet"/);
    const bundled = dexnet(...scene, '--gripper', 'suction', '--json');
    if (existsSync(join(BUNDLED_SUCTION_MODEL_DIR, 'config.json'))) expect(bundled.code).toBe(0);
    else {
      expect(bundled.code).toBe(1);
      expect(bundled.stderr.trim().split('\n')).toHaveLength(1);
      expect(bundled.stderr).toMatch(/no bundled suction model .*give --model <dir>/);
    }
  });
});

describe('POST /v1/plan with gripper', () => {
  it("plans suction on a suction service (the served model's kind is the default), as JSON and as a form", async () => {
    for (const body of [exampleJson({ gripper: 'suction' }), exampleJson()]) {
      const r = await postJson(suctionServer.url, body);
      expect(r.status).toBe(200);
      expect(r.json.gripper).toBe('suction');
      expect(r.json.suction.cupRadius).toBe(0.0075);
      expect(r.json.plausibility.plausible).toBe(true);
    }
    const form = await postForm(suctionServer.url, [...exampleForm(), ['gripper', 'suction'], ['policy', 'ranking']]);
    expect(form.status).toBe(200);
    expect(form.json.policy).toBe('ranking');
    expect(form.json.suction.approach).toHaveLength(3);
    const over = await postJson(suctionServer.url, exampleJson({ minQ: Math.min(1, form.json.q + 0.5) }));
    expect(over.status).toBe(422);
    expect(over.json.field).toBe('minQ');
  });

  it('answers 400 on gripper for a kind the served model cannot plan, and for an unknown one', async () => {
    const jaw = await postJson(jawServer.url, exampleJson({ gripper: 'suction' }));
    expect(jaw.status).toBe(400);
    expect(jaw.json).toEqual({
      error: expect.stringMatching(/^gripper: the served model .*suction model/),
      field: 'gripper',
    });
    const other = await postJson(suctionServer.url, exampleJson({ gripper: 'parallel-jaw' }));
    expect(other.status).toBe(400);
    expect(other.json.field).toBe('gripper');
    const magnet = await postJson(jawServer.url, exampleJson({ gripper: 'magnet' }));
    expect(magnet.status).toBe(400);
    expect(magnet.json.field).toBe('gripper');
  });
});
