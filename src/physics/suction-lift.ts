// The physics referee for a suction cup: a cup of the gripper's size on the arm carriage moves in along the grasp's
// approach until it touches, the vacuum is switched on once the lip seals (MuJoCo's adhesion actuator), the arm
// lifts 10 cm and shakes as for the jaws; the grasp succeeds when the object is still up and sealed at the end.
import type { Mesh } from '../geometry/mesh.js';
import { mat3ToQuaternion } from '../geometry/quaternion.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import { mat3MulVec, type Mat3, type Vec3 } from '../geometry/vector.js';
import { DEFAULT_SUCTION_GRIPPER, type SuctionGripper } from '../grasp/gripper.js';
import type { SuctionGrasp } from '../grasp/suction/suction-grasp.js';
import { ringStrain, SEAL_MAX_STRAIN } from '../grasp/suction/seal.js';
import { tangentAxes } from '../grasp/suction/suction-grasp.js';
import {
  checkStable,
  DEFAULT_PHYSICS_OPTIONS,
  Diverged,
  LIFT_KEPT,
  ObjectBodies,
  type TrialVerdict,
  simulateWithRetry,
  shakeDirection,
  shakeTarget,
  smoothstep,
  type PhysicsOutcome,
  type PhysicsRefereeOptions,
  type PhysicsVerdict,
} from './lift-and-shake.js';
import {
  carriageActuators,
  COLLIDES,
  num,
  objectSceneParts,
  piecesNearToolBox,
  sceneOpening,
  SCENE_NAMES,
  vec,
  type SceneEnvironment,
  type ToolBox,
} from './mjcf.js';
import type { MjData, MjModel, Mujoco } from './mujoco-runtime.js';

export interface SuctionRefereeOptions extends Pick<
  PhysicsRefereeOptions,
  | 'liftHeight'
  | 'shakeAmplitude'
  | 'shakeFrequency'
  | 'shakeCycles'
  | 'timestep'
  | 'solverIterations'
  | 'noslipIterations'
  | 'density'
  | 'settleSeconds'
  | 'liftSeconds'
  | 'holdSeconds'
> {
  /**
   * Total pull of the vacuum on a sealed object (N): the adhesion actuator's gain (its control is 0 or 1). Default
   * the gripper's `vacuumForce`. MuJoCo shares it equally among the cup's contacts and applies it along their normals,
   * which is what a pressure difference over the cup's area does. Held off its centre of mass, an object of weight
   * W then peels off once W·d > (V − W)·r/2 — with §8's V = 250 N about eleven times the analytic wrench set's
   * tangent-torque limit π r κ/√2 (κ read with r in mm). 250 N over a 15 mm cup is 14 atm, beyond any vacuum: a
   * perfect one pulls p_atm·π r² ≈ 18 N, at which the two limits nearly agree.
   */
  vacuumForce?: number;
  /** Where the cup starts, back along the approach from the target (m). */
  preGraspDistance: number;
  /** Time to travel from the pre-grasp pose to 1 cm past the target (s); the move stops at first touch. */
  approachSeconds: number;
  /** Contact force on the cup (N) that stops the approach. */
  approachForceLimit: number;
  /** Time the vacuum takes to build once the lip seals (s). */
  sealSeconds: number;
}

export const DEFAULT_SUCTION_PHYSICS_OPTIONS: Readonly<SuctionRefereeOptions> = Object.freeze({
  ...pick(DEFAULT_PHYSICS_OPTIONS),
  preGraspDistance: 0.05,
  approachSeconds: 0.4,
  approachForceLimit: 0.5,
  sealSeconds: 0.05,
});

function pick(
  o: Readonly<PhysicsRefereeOptions>,
): Omit<
  SuctionRefereeOptions,
  'preGraspDistance' | 'approachSeconds' | 'approachForceLimit' | 'sealSeconds' | 'vacuumForce'
> {
  const { liftHeight, shakeAmplitude, shakeFrequency, shakeCycles, timestep, solverIterations } = o;
  const { noslipIterations, density, settleSeconds, liftSeconds, holdSeconds } = o;
  return {
    liftHeight,
    shakeAmplitude,
    shakeFrequency,
    shakeCycles,
    timestep,
    solverIterations,
    noslipIterations,
    density,
    settleSeconds,
    liftSeconds,
    holdSeconds,
  };
}

export interface SuctionPhysicsInput {
  /** Object mesh in its own frame (m). */
  mesh: Mesh;
  /** Object → world (z up, table plane z = 0) of the object resting on the table. */
  objectToWorld: RigidTransform;
  /** The grasp in the object frame. */
  grasp: SuctionGrasp;
  /** Coulomb friction between cup, object and table. */
  friction: number;
  gripper?: SuctionGripper;
  /** Chooses the shake direction. */
  seed: number;
  options?: Partial<SuctionRefereeOptions>;
}

/** Segments of the cup's lip, as the seal model's ring (REFERENCE §8: n = 8). */
const LIP_SEGMENTS = 8;
/** Radius of the lip's and the cone's capsules (m). */
const LIP_THICKNESS = 0.0005;
/**
 * How far (m) one vertex of the compliant lip can reach past the ring's mean: the analytic seal lets each spring
 * stretch 10 %, and a ring vertex moved by δ along the axis stretches its apex spring by δ·h/√(r² + h²), so
 * δ = 0.1·(r² + h²)/h (1.9 mm for §8's cup).
 */
function sealGap(gripper: SuctionGripper): number {
  const r = gripper.radius,
    h = gripper.height;
  return (0.1 * (r * r + h * h)) / h;
}
/**
 * How far (m) the lip's vertices look for a surface: twice the seal gap, the farthest a vertex can be from the
 * rigid ring's first touch and still lie within the gap of the ring's mean. The vertices' contacts are found out to
 * this distance (MuJoCo's margin) but push only when touching (gap = margin).
 */
function lipReach(gripper: SuctionGripper): number {
  return 2 * sealGap(gripper);
}
/** Checks of the seal come every this many steps; the vacuum is lost after two failed checks in a row. */
const SEAL_CHECK_STEPS = 5;
/** Mass of the cup with its stem (kg). */
const CUP_MASS = 0.05;

export const SUCTION_SCENE_NAMES = Object.freeze({
  cupBody: 'cup',
  /** Carriage x, y, z, then the vacuum (adhesion, control 0 or 1). */
  actuators: ['arm_x', 'arm_y', 'arm_z', 'vacuum'] as const,
  /** Touch sensor (N) over the whole cup. */
  sensor: 'cup_touch',
  lip: (i: number) => `lip${i}`,
  /** The sphere at the lip's vertex i, which measures how far the surface is there. */
  rim: (i: number) => `rim${i}`,
});

export interface SuctionScene extends CupPlacement {
  xml: string;
  objectMass: number;
  /** The cup, whose compliant ring decides the seal from the distances its lip's vertices measure. */
  gripper: SuctionGripper;
}

/** MJCF of one suction trial. Throws `graspScene: …` for an empty or volumeless mesh or bad friction. */
export function suctionSceneMjcf(
  input: Omit<SuctionPhysicsInput, 'seed' | 'options'>,
  options: SuctionRefereeOptions,
): SuctionScene {
  const gripper = input.gripper ?? DEFAULT_SUCTION_GRIPPER;
  const placement = cupPlacement(input.grasp, input.objectToWorld, options.preGraspDistance);
  const sweep = cupSweep(gripper, options.preGraspDistance);
  const object = objectSceneParts(input, options, (pieces) => piecesNearToolBox(pieces, placement.cupToObject, sweep));
  const xml = suctionSceneXml('dexnet-suction-trial', object, placement, gripper, options);
  return { xml, ...placement, objectMass: object.mass, gripper };
}

/** The box the cup sweeps from the pre-grasp pose to the target, in the cup's frame (the lip's ring in z = 0). */
export function cupSweep(gripper: SuctionGripper, preGrasp: number): ToolBox {
  const r = gripper.radius;
  return { lo: [-r, -r, -gripper.height - preGrasp], hi: [r, r, 0.01] };
}

/** Where the cup goes for a suction grasp, whatever else is in the scene. */
export interface CupPlacement {
  /** Cup → the grasp's frame: z along the approach, origin at the target, the lip's ring in z = 0. */
  cupToObject: RigidTransform;
  /** Offset from the pre-grasp position to the target (world, m), and the world approach direction (unit). */
  approachOffset: Vec3;
  approach: Vec3;
  /** The carriage origin: the cup's pre-grasp position (world). */
  origin: Vec3;
  /** Cup → world rotation. */
  cupRotation: Mat3;
}

/** The cup's placement for `grasp`, given in the frame `objectToWorld` places (the identity for a world grasp). */
export function cupPlacement(
  grasp: SuctionGrasp,
  objectToWorld: RigidTransform,
  preGraspDistance: number,
): CupPlacement {
  const [e1, e2] = tangentAxes(grasp.approach);
  const v = grasp.approach;
  const cupToObject = new RigidTransform(
    [e1[0], e2[0], v[0], e1[1], e2[1], v[1], e1[2], e2[2], v[2]] as Mat3,
    grasp.point,
    'cup',
    'object',
  );
  const approach = mat3MulVec(objectToWorld.rotation, v);
  const target = objectToWorld.applyToPoint(grasp.point);
  const d = preGraspDistance;
  const approachOffset: Vec3 = [approach[0] * d, approach[1] * d, approach[2] * d];
  const origin: Vec3 = [target[0] - approachOffset[0], target[1] - approachOffset[1], target[2] - approachOffset[2]];
  return { cupToObject, approachOffset, approach, origin, cupRotation: objectToWorld.compose(cupToObject).rotation };
}

/**
 * A suction scene's MJCF: `environment`'s assets and bodies (the table and one object, or a bin with a heap) and the
 * cup on its carriage, placed by `placement`. The cup's frame: the lip's ring in z = 0, the cone's apex at z = −h.
 */
export function suctionSceneXml(
  model: string,
  environment: SceneEnvironment,
  placement: CupPlacement,
  gripper: SuctionGripper,
  options: Pick<SuctionRefereeOptions, 'timestep' | 'solverIterations' | 'noslipIterations' | 'vacuumForce'>,
): string {
  const r = gripper.radius,
    h = gripper.height;
  const reach = lipReach(gripper);
  const ring = Array.from({ length: LIP_SEGMENTS }, (_, i): Vec3 => {
    const a = (2 * Math.PI * i) / LIP_SEGMENTS;
    return [r * Math.cos(a), r * Math.sin(a), 0];
  });
  const cupGeom = `${COLLIDES.gripper} condim="4" friction="${environment.contactFriction}" mass="0"`;
  const capsule = (name: string, a: Vec3, b: Vec3) =>
    `<geom name="${name}" type="capsule" fromto="${vec(a)} ${vec(b)}" size="${LIP_THICKNESS}" ${cupGeom}/>`;
  const lips = ring.map((p, i) => capsule(SUCTION_SCENE_NAMES.lip(i), p, ring[(i + 1) % LIP_SEGMENTS]!));
  // Spheres on the capsules' joints: where the analytic ring's vertices sit, and where the seal is measured.
  const rims = ring.map(
    (p, i) =>
      `<geom name="${SUCTION_SCENE_NAMES.rim(i)}" type="sphere" pos="${vec(p)}" size="${LIP_THICKNESS}" ${cupGeom} margin="${num(reach)}" gap="${num(reach)}"/>`,
  );
  const apex: Vec3 = [0, 0, -h];
  const cone = ring.map((p, i) => capsule(`cone${i}`, p, apex));
  const toolMass = CUP_MASS + 0.5;
  const vacuum = options.vacuumForce ?? gripper.vacuumForce;

  return `${sceneOpening(model, options, environment, placement.origin)}
      <body name="${SUCTION_SCENE_NAMES.cupBody}" quat="${vec(mat3ToQuaternion(placement.cupRotation))}" gravcomp="1">
        <inertial pos="0 0 ${num(-h)}" mass="${CUP_MASS}" diaginertia="1e-5 1e-5 1e-5"/>
        ${lips.join('\n        ')}
        ${rims.join('\n        ')}
        ${cone.join('\n        ')}
        <geom name="stem" type="cylinder" fromto="0 0 ${num(-h)} 0 0 ${num(-h - 0.03)}" size="${num(r / 2)}" ${cupGeom}/>
        <site name="${SUCTION_SCENE_NAMES.sensor}" type="cylinder" pos="0 0 ${num(-h / 2)}" size="${num(r + 0.002)} ${num(h / 2 + 0.002)}"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    ${carriageActuators(toolMass)}
    <adhesion name="vacuum" body="${SUCTION_SCENE_NAMES.cupBody}" ctrlrange="0 1" gain="${num(vacuum)}"/>
  </actuator>
  <sensor>
    <touch name="${SUCTION_SCENE_NAMES.sensor}" site="${SUCTION_SCENE_NAMES.sensor}"/>
  </sensor>
</mujoco>
`;
}

/**
 * Simulates the suction grasp and judges it. Deterministic: the same input gives the same verdict (only `wallMs`
 * varies). Throws `judgeSuctionPhysics: …` for a non-finite grasp or an empty mesh.
 */
export async function judgeSuctionPhysics(input: SuctionPhysicsInput): Promise<PhysicsVerdict> {
  const options = { ...DEFAULT_SUCTION_PHYSICS_OPTIONS, ...input.options };
  const g = input.grasp;
  if (![...g.point, ...g.approach].every(Number.isFinite))
    throw new Error('judgeSuctionPhysics: the grasp has a non-finite point or approach');
  if (Math.abs(Math.hypot(...g.approach) - 1) > 1e-6)
    throw new Error('judgeSuctionPhysics: the approach must be a unit vector');
  return simulateWithRetry('judgeSuctionPhysics', options.timestep, (timestep) => {
    const scene = suctionSceneMjcf(input, { ...options, timestep });
    return {
      xml: scene.xml,
      run: (mujoco, model, data) => {
        const trial = new SuctionTrial(mujoco, model, data, scene, { ...options, timestep }, input.seed, [
          SCENE_NAMES.objectBody,
        ]);
        const verdict = trial.run();
        if (!verdict) return null;
        const { held: _held, ...rest } = verdict;
        return rest;
      },
    };
  });
}

/**
 * One simulated suction trial: approach, seal, lift, shake, hold. It watches every body of `bodies` alike (one object
 * on a table, or a heap): the cup seals on whichever it meets, and the lift is judged on the one that rose most.
 */
export class SuctionTrial {
  private readonly objects: ObjectBodies;
  /** Index into `bodies` of each watched body id. */
  private readonly watched = new Map<number, number>();
  /** Geom id of each lip vertex's sphere → the vertex's index. */
  private readonly rimIndex = new Map<number, number>();
  /** Per watched body, the distance of the surface from each lip vertex at the last check (Infinity: out of reach). */
  private readonly rimDistances: Float64Array[];
  private readonly shake: Vec3;
  private vacuum = 0;
  /** Failed seal checks in a row while the vacuum is on. */
  private leaks = 0;

  constructor(
    private readonly mujoco: Mujoco,
    private readonly model: MjModel,
    private readonly data: MjData,
    private readonly scene: Pick<SuctionScene, 'approachOffset' | 'approach' | 'gripper'>,
    private readonly options: SuctionRefereeOptions,
    seed: number,
    bodies: readonly string[],
  ) {
    const id = (type: number, name: string) => mujoco.mj_name2id(model, type, name);
    this.objects = new ObjectBodies(mujoco, model, data, bodies);
    this.objects.ids.forEach((body, i) => this.watched.set(body, i));
    for (let i = 0; i < LIP_SEGMENTS; i++)
      this.rimIndex.set(id(mujoco.mjtObj.mjOBJ_GEOM.value, SUCTION_SCENE_NAMES.rim(i)), i);
    this.rimDistances = bodies.map(() => new Float64Array(LIP_SEGMENTS));
    this.shake = shakeDirection(seed);
  }

  run(): TrialVerdict | null {
    try {
      return this.phases();
    } catch (err) {
      if (err instanceof Diverged) return null;
      throw err;
    }
  }

  private phases(): TrialVerdict {
    const o = this.options;
    const offset = this.scene.approachOffset,
      a = this.scene.approach;
    this.simulate(o.settleSeconds, () => [0, 0, 0]);
    this.objects.rest();

    // Guarded move to 1 cm past the target; where it stops, the arm holds.
    const past = (o.preGraspDistance + 0.01) / o.preGraspDistance;
    let stop: Vec3 = [offset[0] * past, offset[1] * past, offset[2] * past];
    const reached = this.simulate(
      o.approachSeconds,
      (u) => [stop[0] * smoothstep(u), stop[1] * smoothstep(u), stop[2] * smoothstep(u)],
      () => this.touch() > o.approachForceLimit,
    );
    const q = this.data.qpos as Float64Array;
    // The arm's slides come after every free body's joint: found by name, as a heap has many bodies before them.
    const qposAdr = this.model.jnt_qposadr as Int32Array;
    const armQpos = SUCTION_SCENE_NAMES.actuators
      .slice(0, 3)
      .map((name) => qposAdr[this.mujoco.mj_name2id(this.model, this.mujoco.mjtObj.mjOBJ_JOINT.value, name)]!);
    if (!reached) return this.verdict(false, 'missed');
    // Hold where the cup stopped, pressed in a millimetre so the lip sits on the surface.
    stop = [0, 1, 2].map((k) => q[armQpos[k]!]! + 0.001 * a[k]!) as Vec3;
    this.simulate(o.sealSeconds, () => stop);
    if (!this.sealed('forming')) return this.verdict(false, 'no seal');
    this.vacuum = 1;
    this.simulate(o.sealSeconds, () => stop);

    const lifted: Vec3 = [stop[0], stop[1], stop[2] + o.liftHeight];
    this.simulate(o.liftSeconds, (u) => [stop[0], stop[1], stop[2] + o.liftHeight * smoothstep(u)]);
    if (this.vacuum === 0 || this.objects.rise() < LIFT_KEPT * o.liftHeight) return this.verdict(false, 'dropped');
    this.simulate(o.shakeCycles / o.shakeFrequency, (u) => shakeTarget(lifted, this.shake, o, u));
    this.simulate(o.holdSeconds, () => lifted);
    const kept = this.vacuum === 1 && this.objects.rise() >= LIFT_KEPT * o.liftHeight;
    return this.verdict(kept, kept ? 'lifted' : 'slipped');
  }

  /**
   * Steps for `seconds` with the carriage at `target(u)`; with `until`, stops early and returns true once it holds.
   * While the vacuum is on, the seal is checked every few steps and the vacuum lost when it leaks twice in a row.
   */
  private simulate(seconds: number, target: (u: number) => Vec3, until?: () => boolean): boolean {
    const { mujoco, model, data } = this;
    const steps = Math.round(seconds / this.options.timestep);
    const ctrl = data.ctrl as Float64Array;
    for (let i = 1; i <= steps; i++) {
      const p = target(i / steps);
      ctrl[0] = p[0];
      ctrl[1] = p[1];
      ctrl[2] = p[2];
      ctrl[3] = this.vacuum;
      mujoco.mj_step(model, data);
      if (until?.()) {
        checkStable(mujoco, data);
        return true;
      }
      if (this.vacuum === 1 && i % SEAL_CHECK_STEPS === 0) {
        this.leaks = this.sealed('holding') ? 0 : this.leaks + 1;
        if (this.leaks >= 2) this.vacuum = 0;
      }
    }
    checkStable(mujoco, data);
    return false;
  }

  /**
   * Whether the lip seals on a watched body. `forming`: every vertex of its ring sees that body within reach, and the
   * compliant ring through those distances strains no spring past 10 % (Dex-Net 3.0's seal model, seal.ts): the
   * bellows give, so the ring settles about the vertices' mean distance rather than staying where the rigid lip
   * first touched. `holding`, once the vacuum pulls: every vertex still within reach, so the seal is lost when the
   * object peels or slides off the lip, not when the pull's contact forces shift it a fraction of a millimetre. A
   * rigid lip sealed only within the seal gap of its first touch, and failed in MuJoCo 20 of 114 cups the spring
   * model seals on a curved or uneven face (tuning heaps, measured).
   */
  private sealed(phase: 'forming' | 'holding'): boolean {
    const n = this.data.ncon;
    if (n < LIP_SEGMENTS) return false;
    const contacts = this.data.contact;
    const body = this.model.geom_bodyid as Int32Array;
    const a = this.scene.approach;
    for (const d of this.rimDistances) d.fill(Infinity);
    try {
      for (let i = 0; i < n; i++) {
        const c = contacts.get(i);
        if (!c) continue;
        const [rim, other] = this.rimIndex.has(c.geom1) ? [c.geom1, c.geom2] : [c.geom2, c.geom1];
        const vertex = this.rimIndex.get(rim);
        const object = this.watched.get(body[other]!);
        if (vertex !== undefined && object !== undefined) {
          // The ring's depths run along the approach, MuJoCo's distances along the surface's normal: the ray from
          // the vertex's centre meets the surface's tangent plane at (dist + radius) / |n·a|.
          const f = c.frame as Float64Array;
          const cos = Math.abs(f[0]! * a[0] + f[1]! * a[1] + f[2]! * a[2]);
          const d = this.rimDistances[object]!;
          d[vertex] = Math.min(d[vertex]!, (c.dist + LIP_THICKNESS) / Math.max(cos, 1e-3));
        }
        c.delete();
      }
    } finally {
      contacts.delete();
    }
    const { radius, height } = this.scene.gripper;
    return this.rimDistances.some(
      (d) => d.every(Number.isFinite) && (phase === 'holding' || ringStrain(d, radius, height) <= SEAL_MAX_STRAIN),
    );
  }

  private touch(): number {
    return (this.data.sensordata as Float64Array)[0]!;
  }

  private verdict(success: boolean, reason: PhysicsOutcome): TrialVerdict {
    return this.objects.verdict(success, reason, this.options.liftHeight);
  }
}
