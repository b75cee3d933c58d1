import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Runs the real `dexnet` binary (dist/ is built by `npm test` before vitest starts).
function dexnet(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/dexnet.js', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dexnet CLI', () => {
  it('--help lists every command', () => {
    const r = dexnet('--help');
    expect(r.code).toBe(0);
    for (const cmd of ['plan', 'poses', 'grasps', 'objects', 'generate', 'worker', 'train']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('poses: a 3 × 3 × 6 cm box rests on its four long sides far more often than on its ends', () => {
    const r = dexnet('poses', 'examples/meshes/box.obj', '--json');
    expect(r.code).toBe(0);
    const { poses } = JSON.parse(r.stdout) as { poses: { probability: number; facetNormal: number[]; rotation: number[][] }[] };
    expect(poses).toHaveLength(6);
    expect(poses.reduce((s, p) => s + p.probability, 0)).toBeCloseTo(1, 9);
    // Exact quasi-static values for a 1:1:2 box: asin(2/3)/π per long side, asin(1/3)/π... per end (see stable-poses tests).
    expect(poses[0].probability).toBeGreaterThan(poses[5].probability * 3);
    expect(poses[0].rotation).toHaveLength(3);
  });

  it('poses --min-probability drops unlikely poses', () => {
    const r = dexnet('poses', 'examples/meshes/box.obj', '--json', '--min-probability', '0.1');
    expect(JSON.parse(r.stdout).poses).toHaveLength(4);
  });

  it('grasps: same seed, same ranked grasps, each fully labelled', () => {
    const a = dexnet('grasps', 'examples/meshes/bracket.ply', '--count', '6', '--samples', '5', '--seed', '3', '--json');
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const b = dexnet('grasps', 'examples/meshes/bracket.ply', '--count', '6', '--samples', '5', '--seed', '3', '--json');
    expect(b.stdout).toBe(a.stdout);
    const { grasps } = JSON.parse(a.stdout) as { grasps: Record<string, unknown>[] };
    expect(grasps.length).toBeGreaterThan(0);
    for (const g of grasps)
      for (const key of ['center', 'axis', 'width', 'forceClosure', 'ferrariCanny', 'robustFerrariCanny', 'collisionFree']) expect(g).toHaveProperty(key);
    const robust = grasps.map((g) => g.robustFerrariCanny as number);
    expect([...robust].sort((x, y) => y - x)).toEqual(robust);
  });

  it('bad input is one clear line naming the file, never a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dexnet-cli-'));
    const broken = join(dir, 'broken.stl');
    writeFileSync(broken, 'solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 nope\n');
    for (const args of [['poses', broken], ['grasps', join(dir, 'missing.obj')], ['poses', join(dir, 'mesh.xyz')]]) {
      const r = dexnet(...args);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(args[1]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const bad = dexnet('grasps', 'examples/meshes/box.obj', '--count', 'lots');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--count must be an integer/);
  });
});
