// Discretised Coulomb friction cones of point contacts: the edge forces a finger can exert and whether it slips.
import type { Contact } from './contact.js';
import type { Vec3 } from '../../geometry/vector.js';

/** Object-frame axis the first cone tangent is aligned with (dex-net aligns cones with the object x-axis). */
export const DEFAULT_TANGENT_REFERENCE: Readonly<Vec3> = [1, 0, 0];
/** Axis used instead when the normal is parallel to the reference (the object y-axis). */
export const DEFAULT_TANGENT_FALLBACK: Readonly<Vec3> = [0, 1, 0];

export interface FrictionCone {
  /** False when the contact slips (or presses with no normal force): the grasp then has quality 0. */
  readonly valid: boolean;
  /** m = max(0, approach · n): the share of a unit squeeze that acts along the normal. */
  readonly normalForce: number;
  /** Edge forces f_j = n + μ(cos θ_j t1 + sin θ_j t2), xyz per edge, not scaled by m and not renormalised. */
  readonly edges: Float64Array;
  readonly tangent1: Vec3;
  readonly tangent2: Vec3;
}

/**
 * Unit tangents (t1, t2) of the plane normal to the unit vector n, with t1 × t2 = n. t1 is `reference`
 * projected onto that plane, so cones turn with whatever frame the references are expressed in; when
 * the reference is (nearly) parallel to n, `fallback` is projected instead (rotate both with the object
 * to keep cones frame-independent there too), and failing that the world axis least aligned with n.
 */
export function contactTangents(
  n: Readonly<Vec3>,
  reference: Readonly<Vec3> = DEFAULT_TANGENT_REFERENCE,
  fallback: Readonly<Vec3> = DEFAULT_TANGENT_FALLBACK,
): [Vec3, Vec3] {
  const ax = Math.abs(n[0]),
    ay = Math.abs(n[1]),
    az = Math.abs(n[2]);
  const worst: Vec3 = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  let px = 0,
    py = 0,
    pz = 0,
    len = 0;
  for (const r of [reference, fallback, worst]) {
    const k = r[0] * n[0] + r[1] * n[1] + r[2] * n[2];
    px = r[0] - k * n[0];
    py = r[1] - k * n[1];
    pz = r[2] - k * n[2];
    len = Math.hypot(px, py, pz);
    // A reference within ~0.06° of the normal gives a phase that flips with rounding noise: skip it.
    if (len > 1e-6 * Math.hypot(r[0], r[1], r[2])) break;
  }
  const t1: Vec3 = [px / len, py / len, pz / len];
  // n × t1 completes the right-handed triple (t1, t2, n).
  const t2: Vec3 = [n[1] * t1[2] - n[2] * t1[1], n[2] * t1[0] - n[0] * t1[2], n[0] * t1[1] - n[1] * t1[0]];
  return [t1, t2];
}

/** m = max(0, approach · n): a jaw approaching at a slant pushes along the normal with only this share. */
export function normalForceMagnitude(contact: Contact): number {
  const a = contact.approachDirection,
    n = contact.inwardNormal;
  return Math.max(0, a[0] * n[0] + a[1] * n[1] + a[2] * n[2]);
}

/** True when the tangential part of the approach exceeds what friction can hold: |a − (a·n)n| > μ m. */
export function contactSlips(contact: Contact, frictionCoef: number): boolean {
  const a = contact.approachDirection,
    n = contact.inwardNormal;
  const an = a[0] * n[0] + a[1] * n[1] + a[2] * n[2];
  const tangential = Math.hypot(a[0] - an * n[0], a[1] - an * n[1], a[2] - an * n[2]);
  return tangential > frictionCoef * Math.max(0, an);
}

/**
 * Writes the numFaces edge forces of the contact's cone into out[offset..offset + 3·numFaces) and
 * returns m, or −1 when the contact slips or has no normal force (so callers on hot paths can skip
 * building the cone object).
 */
export function frictionConeEdgesInto(
  contact: Contact,
  frictionCoef: number,
  numFaces: number,
  out: Float64Array,
  offset: number,
  reference: Readonly<Vec3> = DEFAULT_TANGENT_REFERENCE,
  fallback: Readonly<Vec3> = DEFAULT_TANGENT_FALLBACK,
): number {
  const m = normalForceMagnitude(contact);
  if (!(m > 0) || contactSlips(contact, frictionCoef)) return -1;
  const n = contact.inwardNormal;
  const [t1, t2] = contactTangents(n, reference, fallback);
  for (let j = 0; j < numFaces; j++) {
    const phi = (2 * Math.PI * j) / numFaces;
    const c = frictionCoef * Math.cos(phi),
      s = frictionCoef * Math.sin(phi);
    const o = offset + 3 * j;
    out[o] = n[0] + c * t1[0] + s * t2[0];
    out[o + 1] = n[1] + c * t1[1] + s * t2[1];
    out[o + 2] = n[2] + c * t1[2] + s * t2[2];
  }
  return m;
}

/** The discretised friction cone of a contact (dex-net defaults: μ = 0.5, 8 faces). */
export function frictionCone(
  contact: Contact,
  frictionCoef = 0.5,
  numFaces = 8,
  reference: Readonly<Vec3> = DEFAULT_TANGENT_REFERENCE,
  fallback: Readonly<Vec3> = DEFAULT_TANGENT_FALLBACK,
): FrictionCone {
  const [tangent1, tangent2] = contactTangents(contact.inwardNormal, reference, fallback);
  const edges = new Float64Array(3 * numFaces);
  const n = contact.inwardNormal;
  for (let j = 0; j < numFaces; j++) {
    const phi = (2 * Math.PI * j) / numFaces;
    const c = frictionCoef * Math.cos(phi),
      s = frictionCoef * Math.sin(phi);
    for (let i = 0; i < 3; i++) edges[3 * j + i] = n[i] + c * tangent1[i] + s * tangent2[i];
  }
  const normalForce = normalForceMagnitude(contact);
  const valid = normalForce > 0 && !contactSlips(contact, frictionCoef);
  return { valid, normalForce, edges, tangent1, tangent2 };
}
