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
  if (!(Number.isInteger(directions) && directions >= 4))
    throw new Error(`supportPoints: need an integer ≥ 4 directions, got ${directions}`);
  return extremePoints(mesh.vertices, fibonacciDirections(directions));
}

/** `count` unit vectors spread evenly over the sphere (Fibonacci lattice), packed xyz. */
export function fibonacciDirections(count: number): Float64Array {
  const out = new Float64Array(count * 3);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let k = 0; k < count; k++) {
    const z = 1 - (2 * k + 1) / count;
    const r = Math.sqrt(1 - z * z);
    out[3 * k] = r * Math.cos(golden * k);
    out[3 * k + 1] = r * Math.sin(golden * k);
    out[3 * k + 2] = z;
  }
  return out;
}

/** The distinct points of packed xyz `points` that are farthest along each of the packed `directions`. */
export function extremePoints(points: Float32Array, directions: Float64Array): Float32Array {
  const n = points.length / 3;
  if (n === 0) throw new Error('supportPoints: there are no points');
  const chosen = new Set<number>();
  for (let k = 0; k < directions.length; k += 3) {
    const dx = directions[k],
      dy = directions[k + 1],
      dz = directions[k + 2];
    let best = 0,
      bestDot = -Infinity;
    for (let i = 0; i < n; i++) {
      const d = dx * points[3 * i] + dy * points[3 * i + 1] + dz * points[3 * i + 2];
      if (d > bestDot) {
        bestDot = d;
        best = i;
      }
    }
    chosen.add(best);
  }
  // Ascending point order keeps the output independent of which direction found a point first; meshes with
  // split vertices (STL) repeat a position under several indices, which would only give MuJoCo duplicate points.
  const seen = new Set<string>();
  const out: number[] = [];
  for (const i of [...chosen].sort((a, b) => a - b)) {
    const key = `${points[3 * i]},${points[3 * i + 1]},${points[3 * i + 2]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(points[3 * i], points[3 * i + 1], points[3 * i + 2]);
  }
  return Float32Array.from(out);
}
