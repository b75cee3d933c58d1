// Area-weighted random points on a mesh surface with their outward triangle normals: where both grippers'
// 3-D samplers start (antipodal pairs for the jaws, cup targets for suction).
import type { MeshIndex } from '../geometry/bvh.js';
import { areaTable, samplePointByArea } from '../geometry/area-sampling.js';
import { triangleCross } from '../geometry/mesh-properties.js';
import type { Random } from '../core/random.js';
import { normalize, type Vec3 } from '../geometry/vector.js';

/** Area-weighted random surface points with their outward triangle normals. */
export function surfaceSampler(index: MeshIndex): (rng: Random) => { point: Vec3; normal: Vec3 } {
  const mesh = index.mesh;
  const table = areaTable(mesh);
  if (!(table.total > 0)) throw new Error('mesh has no surface area to sample grasps on');
  const n = new Float64Array(3);
  return (rng) => {
    const point: Vec3 = [0, 0, 0];
    const t = mesh.triangles;
    const f = samplePointByArea(mesh, table, rng, point);
    triangleCross(mesh.vertices, t[3 * f] * 3, t[3 * f + 1] * 3, t[3 * f + 2] * 3, n);
    return { point, normal: normalize([n[0], n[1], n[2]]) };
  };
}
