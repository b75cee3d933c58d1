// The benchmarks that report a ratio against an earlier commit load that commit's code (bench/previous-version.ts):
// it must keep loading from a fresh clone, whose node_modules hold only today's packages. bench:convex-pieces and
// bench:quality broke that way when quickhull3d left the dependencies.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { importAt, removeCheckouts } from '../../bench/previous-version.js';

/** Each benchmark's default baseline commit and the modules it loads there. */
const BASELINES: Array<[string, string[]]> = [
  ['0ee45d6', ['src/physics/convex-pieces.ts', 'src/physics/lift-and-shake.ts', 'src/physics/mujoco-runtime.ts']],
  ['44359cd', ['src/grasp/parallel-jaw/grasp-labels.ts']],
];

const known = (ref: string): boolean => {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe("benchmarks' baselines", () => {
  afterAll(removeCheckouts);
  for (const [ref, modules] of BASELINES)
    it.runIf(known(ref))(
      `load at ${ref} with today's node_modules`,
      async () => {
        for (const path of modules) expect(Object.keys(await importAt<object>(ref, path)).length).toBeGreaterThan(0);
      },
      120_000,
    );
});
