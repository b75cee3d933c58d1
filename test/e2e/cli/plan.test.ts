// `dexnet plan` as a process: JSON and PNG output, determinism, --example, exit codes, one-line errors.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../src/image/npy.js';
import { encodeMaskPng, readPng } from '../../../src/image/png.js';
import { GQCNN_COMPACT, initParameters } from '../../../src/model/architecture.js';
import { saveModel } from '../../../src/model/model-io.js';
import { tempDirs } from '../../helpers/temp-dir.js';
import { dexnet } from '../../helpers/dexnet.js';

// A random-weight model: these tests check the command's plumbing and errors, not grasp quality.
const tempDir = tempDirs('plan');
const dir = tempDir();
const model = join(dir, 'model');
const scene = 'examples/scene';

beforeAll(async () => {
  await saveModel(model, {
    arch: GQCNN_COMPACT,
    params: initParameters(GQCNN_COMPACT, 1),
    normalisation: { imMean: 0.7, imStd: 0.03, poseMean: [0.68], poseStd: [0.02] },
    training: {},
    metrics: {},
  });
});

describe('dexnet plan', () => {
  it('plans on a depth image with intrinsics and a segmask, prints JSON and draws a PNG', async () => {
    const png = join(dir, 'out.png');
    const args = [
      'plan',
      `${scene}/depth.npy`,
      '--intrinsics',
      `${scene}/camera.intr`,
      '--segmask',
      `${scene}/segmask.png`,
      '--model',
      model,
      '--policy',
      'ranking',
      '--top-k',
      '3',
      '--json',
    ];
    const [r, again] = await Promise.all([dexnet([...args, '--png', png]), dexnet(args)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of ['center', 'angle', 'depth', 'width', 'q', 'pose', 'policy', 'timeMs'])
      expect(out).toHaveProperty(key);
    expect(out.grasps.length).toBeGreaterThanOrEqual(1);
    expect(out.pose).toHaveLength(16);
    expect(Number.isFinite(out.q)).toBe(true);
    const mask = readPng(readFileSync(`${scene}/segmask.png`), 'mask');
    expect(mask.data[Math.round(out.center.y) * 640 + Math.round(out.center.x)]).not.toBe(0);
    expect(readPng(readFileSync(png), png).width).toBe(640);
    const b = JSON.parse(again.stdout);
    expect({ ...b, timeMs: 0 }).toEqual({ ...out, timeMs: 0 });
  });

  it('--example writes grasp.png in the working directory', async () => {
    const cwd = tempDir();
    const r = await dexnet(['plan', '--example', '--model', model, '--policy', 'ranking'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/best grasp/);
    expect(existsSync(join(cwd, 'grasp.png'))).toBe(true);
  });

  it('an empty segmask is "no valid grasp" with exit code 2', async () => {
    const empty = join(dir, 'empty.png');
    writeFileSync(empty, encodeMaskPng({ width: 640, height: 480, data: new Uint8Array(640 * 480) }));
    const r = await dexnet([
      'plan',
      `${scene}/depth.npy`,
      '--intrinsics',
      `${scene}/camera.intr`,
      '--segmask',
      empty,
      '--model',
      model,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no valid grasp/);
  });

  it('each bad input is one line naming the file and the problem', async () => {
    const zero = join(dir, 'zero.npy');
    writeFileSync(zero, encodeNpy(new Float32Array(640 * 480), [480, 640]));
    const rgb = join(dir, 'rgb.npy');
    writeFileSync(rgb, encodeNpy(new Float32Array(4 * 5 * 3).fill(0.7), [4, 5, 3]));
    const ints = join(dir, 'ints.npy');
    writeFileSync(ints, encodeNpy(new Int32Array(20).fill(700), [4, 5]));
    const truncated = join(dir, 'truncated.npy');
    writeFileSync(truncated, readFileSync(`${scene}/depth.npy`).subarray(0, 5000));
    const small = join(dir, 'small.intr');
    writeFileSync(
      small,
      JSON.stringify({
        _fx: 525,
        _fy: 525,
        _cx: 159.5,
        _cy: 119.5,
        _skew: 0,
        _height: 240,
        _width: 320,
        _frame: 'camera',
      }),
    );
    const badIntr = join(dir, 'bad.intr');
    writeFileSync(badIntr, JSON.stringify({ _fx: -1, _fy: 525, _cx: 1, _cy: 1, _height: 480, _width: 640 }));
    copyFileSync(`${scene}/segmask.png`, join(dir, 'mask.png'));
    const cases: [string[], RegExp][] = [
      [[zero, '--intrinsics', `${scene}/camera.intr`], /zero\.npy: .*(missing|zero)/],
      [[rgb, '--intrinsics', `${scene}/camera.intr`], /rgb\.npy: .*shape/],
      [[ints, '--intrinsics', `${scene}/camera.intr`], /ints\.npy: .*dtype/],
      [[truncated, '--intrinsics', `${scene}/camera.intr`], /truncated\.npy: /],
      [
        [`${scene}/depth.npy`, '--intrinsics', small],
        /small\.intr: for a 320×240 image, but the depth image is 640×480/,
      ],
      [[`${scene}/depth.npy`, '--intrinsics', badIntr], /bad\.intr: .*_fx/],
      [[`${scene}/depth.npy`], /intrinsics/],
      [[`${scene}/depth.npy`, '--intrinsics', `${scene}/camera.intr`, '--model', join(dir, 'nope')], /nope/],
      [[`${scene}/depth.npy`, '--intrinsics', `${scene}/camera.intr`, '--policy', 'magic'], /--policy must be one of/],
      [[`${scene}/depth.npy`, '--intrinsics', `${scene}/camera.intr`, '--workspace', '1,2,3'], /--workspace/],
    ];
    const runs = await Promise.all(
      cases.map(([args]) => dexnet(['plan', ...args, ...(args.includes('--model') ? [] : ['--model', model])])),
    );
    for (const [i, [args, message]] of cases.entries()) {
      const r = runs[i];
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
