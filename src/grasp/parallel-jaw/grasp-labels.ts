// Labels of sampled grasps on one object in one resting pose: the analytic ground truth the dataset learns.
import { MeshIndex } from '../../geometry/bvh.js';
import type { Mesh } from '../../geometry/mesh.js';
import { centerOfMass } from '../../geometry/mesh-properties.js';
import { Random } from '../../core/random.js';
import { RigidTransform } from '../../geometry/rigid-transform.js';
import { restingTransform, type StablePose } from '../../geometry/stable-poses.js';
import { mat3Transpose, mat3MulVec, type Vec3 } from '../../geometry/vector.js';
import { sampleAntipodalGrasps, type AntipodalSamplerOptions } from './antipodal-sampler.js';
import { checkGripperCollision } from './collision.js';
import type { ContactOptions } from './contacts.js';
import type { ParallelJawGripper } from '../gripper.js';
import type { Obstacle } from '../obstacles.js';
import { approachAngleToward, type ParallelJawGrasp } from './parallel-jaw-grasp.js';
import { GraspQualityEvaluator, type RobustnessNoise } from './quality.js';

export interface LabelledGrasp {
  grasp: ParallelJawGrasp;
  /** Distance between the contacts when the jaws close (m). */
  contactWidth: number;
  forceClosure: boolean;
  ferrariCanny: number;
  robustFerrariCanny: number;
  collisionFree: boolean;
}

/** What `GraspableObject.label` needs besides the grasp. */
export interface LabelOptions {
  /** Seed of the robust metric's Monte-Carlo draws: the same seed gives the same label. */
  seed: number;
  /** Noise model and number of draws of the robust metric (default: Dex-Net 2.0's, 25 draws). */
  noise?: Partial<RobustnessNoise>;
  /** Object → table transform, making the table an obstacle to the gripper (default: no table). */
  tableFromObject?: RigidTransform;
  /** Other meshes in the way of the approach (a heap's neighbours, the bin's walls; default none). */
  obstacles?: readonly Obstacle[];
  /**
   * Give a grasp the gripper cannot reach robust ε 0 without the draws (default false). Datasets zero it anyway: most
   * image candidates collide, and the draws are most of a label's cost.
   */
  skipRobustWhenColliding?: boolean;
}

/** An object ready for grasp analysis: mesh, BVH, centre of mass, evaluator. Build once, reuse. */
export class GraspableObject {
  readonly index: MeshIndex;
  readonly centerOfMass: Vec3;
  readonly evaluator: GraspQualityEvaluator;

  /** `contact`: how the labels' contacts are found (e.g. smoothed normals); sampling is unaffected. */
  constructor(
    readonly mesh: Mesh,
    readonly gripper: ParallelJawGripper,
    options: { contact?: ContactOptions } = {},
  ) {
    this.index = new MeshIndex(mesh);
    this.centerOfMass = centerOfMass(mesh);
    this.evaluator = new GraspQualityEvaluator(this.index, this.centerOfMass, gripper, {}, options.contact);
  }

  /** Object → table transform for a stable pose, with the object resting on z = 0. */
  tableFromObject(pose: StablePose): RigidTransform {
    const t = restingTransform(this.mesh, pose);
    return new RigidTransform(t.rotation, t.translation, 'object', 'table');
  }

  /**
   * Turns the grasp about its axis to the collision-free approach closest to straight down onto the table
   * (Dex-Net tries 32 approach angles); returns the top-down-most one, flagged, when none is free.
   */
  bestApproach(
    grasp: ParallelJawGrasp,
    tableFromObject: RigidTransform,
    angles = 32,
  ): { grasp: ParallelJawGrasp; collisionFree: boolean } {
    const down = mat3MulVec(mat3Transpose(tableFromObject.rotation), [0, 0, -1]);
    const base = approachAngleToward(grasp.axis, down);
    for (let k = 0; k < angles; k++) {
      // 0, +δ, −δ, +2δ, … : nearest to top-down first.
      const step = Math.ceil(k / 2) * (k % 2 === 1 ? 1 : -1);
      const candidate = { ...grasp, approachAngle: base + (step * 2 * Math.PI) / angles };
      if (checkGripperCollision(this.index, candidate, this.gripper, tableFromObject).collisionFree)
        return { grasp: candidate, collisionFree: true };
    }
    return { grasp: { ...grasp, approachAngle: base }, collisionFree: false };
  }

  /** Full label of one grasp: force closure, ε, robust ε over noisy draws, and collisions with the gripper. */
  label(grasp: ParallelJawGrasp, options: LabelOptions): LabelledGrasp {
    const { seed, noise = {}, tableFromObject, obstacles, skipRobustWhenColliding = false } = options;
    const q = this.evaluator.quality(grasp);
    const collisionFree = checkGripperCollision(
      this.index,
      grasp,
      this.gripper,
      tableFromObject,
      obstacles,
    ).collisionFree;
    return {
      grasp,
      contactWidth: q.contactWidth,
      forceClosure: q.forceClosure,
      ferrariCanny: q.ferrariCanny,
      robustFerrariCanny:
        collisionFree || !skipRobustWhenColliding ? this.evaluator.robustFerrariCanny(grasp, seed, noise) : 0,
      collisionFree,
    };
  }

  /** Samples antipodal grasps (optionally parallel to the table of `pose`) with a seeded generator. */
  sampleGrasps(seed: number, options: AntipodalSamplerOptions = {}, pose?: StablePose): ParallelJawGrasp[] {
    const tableNormal = pose ? mat3MulVec(mat3Transpose(pose.rotation), [0, 0, 1]) : undefined;
    return sampleAntipodalGrasps(this.index, this.gripper, new Random(seed), { tableNormal, ...options }).map(
      (s) => s.grasp,
    );
  }
}
