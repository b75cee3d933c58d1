// Grasp wrench sets: the 6-D wrenches the contacts' friction cones (and soft-finger torsion) can exert on the object.
import type { Contact } from './contact.js';
import type { Vec3 } from '../../geometry/vector.js';
import { DEFAULT_TANGENT_FALLBACK, DEFAULT_TANGENT_REFERENCE, frictionConeEdgesInto } from './friction-cone.js';

/** Settings of the wrench-space quality metrics; defaults are dex-net's Ferrari–Canny settings. */
export interface QualityConfig {
  /** Coulomb friction coefficient μ. */
  readonly frictionCoef: number;
  /** Number of edges each friction cone is discretised into. */
  readonly numConeFaces: number;
  /** Add ±torsion columns per contact (soft-finger model) so torque about the normal can be resisted. */
  readonly softFingers: boolean;
  /** Finger contact radius r (m); torsion magnitude is π r² μ m. */
  readonly fingerRadius: number;
  /** Multiplies the torque rows of the grasp matrix (dex-net grasp_matrix); 1000 balances N against N·m on ~cm objects. */
  readonly torqueScaling: number;
  /** The origin counts as outside the wrench hull when the hull's min-norm point is farther than this. */
  readonly wrenchNormThresh: number;
  /** Tikhonov term added to the min-norm-point normal equations. */
  readonly wrenchRegularizer: number;
  /** Object-frame axis the first cone tangent follows; rotate it with the object to keep ε frame-independent. */
  readonly tangentReference: Readonly<Vec3>;
  /** Axis the first tangent follows when a normal is parallel to tangentReference (rotate it too). */
  readonly tangentFallback: Readonly<Vec3>;
}

export const DEFAULT_QUALITY_CONFIG: Readonly<QualityConfig> = Object.freeze({
  frictionCoef: 0.5,
  numConeFaces: 8,
  softFingers: true,
  fingerRadius: 0.01,
  torqueScaling: 1000,
  wrenchNormThresh: 1e-3,
  wrenchRegularizer: 1e-10,
  tangentReference: DEFAULT_TANGENT_REFERENCE,
  tangentFallback: DEFAULT_TANGENT_FALLBACK,
});

/** Defaults overridden by whatever the caller sets. */
export function qualityConfig(overrides: Partial<QualityConfig> = {}): QualityConfig {
  return { ...DEFAULT_QUALITY_CONFIG, ...overrides };
}

/** Number of wrenches (grasp-matrix columns) for `numContacts` contacts under `config`. */
export function wrenchCount(numContacts: number, config: Readonly<QualityConfig> = DEFAULT_QUALITY_CONFIG): number {
  return numContacts * (config.numConeFaces + (config.softFingers ? 2 : 0));
}

/**
 * Writes the grasp matrix into `out`, one wrench per 6 consecutive numbers [f; torqueScaling·((p − com) × f)],
 * forces already scaled by each contact's normal-force magnitude m. Per contact: numConeFaces cone edges,
 * then (soft fingers) the two torsion wrenches [0; ±torqueScaling·π r² μ m n]. Returns the number of
 * wrenches written, or 0 when some contact slips (the grasp then has no quality at all).
 */
export function graspMatrixInto(
  contacts: readonly Contact[],
  com: Readonly<Vec3>,
  config: Readonly<QualityConfig>,
  out: Float64Array,
): number {
  const faces = config.numConeFaces;
  const ts = config.torqueScaling;
  const torsion = ts * Math.PI * config.fingerRadius * config.fingerRadius * config.frictionCoef;
  let w = 0;
  for (const contact of contacts) {
    // Cone edges go straight into the force rows of their wrench slots; they are spread out below.
    const base = 6 * w;
    const m = frictionConeEdgesInto(
      contact,
      config.frictionCoef,
      faces,
      out,
      base,
      config.tangentReference,
      config.tangentFallback,
    );
    if (m < 0) return 0;
    const rx = contact.point[0] - com[0],
      ry = contact.point[1] - com[1],
      rz = contact.point[2] - com[2];
    // Walk backwards so the packed xyz triples are not overwritten before they are read.
    for (let j = faces - 1; j >= 0; j--) {
      const fx = m * out[base + 3 * j],
        fy = m * out[base + 3 * j + 1],
        fz = m * out[base + 3 * j + 2];
      const o = base + 6 * j;
      out[o] = fx;
      out[o + 1] = fy;
      out[o + 2] = fz;
      out[o + 3] = ts * (ry * fz - rz * fy);
      out[o + 4] = ts * (rz * fx - rx * fz);
      out[o + 5] = ts * (rx * fy - ry * fx);
    }
    w += faces;
    if (config.softFingers) {
      const n = contact.inwardNormal;
      const k = torsion * m;
      for (let sgn = 1; sgn >= -1; sgn -= 2) {
        const o = 6 * w;
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
        out[o + 3] = sgn * k * n[0];
        out[o + 4] = sgn * k * n[1];
        out[o + 5] = sgn * k * n[2];
        w++;
      }
    }
  }
  return w;
}

/** The grasp matrix as a fresh array of wrenches (6 numbers each), or null when some contact slips. */
export function graspMatrix(
  contacts: readonly Contact[],
  com: Readonly<Vec3>,
  config: Readonly<QualityConfig> = DEFAULT_QUALITY_CONFIG,
): Float64Array | null {
  const out = new Float64Array(6 * wrenchCount(contacts.length, config));
  return graspMatrixInto(contacts, com, config, out) > 0 || contacts.length === 0 ? out : null;
}
