// A few hundred points whose convex hull stands in for an object's in the physics simulation: the mesh vertex
// farthest along each of a set of evenly spread directions. MuJoCo collides meshes through their convex hulls,
// and building and colliding the hull of every vertex of a 20,000-triangle mesh costs far more than a trial may.
import type { Mesh } from '../geometry/mesh.js';

/** Directions sampled: hull faces then lie within ~0.3 rad of any direction, ~1 % of the radius below the true hull. */
export const DEFAULT_SUPPORT_DIRECTIONS = 128;

/**
 * The distinct mesh vertices that are extreme along `directions` Fibonacci-sphere directions, as packed xyz.
 * Every one lies on the mesh's convex hull, so their hull is inside it and touches it in each direction; a box
 * keeps its 8 corners exactly. Throws `supportPoints: …` for a mesh without vertices.
 */
export function supportPoints(mesh: Mesh, directions = DEFAULT_SUPPORT_DIRECTIONS): Float32Array {
  const v = mesh.vertices;
  const n = v.length / 3;
  if (n === 0) throw new Error('supportPoints: the mesh has no vertices');
  if (!(Number.isInteger(directions) && directions >= 4)) throw new Error(`supportPoints: need an integer ≥ 4 directions, got ${directions}`);
  const chosen = new Set<number>();
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let k = 0; k < directions; k++) {
    const z = 1 - (2 * k + 1) / directions;
    const r = Math.sqrt(1 - z * z);
    const dx = r * Math.cos(golden * k), dy = r * Math.sin(golden * k), dz = z;
    let best = 0, bestDot = -Infinity;
    for (let i = 0; i < n; i++) {
      const d = dx * v[3 * i] + dy * v[3 * i + 1] + dz * v[3 * i + 2];
      if (d > bestDot) {
        bestDot = d;
        best = i;
      }
    }
    chosen.add(best);
  }
  // Ascending vertex order keeps the output independent of which direction found a vertex first; meshes with
  // split vertices (STL) repeat a position under several indices, which would only give MuJoCo duplicate points.
  const seen = new Set<string>();
  const out: number[] = [];
  for (const i of [...chosen].sort((a, b) => a - b)) {
    const key = `${v[3 * i]},${v[3 * i + 1]},${v[3 * i + 2]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v[3 * i], v[3 * i + 1], v[3 * i + 2]);
  }
  return Float32Array.from(out);
}
