import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BinReport } from '../../src/evaluate/bin-report.js';
import { BUNDLED_HEAP_MODEL_DIRS } from '../../src/model/bundled-model.js';
import { modelDigest } from '../../src/model/model-io.js';
import { dexnet } from '../helpers/dexnet.js';
import { tempDirs } from '../helpers/temp-dir.js';

const root = tempDirs('evaluate-heap')();
const meshDir = join(root, 'meshes');
const env = { ...process.env, DEXNET_DEBUG: '' };

beforeAll(() => {
  mkdirSync(meshDir);
  for (const f of ['box.obj', 'cylinder.stl']) copyFileSync(join('examples/meshes', f), join(meshDir, f));
});

describe('dexnet evaluate --scene heap', () => {
  it('clears heaps and writes report.json, report.html and a picture per attempt; progress goes to stderr', async () => {
    const out = join(root, 'run');
    const r = await dexnet(
      ['evaluate', meshDir, '--scene', 'heap', '--episodes', '1', '--objects', '2', '--no-pickable'].concat([
        '--seed',
        '3',
        '--out',
        out,
        '--json',
      ]),
      { env, timeoutMs: 120_000 },
    );
    expect(r.stderr).toMatch(/heap 0 parallel-jaw #0: /);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { grippers: BinReport['grippers']; motionSeconds: number };
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as BinReport;
    expect(report.format).toBe('dexnet-bin-report');
    // The model that planned is named by its weights' digest (what `dexnet calibrate` checks).
    expect(report.meta.modelDigest).toBe(await modelDigest(BUNDLED_HEAP_MODEL_DIRS['parallel-jaw']));
    expect(report.meta.suctionModelDigest).toBeUndefined();
    expect(printed.grippers).toEqual(report.grippers);
    expect(printed.motionSeconds).toBe(8);
    const [g] = report.grippers;
    expect(g.gripper).toBe('parallel-jaw');
    expect(g.attempts).toBe(report.episodes[0].attempts.length);
    for (const a of report.episodes[0].attempts) expect(existsSync(join(out, a.image!))).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<figure /g)?.length).toBe(g.attempts);
  }, 150_000);

  it('refuses an ambidextrous gripper for single-object trials and a gripper it does not know, in one line', async () => {
    const both = await dexnet(['evaluate', meshDir, '--gripper', 'both', '--trials', '1'], { env });
    expect(both.code).not.toBe(0);
    expect(both.stderr.trim().split('\n')).toHaveLength(1);
    expect(both.stderr).toMatch(/--gripper: --scene object takes one gripper/);
    const bad = await dexnet(['evaluate', meshDir, '--scene', 'heap', '--gripper', 'jaws'], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--gripper must be a comma list of parallel-jaw, suction, both, got "jaws"/);
  }, 60_000);
});
