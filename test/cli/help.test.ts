import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// Runs the real `dexnet` binary (dist/ is built by `npm test` before vitest starts).
const run = promisify(execFile);
const COMMANDS = [
  'plan',
  'poses',
  'grasps',
  'objects',
  'generate',
  'heaps',
  'worker',
  'train',
  'validate',
  'evaluate',
  'calibrate',
  'serve',
  'view',
];
const helps = new Map<string, string>();

beforeAll(async () => {
  const texts = await Promise.all(
    COMMANDS.map((c) => run(process.execPath, ['bin/dexnet.js', c, '--help'], { encoding: 'utf8', timeout: 120_000 })),
  );
  // commander wraps long lines; join them so a default split over two lines still reads as one.
  for (const [i, c] of COMMANDS.entries()) helps.set(c, texts[i].stdout.replace(/\n\s+/g, ' '));
}, 180_000);

describe('dexnet help text', () => {
  it('names each default once, in words, never as JSON or a machine path', () => {
    for (const [command, text] of helps) {
      for (const option of text.split(/\s(?=--?[a-z])/)) {
        expect(option.match(/default/g)?.length ?? 0, `${command}: ${option}`).toBeLessThanOrEqual(1);
        expect(option, `${command}: ${option}`).not.toMatch(/\(default: \[/);
        expect(option, `${command}: ${option}`).not.toMatch(/\(default: "?\//);
      }
    }
  });

  it('train --arch names the default architecture; evaluate --policy says "all"', () => {
    expect(helps.get('train')).toMatch(
      /--arch <preset\|file\.json>\s.*\(default: compact-depth-sub, or compact-suction/,
    );
    expect(helps.get('evaluate')).toMatch(/--policy <list>\s.*\(default: all\)/);
    expect(helps.get('generate')).toMatch(/--workers <w>\s+worker threads \(default: one per core\)/);
  });
});
