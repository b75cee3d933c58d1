// Closing the jaws: each finger pad moves along the grasp axis until it first touches the surface.
import type { MeshIndex } from '../../geometry/bvh.js';
import { cross, type Vec3 } from '../../geometry/vector.js';
import type { Contact } from './contact.js';
import type { ParallelJawGripper } from '../gripper.js';
import { approachDirection, jawEndpoints, type ParallelJawGrasp } from './parallel-jaw-grasp.js';
import { padContact } from './pad-contact.js';

export interface ContactOptions {
  /**
   * How the jaws find the surface: `pad` (default) finds the exact first touch of the finger's whole inner face
   * (pad-contact.ts), with the normal a rigid flat pad meets (the pad's own on a vertex, edge or ridge; the face's
   * where the pad's rim lands on a face); `rays` casts the central ray and a ring of `footprintRays` over a disc of
   * the finger radius and averages the hit triangles' normals, which tilts the normal of a pad resting on an edge by
   * half the edge's angle (the earlier model; issue 14's referee disagreements).
   */
  model?: 'rays' | 'pad';
  /** `rays` model: rays on a ring of the pad's radius besides the central one (0 = the line of action only, as Dex-Net). */
  footprintRays?: number;
  /** Hits within this distance of the first touch form the contact patch (m). */
  patchTolerance?: number;
  /**
   * How the contact normal is taken: `triangle` (default) averages the normals of the hit triangles of the pad's
   * patch; `smoothed` averages every triangle within `smoothingRadius` of the contact point, by area and distance
   * (MeshIndex.smoothedNormal), like Dex-Net's normal from the gradient of a signed distance field.
   */
  normals?: 'triangle' | 'smoothed';
  /** Radius of the smoothed normal (m, default 2 mm: about two cells of Dex-Net's 100³ SDF of a 10 cm object). */
  smoothingRadius?: number;
}

export const DEFAULT_SMOOTHING_RADIUS = 0.002;

export type JawClosing =
  | { ok: true; contacts: [Contact, Contact]; /** distance between the pads when they stop (m) */ closedWidth: number }
  | { ok: false; reason: string };

const DEFAULT_FOOTPRINT_RAYS = 6;
const DEFAULT_PATCH_TOLERANCE = 0.001;

/**
 * Closes both jaws of `grasp` on the mesh. A jaw that travels the whole opening without touching, or
 * whose pad starts inside the object, gives `{ ok: false, reason }` — never a made-up contact.
 */
export function closeJaws(
  index: MeshIndex,
  grasp: ParallelJawGrasp,
  gripper: ParallelJawGripper,
  options: ContactOptions = {},
): JawClosing {
  const [s1, s2] = jawEndpoints(grasp);
  const a = grasp.axis;
  const back: Vec3 = [-a[0], -a[1], -a[2]];
  let touch: (start: Vec3, dir: Vec3) => ReturnType<typeof jawContact>;
  if ((options.model ?? 'pad') === 'pad' && options.footprintRays === undefined && options.normals === undefined) {
    // The finger's inner face in the gripper frame: x = axis × approach across, the approach along (collision.ts).
    const along = approachDirection(grasp);
    const across = cross(a, along);
    const tol = options.patchTolerance ?? DEFAULT_PATCH_TOLERANCE;
    const halfWidth = gripper.fingerRadius,
      alongMin = gripper.fingertipOffset - gripper.fingerLength,
      alongMax = gripper.fingertipOffset;
    touch = (start, dir) =>
      padContact(index, { start, dir, across, along, halfWidth, alongMin, alongMax }, grasp.width, tol);
  } else touch = (start, dir) => jawContact(index, start, dir, grasp.width, gripper.fingerRadius, options);
  const c1 = touch(s1, a);
  if (typeof c1 === 'string') return { ok: false, reason: `jaw 1 ${c1}` };
  const c2 = touch(s2, back);
  if (typeof c2 === 'string') return { ok: false, reason: `jaw 2 ${c2}` };
  const closedWidth = grasp.width - c1.travel - c2.travel;
  if (closedWidth <= 0) return { ok: false, reason: 'jaws meet before both touch the object' };
  return { ok: true, contacts: [c1.contact, c2.contact], closedWidth };
}

function jawContact(
  index: MeshIndex,
  start: Vec3,
  dir: Vec3,
  maxTravel: number,
  radius: number,
  options: ContactOptions,
): { contact: Contact; travel: number } | string {
  const rays = options.footprintRays ?? DEFAULT_FOOTPRINT_RAYS;
  const tol = options.patchTolerance ?? DEFAULT_PATCH_TOLERANCE;
  // Two unit vectors spanning the pad's plane.
  const u = Math.abs(dir[0]) < 0.9 ? cross(dir, [1, 0, 0]) : cross(dir, [0, 1, 0]);
  const un = Math.hypot(u[0], u[1], u[2]);
  u[0] /= un;
  u[1] /= un;
  u[2] /= un;
  const v = cross(dir, u);

  const hits: { d: number; p: Vec3; n: Vec3 }[] = [];
  let first = Infinity;
  for (let k = 0; k <= rays; k++) {
    let ox = start[0],
      oy = start[1],
      oz = start[2];
    if (k > 0) {
      const th = (2 * Math.PI * (k - 1)) / rays;
      const cu = radius * Math.cos(th),
        sv = radius * Math.sin(th);
      ox += cu * u[0] + sv * v[0];
      oy += cu * u[1] + sv * v[1];
      oz += cu * u[2] + sv * v[2];
    }
    // Unlimited range so that a pad starting inside the object sees the back face it would exit through.
    const hit = index.raycast([ox, oy, oz], dir);
    if (!hit) continue;
    const facing = hit.normal[0] * dir[0] + hit.normal[1] * dir[1] + hit.normal[2] * dir[2];
    if (facing > 0) return 'starts inside the object';
    if (hit.distance > maxTravel) continue;
    hits.push({ d: hit.distance, p: hit.point, n: hit.normal });
    if (hit.distance < first) first = hit.distance;
  }
  if (hits.length === 0) return 'misses the object';

  let px = 0,
    py = 0,
    pz = 0,
    nx = 0,
    ny = 0,
    nz = 0,
    count = 0;
  for (const h of hits) {
    if (h.d > first + tol) continue;
    px += h.p[0];
    py += h.p[1];
    pz += h.p[2];
    nx += h.n[0];
    ny += h.n[1];
    nz += h.n[2];
    count++;
  }
  let nn = Math.hypot(nx, ny, nz);
  if (!(nn > 1e-9)) return 'touches a knife edge with no defined normal';
  const point: Vec3 = [px / count, py / count, pz / count];
  if (options.normals === 'smoothed') {
    // The patch centre lies on the surface up to the patch's relief; the smoothing disc reaches past that.
    const smoothed = index.smoothedNormal(point, options.smoothingRadius ?? DEFAULT_SMOOTHING_RADIUS, [
      nx / nn,
      ny / nn,
      nz / nn,
    ]);
    if (smoothed) {
      [nx, ny, nz] = smoothed;
      nn = 1;
    }
  }
  return {
    contact: {
      point,
      inwardNormal: [-nx / nn, -ny / nn, -nz / nn],
      approachDirection: [dir[0], dir[1], dir[2]],
    },
    travel: first,
  };
}
