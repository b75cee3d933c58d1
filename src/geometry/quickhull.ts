// A 3-D quickhull of our own that always terminates and stays convex. quickhull3d (which this replaces) merges nearly
// coplanar faces under a float tolerance and can corrupt its half-edge rings on them: on a Sweet Home 3D CCTV camera
// (6,659 vertices) one call never returned. Here faces stay triangles (coplanar ones included) and whether a face sees
// a point is decided by an exact orientation predicate (robust-orientation: Shewchuk's adaptive arithmetic), so the
// visible region is always a disc and slivers cannot fold the surface; floats only pick the farthest point. Every
// point leaves the conflict lists once, so the loop is bounded, and the horizon is checked to be one simple loop
// before anything changes, so the result is a closed, consistently oriented triangle mesh or an error.
// @ts-expect-error -- robust-orientation ships no declaration file; typed through `Orient3d` below
import orientation from 'robust-orientation';

/** Negative when d lies in front of the triangle a, b, c (counter-clockwise seen from that side), exactly. */
type Orient3d = (a: number[], b: number[], c: number[], d: number[]) => number;
const orient3d = (orientation as Record<number, Orient3d>)[4];

/**
 * A face whose edge vectors u, v have |u × v| ≥ this × |u| |v| (an angle above ~10⁻⁴ rad) has a float normal good to
 * ~10⁻¹² of its length, so a float distance beyond FLOAT_MARGIN of the coordinates' scale has the exact sign.
 */
const SLIVER_SINE = 1e-4;
const FLOAT_MARGIN = 1e-9;

/**
 * Triangles (vertex indices into `points`, counter-clockwise seen from outside) of the convex hull of the first
 * `count` xyz triples. `start` is a proper tetrahedron of them (from the caller's degeneracy check). Points on the
 * hull's surface but not at its corners may or may not become vertices.
 */
export function quickhull(
  points: ArrayLike<number>,
  count: number,
  start: readonly [number, number, number, number],
): number[][] {
  const P = points;
  // The predicate takes [x, y, z] arrays: made for the few points that reach it.
  const xyz: number[][] = new Array<number[]>(count);
  const at = (i: number): number[] => (xyz[i] ??= [P[3 * i], P[3 * i + 1], P[3 * i + 2]]);
  // Faces as parallel arrays: vertices, plane (unit normal, offset), the face across each edge k (v[k] → v[k+1]),
  // alive flag and conflict list.
  const fv: number[] = [];
  const fn: number[] = [];
  const nb: number[] = [];
  const alive: boolean[] = [];
  const outside: number[][] = [];
  const mark: number[] = [];
  const wellShaped: boolean[] = [];
  let stamp = 0;

  const dist = (f: number, p: number): number =>
    fn[4 * f] * P[3 * p] + fn[4 * f + 1] * P[3 * p + 1] + fn[4 * f + 2] * P[3 * p + 2] - fn[4 * f + 3];
  // Float distances decide when far from the plane of a well-shaped face; the exact predicate decides the rest.
  let scale = 0;
  for (let i = 0; i < 3 * count; i++) scale = Math.max(scale, Math.abs(P[i]));
  const sure = FLOAT_MARGIN * scale;
  const sees = (f: number, p: number): boolean => {
    if (wellShaped[f]) {
      const d = dist(f, p);
      if (d > sure) return true;
      if (d < -sure) return false;
    }
    return orient3d(at(fv[3 * f]), at(fv[3 * f + 1]), at(fv[3 * f + 2]), at(p)) < 0;
  };

  const addFace = (a: number, b: number, c: number): number => {
    const f = alive.length;
    const ux = P[3 * b] - P[3 * a],
      uy = P[3 * b + 1] - P[3 * a + 1],
      uz = P[3 * b + 2] - P[3 * a + 2];
    const vx = P[3 * c] - P[3 * a],
      vy = P[3 * c + 1] - P[3 * a + 1],
      vz = P[3 * c + 2] - P[3 * a + 2];
    let nx = uy * vz - uz * vy,
      ny = uz * vx - ux * vz,
      nz = ux * vy - uy * vx;
    const len = Math.hypot(nx, ny, nz);
    // A sliver's normal is whatever its rounding gives (it is still a valid face of the closed surface): only a
    // well-shaped face's float distances may settle which side a point is on.
    wellShaped.push(len > SLIVER_SINE * Math.hypot(ux, uy, uz) * Math.hypot(vx, vy, vz));
    if (len > 0) {
      nx /= len;
      ny /= len;
      nz /= len;
    }
    fv.push(a, b, c);
    fn.push(nx, ny, nz, nx * P[3 * a] + ny * P[3 * a + 1] + nz * P[3 * a + 2]);
    nb.push(-1, -1, -1);
    alive.push(true);
    outside.push([]);
    mark.push(0);
    return f;
  };
  const link = (f: number, k: number, g: number, j: number): void => {
    nb[3 * f + k] = g;
    nb[3 * g + j] = f;
  };
  /** The edge of g that runs b → a (f's edge a → b seen from g), or −1. */
  const edgeOf = (g: number, a: number, b: number): number => {
    for (let j = 0; j < 3; j++) if (fv[3 * g + j] === b && fv[3 * g + ((j + 1) % 3)] === a) return j;
    return -1;
  };
  /** edgeOf where the faces are known neighbours. */
  const edgeBack = (g: number, a: number, b: number): number => {
    const j = edgeOf(g, a, b);
    if (j < 0) throw new Error('quickhull: broken adjacency');
    return j;
  };

  // The initial tetrahedron, each face turned so the fourth point lies behind it.
  const [s0, s1, s2, s3] = start;
  const tet = [
    [s0, s1, s2, s3],
    [s0, s3, s1, s2],
    [s1, s3, s2, s0],
    [s0, s2, s3, s1],
  ];
  const initial: number[] = [];
  for (const [a, b, c, d] of tet) {
    let f = addFace(a, b, c);
    if (sees(f, d)) {
      alive[f] = false;
      f = addFace(a, c, b);
    }
    initial.push(f);
  }
  for (const f of initial)
    for (let k = 0; k < 3; k++) {
      if (nb[3 * f + k] >= 0) continue;
      const a = fv[3 * f + k],
        b = fv[3 * f + ((k + 1) % 3)];
      for (const g of initial) {
        const j = edgeOf(g, a, b); // never f itself: a triangle has no edge both ways
        if (j >= 0) link(f, k, g, j);
      }
    }

  const assign = (p: number, faces: readonly number[]): void => {
    let best = -1,
      bestDist = -Infinity;
    for (const f of faces) {
      if (!sees(f, p)) continue;
      const d = dist(f, p);
      if (d > bestDist) {
        bestDist = d;
        best = f;
      }
    }
    if (best >= 0) outside[best].push(p);
  };
  for (let p = 0; p < count; p++) if (p !== s0 && p !== s1 && p !== s2 && p !== s3) assign(p, initial);

  for (let f = 0; f < alive.length; f++) {
    while (alive[f] && outside[f].length > 0) {
      const list = outside[f];
      let pi = 0,
        far = dist(f, list[0]);
      for (let i = 1; i < list.length; i++) {
        const d = dist(f, list[i]);
        if (d > far) {
          far = d;
          pi = i;
        }
      }
      const p = list[pi];
      list[pi] = list[list.length - 1];
      list.pop();

      // The visible region from f, walked depth-first so its horizon comes out as a loop in order: [face, edge].
      stamp++;
      const horizon: number[] = [];
      const visible: number[] = [f];
      mark[f] = stamp;
      const stack: number[] = [f, 0, 0]; // face, next edge offset, entry edge
      while (stack.length > 0) {
        const top = stack.length - 3;
        const g = stack[top],
          i = stack[top + 1],
          entry = stack[top + 2];
        if (i === 3) {
          stack.length = top;
          continue;
        }
        stack[top + 1] = i + 1;
        const k = (entry + i) % 3;
        if (g !== f && i === 0) continue; // the edge it was entered by
        const h = nb[3 * g + k];
        if (mark[h] === stamp) continue;
        if (sees(h, p)) {
          mark[h] = stamp;
          visible.push(h);
          const back = edgeBack(h, fv[3 * g + k], fv[3 * g + ((k + 1) % 3)]);
          stack.push(h, 0, back);
        } else horizon.push(g, k);
      }

      // One simple loop: each edge ends where the next begins, no vertex twice.
      const n = horizon.length / 2;
      const starts = new Set<number>();
      let simple = n >= 3;
      for (let e = 0; e < n && simple; e++) {
        const g = horizon[2 * e],
          k = horizon[2 * e + 1];
        const a = fv[3 * g + k],
          b = fv[3 * g + ((k + 1) % 3)];
        const g2 = horizon[2 * ((e + 1) % n)],
          k2 = horizon[2 * ((e + 1) % n) + 1];
        if (starts.has(a) || fv[3 * g2 + k2] !== b) simple = false;
        starts.add(a);
      }
      // Exact orientation tests make the region a point sees a disc; anything else is a bug, not an input to skip.
      if (!simple) throw new Error(`quickhull: the faces point ${p} sees do not form a disc`);

      // Replace the visible faces by a fan from p over the horizon.
      const fresh: number[] = [];
      for (let e = 0; e < n; e++) {
        const g = horizon[2 * e],
          k = horizon[2 * e + 1];
        const a = fv[3 * g + k],
          b = fv[3 * g + ((k + 1) % 3)];
        const outer = nb[3 * g + k];
        const nf = addFace(a, b, p);
        link(nf, 0, outer, edgeBack(outer, a, b));
        fresh.push(nf);
      }
      for (let e = 0; e < n; e++) link(fresh[e], 1, fresh[(e + 1) % n], 2);
      const orphans: number[] = [];
      for (const g of visible) {
        alive[g] = false;
        for (const q of outside[g]) orphans.push(q);
        outside[g] = [];
      }
      for (const q of orphans) assign(q, fresh);
    }
  }

  const triangles: number[][] = [];
  for (let f = 0; f < alive.length; f++) if (alive[f]) triangles.push([fv[3 * f], fv[3 * f + 1], fv[3 * f + 2]]);
  return triangles;
}
