// Stable poses: closed-form probabilities for boxes, tetrahedra and a toppling prism, plus invariants on random solids.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convexHull } from '../../src/geometry/convex-hull.js';
import { createMesh, type Mesh } from '../../src/geometry/mesh.js';
import { centerOfMass } from '../../src/geometry/mesh-properties.js';
import { boxMesh, icosphereMesh } from '../../src/geometry/primitives.js';
import { restingTransform, stablePoses, triangleSolidAngle, type StablePose } from '../../src/geometry/stable-poses.js';
import { axisAngleToMat3, mat3Det, mat3MulVec, type Mat3, type Vec3 } from '../../src/geometry/vector.js';
import { Random } from '../../src/core/random.js';

/** Seeded uniform [0, 1) draws from the project's generator. */
const uniformSource = (seed: number): (() => number) => {
  const rng = new Random(seed);
  return () => rng.next();
};

const sum = (poses: StablePose[]): number => poses.reduce((s, p) => s + p.probability, 0);
const probs = (poses: StablePose[]): number[] => poses.map((p) => p.probability).sort((a, b) => b - a);

function transformMesh(mesh: Mesh, r: Mat3, t: Vec3): Mesh {
  const v = new Float32Array(mesh.vertices.length);
  for (let i = 0; i < v.length; i += 3) {
    const p = mat3MulVec(r, [mesh.vertices[i], mesh.vertices[i + 1], mesh.vertices[i + 2]]);
    v[i] = p[0] + t[0];
    v[i + 1] = p[1] + t[1];
    v[i + 2] = p[2] + t[2];
  }
  return { vertices: v, triangles: mesh.triangles };
}

/** Closed prism over an n-gon of radius r, height h, axis z, outward triangles. */
function cylinderMesh(r: number, h: number, n: number): Mesh {
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    v.push(r * Math.cos(a), r * Math.sin(a), -h / 2, r * Math.cos(a), r * Math.sin(a), h / 2);
  }
  v.push(0, 0, -h / 2, 0, 0, h / 2);
  const bc = 2 * n,
    tc = 2 * n + 1;
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const [b0, t0, b1, t1] = [2 * i, 2 * i + 1, 2 * j, 2 * j + 1];
    t.push(tc, t0, t1, bc, b1, b0, b0, b1, t1, b0, t1, t0);
  }
  return createMesh(v, t);
}

/** Prism extruding the 2-D polygon (counter-clockwise) along z over [−len/2, len/2]. */
function extrudedPolygon(poly: Array<[number, number]>, len: number): Mesh {
  const n = poly.length;
  const v: number[] = [];
  for (const [x, y] of poly) v.push(x, y, -len / 2, x, y, len / 2);
  const t: number[] = [];
  for (let i = 1; i + 1 < n; i++) t.push(0, 2 * (i + 1), 2 * i, 1, 2 * i + 1, 2 * (i + 1) + 1);
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    t.push(2 * i, 2 * j, 2 * j + 1, 2 * i, 2 * j + 1, 2 * i + 1);
  }
  return createMesh(v, t);
}

/** Random star-shaped (generally non-convex) closed mesh: a triangulated sphere with random radii per vertex. */
function starMesh(seed: number, count: number): Mesh {
  const rand = uniformSource(seed);
  const dirs = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) {
    const z = 2 * rand() - 1,
      a = 2 * Math.PI * rand(),
      s = Math.sqrt(1 - z * z);
    dirs.set([s * Math.cos(a), s * Math.sin(a), z], 3 * i);
  }
  const sphere = convexHull(dirs);
  const v = new Float32Array(sphere.vertices.length);
  for (let i = 0; i < v.length; i += 3) {
    const r = 0.4 + rand();
    for (let k = 0; k < 3; k++) v[i + k] = r * sphere.vertices[i + k];
  }
  return { vertices: v, triangles: sphere.triangles };
}

function jitteredBox(seed: number): Mesh {
  const rand = uniformSource(seed);
  const box = boxMesh(0.5 + rand(), 0.5 + rand(), 0.5 + rand());
  return { vertices: box.vertices.map((x) => x + 0.15 * (rand() - 0.5)), triangles: box.triangles };
}

function randomRotation(rand: () => number): Mat3 {
  const z = 2 * rand() - 1,
    a = 2 * Math.PI * rand(),
    s = Math.sqrt(1 - z * z);
  return axisAngleToMat3([s * Math.cos(a), s * Math.sin(a), z], 2 * Math.PI * rand());
}

/** Point-in-convex-polygon test in the plane of the facet, for the centre of mass projected along the normal. */
function comProjectsInside(p: StablePose, tol = 1e-7): boolean {
  const n = p.facetNormal,
    c = p.centerOfMass,
    vs = p.facetVertices;
  for (let i = 0; i < vs.length; i++) {
    const a = vs[i],
      b = vs[(i + 1) % vs.length];
    const e: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    const out: Vec3 = [e[1] * n[2] - e[2] * n[1], e[2] * n[0] - e[0] * n[2], e[0] * n[1] - e[1] * n[0]];
    const len = Math.hypot(...out);
    if (((c[0] - a[0]) * out[0] + (c[1] - a[1]) * out[1] + (c[2] - a[2]) * out[2]) / len > tol) return false;
  }
  return true;
}

function checkPoseGeometry(mesh: Mesh, poses: StablePose[]): void {
  for (const p of poses) {
    const r = p.rotation;
    expect(mat3Det(r)).toBeCloseTo(1, 9);
    const down = mat3MulVec(r, p.facetNormal);
    expect(down[0]).toBeCloseTo(0, 9);
    expect(down[1]).toBeCloseTo(0, 9);
    expect(down[2]).toBeCloseTo(-1, 9);
    expect(comProjectsInside(p)).toBe(true);
    // Newell's normal of the boundary loop agrees with the facet normal: the loop is counter-clockwise from outside.
    const loop = p.facetVertices;
    const newell: Vec3 = [0, 0, 0];
    for (let i = 0; i < loop.length; i++) {
      const a = loop[i],
        b = loop[(i + 1) % loop.length];
      newell[0] += (a[1] - b[1]) * (a[2] + b[2]);
      newell[1] += (a[2] - b[2]) * (a[0] + b[0]);
      newell[2] += (a[0] - b[0]) * (a[1] + b[1]);
    }
    expect(newell[0] * p.facetNormal[0] + newell[1] * p.facetNormal[1] + newell[2] * p.facetNormal[2]).toBeGreaterThan(
      0,
    );
    const { rotation, translation } = restingTransform(mesh, p);
    let minZ = Infinity;
    for (let i = 0; i < mesh.vertices.length; i += 3) {
      const q = mat3MulVec(rotation, [mesh.vertices[i], mesh.vertices[i + 1], mesh.vertices[i + 2]]);
      minZ = Math.min(minZ, q[2] + translation[2]);
    }
    expect(minZ).toBeCloseTo(0, 9);
    const scale = Math.max(...Array.from(mesh.vertices, Math.abs));
    // Facets merge hull triangles up to 1e-3 rad apart, so their vertices sit within that angle × size of the table.
    for (const v of p.facetVertices)
      expect(Math.abs(mat3MulVec(rotation, v)[2] + translation[2])).toBeLessThan(2e-3 * scale);
    const com = mat3MulVec(rotation, p.centerOfMass);
    expect(com[2] + translation[2]).toBeCloseTo(p.comHeight, 5);
    expect(Math.hypot(com[0] + translation[0], com[1] + translation[1])).toBeLessThan(1e-9);
  }
}

describe('triangleSolidAngle', () => {
  it('gives an octant for the unit axis triangle and flips sign with orientation', () => {
    expect(triangleSolidAngle([1, 0, 0], [0, 1, 0], [0, 0, 1])).toBeCloseTo(Math.PI / 2, 12);
    expect(triangleSolidAngle([1, 0, 0], [0, 0, 1], [0, 1, 0])).toBeCloseTo(-Math.PI / 2, 12);
    expect(triangleSolidAngle([3, 2, 2], [2, 3, 2], [2, 2, 3], [2, 2, 2])).toBeCloseTo(Math.PI / 2, 12);
  });

  it('covers more than a hemisphere for a large triangle seen from close by', () => {
    // A triangle far larger than its distance: each of the 4 faces of a regular tetrahedron seen from its centre is π.
    const t: Vec3[] = [
      [1, 1, 1],
      [1, -1, -1],
      [-1, 1, -1],
      [-1, -1, 1],
    ];
    expect(Math.abs(triangleSolidAngle(t[1], t[2], t[3]))).toBeCloseTo(Math.PI, 12);
  });
});

describe('stablePoses', () => {
  it('unit cube: 6 poses of exactly 1/6', () => {
    const cube = boxMesh(1, 1, 1);
    const poses = stablePoses(cube);
    expect(poses).toHaveLength(6);
    for (const p of poses) expect(Math.abs(p.probability - 1 / 6)).toBeLessThan(1e-9);
    expect(Math.abs(sum(poses) - 1)).toBeLessThan(1e-12);
    checkPoseGeometry(cube, poses);
    for (const p of poses) expect(p.facetVertices).toHaveLength(4);
  });

  it('1×1×3 box: four long sides ≈ 0.234, two ends ≈ 0.032 (exact solid angles)', () => {
    // A centred a×b rectangle at distance d subtends Ω = 4·asin(ab / √((a² + 4d²)(b² + 4d²))), so p = Ω / 4π:
    // long side (1×3 at d = 0.5): asin(3/√20)/π = 0.2340576…; end (1×1 at d = 1.5): asin(1/10)/π = 0.0318845….
    const side = Math.asin(3 / Math.sqrt(20)) / Math.PI;
    const end = Math.asin(0.1) / Math.PI;
    expect(4 * side + 2 * end).toBeCloseTo(1, 12);
    const box = boxMesh(1, 1, 3);
    const poses = stablePoses(box);
    expect(poses).toHaveLength(6);
    for (const p of poses.slice(0, 4)) {
      expect(Math.abs(p.probability - side)).toBeLessThan(1e-9);
      expect(Math.abs(p.facetNormal[2])).toBeLessThan(1e-12);
      expect(p.comHeight).toBeCloseTo(0.5, 9);
    }
    for (const p of poses.slice(4)) {
      expect(Math.abs(p.probability - end)).toBeLessThan(1e-9);
      expect(Math.abs(p.facetNormal[2])).toBeCloseTo(1, 12);
      expect(p.comHeight).toBeCloseTo(1.5, 9);
    }
    expect(side).toBeCloseTo(0.234, 3);
    expect(end).toBeCloseTo(0.032, 3);
    checkPoseGeometry(box, poses);
  });

  it('merges the float32-rounded, no longer exactly coplanar triangles of a rotated box into its 6 faces', () => {
    const rand = uniformSource(99);
    const side = Math.asin(3 / Math.sqrt(20)) / Math.PI;
    const end = Math.asin(0.1) / Math.PI;
    for (let trial = 0; trial < 5; trial++) {
      const box = transformMesh(boxMesh(1, 1, 3), randomRotation(rand), [0.3, -1.7, 12.5]);
      const poses = stablePoses(box);
      expect(probs(poses).map((p) => p.toFixed(5))).toEqual(
        [side, side, side, side, end, end].map((p) => p.toFixed(5)),
      );
      checkPoseGeometry(box, poses);
    }
  });

  it('keeps poses at or above minProbability without renormalising (as Dex-Net)', () => {
    const poses = stablePoses(boxMesh(1, 1, 3), { minProbability: 0.1 });
    expect(poses).toHaveLength(4);
    expect(sum(poses)).toBeCloseTo(4 * (Math.asin(3 / Math.sqrt(20)) / Math.PI), 9);
  });

  it('a ball, whose poses all fall under the floor, keeps its most probable one', () => {
    const ball = icosphereMesh(0.02, 3);
    const all = stablePoses(ball);
    expect(all.length).toBeGreaterThan(100);
    expect(all[0].probability).toBeLessThan(0.01);
    const kept = stablePoses(ball, { minProbability: 0.01 });
    expect(kept).toHaveLength(1);
    expect(kept[0]).toEqual(all[0]);
  });

  it('regular tetrahedron: 4 poses of 1/4', () => {
    const tet = createMesh([1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1], [0, 1, 2, 0, 2, 3, 0, 3, 1, 1, 3, 2]);
    const poses = stablePoses(tet);
    expect(poses).toHaveLength(4);
    for (const p of poses) expect(Math.abs(p.probability - 0.25)).toBeLessThan(1e-9);
    checkPoseGeometry(tet, poses);
  });

  it('an unstable face passes its share to the face it rolls onto', () => {
    // Obtuse triangle (0,0), (1,0), (3,1): the centroid (4/3, 1/3) projects beyond the (0,0)–(1,0) side, so a prism
    // put on that side rolls over the (1,0) edge onto the (1,0)–(3,1) side. Ends and the other two sides are stable.
    const prism = extrudedPolygon(
      [
        [0, 0],
        [1, 0],
        [3, 1],
      ],
      4,
    );
    const com: Vec3 = [4 / 3, 1 / 3, 0];
    expect(centerOfMass(prism).every((x, i) => Math.abs(x - com[i]) < 1e-6)).toBe(true);
    const poses = stablePoses(prism, { centerOfMass: com });
    expect(poses).toHaveLength(4);
    expect(Math.abs(sum(poses) - 1)).toBeLessThan(1e-12);
    const rect = (p: [number, number], q: [number, number]): number => {
      const a: Vec3 = [p[0], p[1], -2],
        b: Vec3 = [q[0], q[1], -2],
        c: Vec3 = [q[0], q[1], 2],
        d: Vec3 = [p[0], p[1], 2];
      return (triangleSolidAngle(a, b, c, com) + triangleSolidAngle(a, c, d, com)) / (4 * Math.PI);
    };
    const byNormal = (n: Vec3) =>
      poses.find((p) => Math.hypot(p.facetNormal[0] - n[0], p.facetNormal[1] - n[1], p.facetNormal[2] - n[2]) < 1e-6);
    expect(byNormal([0, -1, 0])).toBeUndefined();
    const s = Math.sqrt(5);
    expect(byNormal([1 / s, -2 / s, 0])!.probability).toBeCloseTo(rect([0, 0], [1, 0]) + rect([1, 0], [3, 1]), 9);
    const t = Math.sqrt(10);
    expect(byNormal([-1 / t, 3 / t, 0])!.probability).toBeCloseTo(rect([3, 1], [0, 0]), 9);
    checkPoseGeometry(prism, poses);
  });

  it('a thin disc mostly lands on its flat faces', () => {
    const disc = cylinderMesh(1, 0.2, 48);
    const poses = stablePoses(disc, { minProbability: 0.01 });
    expect(Math.abs(poses[0].facetNormal[2])).toBeCloseTo(1, 9);
    expect(Math.abs(poses[1].facetNormal[2])).toBeCloseTo(1, 9);
    expect(poses[0].probability).toBeCloseTo(poses[1].probability, 9);
    expect(poses[0].probability + poses[1].probability).toBeGreaterThan(0.85);
    expect(Math.abs(sum(stablePoses(disc)) - 1)).toBeLessThan(1e-9);
  });

  it('probabilities sum to 1 for random convex and non-convex solids', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 4, max: 60 }), (seed, count) => {
        const rand = uniformSource(seed);
        const cloud = Float32Array.from({ length: count * 3 }, () => 2 * rand() - 1);
        for (const mesh of [convexHull(cloud), starMesh(seed, count + 8), jitteredBox(seed)]) {
          const poses = stablePoses(mesh);
          expect(poses.length).toBeGreaterThan(0);
          expect(Math.abs(sum(poses) - 1)).toBeLessThan(1e-9);
          for (let i = 1; i < poses.length; i++)
            expect(poses[i].probability).toBeLessThanOrEqual(poses[i - 1].probability);
          checkPoseGeometry(mesh, poses);
        }
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it('is invariant to translating and rotating the mesh', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rand = uniformSource(seed);
        const mesh = seed % 2 === 0 ? starMesh(seed, 30) : jitteredBox(seed);
        const base = probs(stablePoses(mesh));
        const moved = transformMesh(mesh, randomRotation(rand), [4 * rand() - 2, 4 * rand() - 2, 4 * rand() - 2]);
        const other = probs(stablePoses(moved));
        expect(other).toHaveLength(base.length);
        for (let i = 0; i < base.length; i++) expect(Math.abs(other[i] - base[i])).toBeLessThan(1e-5);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('rejects a centre of mass outside the hull', () => {
    expect(() => stablePoses(boxMesh(1, 1, 1), { centerOfMass: [2, 0, 0] })).toThrow(/centre of mass/);
  });
});
