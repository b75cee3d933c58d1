// Thousands of seeded hostile inputs straight into the readers and the plan-input checks: every one that must be
// refused is refused with a UserInputError of one line naming its source in the project's words, every valid
// variant decodes to what it encodes, and nothing else is ever thrown. The same cases feed bench/hostile.ts, which
// also times them and tracks memory.
import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import { intrinsicsFromJson, parseIntrinsics } from '../../src/geometry/camera-intrinsics.js';
import { meshProblem } from '../../src/geometry/mesh-checks.js';
import { parseMesh } from '../../src/geometry/mesh-io/index.js';
import { decodeDepth } from '../../src/image/depth-io.js';
import { readMaskPng } from '../../src/image/png.js';
import { GqcnnPredictor } from '../../src/model/predictor.js';
import { plan, POLICIES } from '../../src/policy/plan.js';
import { checkPlanInputs } from '../../src/policy/plan-io.js';
import {
  depthCases,
  intrinsicsCases,
  LIBRARY_WORDING,
  meshCases,
  npyCases,
  pngCases,
  SCENE,
  sceneDepth,
  sceneMillimetres,
  type Verdict,
} from './hostile-inputs.js';

const SEED = 16;

/** Runs `read`; returns 'accepted' or the refusal, and fails the test on anything but a clean refusal. */
function outcome(
  read: () => void,
  source: string,
  isOurs: (e: unknown) => boolean = (e) => e instanceof UserInputError,
): 'accepted' | string {
  try {
    read();
    return 'accepted';
  } catch (e) {
    if (!isOurs(e)) throw new Error(`${source}: not a clean refusal: ${(e as Error)?.stack ?? e}`);
    const message = (e as Error).message;
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).not.toMatch(LIBRARY_WORDING);
    expect(message.startsWith(`${source}: `) || message.startsWith(`${source} `)).toBe(true);
    return message;
  }
}

function tally(results: { name: string; refuse: Verdict; got: string }[]) {
  const wrong = results.filter(
    (r) => (r.refuse === true && r.got === 'accepted') || (r.refuse === false && r.got !== 'accepted'),
  );
  return {
    wrong: wrong.slice(0, 5).map((r) => `${r.name}: ${r.got}`),
    refused: results.filter((r) => r.got !== 'accepted').length,
  };
}

describe('hostile PNG files', () => {
  it('3,000 cases: bit flips, truncations, second IHDRs, bombs, bad Adler-32 and filters are refused; valid variants decode exactly', () => {
    const expected = Float32Array.from(sceneMillimetres(), (v) => v * 0.001);
    const results = pngCases(SEED, 3000).map((c, i) => {
      let decoded: Float32Array | null = null;
      const got = outcome(() => {
        if (i % 2 === 0) decoded = decodeDepth(c.bytes, 'hostile.png', 'png').data;
        else readMaskPng(c.bytes, 'hostile.png');
      }, 'hostile.png');
      if (got === 'accepted' && decoded) expect(decoded).toEqual(expected);
      return { name: c.name, refuse: c.refuse, got };
    });
    const t = tally(results);
    expect(t.wrong).toEqual([]);
    expect(t.refused).toBeGreaterThan(2500);
  }, 60_000);
});

describe('hostile .npy files', () => {
  it('2,000 cases: absurd shapes, dtypes, headers and truncations are refused; what is accepted is a finite depth image', () => {
    const results = npyCases(SEED, 2000).map((c) => {
      const got = outcome(() => {
        const d = decodeDepth(c.bytes, 'hostile.npy', 'npy');
        expect([d.width, d.height]).toEqual([SCENE.width, SCENE.height]);
        for (const v of d.data) if (!(v >= 0 && Number.isFinite(v))) throw new Error(`accepted depth ${v}`);
      }, 'hostile.npy');
      return { name: c.name, refuse: c.refuse, got };
    });
    const t = tally(results);
    expect(t.wrong).toEqual([]);
    expect(t.refused).toBeGreaterThan(1200);
  }, 60_000);
});

describe('implausible depth images and intrinsics', () => {
  it('600 cases: millimetres as metres, 1e30 m, wrong depth scales and impossible cameras are refused before planning', () => {
    const results = depthCases(SEED, 600).map((c) => {
      const got = outcome(
        () => {
          const depth = decodeDepth(c.bytes, 'depth', c.format, { depthScale: c.depthScale });
          checkPlanInputs(depth, intrinsicsFromJson(c.intrinsics, 'intrinsics'), null, {
            intrinsics: 'intrinsics',
            segmask: 'segmask',
          });
        },
        c.name.startsWith('intrinsics') ? 'intrinsics' : 'depth',
      );
      return { name: c.name, refuse: c.refuse, got };
    });
    const t = tally(results);
    expect(t.wrong).toEqual([]);
    // The unit hint: millimetres read as metres say so.
    const mm = results.find((r) => r.name.startsWith('depth × 1000'))!;
    expect(mm.got).toMatch(/looks like millimetres: pass --depth-scale/);
  });

  it('every policy refuses what the others refuse (fc planned on 1e30 m before)', async () => {
    const predictor = await GqcnnPredictor.load('models/gqcnn-compact');
    try {
      const refused = depthCases(SEED + 1, 40).filter(
        (c) =>
          c.refuse === true &&
          c.format === 'npy' &&
          !c.name.startsWith('negative') &&
          !c.name.startsWith('all missing'),
      );
      expect(refused.length).toBeGreaterThan(10);
      for (const c of refused)
        for (const policy of POLICIES) {
          const depth = decodeDepth(c.bytes, 'depth', 'npy');
          const k = intrinsicsFromJson(c.intrinsics, 'intrinsics');
          await expect(plan(depth, k, predictor, { policy }), `${policy} on ${c.name}`).rejects.toBeInstanceOf(
            UserInputError,
          );
        }
    } finally {
      await predictor.release();
    }
  }, 60_000);

  it('1,500 intrinsics files: hostile values in every field are refused, perturbed valid ones accepted', () => {
    const depth = { width: SCENE.width, height: SCENE.height, data: sceneDepth() };
    const results = intrinsicsCases(SEED, 1500).map((c) => {
      const got = outcome(
        () =>
          checkPlanInputs(depth, parseIntrinsics(c.text, 'cam.intr'), null, {
            intrinsics: 'cam.intr',
            segmask: 'mask.png',
          }),
        'cam.intr',
      );
      return { name: c.name, refuse: c.refuse, got };
    });
    expect(tally(results).wrong).toEqual([]);
  }, 30_000);
});

describe('hostile meshes', () => {
  it('1,500 cases: open, inside-out, non-manifold, duplicated, mis-scaled and corrupt meshes are refused in one line', () => {
    // MeshFormatError is the mesh readers' error (not yet a UserInputError subclass everywhere).
    const ours = (e: unknown) => e instanceof UserInputError || (e as Error)?.name === 'MeshFormatError';
    const results = meshCases(SEED, 1500).map((c) => {
      const source = `hostile.${c.format}`;
      const got = outcome(
        () => {
          const problem = meshProblem(parseMesh(c.bytes, c.format, source));
          if (problem) throw new UserInputError(`${source}: ${problem}`);
        },
        source,
        ours,
      );
      return { name: c.name, refuse: c.refuse, got };
    });
    const t = tally(results);
    expect(t.wrong).toEqual([]);
    expect(t.refused).toBeGreaterThan(1000);
  }, 60_000);
});
