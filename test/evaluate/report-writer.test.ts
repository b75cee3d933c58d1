import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePng } from '../../src/image/png.js';
import { wilsonInterval } from '../../src/evaluate/confidence-interval.js';
import { summarizeTrials } from '../../src/evaluate/evaluation-report.js';
import type { PhysicsVerdict } from '../../src/physics/lift-and-shake.js';
import { readEvaluationReport, writeEvaluationReport, type TrialRecord } from '../../src/evaluate/report-writer.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A tiny PNG whose pixels encode `k`, so every image is distinct. */
function png(k: number): Uint8Array {
  return encodePng({ width: 2, height: 2, channels: 1, data: Uint8Array.from([k, k + 1, k + 2, k + 3]) });
}

function record(
  trial: number,
  policy: string,
  q: number,
  analytic: boolean,
  physics: boolean,
  withImage = false,
): TrialRecord {
  const verdict: PhysicsVerdict = {
    success: physics,
    reason: physics ? 'lifted' : 'slipped',
    liftedHeight: physics ? 0.1 : 0,
    simSeconds: 2.5,
    wallMs: 40,
  };
  return {
    trial,
    object: `obj<${trial % 3}>`,
    poseIndex: trial % 2,
    policy,
    grasp: { center: { x: 100 + trial, y: 120 }, angle: 0.1 * trial, depth: 0.7, width: 0.05, q },
    planMs: 10 + trial,
    analytic: {
      success: analytic,
      robustEpsilon: analytic ? 0.004 : 0.0005,
      robustEpsilonRaw: analytic ? 0.004 : 0.0005,
      forceClosure: true,
      collisionFree: true,
    },
    physics: verdict,
    ...(withImage ? { failurePng: png(trial) } : {}),
  };
}

/** cem: 10 trials, 8 analytic / 7 physics successes, 1 disagreement each way… see the assertions. */
function syntheticRecords(): TrialRecord[] {
  const records: TrialRecord[] = [];
  for (let t = 0; t < 10; t++) {
    const analytic = t < 8;
    const physics = t < 7 || t === 8;
    records.push(record(t, 'cem', t < 6 ? 0.9 : 0.3, analytic, physics, !(analytic && physics)));
  }
  for (let t = 0; t < 4; t++) records.push(record(t, 'random', 0.5, t === 0, t === 0, t !== 0));
  return records;
}

describe('wilsonInterval', () => {
  it('matches the closed form at 0/10, 10/10 and 5/10', () => {
    const z = 1.959963984540054,
      z2 = z * z;
    expect(wilsonInterval(0, 10)).toEqual([0, expect.closeTo(z2 / 10 / (1 + z2 / 10), 12)]);
    expect(wilsonInterval(0, 10)[1]).toBeCloseTo(0.27753, 5);
    expect(wilsonInterval(10, 10)).toEqual([expect.closeTo(1 / (1 + z2 / 10), 12), 1]);
    expect(wilsonInterval(10, 10)[0]).toBeCloseTo(0.72247, 5);
    const [lo, hi] = wilsonInterval(5, 10);
    expect(lo).toBeCloseTo(0.23659, 5);
    expect(hi).toBeCloseTo(0.76341, 5);
    expect(lo + hi).toBeCloseTo(1, 12);
  });

  it('is [0, 1] without trials and rejects impossible counts', () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    expect(() => wilsonInterval(11, 10)).toThrow(/wilsonInterval: successes/);
    expect(() => wilsonInterval(1.5, 10)).toThrow(/wilsonInterval/);
  });
});

describe('summarizeTrials', () => {
  it('computes success, precision, agreement and disagreements per policy', () => {
    const report = summarizeTrials(syntheticRecords(), { seed: 3 });
    expect(report.policies.map((p) => p.policy)).toEqual(['cem', 'random']);
    const cem = report.policies[0];
    expect(cem.n).toBe(10);
    expect(cem.analytic.success).toMatchObject({ successes: 8, n: 10, rate: 0.8 });
    expect(cem.physics.success).toMatchObject({ successes: 8, n: 10, rate: 0.8 });
    expect(cem.analytic.success.ci95).toEqual(wilsonInterval(8, 10));
    // q > 0.5 on trials 0–5, all of which succeed under both referees.
    expect(cem.analytic.precision).toMatchObject({ successes: 6, n: 6, rate: 1 });
    expect(cem.physics.precision).toMatchObject({ successes: 6, n: 6, rate: 1 });
    expect(cem.agreement).toMatchObject({ successes: 8, n: 10 });
    expect(cem.disagreements.map((d) => [d.trial, d.analytic, d.physics])).toEqual([
      [7, true, false],
      [8, false, true],
    ]);
    expect(cem.meanPlanMs).toBeCloseTo(14.5, 12);
    expect(cem.failures.map((f) => f.trial)).toEqual([7, 8, 9]);
    const random = report.policies[1];
    // No grasp above q = 0.5 (exactly 0.5 does not count): precision is undefined, not 0.
    expect(random.analytic.precision).toEqual({ successes: 0, n: 0, rate: null, ci95: [0, 1] });
    expect(report.meta).toEqual({ seed: 3 });
  });

  it('reports the winnable scenes and the success on them under each referee when trials carry ground truth', () => {
    expect(summarizeTrials(syntheticRecords()).policies[0]!.winnable).toBeNull();
    // Scenes 0–9: ground truth finds robust grasps in the even ones only; cem wins 0–7, so 4 of the 5 winnable.
    const records = syntheticRecords().map((r) => ({
      ...r,
      groundTruth: { sampled: 50, visible: 30, robustVisible: r.trial % 2 === 0 ? 3 : 0 },
    }));
    const cem = summarizeTrials(records).policies[0]!;
    expect(cem.winnable!.scenes).toMatchObject({ successes: 5, n: 10, rate: 0.5 });
    expect(cem.winnable!.analytic).toMatchObject({ successes: 4, n: 5, rate: 0.8 });
    expect(cem.winnable!.analytic.ci95).toEqual(wilsonInterval(4, 5));
    // MuJoCo lifts in trials 0–6 and 8: all 5 winnable ones, trial 8 being the one the analytic referee fails.
    expect(cem.winnable!.physics).toMatchObject({ successes: 5, n: 5, rate: 1 });
    // Reports made before the plausible ground truth was counted have no such figures.
    expect(cem.plausiblyWinnable).toBeUndefined();
  });

  it('reports the plausibly winnable scenes: those with a robust visible grasp the plausibility check passes', () => {
    // Of the winnable even scenes, 0, 4 and 8 have a plausible one: cem wins 0 and 4 under both referees, MuJoCo 8.
    const records = syntheticRecords().map((r) => ({
      ...r,
      groundTruth: {
        sampled: 50,
        visible: 30,
        robustVisible: r.trial % 2 === 0 ? 3 : 0,
        robustPlausible: r.trial % 4 === 0 ? 1 : 0,
      },
    }));
    const cem = summarizeTrials(records).policies[0]!;
    expect(cem.plausiblyWinnable!.scenes).toMatchObject({ successes: 3, n: 10 });
    expect(cem.plausiblyWinnable!.analytic).toMatchObject({ successes: 2, n: 3 });
    expect(cem.plausiblyWinnable!.physics).toMatchObject({ successes: 3, n: 3 });
    expect(cem.winnable!.scenes).toMatchObject({ successes: 5, n: 10 });
  });

  it('rejects a repeated trial of one policy and non-finite numbers', () => {
    expect(() => summarizeTrials([record(1, 'cem', 0.9, true, true), record(1, 'cem', 0.9, true, true)])).toThrow(
      /appears twice/,
    );
    expect(() => summarizeTrials([{ ...record(1, 'cem', 0.9, true, true), planMs: NaN }])).toThrow(
      /planMs must be a finite number/,
    );
  });
});

describe('writeEvaluationReport', () => {
  it('round-trips report.json and embeds every failure image in a self-contained report.html', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dexnet-report-'));
    dirs.push(dir);
    const records = syntheticRecords();
    const written = await writeEvaluationReport(dir, records, {
      title: 'Test run',
      meta: { seed: 3, meshes: 'objects/' },
    });

    const back = await readEvaluationReport(written.jsonPath);
    expect(back).toEqual(JSON.parse(JSON.stringify(summarizeTrials(records, { seed: 3, meshes: 'objects/' }))));
    expect(back.trials).toHaveLength(records.length);
    expect(back.trials[7].physics).toEqual(records[7].physics);

    const html = await readFile(written.htmlPath, 'utf8');
    const withImages = records.filter((r) => r.failurePng);
    expect(withImages.length).toBe(6);
    for (const r of withImages)
      expect(html).toContain(`data:image/png;base64,${Buffer.from(r.failurePng!).toString('base64')}`);
    expect(html).not.toMatch(/src="(?!data:)/); // nothing loaded from outside the file
    expect(html).toContain('obj&lt;1&gt;'); // names are escaped
    expect(html).toContain('<title>Test run</title>');

    // The images are also written beside report.json, named as report.json says, and no temp files are left.
    const files = await readdir(join(dir, 'images'));
    expect(files.sort()).toEqual(withImages.map((r) => `${r.policy}-trial-${r.trial}.png`).sort());
    expect(await readFile(join(dir, back.policies[0].failures[0].image))).toEqual(Buffer.from(records[7].failurePng!));
    expect((await readdir(dir)).sort()).toEqual(['images', 'report.html', 'report.json']);
  });

  it('says what is wrong with a file that is not a report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dexnet-report-'));
    dirs.push(dir);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'other.json'), '{"format":"something"}');
    await expect(readEvaluationReport(join(dir, 'other.json'))).rejects.toThrow(/other\.json: format must be/);
  });
});
