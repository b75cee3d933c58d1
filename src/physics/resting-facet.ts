// The corners of the facet an object rests on. The simulated object collides through a thinned-out hull, and on a
// finely tessellated round object the facet that holds it up in its stable pose may not survive the thinning:
// the simulated object would then roll off its pose before the gripper arrives. Adding these corners keeps it.
import type { Mesh } from '../geometry/mesh.js';
import type { RigidTransform } from '../geometry/rigid-transform.js';

/**
 * Object-frame vertices of `mesh` that lie within `tolerance` (m) of its lowest point once placed by
 * `objectToWorld` (z up), reduced to the corners of their convex outline seen from above. Packed xyz.
 */
export function restingFacetPoints(mesh: Mesh, objectToWorld: RigidTransform, tolerance = 2e-5): Float32Array {
  const v = mesh.vertices;
  const r = objectToWorld.rotation;
  const height = (i: number) => r[6] * v[i] + r[7] * v[i + 1] + r[8] * v[i + 2];
  let lowest = Infinity;
  for (let i = 0; i < v.length; i += 3) lowest = Math.min(lowest, height(i));
  const low: number[] = [];
  for (let i = 0; i < v.length; i += 3) if (height(i) <= lowest + tolerance) low.push(i);
  // Outline in the table plane (Andrew's monotone chain on world x, y); interior points add nothing to a hull.
  const xy = low.map((i) => ({
    i,
    x: r[0] * v[i] + r[1] * v[i + 1] + r[2] * v[i + 2],
    y: r[3] * v[i] + r[4] * v[i + 1] + r[5] * v[i + 2],
  }));
  xy.sort((a, b) => a.x - b.x || a.y - b.y || a.i - b.i);
  const turn = (o: (typeof xy)[0], a: (typeof xy)[0], b: (typeof xy)[0]) =>
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const chain = (points: typeof xy) => {
    const out: typeof xy = [];
    for (const p of points) {
      while (out.length >= 2 && turn(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    return out.slice(0, -1);
  };
  const outline = xy.length <= 2 ? xy : [...chain(xy), ...chain([...xy].reverse())];
  const out = new Float32Array(outline.length * 3);
  outline.forEach((p, k) => out.set(v.subarray(p.i, p.i + 3), 3 * k));
  return out;
}
