import { describe, expect, it } from 'vitest';
import { boxMesh, ellipsoidMesh } from '../../src/geometry/primitives.js';
import { restingFacetPoints } from '../../src/physics/resting-facet.js';
import { restingOnTable } from '../evaluate/scenes.js';

describe('restingFacetPoints', () => {
  it('gives the four bottom corners of a box, whatever its yaw', () => {
    const box = boxMesh(0.04, 0.03, 0.02);
    const t = restingOnTable(box, { yaw: 0.7, x: 0.1 });
    const points = restingFacetPoints(box, t);
    expect(points.length).toBe(12);
    for (let i = 0; i < points.length; i += 3)
      expect(t.applyToPoint([points[i], points[i + 1], points[i + 2]])[2]).toBeCloseTo(0, 9);
  });

  it('gives the corners of the small facet a round object rests on, under its centre of mass', () => {
    const egg = ellipsoidMesh(0.02, 0.02, 0.035, 5);
    const t = restingOnTable(egg);
    const points = restingFacetPoints(egg, t);
    expect(points.length / 3).toBeGreaterThanOrEqual(3);
    expect(points.length / 3).toBeLessThan(8);
    // The centre of mass (object origin, over the table origin) projects inside the facet's outline.
    const xy = Array.from({ length: points.length / 3 }, (_, k) =>
      t.applyToPoint([points[3 * k], points[3 * k + 1], points[3 * k + 2]]),
    );
    const signs = xy.map((a, k) => {
      const b = xy[(k + 1) % xy.length];
      return Math.sign(a[0] * b[1] - a[1] * b[0]);
    });
    expect(new Set(signs).size).toBe(1);
  });
});
