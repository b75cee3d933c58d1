import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README's first command, run in the checkout itself: it must say where the picture went and leave `git status`
// as it was. (Running it elsewhere writes grasp.png in that directory: test/cli/plan.test.ts.)
const root = process.cwd();
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });

describe('dexnet plan --example in a checkout', () => {
  it('prints the PNG path, and the PNG it writes is not a change to the repository', () => {
    const png = join(root, 'grasp.png');
    const existed = existsSync(png);
    const before = git('status', '--porcelain');
    try {
      const r = spawnSync(process.execPath, ['bin/dexnet.js', 'plan', '--example', '--policy', 'ranking'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`drawn on ${png}\n`);
      expect(existsSync(png)).toBe(true);
      expect(git('ls-files', '--', 'grasp.png')).toBe('');
      expect(git('status', '--porcelain', '--', 'grasp.png')).toBe('');
      expect(git('status', '--porcelain')).toBe(before);
    } finally {
      if (!existed) rmSync(png, { force: true });
    }
  });
});
