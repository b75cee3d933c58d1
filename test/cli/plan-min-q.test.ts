// `dexnet plan --min-q` (exit 2 below it), `--explain` (the plausibility checks), `--robust-selection`, and the
// service's `minQ` (422).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DexnetServer } from '../../src/server/app.js';
import { exampleForm, exampleJson, postForm, postJson, SCENE, startTestServer } from '../server/server-helpers.js';

const args = [
  `${SCENE}/depth.npy`,
  '--intrinsics',
  `${SCENE}/camera.intr`,
  '--segmask',
  `${SCENE}/segmask.png`,
  '--policy',
  'ranking',
];
function dexnet(...extra: string[]) {
  const r = spawnSync(process.execPath, ['bin/dexnet.js', 'plan', ...args, ...extra], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let server: DexnetServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('dexnet plan --min-q and --explain', () => {
  const best = JSON.parse(dexnet('--json').stdout) as { q: number };

  it('exits 2 with the best q in the message when no grasp reaches --min-q, and plans as before below it', () => {
    expect(best.q).toBeLessThan(0.999);
    const above = dexnet('--json', '--min-q', String(Math.min(1, best.q + 0.001)));
    expect(above.code).toBe(2);
    expect(above.stdout).toBe('');
    const message = `no grasp with q ≥ [0-9.]+: the best plausible grasp has q ${best.q.toFixed(3)}`;
    expect(above.stderr).toMatch(new RegExp(message));
    expect(above.stderr.trim().split('\n')).toHaveLength(1);
    const below = dexnet('--json', '--min-q', String(Math.max(0, best.q - 0.001)));
    expect(below.code).toBe(0);
    expect(JSON.parse(below.stdout).q).toBe(best.q);
    const bad = dexnet('--min-q', '1.5');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--min-q must be a number in \[0, 1\], got "1.5"/);
  });

  it('--robust-selection re-scores up to the 16 best plausible under 12 perturbations and returns a mean; off by default', () => {
    const plain = JSON.parse(dexnet('--json').stdout) as { q: number; scoredCount: number };
    const robust = JSON.parse(dexnet('--json', '--robust-selection').stdout) as { q: number; scoredCount: number };
    expect(plain.scoredCount).toBe(100);
    // Only the plausible candidates are re-scored, at most 16 of them (9 on this scene).
    const rescored = (robust.scoredCount - 100) / 12;
    expect(Number.isInteger(rescored) && rescored >= 1 && rescored <= 16).toBe(true);
    expect(robust.q).not.toBe(plain.q);
  });

  it("--explain prints each grasp's check and the best candidates; the JSON carries the same checks", () => {
    const text = dexnet('--explain');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/#1 plausible: fingers clear, jaws engage; jaws [0-9.]+ mm below the object's top/);
    expect(text.stdout).toMatch(/best candidates by q:/);
    const json = JSON.parse(dexnet('--json', '--explain', '--top-k', '3').stdout);
    for (const g of json.grasps) {
      expect(g.plausibility.plausible).toBe(true);
      expect(g.plausibility.engagement).toBeGreaterThanOrEqual(0.005);
    }
    expect(json.candidates.length).toBeGreaterThan(0);
    // Candidates are listed best first, and the best plausible one is the returned grasp or below it in q.
    for (let i = 1; i < json.candidates.length; i++)
      expect(json.candidates[i].q).toBeLessThanOrEqual(json.candidates[i - 1].q);
    for (const c of json.candidates) expect(typeof c.plausibility.plausible).toBe('boolean');
  });
});

describe('POST /v1/plan with minQ', () => {
  it('answers 422 on minQ when no grasp reaches it, as JSON and as a form field, and 400 outside [0, 1]', async () => {
    const ok = await postJson(server.url, exampleJson());
    expect(ok.status).toBe(200);
    const q = ok.json.q as number;
    expect(q).toBeLessThan(0.999);
    const over = await postJson(server.url, exampleJson({ minQ: Math.min(1, q + 0.001) }));
    expect(over.status).toBe(422);
    const error = expect.stringMatching(/no grasp with q ≥ .*best plausible grasp has q/);
    expect(over.json).toEqual({ error, field: 'minQ' });
    expect((await postJson(server.url, exampleJson({ minQ: q - 0.001 }))).status).toBe(200);
    const form = await postForm(server.url, [...exampleForm(), ['minQ', String(Math.min(1, q + 0.001))]]);
    expect(form.status).toBe(422);
    expect(form.json.field).toBe('minQ');
    const bad = await postJson(server.url, exampleJson({ minQ: 2 }));
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('minQ');
  });
});
