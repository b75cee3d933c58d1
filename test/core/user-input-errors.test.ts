import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError, InvalidArgumentError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { cliErrorReport, isUserError } from '../../src/cli/error-report.js';
import { UserInputError } from '../../src/core/errors.js';
import { TensorDatasetReader } from '../../src/dataset/tensor-dataset.js';
import { parseIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { parseMesh } from '../../src/geometry/mesh-io/index.js';
import { createDepthImage, createMask } from '../../src/image/depth-image.js';
import { readDepthFile } from '../../src/image/depth-io.js';
import { decodeNpy } from '../../src/image/npy.js';
import { readPng } from '../../src/image/png.js';
import { GQCNN_COMPACT, initParameters } from '../../src/model/architecture.js';
import { loadCheckpoint } from '../../src/model/checkpoint.js';
import { loadModel } from '../../src/model/model-io.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { plan } from '../../src/policy/plan.js';
import { PlanInputError } from '../../src/policy/plan-io.js';

const dir = mkdtempSync(join(tmpdir(), 'dexnet-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error a call throws (sync or async), or a failure when it throws none. */
async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('every reader of user input throws a UserInputError naming the file', () => {
  const garbage = join(dir, 'garbage.bin');
  writeFileSync(garbage, 'not what anyone expects');
  const cases: [string, () => unknown, RegExp][] = [
    ['mesh', () => parseMesh(new TextEncoder().encode('v 0 0 nope\n'), 'obj', 'bad.obj'), /bad\.obj/],
    ['npy', () => decodeNpy(new Uint8Array(8), 'bad.npy'), /bad\.npy/],
    ['png', () => readPng(new Uint8Array(8), 'bad.png'), /bad\.png/],
    ['depth file', () => readDepthFile(garbage), /garbage\.bin/],
    ['intrinsics', () => parseIntrinsics('{"_fx": -1}', 'bad.intr'), /bad\.intr/],
    ['dataset folder', () => TensorDatasetReader.open(join(dir, 'nope')), /nope: not a dataset/],
    ['model folder', () => loadModel(join(dir, 'nope')), /config\.json/],
    ['checkpoint', () => loadCheckpoint(garbage), /garbage\.bin: not a dexnet-ts checkpoint/],
  ];
  for (const [what, fn, message] of cases)
    it(what, async () => {
      const err = await caught(fn);
      expect(err).toBeInstanceOf(UserInputError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toMatch(/\n/);
    });

  it('plan() rejects inputs that do not fit together with a PlanInputError naming the field', async () => {
    const predictor = await GqcnnPredictor.create({
      arch: GQCNN_COMPACT,
      params: initParameters(GQCNN_COMPACT, 1),
      normalisation: { imMean: 0.7, imStd: 0.03, poseMean: [0.7], poseStd: [0.02] },
      training: {},
      metrics: {},
    });
    try {
      const intrinsics = { fx: 525, fy: 525, cx: 31.5, cy: 23.5, skew: 0, width: 64, height: 48, frame: 'camera' };
      const depth = createDepthImage(64, 48, new Float32Array(64 * 48).fill(0.7));
      const cases: [Promise<unknown>, string][] = [
        [plan(createDepthImage(32, 48, new Float32Array(32 * 48).fill(0.7)), intrinsics, predictor), 'intrinsics'],
        [plan(createDepthImage(64, 48), intrinsics, predictor), 'depth'],
        [plan(depth, intrinsics, predictor, { segmask: createMask(10, 10) }), 'segmask'],
      ];
      for (const [promise, field] of cases) {
        const err = await caught(() => promise);
        expect(err).toBeInstanceOf(PlanInputError);
        expect(err).toBeInstanceOf(UserInputError);
        expect((err as PlanInputError).field).toBe(field);
      }
    } finally {
      await predictor.release();
    }
  });
});

describe('the CLI error report', () => {
  const missing = Object.assign(new Error("ENOENT: no such file or directory, open 'x.npy'"), {
    code: 'ENOENT',
    path: 'x.npy',
  });

  it('is one line for the user’s mistakes: UserInputError and its subclasses, commander errors, missing paths', () => {
    const userErrors = [
      new UserInputError('a.intr: _fx must be positive\n(got -1)', { file: 'a.intr', field: '_fx' }),
      new PlanInputError('segmask is 10×10, the depth image is 64×48', 'segmask'),
      new InvalidArgumentError('--count must be an integer'),
      new CommanderError(1, 'commander.unknownOption', "error: unknown option '--nope'"),
      missing,
    ];
    for (const err of userErrors) {
      expect(isUserError(err)).toBe(true);
      const text = cliErrorReport(err);
      expect(text.split('\n')).toHaveLength(1);
      expect(text).toMatch(/^dexnet: /);
      expect(text).not.toMatch(/\bat /);
    }
  });

  it('shows the stack of anything else (a bug), and of every error with debug on', () => {
    const bug = (() => {
      try {
        return (null as unknown as { x: number }).x;
      } catch (err) {
        return err;
      }
    })();
    expect(isUserError(bug)).toBe(false);
    expect(cliErrorReport(bug)).toMatch(/^dexnet: TypeError: .*\n\s+at /);
    expect(cliErrorReport(new Error('no such thing'))).toMatch(/\n\s+at /);
    expect(isUserError(Object.assign(new Error('EBADF'), { code: 'EBADF' }))).toBe(false);
    expect(cliErrorReport(new UserInputError('bad.obj: empty'), { debug: true })).toMatch(
      /UserInputError: bad\.obj: empty\n\s+at /,
    );
    expect(cliErrorReport(missing, { debug: true })).toMatch(/\n\s+at /);
  });
});
