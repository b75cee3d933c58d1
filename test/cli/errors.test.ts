import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The real binary (dist/ is built by `npm test` before vitest starts): a user's mistake is one line, and
// DEXNET_DEBUG=1 adds the stack. What it prints for a bug is tested on cliErrorReport (test/core/user-input-errors).
const dir = mkdtempSync(join(tmpdir(), 'dexnet-cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dexnet(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/dexnet.js', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DEXNET_DEBUG: '', ...env },
  });
  return { code: r.status, stderr: r.stderr };
}

describe('dexnet error output', () => {
  const notADataset = join(dir, 'empty');
  const nullConfig = join(dir, 'null-config');

  it('one line naming the file for bad input, the stack as well with DEXNET_DEBUG=1', () => {
    const train = ['train', notADataset, '--out', join(dir, 'model')];
    const plain = dexnet(train);
    expect(plain.code).toBe(1);
    expect(plain.stderr.trim().split('\n')).toEqual([`dexnet: ${notADataset}: not a dataset (no config.json)`]);
    const debug = dexnet(train, { DEXNET_DEBUG: '1' });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/UserInputError: .*not a dataset.*\n\s+at /);
  });

  it('a bad --object-mass names the flag and what it takes before any mesh is read', () => {
    const r = dexnet([
      'generate',
      notADataset,
      '--out',
      join(dir, 'ds'),
      '--gripper',
      'suction',
      '--object-mass',
      '2kg',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--object-mass: expected a mass in kg .* or density:<kg\/m³> .*, got "2kg"/);
  });

  it('a folder whose config.json is not an object is a user error, not a crash', () => {
    rmSync(nullConfig, { recursive: true, force: true });
    mkdirSync(nullConfig);
    writeFileSync(join(nullConfig, 'config.json'), 'null');
    const r = dexnet(['view', nullConfig, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `dexnet: ${join(nullConfig, 'config.json')}: must hold a JSON object`,
    ]);
  });
});
