// The bin heaps are dropped into: the table plane z = 0 is its floor, four upright box walls stand around a
// rectangle centred on the world origin. Shared by the heap simulation (physics) and the heap renderer.
import { UserInputError } from '../core/errors.js';
import { createMesh, type Mesh } from '../geometry/mesh.js';
import { boxMesh } from '../geometry/primitives.js';
import type { Vec3 } from '../geometry/vector.js';

export interface Bin {
  /** Inner half-extents of the floor along x and y (m): the walls' inner faces stand at x = ±halfX, y = ±halfY. */
  halfX: number;
  halfY: number;
  /** Height of the walls above the floor (m). */
  wallHeight: number;
  /** Thickness of the walls (m). */
  wallThickness: number;
}

/**
 * A 30 × 30 cm tote with 10 cm walls. Dex-Net 2.1's drop points lie within ±10 cm of the centre, which leaves 5 cm
 * to each wall — about half the largest object (4–10 cm) — so dropped objects land inside; a camera 0.5 m or more
 * above the centre sees the whole floor past the 10 cm walls.
 */
export const DEFAULT_BIN: Readonly<Bin> = Object.freeze({
  halfX: 0.15,
  halfY: 0.15,
  wallHeight: 0.1,
  wallThickness: 0.01,
});

/** An axis-aligned box in the world frame. */
export interface WallBox {
  center: Vec3;
  halfSize: Vec3;
}

/**
 * The four walls as boxes: the x walls run the full outer width so the corners are closed, the y walls fit
 * between them (no box overlaps another, so a ray meets each wall's faces once).
 */
export function binWalls(bin: Bin): WallBox[] {
  const t = bin.wallThickness,
    h = bin.wallHeight / 2;
  const x = bin.halfX + t / 2,
    y = bin.halfY + t / 2;
  return [
    { center: [-x, 0, h], halfSize: [t / 2, bin.halfY + t, h] },
    { center: [x, 0, h], halfSize: [t / 2, bin.halfY + t, h] },
    { center: [0, -y, h], halfSize: [bin.halfX, t / 2, h] },
    { center: [0, y, h], halfSize: [bin.halfX, t / 2, h] },
  ];
}

/** The four walls as one mesh in the world frame (12 triangles a wall), for collision checks against the bin. */
export function binWallsMesh(bin: Bin): Mesh {
  const vertices: number[] = [],
    triangles: number[] = [];
  for (const w of binWalls(bin)) {
    const box = boxMesh(2 * w.halfSize[0], 2 * w.halfSize[1], 2 * w.halfSize[2]);
    const base = vertices.length / 3;
    for (let i = 0; i < box.vertices.length; i++) vertices.push(box.vertices[i] + w.center[i % 3]);
    for (const t of box.triangles) triangles.push(base + t);
  }
  return createMesh(vertices, triangles);
}

/**
 * The stretch [enter, exit] of the ray p + s·d (s in units of d's length, possibly negative) inside the box, written
 * to `out`; false when the line misses the box. The ray is clipped against the box's three slabs.
 */
export function rayBoxInterval(p: readonly number[], d: readonly number[], box: WallBox, out: Float64Array): boolean {
  let enter = -Infinity,
    exit = Infinity;
  for (let a = 0; a < 3; a++) {
    const lo = box.center[a] - box.halfSize[a],
      hi = box.center[a] + box.halfSize[a];
    if (d[a] === 0) {
      if (p[a] < lo || p[a] > hi) return false;
      continue;
    }
    const t0 = (lo - p[a]) / d[a],
      t1 = (hi - p[a]) / d[a];
    enter = Math.max(enter, Math.min(t0, t1));
    exit = Math.min(exit, Math.max(t0, t1));
  }
  out[0] = enter;
  out[1] = exit;
  return enter <= exit;
}

/** Whether a world point lies over the bin's floor (inside the walls' inner faces). */
export function overBinFloor(bin: Bin, x: number, y: number): boolean {
  return Math.abs(x) <= bin.halfX && Math.abs(y) <= bin.halfY;
}

/** Throws a UserInputError naming the field when a bin dimension is not a positive finite number. */
export function checkBin(bin: Bin, where = 'bin'): void {
  for (const key of ['halfX', 'halfY', 'wallHeight', 'wallThickness'] as const)
    if (!(Number.isFinite(bin[key]) && bin[key] > 0))
      throw new UserInputError(`${where}.${key} must be a positive number of metres, got ${bin[key]}`, {
        field: key,
      });
}
