// How close the level set lands to the soup with exact distances near the surface: a thickened sheet at half its
// thickness, a sphere within its closed-form radius, a rotated box within the chamfer of a lattice tetrahedron.
import { describe, expect, it } from 'vitest';
import type { Mesh } from '../../src/geometry/mesh.js';
import { isWatertight, meshVolume, transformMesh } from '../../src/geometry/mesh-properties.js';
import { boxMesh, icosphereMesh } from '../../src/geometry/primitives.js';
import { remeshSolid } from '../../src/geometry/remesh.js';
import { surfaceDistance } from '../../src/geometry/surface-distance.js';
import type { Mat3 } from '../../src/geometry/vector.js';

const H = 0.001;
/** No simplification: the level set itself is judged. */
const RAW = { spacing: H, maxTriangles: 1e9, simplifyTolerance: 1e-12 };

const rotationX = (a: number): Mat3 => [1, 0, 0, 0, Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a)];
const rotationY = (a: number): Mat3 => [Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a)];

describe('remeshSolid with exact distances', () => {
  // A square sheet 3 cm across, tilted about x so lattice edges cross it obliquely (only x stays axis-aligned:
  // a sheet tilted about two axes is voted a wedge, which is another matter).
  const side = 0.03;
  const sheet: Mesh = transformMesh(
    {
      vertices: Float32Array.from([0, 0, 0, side, 0, 0, side, side, 0, 0, side, 0]),
      triangles: Uint32Array.from([0, 1, 2, 0, 2, 3]),
    },
    rotationX(0.37),
    [0, 0, 0],
  );

  it('thickens a sheet to 1.1 spacings: one closed slab of that volume, its faces half the thickness off', async () => {
    const r = await remeshSolid(sheet, RAW);
    expect(isWatertight(r.mesh)).toBe(true);
    expect(r.parts).toBe(1);
    expect(r.sheetShare).toBe(1);
    const t = 1.1 * H;
    expect(r.sheetThickness).toBeCloseTo(t, 12);
    // Slab of area side² and thickness t, plus its rounded rim (about π t²/4 per unit of rim, < 2 %).
    expect(meshVolume(r.mesh) / (side * side * t)).toBeGreaterThan(0.98);
    expect(meshVolume(r.mesh) / (side * side * t)).toBeLessThan(1.06);
    const d = surfaceDistance(r.mesh, sheet, { tolerance: H, samples: 3000, seed: 2 });
    // Distance to a plane is linear along every lattice edge, so the faces lie at t/2 up to float error; the rim
    // is a half-cylinder of radius t/2 cut by chords, which only come closer.
    expect(d.resultToSource).toBeLessThanOrEqual(t / 2 + 0.02 * H);
    expect(d.resultToSource).toBeGreaterThan(t / 2 - 0.02 * H);
    expect(d.sourceToResult).toBe(0);
  });

  it('the same thickness from the trilinear grid field loses material (why that path keeps 1.5 spacings)', async () => {
    const r = await remeshSolid(sheet, { ...RAW, exactDistance: false, sheetThickness: 1.1 * H });
    expect(meshVolume(r.mesh) / (side * side * 1.1 * H)).toBeLessThan(0.9);
  });

  it('puts a sphere within its radius: interpolation error along an edge, the trilinear sign band, facets', async () => {
    const R = 0.012;
    const sphere = icosphereMesh(R, 5);
    const r = await remeshSolid(sphere, RAW);
    expect(isWatertight(r.mesh)).toBe(true);
    // Along a lattice edge (≤ h) the distance to the sphere has second derivative ≤ 1/(R − h): linear
    // interpolation errs by at most h²/(8(R − h)). The sign comes from the trilinear field, which errs by up to
    // 3h²/(8(R − h)) over a cell (h²/8 per axis) and so can flip samples that close to the surface; a flipped end
    // moves the crossing by up to twice that. The icosphere's faces (edges ≈ 0.4 mm) sag below it by < 0.003 mm.
    const bound = (7 * H * H) / (8 * (R - H)) + 0.003 * H;
    const v = r.mesh.vertices;
    for (let i = 0; i < v.length; i += 3) {
      const radius = Math.hypot(v[i], v[i + 1], v[i + 2]);
      expect(Math.abs(radius - R)).toBeLessThanOrEqual(bound);
    }
  });

  it('keeps a rotated box within the chamfer of a lattice tetrahedron (h/√3) of its surface', async () => {
    const box = transformMesh(boxMesh(0.03, 0.025, 0.02), rotationY(0.3), [0, 0, 0]);
    const r = await remeshSolid(box, RAW);
    expect(isWatertight(r.mesh)).toBe(true);
    expect(r.sheetShare).toBe(0);
    // Every triangle lies in one lattice tetrahedron (edges ≤ h) with its corners on edges that cross the
    // surface; at a sharp edge the triangle cuts across it, no point farther than h/√3 from a corner.
    const d = surfaceDistance(r.mesh, box, { tolerance: H, samples: 3000, seed: 4 });
    expect(d.resultToSource).toBeLessThanOrEqual(H / Math.sqrt(3));
    expect(Math.abs(meshVolume(r.mesh) / (0.03 * 0.025 * 0.02) - 1)).toBeLessThan(0.03);
  });
});
