// Closed, outward-oriented primitive meshes built in code (examples, tests and procedural objects).
import { createMesh, type Mesh } from './mesh.js';

/** Axis-aligned box centred at the origin with the given full extents (12 triangles). */
export function boxMesh(sx: number, sy: number, sz: number): Mesh {
  const x = sx / 2,
    y = sy / 2,
    z = sz / 2;
  const v = [-x, -y, -z, x, -y, -z, x, y, -z, -x, y, -z, -x, -y, z, x, -y, z, x, y, z, -x, y, z];
  const t = [
    0,
    2,
    1,
    0,
    3,
    2, // -z
    4,
    5,
    6,
    4,
    6,
    7, // +z
    0,
    1,
    5,
    0,
    5,
    4, // -y
    2,
    3,
    7,
    2,
    7,
    6, // +y
    1,
    2,
    6,
    1,
    6,
    5, // +x
    0,
    4,
    7,
    0,
    7,
    3, // -x
  ];
  return createMesh(v, t);
}

function requirePositive(what: string, value: number): void {
  if (!(value > 0 && Number.isFinite(value)))
    throw new RangeError(`${what} must be a positive finite number, got ${value}`);
}

/**
 * Cylinder along z centred at the origin, its circular section approximated by a regular polygon of
 * `segments` sides inscribed in the circle (so its volume is (n/2)·r²·sin(2π/n)·h, just under πr²h).
 */
export function cylinderMesh(radius: number, height: number, segments = 32): Mesh {
  requirePositive('radius', radius);
  requirePositive('height', height);
  if (!(Number.isInteger(segments) && segments >= 3))
    throw new RangeError(`segments must be an integer ≥ 3, got ${segments}`);
  const n = segments;
  const h = height / 2;
  const v = new Float32Array((2 * n + 2) * 3);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const x = radius * Math.cos(a),
      y = radius * Math.sin(a);
    v.set([x, y, -h], i * 3);
    v.set([x, y, h], (n + i) * 3);
  }
  v.set([0, 0, -h], 2 * n * 3);
  v.set([0, 0, h], (2 * n + 1) * 3);
  const t = new Uint32Array(n * 12);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    t.set([i, j, n + j, i, n + j, n + i], k); // side wall, outward
    t.set([2 * n, j, i], k + 6); // bottom cap, facing −z
    t.set([2 * n + 1, n + i, n + j], k + 9); // top cap, facing +z
    k += 12;
  }
  return { vertices: v, triangles: t };
}

/**
 * Torus about the z axis (ring radius R, tube radius r): a smooth non-convex solid with
 * 2·ringSegments·tubeSegments triangles, used for benchmarks at realistic mesh sizes.
 */
export function torusMesh(ringRadius: number, tubeRadius: number, ringSegments = 100, tubeSegments = 100): Mesh {
  requirePositive('ringRadius', ringRadius);
  requirePositive('tubeRadius', tubeRadius);
  if (!(tubeRadius < ringRadius))
    throw new RangeError(`tubeRadius must be below ringRadius, got ${tubeRadius} ≥ ${ringRadius}`);
  const n = ringSegments,
    m = tubeSegments;
  if (!(Number.isInteger(n) && n >= 3 && Number.isInteger(m) && m >= 3))
    throw new RangeError('segments must be integers ≥ 3');
  const v = new Float32Array(n * m * 3);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    for (let j = 0; j < m; j++) {
      const b = (2 * Math.PI * j) / m;
      const rho = ringRadius + tubeRadius * Math.cos(b);
      v.set([rho * Math.cos(a), rho * Math.sin(a), tubeRadius * Math.sin(b)], (i * m + j) * 3);
    }
  }
  const t = new Uint32Array(n * m * 6);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const i2 = (i + 1) % n;
    for (let j = 0; j < m; j++) {
      const j2 = (j + 1) % m;
      const a = i * m + j,
        b = i2 * m + j,
        c = i2 * m + j2,
        d = i * m + j2;
      t.set([a, b, c, a, c, d], k);
      k += 6;
    }
  }
  return { vertices: v, triangles: t };
}

const ICOSAHEDRON_FACES = [
  0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8, 3, 9, 4, 3, 4, 2, 3,
  2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1,
];

/**
 * Sphere of the given radius centred at the origin: an icosahedron whose faces are split into four
 * `subdivisions` times, every vertex pushed onto the sphere (20·4^s triangles, all vertices on it).
 */
export function icosphereMesh(radius: number, subdivisions = 2): Mesh {
  requirePositive('radius', radius);
  if (!(Number.isInteger(subdivisions) && subdivisions >= 0 && subdivisions <= 7)) {
    throw new RangeError(`subdivisions must be an integer in 0..7, got ${subdivisions}`);
  }
  const g = (1 + Math.sqrt(5)) / 2;
  const points: number[] = [
    -1,
    g,
    0,
    1,
    g,
    0,
    -1,
    -g,
    0,
    1,
    -g,
    0,
    0,
    -1,
    g,
    0,
    1,
    g,
    0,
    -1,
    -g,
    0,
    1,
    -g,
    g,
    0,
    -1,
    g,
    0,
    1,
    -g,
    0,
    -1,
    -g,
    0,
    1,
  ];
  let faces = ICOSAHEDRON_FACES.slice();
  for (let s = 0; s < subdivisions; s++) {
    // Shared edges must get the same midpoint vertex or the sphere would have cracks.
    const midpoints = new Map<number, number>();
    const midpoint = (a: number, b: number): number => {
      const key = a < b ? a * 1e7 + b : b * 1e7 + a;
      const known = midpoints.get(key);
      if (known !== undefined) return known;
      const id = points.length / 3;
      points.push(
        (points[a * 3] + points[b * 3]) / 2,
        (points[a * 3 + 1] + points[b * 3 + 1]) / 2,
        (points[a * 3 + 2] + points[b * 3 + 2]) / 2,
      );
      midpoints.set(key, id);
      return id;
    };
    const next: number[] = [];
    for (let i = 0; i < faces.length; i += 3) {
      const a = faces[i],
        b = faces[i + 1],
        c = faces[i + 2];
      const ab = midpoint(a, b),
        bc = midpoint(b, c),
        ca = midpoint(c, a);
      next.push(a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca);
    }
    faces = next;
  }
  const v = new Float32Array(points.length);
  for (let i = 0; i < points.length; i += 3) {
    const s = radius / Math.hypot(points[i], points[i + 1], points[i + 2]);
    v[i] = points[i] * s;
    v[i + 1] = points[i + 1] * s;
    v[i + 2] = points[i + 2] * s;
  }
  return { vertices: v, triangles: Uint32Array.from(faces) };
}

/** Ellipsoid with semi-axes (rx, ry, rz) along x, y, z: a scaled icosphere. */
export function ellipsoidMesh(rx: number, ry: number, rz: number, subdivisions = 3): Mesh {
  requirePositive('rx', rx);
  requirePositive('ry', ry);
  requirePositive('rz', rz);
  const sphere = icosphereMesh(1, subdivisions);
  const v = sphere.vertices;
  for (let i = 0; i < v.length; i += 3) {
    v[i] *= rx;
    v[i + 1] *= ry;
    v[i + 2] *= rz;
  }
  return sphere;
}

/** Twice the signed area of a 2-D polygon given as [x, y] points (positive when counter-clockwise). */
function doubleSignedArea(points: ReadonlyArray<readonly [number, number]>): number {
  let s = 0;
  for (let i = 0, n = points.length; i < n; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[(i + 1) % n];
    s += x0 * y1 - x1 * y0;
  }
  return s;
}

/**
 * Triangulates a simple polygon (convex or not, no holes) by ear clipping. The points must be
 * counter-clockwise; the triangles index them and are counter-clockwise too. O(n³) worst case,
 * which is fine for the tens of points procedural profiles have.
 */
export function triangulatePolygon(points: ReadonlyArray<readonly [number, number]>): Uint32Array {
  const remaining = points.map((_, i) => i);
  const out: number[] = [];
  const cross = (o: number, a: number, b: number): number => {
    const [ox, oy] = points[o],
      [ax, ay] = points[a],
      [bx, by] = points[b];
    return (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);
  };
  let scale = 0;
  for (const [x, y] of points) scale = Math.max(scale, Math.abs(x), Math.abs(y));
  const eps = 1e-12 * scale * scale;
  const inside = (p: number, a: number, b: number, c: number): boolean =>
    cross(a, b, p) >= -eps && cross(b, c, p) >= -eps && cross(c, a, p) >= -eps;

  while (remaining.length > 3) {
    const m = remaining.length;
    let clipped = -1;
    // Prefer proper (strictly convex) ears; a collinear vertex is clipped only when nothing else is.
    for (let pass = 0; pass < 2 && clipped < 0; pass++) {
      for (let k = 0; k < m; k++) {
        const a = remaining[(k + m - 1) % m],
          b = remaining[k],
          c = remaining[(k + 1) % m];
        const turn = cross(a, b, c);
        if (pass === 0 ? !(turn > eps) : !(Math.abs(turn) <= eps)) continue;
        let blocked = false;
        if (pass === 0) {
          for (const p of remaining) {
            if (p === a || p === b || p === c) continue;
            const [px, py] = points[p];
            const same = (q: number): boolean => points[q][0] === px && points[q][1] === py;
            if (same(a) || same(b) || same(c)) continue;
            if (inside(p, a, b, c)) {
              blocked = true;
              break;
            }
          }
        }
        if (blocked) continue;
        out.push(a, b, c);
        clipped = k;
        break;
      }
    }
    if (clipped < 0)
      throw new Error('cannot triangulate polygon: it is not simple (edges cross) or not counter-clockwise');
    remaining.splice(clipped, 1);
  }
  out.push(remaining[0], remaining[1], remaining[2]);
  return Uint32Array.from(out);
}

/**
 * Closed prism: the simple polygon (x, y points, either winding, no repeated closing point needed)
 * extruded along z from −height/2 to +height/2, caps triangulated by ear clipping so non-convex
 * profiles (L, U, T parts) work.
 */
export function extrudePolygon(polygon: ReadonlyArray<readonly [number, number]>, height: number): Mesh {
  requirePositive('height', height);
  let points = polygon.filter((p, i) => {
    const q = polygon[(i + 1) % polygon.length];
    return !(p[0] === q[0] && p[1] === q[1]);
  });
  if (points.length < 3) throw new RangeError(`polygon needs at least 3 distinct points, got ${points.length}`);
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError('polygon coordinates must be finite numbers');
  }
  const area2 = doubleSignedArea(points);
  if (area2 === 0) throw new RangeError('polygon has zero area');
  if (area2 < 0) points = points.slice().reverse();
  const n = points.length;
  const h = height / 2;
  const v = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) {
    v.set([points[i][0], points[i][1], -h], i * 3);
    v.set([points[i][0], points[i][1], h], (n + i) * 3);
  }
  const cap = triangulatePolygon(points);
  const t = new Uint32Array(cap.length * 2 + n * 6);
  let k = 0;
  for (let i = 0; i < cap.length; i += 3) {
    t.set([n + cap[i], n + cap[i + 1], n + cap[i + 2]], k); // top, facing +z
    t.set([cap[i], cap[i + 2], cap[i + 1]], k + 3); // bottom, facing −z
    k += 6;
  }
  for (let i = 0; i < n; i++) {
    // Walking a counter-clockwise boundary, the outside is on the right: d × ẑ points out.
    const j = (i + 1) % n;
    t.set([i, j, n + j, i, n + j, n + i], k);
    k += 6;
  }
  return { vertices: v, triangles: t };
}

/**
 * A non-convex closed part: an L-shaped profile (legs `width` along x and `height` along y, both
 * `thickness` thick) extruded `depth` along z, centred on its bounding box.
 */
export function lBracketMesh(width = 0.08, height = 0.05, thickness = 0.012, depth = 0.04): Mesh {
  requirePositive('width', width);
  requirePositive('height', height);
  requirePositive('thickness', thickness);
  if (!(thickness < width && thickness < height))
    throw new RangeError('thickness must be smaller than width and height');
  const cx = width / 2,
    cy = height / 2;
  const profile: Array<[number, number]> = [
    [0, 0],
    [width, 0],
    [width, thickness],
    [thickness, thickness],
    [thickness, height],
    [0, height],
  ];
  return extrudePolygon(
    profile.map(([x, y]) => [x - cx, y - cy] as [number, number]),
    depth,
  );
}

/**
 * A U-shaped channel (base `width` along x, two walls `height` along y, all `thickness` thick)
 * extruded `depth` along z and centred on its bounding box: non-convex with a pocket a gripper can
 * straddle.
 */
export function uChannelMesh(width = 0.07, height = 0.05, thickness = 0.01, depth = 0.04): Mesh {
  requirePositive('width', width);
  requirePositive('height', height);
  requirePositive('thickness', thickness);
  if (!(2 * thickness < width && thickness < height))
    throw new RangeError('thickness must be under half the width and under the height');
  const cx = width / 2,
    cy = height / 2,
    w = width,
    th = thickness;
  const profile: Array<[number, number]> = [
    [0, 0],
    [w, 0],
    [w, height],
    [w - th, height],
    [w - th, th],
    [th, th],
    [th, height],
    [0, height],
  ];
  return extrudePolygon(
    profile.map(([x, y]) => [x - cx, y - cy] as [number, number]),
    depth,
  );
}
