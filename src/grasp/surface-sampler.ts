// Area-weighted random points on a mesh surface with their outward triangle normals: where both grippers'
// 3-D samplers start (antipodal pairs for the jaws, cup targets for suction).
import type { MeshIndex } from '../geometry/bvh.js';
import { triangleAreas } from '../geometry/mesh-properties.js';
import type { Random } from '../core/random.js';
import { cross, normalize, type Vec3 } from '../geometry/vector.js';

/** Area-weighted random surface points with their outward triangle normals. */
export function surfaceSampler(index: MeshIndex): (rng: Random) => { point: Vec3; normal: Vec3 } {
  const { vertices: v, triangles: t } = index.mesh;
  const nTri = t.length / 3;
  const cdf = triangleAreas(index.mesh);
  let total = 0;
  for (let i = 0; i < nTri; i++) cdf[i] = total += cdf[i];
  if (!(total > 0)) throw new Error('mesh has no surface area to sample grasps on');
  return (rng) => {
    const x = rng.next() * total;
    let lo = 0,
      hi = nTri - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    const a = t[3 * lo] * 3,
      b = t[3 * lo + 1] * 3,
      c = t[3 * lo + 2] * 3;
    let r1 = rng.next(),
      r2 = rng.next();
    if (r1 + r2 > 1) {
      r1 = 1 - r1;
      r2 = 1 - r2;
    }
    const point: Vec3 = [
      v[a] + r1 * (v[b] - v[a]) + r2 * (v[c] - v[a]),
      v[a + 1] + r1 * (v[b + 1] - v[a + 1]) + r2 * (v[c + 1] - v[a + 1]),
      v[a + 2] + r1 * (v[b + 2] - v[a + 2]) + r2 * (v[c + 2] - v[a + 2]),
    ];
    const normal = normalize(
      cross(
        [v[b] - v[a], v[b + 1] - v[a + 1], v[b + 2] - v[a + 2]],
        [v[c] - v[a], v[c + 1] - v[a + 1], v[c + 2] - v[a + 2]],
      ),
    );
    return { point, normal };
  };
}
