// `dexnet plan --gripper both` and the service's `gripper: "both"` with the bundled jaw and suction models: the answer
// is the better of the two grippers' own plans by q and names its gripper; the pairings that cannot work are one-line
// errors (CLI) or 400 on the field at fault (service).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type DexnetServer } from '../../src/server/app.js';
import { exampleJson, MODEL, postJson, SCENE, startTestServer } from '../server/server-helpers.js';
import { tempDirs } from '../helpers/temp-dir.js';

const SUCTION = 'models/gqcnn-suction';
const tempDir = tempDirs('plan-both');
const scene = [`${SCENE}/depth.npy`, '--intrinsics', `${SCENE}/camera.intr`, '--segmask', `${SCENE}/segmask.png`];
function dexnet(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/dexnet.js', 'plan', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let server: DexnetServer, jawOnly: DexnetServer;
beforeAll(async () => {
  [server, jawOnly] = await Promise.all([startTestServer({ suctionModelDir: SUCTION }), startTestServer()]);
});
afterAll(async () => {
  await Promise.all([server?.close(), jawOnly?.close()]);
});

describe('dexnet plan --gripper both', () => {
  it("returns the higher-q gripper's grasp, names it, and reports each gripper's best q", () => {
    const r = dexnet(...scene, '--gripper', 'both', '--policy', 'ranking', '--json', '--png', join(tempDir(), 'b.png'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.byGripper.map((o: { gripper: string }) => o.gripper)).toEqual(['parallel-jaw', 'suction']);
    const alone = ['parallel-jaw', 'suction'].map((g) =>
      JSON.parse(
        dexnet(
          ...scene,
          '--gripper',
          g,
          '--policy',
          'ranking',
          '--json',
          ...(g === 'suction' ? [] : ['--robust-selection']),
        ).stdout,
      ),
    );
    expect(out.byGripper.map((o: { q: number }) => o.q)).toEqual(alone.map((a) => a.q));
    // --no-robust-selection turns it off beside the cup too: the jaws' q is then the jaw-alone default plan's.
    const plain = JSON.parse(dexnet(...scene, '--gripper', 'parallel-jaw', '--policy', 'ranking', '--json').stdout);
    const off = JSON.parse(
      dexnet(...scene, '--gripper', 'both', '--policy', 'ranking', '--json', '--no-robust-selection').stdout,
    );
    expect(off.byGripper[0].q).toBe(plain.q);
    expect(off.byGripper[0].q).not.toBe(out.byGripper[0].q);
    const best = alone[0].q >= alone[1].q ? alone[0] : alone[1];
    expect(out.q).toBe(best.q);
    expect(out.center).toEqual(best.center);
    expect(out.gripper).toBe(best.gripper ?? 'parallel-jaw');
    expect(out.grasps[0].gripper).toBe(out.gripper);
    expect(out.gripper === 'suction').toBe(out.suction !== undefined);
    const text = dexnet(...scene, '--gripper', 'both', '--policy', 'ranking');
    expect(text.stdout).toMatch(/ {2}parallel-jaw: best q [0-9.]+, \d+ scored, \d+ ms\n {2}suction: best q [0-9.]+/);
  });

  it('refuses --suction-model without both, and a jaw model given as the suction model', () => {
    const alone = dexnet(...scene, '--suction-model', SUCTION);
    expect(alone.code).toBe(1);
    expect(alone.stderr.trim().split('\n')).toHaveLength(1);
    expect(alone.stderr).toMatch(/--suction-model is for --gripper both/);
    const swapped = dexnet(...scene, '--gripper', 'both', '--suction-model', MODEL);
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toMatch(/suction planning needs a suction model/);
  });
});

describe('POST /v1/plan with gripper both', () => {
  it('plans over both grippers on a service with --suction-model, and its suction plans use that model', async () => {
    const r = await postJson(server.url, exampleJson({ gripper: 'both', policy: 'ranking' }));
    expect(r.status).toBe(200);
    expect(r.json.byGripper).toHaveLength(2);
    expect(r.json.q).toBe(Math.max(...r.json.byGripper.map((o: { q: number }) => o.q)));
    expect(r.json.grasps[0].gripper).toBe(r.json.gripper);
    const cup = await postJson(server.url, exampleJson({ gripper: 'suction', policy: 'ranking' }));
    expect(cup.status).toBe(200);
    expect(cup.json.q).toBe(r.json.byGripper[1].q);
    // Beside the cup the jaws plan with robust selection, so their q is a mean, not the jaw-alone plan's single score
    // (the equality with a robust jaw plan is tested in test/policy/ambidextrous.test.ts and above).
    const jaw = await postJson(server.url, exampleJson({ policy: 'ranking' }));
    expect(jaw.status).toBe(200);
    expect(jaw.json.q).not.toBe(r.json.byGripper[0].q);
  });

  it('answers 400 on gripper without a served suction model; refuses a wrong pairing at start-up', async () => {
    const r = await postJson(jawOnly.url, exampleJson({ gripper: 'both' }));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: expect.stringMatching(/^gripper: both needs a suction model/), field: 'gripper' });
    await expect(startServer({ modelDir: MODEL, suctionModelDir: MODEL, port: 0, workers: 1 })).rejects.toThrow(
      /--suction-model needs a suction model \(2 pose inputs, got 1\)/,
    );
  });
});
