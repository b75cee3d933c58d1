// Plain progress lines for long commands whose stderr is not a terminal: nothing before the interval, then a line
// with cli-progress's tokens filled in (no bar), at most one per interval, and a last line at the end.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlainProgress } from '../../src/cli/progress.js';
import { dexnet } from '../helpers/dexnet.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('progress');

function clocked(intervalSeconds = 30) {
  let t = 1_000_000;
  const lines: string[] = [];
  const bar = new PlainProgress('objects [{bar}] {value}/{total} {percentage}% | {kept} kept | ETA {eta_formatted}', {
    write: (l) => lines.push(l),
    now: () => t,
    intervalSeconds,
  });
  return { bar, lines, advance: (s: number) => (t += s * 1000) };
}

describe('PlainProgress', () => {
  it('a job shorter than the interval prints nothing, even at stop', () => {
    const { bar, lines, advance } = clocked();
    bar.start(10, 0, { kept: 0 });
    for (let i = 1; i <= 10; i++) {
      advance(2);
      bar.update(i, { kept: i });
    }
    bar.stop();
    expect(lines).toEqual([]);
  });

  it('a long job prints a line per interval with the counts, percentage and the time left, and one at the end', () => {
    const { bar, lines, advance } = clocked();
    bar.start(100, 0, { kept: 0 });
    for (let i = 1; i <= 100; i++) {
      advance(1); // one object a second: 100 s in all
      bar.update(i, { kept: i - 1 });
    }
    bar.stop();
    expect(lines).toEqual([
      'objects 30/100 30% | 29 kept | ETA 1m10s',
      'objects 60/100 60% | 59 kept | ETA 40s',
      'objects 90/100 90% | 89 kept | ETA 10s',
      'objects 100/100 100% | 99 kept | ETA 0s',
    ]);
  });

  it('a resumed job counts its rate from where it started; unknown tokens stay as written', () => {
    let t = 0;
    const lines: string[] = [];
    const bar = new PlainProgress('{value}/{total} ETA {eta_formatted} {missing}', {
      write: (l) => lines.push(l),
      now: () => t,
      intervalSeconds: 10,
    });
    t = 5;
    bar.start(1000, 900);
    t = 10_005;
    bar.update(950);
    // 50 in 10 s: 50 left take 10 s more.
    expect(lines).toEqual(['950/1000 ETA 10s {missing}']);
  });

  it('updates before start count from the first update; a stalled job has no ETA', () => {
    const { bar, lines, advance } = clocked(10);
    bar.update(3, { kept: 1 });
    advance(11);
    bar.update(3, { kept: 1 });
    expect(lines).toEqual(['objects 3/0 0% | 1 kept | ETA ?']);
  });
});

describe('a command whose stderr is a pipe', () => {
  it('prints plain progress lines at the interval DEXNET_PROGRESS_SECONDS sets, and its result as before', async () => {
    const out = join(tempDir(), 'objects');
    const r = await dexnet(['objects', '--count', '6', '--out', out], {
      env: { ...process.env, DEXNET_PROGRESS_SECONDS: '0.001' },
    });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^objects \d\/6 \d+% \| [\d.]+\/s \| ETA (\d+s|\?)$/);
    expect(lines.at(-1)).toMatch(/^objects 6\/6 100% .* ETA 0s$/);
    expect(r.stdout).toMatch(/^6 objects .* written to /);
  }, 120_000);
});
