// The end-of-import summary: counts, the within-spacing share, time quantiles and grouped reject reasons, checked
// against a manifest whose answers are known by construction.
import { describe, expect, it } from 'vitest';
import type { ImportManifest, ManifestObject, ManifestReject } from '../../src/dataset/import-objects.js';
import { summarizeImport } from '../../src/dataset/import-summary.js';

const object = (id: string, hausdorff: number, seconds: number): ManifestObject =>
  ({ id, source: 's', name: id, hausdorff, seconds }) as ManifestObject;
const reject = (id: string, reason: string, seconds: number): ManifestReject => ({
  id,
  source: 's',
  name: id,
  reason,
  seconds,
});

describe('summarizeImport', () => {
  it('counts kept objects, those within the spacing, time quantiles and reasons', () => {
    const manifest: ImportManifest = {
      format: 'dexnet-import/1',
      scale: 'min:0.04',
      maxTriangles: 20000,
      spacing: 0.001,
      objects: [object('a', 0.0004, 1), object('b', 0.001, 2), object('c', 0.0011, 3), object('d', 0.02, 4)],
      rejects: [
        reject('e', '0.61 m across at min:0.04 (a flat or long object); at most 0.5 m', 5),
        reject('f', '1.30 m across at min:0.04 (a flat or long object); at most 0.5 m', 6),
        reject('g', 'x.obj: unreadable', 0),
        reject('h', "manifold-3d's level set failed (memory access out of bounds)", 7),
        reject('i', 'mesh is degenerate (volume 1.19e-7 m³ for a 0.12 m object)', 1),
        reject('j', 'mesh is degenerate (volume 4.2E+1 m³ for a 3 m object)', 1),
      ],
    };
    const s = summarizeImport(manifest);
    expect(s.objects).toBe(4);
    expect(s.rejected).toBe(6);
    expect(s.keptShare).toBeCloseTo(4 / 10, 12);
    expect(s.withinSpacing).toBe(2);
    expect(s.withinSpacingShare).toBe(0.5);
    // Times 1, 1, 1, 2, …, 7 (the unreadable source's 0 left out): median by nearest rank 3, p90 7.
    expect(s.medianSeconds).toBe(3);
    expect(s.p90Seconds).toBe(7);
    expect(s.rejectReasons).toEqual({
      'N m across at min:N (a flat or long object); at most N m': 2,
      'x.obj: unreadable': 1,
      "manifold-3d's level set failed (memory access out of bounds)": 1,
      'mesh is degenerate (volume N m³ for a N m object)': 2,
    });
  });
});
