// Closed, outward-oriented primitive meshes built in code (examples, tests and procedural objects).
import { createMesh, type Mesh } from './mesh.js';

/** Axis-aligned box centred at the origin with the given full extents (12 triangles). */
export function boxMesh(sx: number, sy: number, sz: number): Mesh {
  const x = sx / 2, y = sy / 2, z = sz / 2;
  const v = [
    -x, -y, -z, x, -y, -z, x, y, -z, -x, y, -z,
    -x, -y, z, x, -y, z, x, y, z, -x, y, z,
  ];
  const t = [
    0, 2, 1, 0, 3, 2, // -z
    4, 5, 6, 4, 6, 7, // +z
    0, 1, 5, 0, 5, 4, // -y
    2, 3, 7, 2, 7, 6, // +y
    1, 2, 6, 1, 6, 5, // +x
    0, 4, 7, 0, 7, 3, // -x
  ];
  return createMesh(v, t);
}
