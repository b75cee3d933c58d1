import { describe, expect, it } from 'vitest';
import { edgeNeighbours, weldedCorners } from '../../src/geometry/mesh-adjacency.js';
import type { Mesh } from '../../src/geometry/mesh.js';
import { boxMesh } from '../../src/geometry/primitives.js';

/** Every triangle with its own three vertices: the same surface, unwelded. */
function unwelded(mesh: Mesh): Mesh {
  const vertices = new Float32Array(mesh.triangles.length * 3);
  mesh.triangles.forEach((i, k) => vertices.set(mesh.vertices.subarray(3 * i, 3 * i + 3), 3 * k));
  return { vertices, triangles: Uint32Array.from(mesh.triangles, (_, k) => k) };
}

describe('mesh adjacency', () => {
  const box = boxMesh(0.04, 0.03, 0.02);

  it('finds a neighbour across every edge of a closed box, the same welded or not', () => {
    const welded = edgeNeighbours(weldedCorners(box), box.vertices.length / 3);
    expect(welded.every((n) => n >= 0)).toBe(true);
    // Neighbourhood is symmetric: each triangle is listed by every neighbour it lists.
    for (let f = 0; f < welded.length / 3; f++)
      for (let e = 0; e < 3; e++)
        expect(Array.from(welded.subarray(3 * welded[3 * f + e], 3 * welded[3 * f + e] + 3))).toContain(f);
    const soup = unwelded(box);
    expect(Array.from(edgeNeighbours(weldedCorners(soup), soup.vertices.length / 3))).toEqual(Array.from(welded));
  });

  it('leaves −1 on the rim of a box with one face removed', () => {
    const open: Mesh = { vertices: box.vertices, triangles: box.triangles.slice(6) };
    const neighbours = edgeNeighbours(weldedCorners(open), open.vertices.length / 3);
    // The removed face (2 triangles) had 4 rim edges, now open; its diagonal is gone with it.
    expect(Array.from(neighbours).filter((n) => n < 0)).toHaveLength(4);
  });
});
