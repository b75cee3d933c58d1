// `dexnet evaluate` end to end: a 6-trial run on held-out procedural objects with both referees, its report files,
// determinism per seed, and its errors.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../helpers/temp-dir.js';
import { dexnet } from '../../helpers/dexnet.js';

const dir = tempDirs('evaluate')();

describe('dexnet evaluate', () => {
  it('runs 6 trials per policy on held-out objects, writes report.json/html, and repeats its first trials per seed', async () => {
    const objects = join(dir, 'objects');
    expect((await dexnet(['objects', '--count', '5', '--seed', '4', '--holdout', '--out', objects])).code).toBe(0);
    const run = (out: string, trials: number, extra: string[] = []) =>
      dexnet(
        [
          'evaluate',
          objects,
          ...['--trials', `${trials}`, '--seed', '2', '--policy', 'random,cem', '--out', out, '--json', ...extra],
        ],
        { timeoutMs: 500_000 },
      );
    // The second run only checks determinism, beside the first: trial i's scene comes from the seed and i alone, so
    // a shorter run with the same seed must repeat the first run's first trials.
    // It also executes each grasp twice more under the robust label's noise, which must leave the verdicts alone.
    // The third judges the same plans with the contacts settled by the squeeze (analytic only); the fourth plans with
    // robust selection.
    const [a, b, c, d] = await Promise.all([
      run(join(dir, 'a'), 6),
      run(join(dir, 'b'), 2, ['--physics-draws', '2']),
      run(join(dir, 'c'), 2, ['--closing', 'settled', '--no-physics']),
      run(join(dir, 'd'), 2, ['--robust-selection', '--no-physics']),
    ]);
    expect(a.code).toBe(0);
    const summary = JSON.parse(a.stdout);
    expect(summary.policies.map((p: { policy: string }) => p.policy)).toEqual(['random', 'cem']);
    for (const p of summary.policies) {
      expect(p.n).toBe(6);
      for (const r of [p.analytic.success, p.physics.success, p.agreement]) {
        expect(r.rate).toBeGreaterThanOrEqual(0);
        expect(r.ci95[0]).toBeLessThanOrEqual(r.rate);
        expect(r.ci95[1]).toBeGreaterThanOrEqual(r.rate);
      }
    }
    const report = JSON.parse(readFileSync(join(dir, 'a', 'report.json'), 'utf8'));
    expect(report.trials).toHaveLength(12);
    // Both policies met the same scenes, so they share one ground truth and one winnable count.
    const [random, cem] = summary.policies;
    expect(random.winnable.scenes).toEqual(cem.winnable.scenes);
    expect(random.winnable.scenes.n).toBe(6);
    for (const t of report.trials) expect(t.groundTruth.robustVisible).toBeLessThanOrEqual(t.groundTruth.visible);
    // Friction is drawn per scene (docs/dex-net-facts.md §1): the same for both policies of a trial, not the same
    // everywhere.
    const mu = new Map<number, number>();
    for (const t of report.trials) {
      expect(t.friction).toBeGreaterThanOrEqual(0);
      expect(t.friction).toBeLessThanOrEqual(1);
      if (mu.has(t.trial)) expect(t.friction).toBe(mu.get(t.trial));
      mu.set(t.trial, t.friction);
    }
    expect(new Set(mu.values()).size).toBe(6);
    const html = readFileSync(join(dir, 'a', 'report.html'), 'utf8');
    for (const t of report.trials.filter((t: { image?: string }) => t.image)) {
      expect(existsSync(join(dir, 'a', t.image))).toBe(true);
      expect(html).toContain(`trial ${t.trial}`);
    }
    // Same seed, same verdicts for the trials both runs made (timings aside).
    expect(b.code).toBe(0);
    const again = JSON.parse(readFileSync(join(dir, 'b', 'report.json'), 'utf8'));
    const verdicts = (r: typeof report) =>
      r.trials.map(
        (t: {
          grasp: unknown;
          analytic: unknown;
          physics: { success: boolean; reason: string; liftedHeight: number };
        }) => [t.grasp, t.analytic, t.physics.success, t.physics.reason, t.physics.liftedHeight],
      );
    expect(again.trials).toHaveLength(4);
    expect(verdicts(again)).toEqual(verdicts({ trials: report.trials.filter((t: { trial: number }) => t.trial < 2) }));
    expect(again.meta.physicsDraws).toBe(2);
    const planned = again.trials.filter((t: { grasp: unknown }) => t.grasp);
    for (const t of planned) expect(t.physicsUnderNoise.draws).toBe(2);
    for (const p of again.policies) {
      const groups = Object.values(p.underNoise) as { trials: number; draws: number }[];
      const mine = planned.filter((t: { policy: string }) => t.policy === p.policy);
      expect(groups.reduce((s, g) => s + g.trials, 0)).toBe(mine.length);
      expect(groups.reduce((s, g) => s + g.draws, 0)).toBe(2 * mine.length);
    }
    expect(readFileSync(join(dir, 'b', 'report.html'), 'utf8')).toContain("Executions under the robust label's noise");
    expect(report.trials[0].physicsUnderNoise).toBeUndefined();
    // Settled closing changes only verdicts whose contacts as placed are not in force closure, and says so.
    expect(c.code).toBe(0);
    const settled = JSON.parse(readFileSync(join(dir, 'c', 'report.json'), 'utf8'));
    expect(settled.meta.closing).toBe('settled');
    for (const [i, t] of settled.trials.entries()) {
      const placed = again.trials[i];
      expect(t.grasp).toEqual(placed.grasp);
      if (!placed.analytic) continue;
      if (placed.analytic.forceClosure) expect(t.analytic).toEqual(placed.analytic);
      else expect(t.analytic.settled).toBeDefined();
      // A gripper colliding on the way in fails however the object settles.
      if (!placed.analytic.collisionFree) expect(t.analytic.success).toBe(false);
    }
    // Robust selection is recorded, leaves the random baseline alone and returns cem's q as a mean of re-scored crops.
    expect(d.code).toBe(0);
    const robust = JSON.parse(readFileSync(join(dir, 'd', 'report.json'), 'utf8'));
    expect(again.meta.robustSelection).toBe(false);
    expect(robust.meta.robustSelection).toBe(true);
    const q = (t: { grasp: { q: number } | null }) => t.grasp?.q;
    const byPolicy = (r: typeof report, policy: string) =>
      r.trials.filter((t: { policy: string }) => t.policy === policy);
    expect(byPolicy(robust, 'random').map(q)).toEqual(byPolicy(again, 'random').map(q));
    const robustCem = byPolicy(robust, 'cem').map(q);
    expect(robustCem.some((v: number | undefined, i: number) => v !== byPolicy(again, 'cem').map(q)[i])).toBe(true);
  }, 600_000);

  it('names what is wrong: no meshes, unknown policy, bad trial count', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'no meshes here');
    const [r, policy, trials] = await Promise.all([
      dexnet(['evaluate', empty, '--trials', '1']),
      dexnet(['evaluate', empty, '--policy', 'greedy']),
      dexnet(['evaluate', empty, '--trials', '0']),
    ]);
    const closing = await dexnet(['evaluate', empty, '--closing', 'sideways']);
    const draws = await dexnet(['evaluate', empty, '--gripper', 'suction', '--physics-draws', '3']);
    expect(draws.code).toBe(1);
    expect(draws.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /--physics-draws: executions under noise need the jaws and the physics referee, not --gripper suction/,
      ),
    ]);
    expect(closing.code).toBe(1);
    expect(closing.stderr).toMatch(/--closing must be one of as-placed, settled, got "sideways"/);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no \.obj, \.stl or \.ply meshes/);
    expect(policy.stderr).toMatch(/--policy must be "all" or a comma list/);
    expect(trials.stderr).toMatch(/--trials must be an integer in \[1/);
  });
});
