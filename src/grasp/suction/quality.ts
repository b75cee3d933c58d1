// Suction grasp quality on a mesh: seal, then wrench resistance against gravity and a disturbance; the robust label
// is the share of Monte-Carlo draws (REFERENCE §8's noise) in which the cup both seals and holds (Dex-Net 3.0).
import type { MeshIndex } from '../../geometry/bvh.js';
import { Random } from '../../core/random.js';
import { mat3MulVec, mat3Transpose, type Vec3 } from '../../geometry/vector.js';
import type { SuctionGripper } from '../gripper.js';
import { drawPoseNoise, perturbInObjectFrame, type PoseNoiseSigmas } from '../pose-noise.js';
import { SuctionSeal, type SealFailure, type SealOptions } from './seal.js';
import type { SuctionGrasp } from './suction-grasp.js';
import {
  GRAVITY,
  materialTorqueLimit,
  suctionWrenchSet,
  wrenchLimitBroken,
  type SuctionWrenchSet,
  type WrenchLimit,
} from './wrench-resistance.js';

/** What the object weighs and which way it is pulled, besides the cup. */
export interface SuctionLoad {
  /** Unit direction of gravity in the object frame (default −z: the object as posed on a table). */
  gravity: Vec3;
  /** Object mass (kg). */
  mass: number;
  centerOfMass: Vec3;
  /** Cup–object friction coefficient. */
  friction: number;
  /** Extra wrench on the object (force, then torque about the contact), object frame; default none. */
  disturbance?: ArrayLike<number>;
}

export interface SuctionQuality {
  sealed: boolean;
  /** Sealed, and the contact wrench set balances the load. */
  resists: boolean;
  /** Why the cup fails, when it does. */
  failure?: SealFailure | WrenchLimit;
  /** Largest spring strain of the seal model (Infinity when the ring misses the object). */
  maxStrain: number;
  /** Centre of the projected ring: where the contact wrench acts (object frame). */
  contactPoint: Vec3;
}

/** Uncertainty of the robust label (REFERENCE §8; standard deviations, the same reading as the jaw noise). */
export interface SuctionRobustnessNoise extends PoseNoiseSigmas {
  samples: number;
  centerOfMassSigma: number;
  frictionMean: number;
  frictionSigma: number;
  /** σ of each component of the disturbing wrench (N, N·m). */
  disturbanceSigma: number;
  mass: number;
}

export const DEFAULT_SUCTION_NOISE: Readonly<SuctionRobustnessNoise> = Object.freeze({
  samples: 25,
  graspTranslationSigma: 0.001,
  graspRotationSigma: 0.1,
  objectTranslationSigma: 0.001,
  objectRotationSigma: 0.1,
  centerOfMassSigma: 0.0025,
  frictionMean: 0.5,
  frictionSigma: 0.1,
  disturbanceSigma: 0.01,
  mass: 1,
});

export interface SuctionEvaluatorOptions {
  seal?: SealOptions;
  /** Override of π r κ (N·m), e.g. to compare readings of κ's units. */
  materialTorque?: number;
  /** Default gravity direction in the object frame. */
  gravity?: Vec3;
}

/** Evaluates suction grasps on one object; build once per object and reuse it for every grasp. */
export class SuctionQualityEvaluator {
  readonly seal: SuctionSeal;
  readonly materialTorque: number;
  readonly gravity: Vec3;
  /** The wrench set with the friction of the draw being tested (one object, mutated per call: no allocation). */
  private readonly wrenchSet: SuctionWrenchSet;
  private readonly disturbance = new Float64Array(6);

  constructor(
    readonly index: MeshIndex,
    readonly centerOfMass: Vec3,
    readonly gripper: SuctionGripper,
    options: SuctionEvaluatorOptions = {},
  ) {
    this.seal = new SuctionSeal(index, gripper, options.seal);
    this.materialTorque = options.materialTorque ?? materialTorqueLimit(gripper);
    this.gravity = options.gravity ?? [0, 0, -1];
    this.wrenchSet = suctionWrenchSet(gripper, DEFAULT_SUCTION_NOISE.frictionMean, this.materialTorque);
  }

  /** Seal and wrench resistance of the grasp exactly as given (every check runs, for reporting). */
  quality(grasp: SuctionGrasp, load: Partial<SuctionLoad> = {}): SuctionQuality {
    const { point, approach: v } = grasp;
    const sealFailure = this.seal.seal(point, v);
    const s = this.seal.meanDepth;
    const contactPoint: Vec3 = [point[0] + s * v[0], point[1] + s * v[1], point[2] + s * v[2]];
    const maxStrain = this.seal.maxStrain;
    if (sealFailure) return { sealed: false, resists: false, failure: sealFailure, maxStrain, contactPoint };
    const limit = this.wrenchLimit(contactPoint, v, {
      gravity: load.gravity ?? this.gravity,
      mass: load.mass ?? DEFAULT_SUCTION_NOISE.mass,
      centerOfMass: load.centerOfMass ?? this.centerOfMass,
      friction: load.friction ?? DEFAULT_SUCTION_NOISE.frictionMean,
      disturbance: load.disturbance,
    });
    if (limit) return { sealed: true, resists: false, failure: limit, maxStrain, contactPoint };
    return { sealed: true, resists: true, maxStrain, contactPoint };
  }

  /**
   * Share of `noise.samples` perturbed draws in which the cup seals and holds the object against gravity
   * (`gravity`, object frame) plus a random disturbance; the same seed gives the same value.
   */
  robustQuality(
    grasp: SuctionGrasp,
    seed: number,
    noise: Partial<SuctionRobustnessNoise> = {},
    gravity: Vec3 = this.gravity,
  ): number {
    const nz = { ...DEFAULT_SUCTION_NOISE, ...noise };
    const rng = new Random(seed);
    const com0 = this.centerOfMass,
      dist = this.disturbance;
    let successes = 0;
    for (let k = 0; k < nz.samples; k++) {
      const draw = drawPoseNoise(rng, nz);
      const dc = rng.normalVec3(nz.centerOfMassSigma);
      const friction = Math.min(1, Math.max(0, rng.normal(nz.frictionMean, nz.frictionSigma)));
      for (let j = 0; j < 6; j++) dist[j] = rng.normal(0, nz.disturbanceSigma);
      const { point, axis } = perturbInObjectFrame(grasp.point, grasp.approach, draw, com0);
      // Cheapest rejection first: ring rays and strain, then the load (no rays), then the cone and hole rays.
      if (this.seal.projectRing(point, axis)) continue;
      const s = this.seal.meanDepth;
      const contact: Vec3 = [point[0] + s * axis[0], point[1] + s * axis[1], point[2] + s * axis[2]];
      const load: SuctionLoad = {
        gravity: mat3MulVec(mat3Transpose(draw.objectRotation), gravity),
        mass: nz.mass,
        centerOfMass: [com0[0] + dc[0], com0[1] + dc[1], com0[2] + dc[2]],
        friction,
        disturbance: dist,
      };
      if (this.wrenchLimit(contact, axis, load)) continue;
      if (this.seal.checkInterior(point, axis)) continue;
      successes++;
    }
    return successes / nz.samples;
  }

  /** The first wrench-set limit the load breaks at a sealed contact, or null when the cup holds. */
  wrenchLimit(contact: Vec3, approach: Vec3, load: SuctionLoad): WrenchLimit | null {
    const w = load.mass * GRAVITY,
      g = load.gravity,
      com = load.centerOfMass,
      d = load.disturbance;
    let fx = w * g[0],
      fy = w * g[1],
      fz = w * g[2];
    // Weight acts at the centre of mass: its torque about the contact is (com − contact) × F.
    const rx = com[0] - contact[0],
      ry = com[1] - contact[1],
      rz = com[2] - contact[2];
    let tx = ry * fz - rz * fy,
      ty = rz * fx - rx * fz,
      tz = rx * fy - ry * fx;
    if (d) {
      fx += d[0];
      fy += d[1];
      fz += d[2];
      tx += d[3];
      ty += d[4];
      tz += d[5];
    }
    const set = this.wrenchSet;
    set.friction = load.friction;
    return wrenchLimitBroken(set, approach[0], approach[1], approach[2], fx, fy, fz, tx, ty, tz);
  }
}
