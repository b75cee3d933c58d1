// The one triangle-mesh type every stage shares: flat typed arrays, counter-clockwise outward faces.

export interface Mesh {
  /** xyz per vertex, metres. */
  readonly vertices: Float32Array;
  /** Three vertex indices per triangle, counter-clockwise seen from outside. */
  readonly triangles: Uint32Array;
}

export const vertexCount = (mesh: Mesh): number => mesh.vertices.length / 3;
export const triangleCount = (mesh: Mesh): number => mesh.triangles.length / 3;

export function createMesh(vertices: ArrayLike<number>, triangles: ArrayLike<number>): Mesh {
  return { vertices: Float32Array.from(vertices), triangles: Uint32Array.from(triangles) };
}
