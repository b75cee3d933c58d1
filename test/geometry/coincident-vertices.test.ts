import { describe, expect, it } from 'vitest';
import { separateCoincident } from '../../src/geometry/coincident-vertices.js';
import type { Mesh } from '../../src/geometry/mesh.js';
import { edgeReport, translateMesh } from '../../src/geometry/mesh-properties.js';
import { parseObj, writeObj } from '../../src/geometry/mesh-io/obj.js';
import { weldVertices } from '../../src/geometry/mesh-io/weld.js';
import { boxMesh } from '../../src/geometry/primitives.js';

/** Two 2 cm cubes that touch along one edge (x = y = 0), each with its own vertices: a pinched but manifold mesh. */
function cubesSharingAnEdge(): Mesh {
  const h = Math.fround(0.01); // the box's float32 half-size, so the shared edge lands exactly on x = y = 0
  const a = translateMesh(boxMesh(0.02, 0.02, 0.02), [-h, -h, 0]);
  const b = translateMesh(boxMesh(0.02, 0.02, 0.02), [h, h, 0]);
  const n = a.vertices.length / 3;
  const triangles = new Uint32Array(a.triangles.length + b.triangles.length);
  triangles.set(a.triangles);
  for (let i = 0; i < b.triangles.length; i++) triangles[a.triangles.length + i] = b.triangles[i] + n;
  const vertices = new Float32Array(a.vertices.length + b.vertices.length);
  vertices.set(a.vertices);
  vertices.set(b.vertices, a.vertices.length);
  return { vertices, triangles };
}

describe('separateCoincident', () => {
  it('keeps a pinched edge manifold when a reader welds the written file', () => {
    const mesh = cubesSharingAnEdge();
    // The oracle of the problem: welded by position, the shared edge has four triangles.
    expect(edgeReport(weldVertices(mesh.vertices, mesh.triangles)).nonManifoldEdges).toBeGreaterThan(0);
    const separated: Mesh = { vertices: separateCoincident(mesh), triangles: mesh.triangles };
    const read = parseObj(writeObj(separated), 'pinched.obj');
    expect(read.vertices.length).toBe(mesh.vertices.length);
    const report = edgeReport(read);
    expect(report.nonManifoldEdges).toBe(0);
    expect(report.boundaryEdges).toBe(0);
  });

  it('moves only the later copies, by a tenth of a micrometre, into their own solid', () => {
    const mesh = cubesSharingAnEdge();
    const moved = separateCoincident(mesh);
    const n = mesh.vertices.length / 3;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.hypot(...[0, 1, 2].map((k) => moved[i * 3 + k] - mesh.vertices[i * 3 + k]));
      if (d === 0) continue;
      changed++;
      expect(i).toBeGreaterThanOrEqual(n / 2); // the second cube's copies of the shared edge's two vertices
      expect(d).toBeCloseTo(1e-7, 9);
      expect(moved[i * 3]).toBeGreaterThan(0); // inwards: into the cube at x, y > 0
      expect(moved[i * 3 + 1]).toBeGreaterThan(0);
    }
    expect(changed).toBe(2);
  });

  it('returns the positions unchanged when no two vertices coincide', () => {
    const box = boxMesh(0.03, 0.02, 0.01);
    expect(Array.from(separateCoincident(box))).toEqual(Array.from(box.vertices));
  });
});
