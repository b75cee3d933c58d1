import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Runs the real `dexnet` binary (dist/ is built by `npm test` before vitest starts).
function help(command: string): string {
  const r = spawnSync(process.execPath, ['bin/dexnet.js', command, '--help'], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  // commander wraps long lines; join them so a default split over two lines still reads as one.
  return r.stdout.replace(/\n\s+/g, ' ');
}

const COMMANDS = ['plan', 'poses', 'grasps', 'objects', 'generate', 'worker', 'train', 'evaluate', 'serve', 'view'];

describe('dexnet help text', () => {
  it('names each default once, in words, never as JSON or a machine path', () => {
    for (const command of COMMANDS) {
      const text = help(command);
      for (const option of text.split(/\s(?=--?[a-z])/)) {
        expect(option.match(/default/g)?.length ?? 0, `${command}: ${option}`).toBeLessThanOrEqual(1);
        expect(option, `${command}: ${option}`).not.toMatch(/\(default: \[/);
        expect(option, `${command}: ${option}`).not.toMatch(/\(default: "?\//);
      }
    }
  });

  it('train --arch names the default architecture; evaluate --policy says "all"', () => {
    expect(help('train')).toMatch(/--arch <preset\|file\.json>\s.*\(default: "compact-depth-sub"\)/);
    expect(help('evaluate')).toMatch(/--policy <list>\s.*\(default: all\)/);
    expect(help('generate')).toMatch(/--workers <w>\s+worker threads \(default: one per core\)/);
  });
});
