import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Committed models and examples ship in the npm package: a path of the machine that made them means nothing
// elsewhere (and names that machine). Every file is read as bytes, so ONNX and PNG metadata are covered too.
const files = execFileSync('git', ['ls-files', '-z', '--', 'models', 'examples'], { encoding: 'utf8' })
  .split('\0')
  .filter(Boolean);

// POSIX roots a generated path starts with, and a Windows drive path with at least one folder (a bare "X:\" shows up by
// chance in binary weights; a drive, a folder name and a second backslash does not).
const ABSOLUTE = /\/(?:work|tmp|home|root|Users|mnt|var|opt|private)\/|\b[A-Za-z]:\\[\w .-]{2,}\\/;

describe('committed files', () => {
  it('the listing is not empty (the check below is not vacuous)', () => {
    expect(files).toContain('models/gqcnn-compact/report.json');
    expect(files).toContain('examples/scene/camera.intr');
  });

  it('no file under models/ or examples/ holds an absolute machine path', () => {
    const offenders = files.filter((f) => ABSOLUTE.test(readFileSync(f).toString('latin1')));
    expect(offenders).toEqual([]);
  });

  it('the pattern catches the paths it is meant to catch', () => {
    // Built from pieces so this file does not itself hold a machine path for repository-wide scans to flag.
    for (const p of ['"/' + 'work/data/ds1200"', '/' + 'tmp/x/', '"/' + 'home/me/ds"', 'C:\\Users\\me\\ds'])
      expect(p).toMatch(ABSOLUTE);
    for (const p of ['"../ds1200"', 'gqcnn-compact/fc', 'ds1200/', 'A:\\;']) expect(p).not.toMatch(ABSOLUTE);
  });
});
