// Grasp quality on a mesh: close the jaws, then force closure and Ferrari–Canny ε; the robust ε is the
// mean ε over Monte-Carlo draws of grasp pose, object pose and friction noise (Dex-Net 2.0 labels).
import type { MeshIndex } from '../../geometry/bvh.js';
import { Random } from '../../core/random.js';
import type { Vec3 } from '../../geometry/vector.js';
import { drawPoseNoise, perturbInObjectFrame } from '../pose-noise.js';
import { closeJaws, type ContactOptions } from './contacts.js';
import { FerrariCannySolver } from './ferrari-canny.js';
import { forceClosure } from './force-closure.js';
import type { ParallelJawGripper } from '../gripper.js';
import type { ParallelJawGrasp } from './parallel-jaw-grasp.js';
import { graspMatrixInto, qualityConfig, wrenchCount, type QualityConfig } from './wrench.js';

export interface GraspQuality {
  /** Both jaws found the surface. */
  contactsFound: boolean;
  forceClosure: boolean;
  ferrariCanny: number;
  /** Distance between the contacts once the jaws close (m); 0 without contacts. */
  contactWidth: number;
  /** Why there is no quality (e.g. "jaw 1 misses the object"), when contacts were not found. */
  reason?: string;
}

/** Uncertainty of the robust metric (docs/dex-net-facts.md §2; standard deviations). */
export interface RobustnessNoise {
  samples: number;
  graspTranslationSigma: number;
  graspRotationSigma: number;
  objectTranslationSigma: number;
  objectRotationSigma: number;
  frictionSigma: number;
}

export const DEFAULT_ROBUSTNESS_NOISE: Readonly<RobustnessNoise> = Object.freeze({
  samples: 25,
  graspTranslationSigma: 0.005,
  graspRotationSigma: 0.001,
  objectTranslationSigma: 0.01,
  objectRotationSigma: 0.01,
  frictionSigma: 0.1,
});

/** Evaluates grasps on one object; build once per object and reuse it for every grasp. */
export class GraspQualityEvaluator {
  readonly config: QualityConfig;
  private readonly wrenches: Float64Array;
  private readonly solver = new FerrariCannySolver();

  constructor(
    readonly index: MeshIndex,
    readonly centerOfMass: Vec3,
    readonly gripper: ParallelJawGripper,
    config: Partial<QualityConfig> = {},
    readonly contactOptions: ContactOptions = {},
  ) {
    this.config = qualityConfig({ fingerRadius: gripper.fingerRadius, ...config });
    this.wrenches = new Float64Array(6 * wrenchCount(2, this.config));
  }

  /** Quality of the grasp exactly as given, at friction `mu` (default: the config's μ). */
  quality(grasp: ParallelJawGrasp, mu = this.config.frictionCoef, com: Vec3 = this.centerOfMass): GraspQuality {
    const closing = closeJaws(this.index, grasp, this.gripper, this.contactOptions);
    if (!closing.ok)
      return { contactsFound: false, forceClosure: false, ferrariCanny: 0, contactWidth: 0, reason: closing.reason };
    const [c1, c2] = closing.contacts;
    const contactWidth = closing.closedWidth;
    if (!forceClosure(c1, c2, mu)) return { contactsFound: true, forceClosure: false, ferrariCanny: 0, contactWidth };
    const config = mu === this.config.frictionCoef ? this.config : { ...this.config, frictionCoef: mu };
    const n = graspMatrixInto(closing.contacts, com, config, this.wrenches);
    const eps = n > 0 ? this.solver.epsilon(this.wrenches, n, config) : 0;
    return { contactsFound: true, forceClosure: true, ferrariCanny: eps, contactWidth };
  }

  /**
   * Mean ε over `noise.samples` perturbed copies of the grasp, seeded so the same seed gives the same
   * value. Object pose noise moves the object about its centre of mass; it is applied to the grasp as
   * the inverse motion, which leaves every contact–object relation (and so ε) as a moved object would.
   */
  robustFerrariCanny(grasp: ParallelJawGrasp, seed: number, noise: Partial<RobustnessNoise> = {}): number {
    const nz = { ...DEFAULT_ROBUSTNESS_NOISE, ...noise };
    const rng = new Random(seed);
    const com = this.centerOfMass;
    let sum = 0;
    for (let s = 0; s < nz.samples; s++) {
      const draw = drawPoseNoise(rng, nz);
      const mu = Math.max(0, rng.normal(this.config.frictionCoef, nz.frictionSigma));
      const moved = perturbInObjectFrame(grasp.center, grasp.axis, draw, com);
      const perturbed: ParallelJawGrasp = {
        center: moved.point,
        axis: moved.axis,
        width: grasp.width,
        approachAngle: grasp.approachAngle,
      };
      sum += this.quality(perturbed, mu).ferrariCanny;
    }
    return sum / nz.samples;
  }
}
