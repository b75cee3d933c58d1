// Mesh properties against closed-form values and invariances under rigid motion and scaling.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMesh, type Mesh } from '../../src/geometry/mesh.js';
import {
  boundingBox,
  boundingBoxExtents,
  centerMesh,
  centerOfMass,
  edgeReport,
  isWatertight,
  massProperties,
  meshVolume,
  principalAxes,
  rescaleMesh,
  surfaceArea,
  symmetricEigen3,
  transformMesh,
  translateMesh,
  triangleAreas,
  triangleNormals,
} from '../../src/geometry/mesh-properties.js';
import { boxMesh, cylinderMesh, icosphereMesh, lBracketMesh, uChannelMesh } from '../../src/geometry/primitives.js';
import {
  axisAngleToMat3,
  mat3Column,
  mat3Det,
  mat3Mul,
  mat3MulVec,
  mat3Transpose,
  type Mat3,
  type Vec3,
} from '../../src/geometry/vector.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
const dist = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

const vec = (min: number, max: number) =>
  fc.tuple(
    fc.double({ min, max, noNaN: true }),
    fc.double({ min, max, noNaN: true }),
    fc.double({ min, max, noNaN: true }),
  ) as fc.Arbitrary<Vec3>;
const rotation = fc
  .tuple(
    vec(-1, 1).filter((a) => Math.hypot(...a) > 0.1),
    fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
  )
  .map(([axis, angle]) => axisAngleToMat3(axis, angle));
const shapes: Array<[string, Mesh]> = [
  ['box', boxMesh(0.03, 0.04, 0.06)],
  ['cylinder', cylinderMesh(0.02, 0.07, 24)],
  ['sphere', icosphereMesh(0.04, 2)],
  ['L bracket', lBracketMesh()],
  ['U channel', uChannelMesh()],
];
const shape = fc.constantFrom(...shapes.map(([, m]) => m));

describe('volume, centre of mass and inertia', () => {
  it('box inertia is V(b² + c²)/12 on the diagonal', () => {
    const [a, b, c] = [0.03, 0.04, 0.06];
    const { volume, inertia } = massProperties(boxMesh(a, b, c));
    const expected = [
      (volume * (b * b + c * c)) / 12,
      (volume * (a * a + c * c)) / 12,
      (volume * (a * a + b * b)) / 12,
    ];
    for (let k = 0; k < 3; k++) expect(rel(inertia[k * 4], expected[k])).toBeLessThan(1e-6);
    for (const k of [1, 2, 3, 5, 6, 7]) expect(Math.abs(inertia[k])).toBeLessThan(1e-16);
  });

  it('solid sphere inertia approaches 2/5·V·r²', () => {
    const r = 0.04;
    const { volume, inertia } = massProperties(icosphereMesh(r, 4));
    for (let k = 0; k < 3; k++) expect(rel(inertia[k * 4], 0.4 * volume * r * r)).toBeLessThan(0.01);
  });

  it('translating moves the centre of mass by the same vector and keeps the volume', () => {
    fc.assert(
      fc.property(shape, vec(-2, 2), (mesh, offset) => {
        const before = massProperties(mesh);
        const moved = translateMesh(mesh, offset);
        const after = massProperties(moved);
        // Oracle: the same properties computed from the float32 vertices actually stored, which
        // differ from mesh + offset only by rounding; so compare with tolerance of that rounding.
        const ulp = 2 ** -23 * (2 + 0.1);
        expect(
          dist(after.centerOfMass, [
            before.centerOfMass[0] + offset[0],
            before.centerOfMass[1] + offset[1],
            before.centerOfMass[2] + offset[2],
          ]),
        ).toBeLessThan(4 * ulp);
        expect(rel(after.volume, before.volume)).toBeLessThan(1e-4);
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('a far-away small box keeps its volume exact relative to its stored vertices', () => {
    const moved = translateMesh(boxMesh(0.03, 0.04, 0.06), [10, -7, 3]);
    const e = boundingBoxExtents(moved);
    expect(rel(meshVolume(moved), e[0] * e[1] * e[2])).toBeLessThan(1e-12);
    const { min, max } = boundingBox(moved);
    const com = centerOfMass(moved);
    for (let k = 0; k < 3; k++) expect(Math.abs(com[k] - (min[k] + max[k]) / 2)).toBeLessThan(1e-12);
  });

  it('rotating keeps volume and inertia eigenvalues and rotates the centre of mass', () => {
    fc.assert(
      fc.property(shape, rotation, (mesh, r) => {
        const before = massProperties(mesh);
        const after = massProperties(transformMesh(mesh, r, [0, 0, 0]));
        expect(rel(after.volume, before.volume)).toBeLessThan(1e-5);
        expect(dist(after.centerOfMass, mat3MulVec(r, before.centerOfMass))).toBeLessThan(1e-7);
        // I' = R I Rᵀ.
        const expected = mat3Mul(mat3Mul(r, before.inertia), mat3Transpose(r));
        const scale = Math.max(...before.inertia.map(Math.abs));
        for (let k = 0; k < 9; k++) expect(Math.abs(after.inertia[k] - expected[k]) / scale).toBeLessThan(1e-4);
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('a mirror transform keeps the mesh outward (positive volume, still watertight)', () => {
    const mirrored = transformMesh(lBracketMesh(), [-1, 0, 0, 0, 1, 0, 0, 0, 1], [0.1, 0, 0]);
    expect(meshVolume(mirrored)).toBeGreaterThan(0);
    expect(isWatertight(mirrored)).toBe(true);
  });

  it('inverted faces give negative volume but the same centre of mass', () => {
    const box = translateMesh(boxMesh(0.02, 0.02, 0.02), [0.1, 0.2, 0.3]);
    const t = box.triangles.slice();
    for (let i = 0; i < t.length; i += 3) [t[i + 1], t[i + 2]] = [t[i + 2], t[i + 1]];
    const inverted = { vertices: box.vertices, triangles: t };
    expect(meshVolume(inverted)).toBeCloseTo(-meshVolume(box), 15);
    expect(dist(centerOfMass(inverted), centerOfMass(box))).toBeLessThan(1e-9);
  });

  it('an open flat mesh falls back to the area centroid', () => {
    const square = createMesh([0, 0, 1, 2, 0, 1, 2, 2, 1, 0, 2, 1], [0, 1, 2, 0, 2, 3]);
    expect(meshVolume(square)).toBe(0);
    const c = centerOfMass(square);
    expect(dist(c, [1, 1, 1])).toBeLessThan(1e-12);
  });
});

describe('scaling and centring', () => {
  it('rescale gives the exact target max extent (to float32 rounding)', () => {
    fc.assert(
      fc.property(shape, fc.double({ min: 0.01, max: 1, noNaN: true }), vec(-0.05, 0.05), (mesh, target, offset) => {
        const scaled = rescaleMesh(translateMesh(mesh, offset), target);
        const e = boundingBoxExtents(scaled);
        expect(rel(Math.max(...e), target)).toBeLessThan(1e-6);
      }),
      { numRuns: 100, seed: 9 },
    );
    expect(() => rescaleMesh(boxMesh(1, 1, 1), 0)).toThrow(/target extent/);
  });

  it('rescale by s scales volume by s³ and keeps proportions', () => {
    const mesh = lBracketMesh();
    const scaled = rescaleMesh(mesh, 0.04);
    const s = 0.04 / 0.08;
    expect(rel(meshVolume(scaled), meshVolume(mesh) * s ** 3)).toBeLessThan(1e-6);
    expect(rel(surfaceArea(scaled), surfaceArea(mesh) * s ** 2)).toBeLessThan(1e-6);
  });

  it('centerMesh puts the centre of mass at the origin', () => {
    fc.assert(
      fc.property(shape, vec(-1, 1), rotation, (mesh, offset, r) => {
        const centred = centerMesh(transformMesh(mesh, r, offset));
        expect(Math.hypot(...centerOfMass(centred))).toBeLessThan(2e-7);
      }),
      { numRuns: 60, seed: 13 },
    );
  });
});

describe('surface quantities', () => {
  it('box areas and normals', () => {
    const [a, b, c] = [0.03, 0.04, 0.06];
    const box = boxMesh(a, b, c);
    expect(rel(surfaceArea(box), 2 * (a * b + b * c + a * c))).toBeLessThan(1e-6);
    const areas = triangleAreas(box);
    expect(areas.length).toBe(12);
    const normals = triangleNormals(box);
    for (let i = 0; i < normals.length; i += 3) {
      expect(Math.hypot(normals[i], normals[i + 1], normals[i + 2])).toBeCloseTo(1, 6);
      // Axis-aligned box: each normal is ±one axis.
      expect(Math.max(Math.abs(normals[i]), Math.abs(normals[i + 1]), Math.abs(normals[i + 2]))).toBeCloseTo(1, 6);
    }
  });

  it('a degenerate triangle has zero area and a zero normal', () => {
    const m = createMesh([0, 0, 0, 1, 0, 0, 2, 0, 0], [0, 1, 2]);
    expect(triangleAreas(m)[0]).toBe(0);
    expect(Array.from(triangleNormals(m))).toEqual([0, 0, 0]);
  });

  it('sphere surface area approaches 4πr²', () => {
    expect(rel(surfaceArea(icosphereMesh(0.05, 5)), 4 * Math.PI * 0.05 ** 2)).toBeLessThan(0.002);
  });
});

describe('watertightness', () => {
  const box = boxMesh(1, 1, 1);
  it('a closed box is watertight; an empty mesh is not', () => {
    expect(isWatertight(box)).toBe(true);
    expect(isWatertight(createMesh([], []))).toBe(false);
  });
  it('a missing triangle leaves three boundary edges', () => {
    const open = { vertices: box.vertices, triangles: box.triangles.slice(3) };
    expect(edgeReport(open)).toEqual({ boundaryEdges: 3, nonManifoldEdges: 0, misorientedEdges: 0 });
    expect(isWatertight(open)).toBe(false);
  });
  it('a flipped triangle makes its three edges misoriented', () => {
    const t = box.triangles.slice();
    [t[1], t[2]] = [t[2], t[1]];
    expect(edgeReport({ vertices: box.vertices, triangles: t })).toEqual({
      boundaryEdges: 0,
      nonManifoldEdges: 0,
      misorientedEdges: 3,
    });
  });
  it('a duplicated triangle makes its edges non-manifold', () => {
    const t = Uint32Array.from([...box.triangles, box.triangles[0], box.triangles[1], box.triangles[2]]);
    expect(edgeReport({ vertices: box.vertices, triangles: t }).nonManifoldEdges).toBe(3);
    expect(isWatertight({ vertices: box.vertices, triangles: t })).toBe(false);
  });
  it('two boxes touching at a shared edge are not manifold', () => {
    // Box B shares the edge (1,0,0)-(1,0,1)... built by welding two unit cubes diagonally.
    const a = boxMesh(1, 1, 1);
    const b = translateMesh(a, [1, 1, 0]);
    const v = Float32Array.from([...a.vertices, ...b.vertices]);
    const t = Uint32Array.from([...a.triangles, ...Array.from(b.triangles, (i) => i + 8)]);
    // Weld b's vertices onto a's where positions coincide.
    const key = (i: number): string => `${v[i * 3]},${v[i * 3 + 1]},${v[i * 3 + 2]}`;
    const first = new Map<string, number>();
    for (let i = 0; i < 16; i++) if (!first.has(key(i))) first.set(key(i), i);
    const welded = t.map((i) => first.get(key(i))!);
    expect(edgeReport({ vertices: v, triangles: welded }).nonManifoldEdges).toBe(1);
  });
});

describe('symmetricEigen3 and principal axes', () => {
  const symmetric = fc
    .array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 })
    .map(([a, b, c, d, e, f]) => [a, d, e, d, b, f, e, f, c] as Mat3);

  const checkDecomposition = (m: Mat3): void => {
    const { values, vectors } = symmetricEigen3(m);
    const scale = Math.max(1, ...m.map(Math.abs));
    expect(values[0]).toBeLessThanOrEqual(values[1]);
    expect(values[1]).toBeLessThanOrEqual(values[2]);
    expect(mat3Det(vectors)).toBeCloseTo(1, 10);
    for (let j = 0; j < 3; j++) {
      const col = mat3Column(vectors, j);
      const mv = mat3MulVec(m, col);
      for (let k = 0; k < 3; k++) expect(Math.abs(mv[k] - values[j] * col[k]) / scale).toBeLessThan(1e-10);
      for (let i = 0; i < 3; i++) {
        const other = mat3Column(vectors, i);
        const d = col[0] * other[0] + col[1] * other[1] + col[2] * other[2];
        expect(d).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
    const trace = m[0] + m[4] + m[8];
    expect(Math.abs(values[0] + values[1] + values[2] - trace) / scale).toBeLessThan(1e-10);
  };

  it('decomposes random symmetric matrices', () => {
    fc.assert(
      fc.property(symmetric, (m) => checkDecomposition(m)),
      { numRuns: 300, seed: 17 },
    );
  });

  it('handles repeated and zero eigenvalues', () => {
    checkDecomposition([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    checkDecomposition([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    checkDecomposition([2, 1, 0, 1, 2, 0, 0, 0, 3]);
    checkDecomposition([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(symmetricEigen3([3, 0, 0, 0, 1, 0, 0, 0, 2]).values).toEqual([1, 2, 3]);
  });

  it('the long axis of a rotated box comes first', () => {
    fc.assert(
      fc.property(rotation, vec(-0.2, 0.2), (r, offset) => {
        const box = transformMesh(boxMesh(0.02, 0.04, 0.08), r, offset);
        const { axes, values, source } = principalAxes(box);
        expect(source).toBe('inertia');
        expect(values[0]).toBeLessThan(values[1]);
        expect(mat3Det(axes)).toBeCloseTo(1, 9);
        // Columns match R's z, y, x columns up to sign.
        for (const [j, k] of [
          [0, 2],
          [1, 1],
          [2, 0],
        ]) {
          const a = mat3Column(axes, j),
            b = mat3Column(r, k);
          expect(Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2])).toBeCloseTo(1, 4);
        }
      }),
      { numRuns: 60, seed: 19 },
    );
  });

  it('an open mesh uses the vertex covariance', () => {
    const strip = createMesh([0, 0, 0, 3, 0, 0, 3, 1, 0, 0, 1, 0], [0, 1, 2, 0, 2, 3]);
    const { axes, values, source } = principalAxes(strip);
    expect(source).toBe('vertex-covariance');
    expect(values[0]).toBeGreaterThan(values[1]);
    expect(Math.abs(axes[0])).toBeCloseTo(1, 9); // first column along x
  });
});
