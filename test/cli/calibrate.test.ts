// `dexnet calibrate`: the executed grasps it reads from each kind of record (bin reports, evaluation reports, a CSV
// pick log), that it refuses a report planned with another model, and that the map it writes is what a plan then
// returns (the real binary on a tiny model folder).
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import { readCalibrationSamples } from '../../src/evaluate/calibration-samples.js';
import { loadModel, modelDigest, saveModel } from '../../src/model/model-io.js';
import { randomJawModel } from '../helpers/jaw-scenes.js';

let dir: string, modelDir: string, digest: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dexnet-calibrate-'));
  modelDir = path.join(dir, 'model');
  await saveModel(modelDir, randomJawModel(4));
  digest = await modelDigest(modelDir);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const write = async (name: string, content: unknown) => {
  const file = path.join(dir, name);
  await fs.writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

/** A bin report of two episodes: jaw attempts at q 0.3 (half held) and 0.9 (all held), cups, and a plan that found none. */
function binReport(meta: Record<string, unknown>) {
  const attempt = (gripper: string | null, q: number | null, success: boolean, networkQ?: number) => ({
    gripper,
    q,
    success,
    ...(networkQ !== undefined ? { networkQ } : {}),
  });
  const jaws = Array.from({ length: 20 }, (_, i) => attempt('parallel-jaw', 0.3, i % 2 === 0));
  // Planned with an earlier calibration: the network's q is what is fitted on.
  const calibrated = Array.from({ length: 20 }, () => attempt('parallel-jaw', 0.97, true, 0.9));
  const cups = Array.from({ length: 7 }, () => attempt('suction', 0.8, false));
  return {
    format: 'dexnet-bin-report',
    version: 1,
    meta,
    grippers: [],
    episodes: [{ attempts: [...jaws, attempt(null, null, false)] }, { attempts: [...calibrated, ...cups] }],
  };
}

describe('readCalibrationSamples', () => {
  it("reads a bin report's executed grasps of one gripper, at the network's q", async () => {
    const file = await write('bin.json', binReport({ modelDigest: digest }));
    const r = await readCalibrationSamples(file, 'parallel-jaw', digest);
    expect(r).toMatchObject({ kind: 'bin report', modelChecked: true });
    expect(r.samples).toHaveLength(40);
    expect(r.samples.filter((s) => s.q === 0.3 && s.success)).toHaveLength(10);
    expect(r.samples.filter((s) => s.q === 0.9 && s.success)).toHaveLength(20);
    // The cups are another model's: its digest is not checked here, and none is recorded.
    const cups = await readCalibrationSamples(file, 'suction', 'ffff');
    expect(cups).toMatchObject({ modelChecked: false });
    expect(cups.samples).toEqual(Array.from({ length: 7 }, () => ({ q: 0.8, success: false })));
  });

  it('reads an evaluation report (physics verdicts, random baseline left out) and a CSV pick log', async () => {
    const trial = (policy: string, q: number, physics: boolean, analytic: boolean) => ({
      policy,
      grasp: { q },
      physics: { success: physics },
      analytic: { success: analytic },
    });
    const report = {
      format: 'dexnet-evaluation-report',
      version: 1,
      meta: { gripper: { kind: 'parallel-jaw' }, modelDigest: digest, physics: true },
      policies: [],
      trials: [trial('cem', 0.7, true, false), trial('random', 0.1, false, false), { policy: 'cem', grasp: null }],
    };
    const file = await write('eval.json', report);
    expect((await readCalibrationSamples(file, 'parallel-jaw', digest)).samples).toEqual([{ q: 0.7, success: true }]);
    const analytic = await write('eval-analytic.json', { ...report, meta: { ...report.meta, physics: false } });
    expect((await readCalibrationSamples(analytic, 'parallel-jaw', digest)).samples).toEqual([
      { q: 0.7, success: false },
    ]);
    const csv = await write('picks.csv', 'time,q,success\n1,0.4,1\n2,0.95,true\n\n3,0.2,false\n');
    expect(await readCalibrationSamples(csv, 'suction', digest)).toEqual({
      kind: 'pick log',
      modelChecked: false,
      samples: [
        { q: 0.4, success: true },
        { q: 0.95, success: true },
        { q: 0.2, success: false },
      ],
    });
  });

  it('refuses another model, another gripper, other files and bad fields with one line naming them', async () => {
    const cases: [unknown, RegExp][] = [
      [
        binReport({ modelDigest: '0123456789abcdef' }),
        /meta\.modelDigest is "0123456789abcdef": the report was planned with another model/,
      ],
      [
        { format: 'dexnet-evaluation-report', meta: { gripper: { kind: 'suction' } }, trials: [] },
        /meta\.gripper\.kind is "suction"/,
      ],
      [{ format: 'something' }, /format is "something": expected a dexnet-bin-report/],
      [
        { format: 'dexnet-bin-report', episodes: [{ attempts: [{ gripper: 'parallel-jaw', q: 2, success: true }] }] },
        /episodes\[0\]\.attempts\[0\]\.q must be a number in \[0, 1\], got 2/,
      ],
      [
        {
          format: 'dexnet-bin-report',
          episodes: [{ attempts: [{ gripper: 'parallel-jaw', q: 0.5, success: 'yes' }] }],
        },
        /success must be true or false/,
      ],
      [{ format: 'dexnet-bin-report', episodes: {} }, /episodes must be a list/],
      ['q,success\n0.5,maybe\n', /line 2: success must be 1, 0, true or false, got "maybe"/],
      ['q,success\nabc,1\n', /line 2: q must be a number in \[0, 1\]/],
      ['when,held\n1,1\n', /line 1 must be a CSV header naming the columns q and success/],
      ['{ not json', /invalid JSON/],
    ];
    for (const [i, [content, message]] of cases.entries()) {
      const file = await write(`bad-${i}.json`, content);
      const err = await readCalibrationSamples(file, 'parallel-jaw', digest).catch((e) => e);
      expect(err, String(message)).toBeInstanceOf(UserInputError);
      expect(err.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
      expect(err.message).toMatch(message);
      expect(err.message).not.toMatch(/\n/);
    }
    expect(
      (await readCalibrationSamples(path.join(dir, 'none.json'), 'suction', digest).catch((e) => e)).message,
    ).toMatch(/none\.json: cannot read the file/);
  });
});

describe('dexnet calibrate', () => {
  const dexnet = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/dexnet.js', 'calibrate', ...args], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('fits the map, writes it into config.json (not on a dry run), and removes it', async () => {
    const file = await write('bin-cli.json', binReport({ modelDigest: digest }));
    const dry = dexnet(file, '--model', modelDir, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const summary = JSON.parse(dry.stdout);
    expect(summary).toMatchObject({ gripper: 'parallel-jaw', grasps: 40, held: 30, digest, written: false });
    [0.3, 0.9].forEach((q, i) => expect(summary.calibration.q[i]).toBeCloseTo(q, 12));
    expect(summary.calibration.p).toEqual([11 / 22, 21 / 22]);
    expect(summary.brierCalibrated).toBeLessThan(summary.brierNetwork);
    expect((await loadModel(modelDir)).calibration).toBeUndefined();

    const real = dexnet(file, '--model', modelDir);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/40 executed grasps, 30 held \(75\.0 %\)/);
    expect(real.stdout).toMatch(/written to/);
    expect((await loadModel(modelDir)).calibration).toMatchObject({ grasps: [20, 20], attempts: 40, sources: [file] });

    expect(dexnet('--model', modelDir, '--remove').code).toBe(0);
    expect((await loadModel(modelDir)).calibration).toBeUndefined();
  });

  it('says in one line why it cannot calibrate', async () => {
    const few = await write('few.csv', 'q,success\n0.5,1\n0.6,0\n');
    const r = dexnet(few, '--model', modelDir);
    expect(r.code).toBe(1);
    const [warning, error] = r.stderr.trim().split('\n');
    expect(warning).toMatch(/few\.csv: pick log names no model digest; taken as planned with/);
    expect(error).toMatch(/^dexnet: 2 executed parallel-jaw grasps in the reports; a calibration needs at least 20/);
    const other = await write('other.json', binReport({ modelDigest: '0000000000000000' }));
    const o = dexnet(other, '--model', modelDir);
    expect(o.code).toBe(1);
    expect(o.stderr.trim().split('\n')).toHaveLength(1);
    expect(o.stderr).toMatch(/planned with another model/);
    const none = dexnet('--model', path.join(dir, 'missing'), few);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/cannot read the model config/);
  });
});
