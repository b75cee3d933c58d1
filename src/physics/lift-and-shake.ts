// The physics referee: a planned grasp is tried in a MuJoCo rigid-body simulation — the open gripper moves in
// along its approach, squeezes with a bounded force, lifts the object 10 cm and shakes it — and succeeds when
// the object is still held between the fingers at the end.
import type { Mesh } from '../geometry/mesh.js';
import { Random } from '../core/random.js';
import type { RigidTransform } from '../geometry/rigid-transform.js';
import type { Vec3 } from '../geometry/vector.js';
import { DEFAULT_GRIPPER, type ParallelJawGripper } from '../grasp/gripper.js';
import type { ParallelJawGrasp } from '../grasp/parallel-jaw/parallel-jaw-grasp.js';
import { DEFAULT_OBJECT_DENSITY } from '../grasp/object-mass.js';
import { DEFAULT_GRIP_FORCE, graspSceneMjcf, SCENE_NAMES, type GraspScene } from './mjcf.js';
import { compileMjcf, loadMujoco, withSimulation, type MjData, type MjModel, type Mujoco } from './mujoco-runtime.js';
import type { MeshFile } from './mesh-files.js';

export interface PhysicsRefereeOptions {
  /** How high the gripper lifts after closing (m). */
  liftHeight: number;
  /** Peak displacement of the shake (m), along a direction drawn from the seed. */
  shakeAmplitude: number;
  /** Shake frequency (Hz) and number of back-and-forth cycles. */
  shakeFrequency: number;
  shakeCycles: number;
  /** Simulation step (s) and constraint solver iterations per step. */
  timestep: number;
  solverIterations: number;
  /** Solver passes against friction creep (see GraspSceneOptions). */
  noslipIterations: number;
  /** Object density (kg/m³) and closing force per finger (N). */
  density: number;
  gripForce: number;
  /** Where the open gripper starts, back along the approach from the grasp pose (m); default: the gripper's approach distance. */
  preGraspDistance?: number;
  /** Durations of the phases (s). */
  settleSeconds: number;
  approachSeconds: number;
  closeSeconds: number;
  liftSeconds: number;
  holdSeconds: number;
  /** Summed contact force on the gripper (N) that stops the approach, as a guarded move of a real arm does. */
  approachForceLimit: number;
}

export const DEFAULT_PHYSICS_OPTIONS: Readonly<PhysicsRefereeOptions> = Object.freeze({
  liftHeight: 0.1,
  shakeAmplitude: 0.02,
  shakeFrequency: 2,
  shakeCycles: 2,
  timestep: 0.002,
  solverIterations: 30,
  noslipIterations: 2,
  density: DEFAULT_OBJECT_DENSITY,
  gripForce: DEFAULT_GRIP_FORCE,
  settleSeconds: 0.05,
  approachSeconds: 0.4,
  closeSeconds: 0.35,
  liftSeconds: 0.5,
  holdSeconds: 0.2,
  approachForceLimit: 0.5,
});

export interface PhysicsGraspInput {
  /** Object mesh in its own frame (m). */
  mesh: Mesh;
  /** Object → world (z up, table plane z = 0) of the object resting on the table. */
  objectToWorld: RigidTransform;
  /** The grasp in the object frame; the gripper approaches along `approachDirection(grasp)`. */
  grasp: ParallelJawGrasp;
  /** Coulomb friction coefficient between the fingers and the object (and the table). */
  friction: number;
  gripper?: ParallelJawGripper;
  /** Chooses the shake direction; the same input and seed give the same verdict. */
  seed: number;
  options?: Partial<PhysicsRefereeOptions>;
  /** Called once the fingers have closed and again at the end of the hold, for diagnostics (e.g. reading contacts). */
  observe?: (phase: TrialPhase, sim: { mujoco: Mujoco; model: MjModel; data: MjData }) => void;
}

/** Moments of a trial that `observe` sees: after the squeeze, and at the end of the hold (when it got that far). */
export type TrialPhase = 'closed' | 'held';

/**
 * 'unstable': the simulation diverged even at half the time step (MuJoCo flags non-finite or huge accelerations, or
 * stops with one of its run-time errors),
 * so there is no physical verdict; it counts as a failure and should be rare. 'model refused': MuJoCo's compiler
 * refused the scene (e.g. a degenerate collision hull); the trial fails with the compiler's words in `detail`
 * rather than ending the whole evaluation.
 */
export type PhysicsOutcome =
  | 'lifted'
  | 'dropped'
  | 'slipped'
  | 'missed'
  | 'squeezed out'
  | 'collision on approach'
  | 'unstable'
  | 'model refused'
  | 'no seal'
  | 'no grasp planned'
  | 'not simulated';

export interface PhysicsVerdict {
  success: boolean;
  /** 'lifted' on success; otherwise what went wrong first. */
  reason: PhysicsOutcome;
  /** Rise of the object's centre of mass from its rest on the table to the end of the trial (m). */
  liftedHeight: number;
  /** Simulated time (s). */
  simSeconds: number;
  /** Wall-clock time of the judgement, model compilation included (ms). */
  wallMs: number;
  /** For 'model refused': what MuJoCo's compiler said. */
  detail?: string;
}

/**
 * Share of the lift the object's centre of mass must follow to count as lifted. Half, not all: an object held
 * off its centre of mass may swing about the grasp axis and hang lower, and is still held.
 */
export const LIFT_KEPT = 0.5;
/** Share of the grip force each finger must feel for the jaws to count as closed on the object. */
const CLOSED_ON_OBJECT = 0.25;
/**
 * Sideways travel of the object's centre of mass during the squeeze (m) past which jaws that end up not holding it
 * squeezed it out (a pad on a face steeper than the friction cone pushes it away, as a wedge), rather than missed.
 */
const SQUEEZED_OUT = 0.005;

/**
 * Simulates the grasp and judges it. Deterministic: the same input gives the same verdict and lifted height
 * (only `wallMs` varies). Throws `judgeGraspPhysics: …` for a non-finite grasp, an empty mesh or bad options.
 */
export async function judgeGraspPhysics(input: PhysicsGraspInput): Promise<PhysicsVerdict> {
  const options = { ...DEFAULT_PHYSICS_OPTIONS, ...input.options };
  const gripper = input.gripper ?? DEFAULT_GRIPPER;
  validate(input, options);
  return simulateWithRetry('judgeGraspPhysics', options.timestep, (timestep) => {
    const scene = graspSceneMjcf(
      { mesh: input.mesh, objectToWorld: input.objectToWorld, grasp: input.grasp, friction: input.friction, gripper },
      {
        density: options.density,
        gripForce: options.gripForce,
        timestep,
        solverIterations: options.solverIterations,
        noslipIterations: options.noslipIterations,
        preGraspDistance: options.preGraspDistance ?? gripper.approachDistance,
      },
    );
    return {
      xml: scene.xml,
      run: (mujoco, model, data) => {
        const trial = new GraspTrial(mujoco, model, data, scene, { ...options, timestep }, input.seed, {
          bodies: [SCENE_NAMES.objectBody],
          observe: input.observe,
        });
        const verdict = trial.run();
        if (!verdict) return null;
        const { held: _held, ...rest } = verdict;
        return rest;
      },
    };
  });
}

/**
 * A trial scene ready to simulate: its MJCF (with the mesh files it names), and the trial that runs on it (null when
 * it diverged).
 */
export interface SimulatedTrial<V extends Verdict = Verdict> {
  xml: string;
  files?: readonly MeshFile[];
  run: (mujoco: Mujoco, model: MjModel, data: MjData) => V | null;
}

/**
 * Builds and runs a trial at `timestep`; a diverging simulation is tried once more with half the step (and so
 * stiffer-resolved contacts), and is 'unstable' when that diverges too. Errors building the scene are rethrown as
 * `<name>: …`.
 */
export async function simulateWithRetry<V extends Verdict = Verdict>(
  name: string,
  timestep: number,
  build: (timestep: number) => SimulatedTrial<V>,
): Promise<PhysicsVerdict | (V & { wallMs: number })> {
  const started = performance.now();
  const mujoco = await loadMujoco();
  for (const step of [timestep, timestep / 2]) {
    let trial: SimulatedTrial<V>;
    try {
      trial = build(step);
    } catch (err) {
      throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let model: MjModel;
    try {
      model = compileMjcf(mujoco, trial.xml, trial.files);
    } catch (err) {
      const detail = `${name}: ${err instanceof Error ? err.message : String(err)}`;
      return {
        success: false,
        reason: 'model refused',
        detail,
        liftedHeight: 0,
        simSeconds: 0,
        wallMs: performance.now() - started,
      };
    }
    let verdict;
    try {
      verdict = withSimulation(mujoco, model, (data) => trial.run(mujoco, model, data));
    } catch (err) {
      // MuJoCo's own run-time errors (e.g. its constraint arena overflowing) end this attempt, not the evaluation.
      if (!(err instanceof Error && err.message.startsWith('MuJoCo Error'))) throw err;
      verdict = null;
    }
    if (verdict) return { ...verdict, wallMs: performance.now() - started };
  }
  return { success: false, reason: 'unstable', liftedHeight: 0, simSeconds: 0, wallMs: performance.now() - started };
}

function validate(input: PhysicsGraspInput, options: PhysicsRefereeOptions): void {
  const g = input.grasp;
  const finite = (v: ArrayLike<number>) => Array.from(v).every(Number.isFinite);
  if (!finite(g.center) || !finite(g.axis) || !Number.isFinite(g.width) || !Number.isFinite(g.approachAngle))
    throw new Error('judgeGraspPhysics: the grasp has a non-finite centre, axis, width or approach angle');
  if (Math.abs(Math.hypot(g.axis[0], g.axis[1], g.axis[2]) - 1) > 1e-6)
    throw new Error('judgeGraspPhysics: the grasp axis must be a unit vector');
  if (!(g.width > 0)) throw new Error(`judgeGraspPhysics: the grasp width must be positive, got ${g.width}`);
  if (input.mesh.triangles.length === 0) throw new Error('judgeGraspPhysics: the mesh is empty');
  if (!finite(input.mesh.vertices)) throw new Error('judgeGraspPhysics: the mesh has non-finite vertices');
  if (!Number.isFinite(input.seed))
    throw new Error(`judgeGraspPhysics: the seed must be a finite number, got ${input.seed}`);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const zeroOk =
      key === 'settleSeconds' || key === 'shakeAmplitude' || key === 'shakeCycles' || key === 'noslipIterations';
    const positiveOk = zeroOk ? value >= 0 : value > 0;
    if (typeof value !== 'number' || !Number.isFinite(value) || !positiveOk)
      throw new Error(`judgeGraspPhysics: option ${key} must be a finite positive number, got ${value}`);
  }
}

export type Verdict = Omit<PhysicsVerdict, 'wallMs'>;

/** A trial's verdict and which of its bodies ended up held: the one risen most, −1 when none rose by LIFT_KEPT. */
export type TrialVerdict = Verdict & { held: number };

/** Which free bodies a trial watches (any of them may be the one picked), and its diagnostics hook. */
export interface TrialBodies {
  bodies: readonly string[];
  observe?: PhysicsGraspInput['observe'];
}

/** Raised inside a trial when the simulation has diverged. */
export class Diverged extends Error {}

/**
 * One simulated jaw trial: the phases, the servo targets along them, and the checks between them. It watches every
 * body of `bodies` alike (one object on a table, or a heap): the lift is judged on the one that rose most.
 */
export class GraspTrial {
  private readonly objects: ObjectBodies;
  private readonly shakeDirection: Vec3;
  private readonly observe?: PhysicsGraspInput['observe'];

  constructor(
    private readonly mujoco: Mujoco,
    private readonly model: MjModel,
    private readonly data: MjData,
    private readonly scene: Pick<GraspScene, 'approachOffset' | 'fingerCloseTarget'>,
    private readonly options: PhysicsRefereeOptions,
    seed: number,
    watched: TrialBodies,
  ) {
    this.objects = new ObjectBodies(mujoco, model, data, watched.bodies);
    this.shakeDirection = shakeDirection(seed);
    this.observe = watched.observe;
  }

  /** The verdict, or null when the simulation diverged (MuJoCo then resets the state, so nothing after is valid). */
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
    const offset = this.scene.approachOffset;
    const lifted: Vec3 = [offset[0], offset[1], offset[2] + o.liftHeight];

    this.simulate(o.settleSeconds, () => [0, 0, 0], 0);
    this.objects.rest();

    const contactOnApproach = this.simulate(
      o.approachSeconds,
      (u) => scaleVec(offset, smoothstep(u)),
      0,
      o.approachForceLimit,
    );
    if (contactOnApproach) return this.verdict(false, 'collision on approach');

    const close = this.scene.fingerCloseTarget;
    const before = this.objects.positions();
    this.simulate(o.closeSeconds, () => offset, close);
    this.observe?.('closed', { mujoco: this.mujoco, model: this.model, data: this.data });
    const touch = this.touch();
    const need = CLOSED_ON_OBJECT * o.gripForce;
    if (!(touch[1] >= need && touch[2] >= need)) {
      return this.verdict(false, this.objects.planarTravel(before) > SQUEEZED_OUT ? 'squeezed out' : 'missed');
    }

    this.simulate(o.liftSeconds, (u) => [offset[0], offset[1], offset[2] + o.liftHeight * smoothstep(u)], close);
    if (this.objects.rise() < LIFT_KEPT * o.liftHeight) return this.verdict(false, 'dropped');

    this.simulate(o.shakeCycles / o.shakeFrequency, (u) => shakeTarget(lifted, this.shakeDirection, o, u), close);
    this.simulate(o.holdSeconds, () => lifted, close);
    this.observe?.('held', { mujoco: this.mujoco, model: this.model, data: this.data });
    // Held: still up in the air and pressed by both fingers (not, say, balanced on one after slipping).
    const held = this.touch();
    const kept =
      this.objects.rise() >= LIFT_KEPT * o.liftHeight &&
      held[1] >= CLOSED_ON_OBJECT * o.gripForce &&
      held[2] >= CLOSED_ON_OBJECT * o.gripForce;
    return this.verdict(kept, kept ? 'lifted' : 'slipped');
  }

  /**
   * Steps for `seconds` with the carriage servoed to `target(u)` (u = 0…1 through the phase) and both fingers
   * to `finger`. With `forceLimit`, stops early and returns true once the gripper feels more contact force.
   */
  private simulate(seconds: number, target: (u: number) => Vec3, finger: number, forceLimit = Infinity): boolean {
    const { mujoco, model, data } = this;
    const steps = Math.round(seconds / this.options.timestep);
    const ctrl = data.ctrl as Float64Array;
    const sensors = data.sensordata as Float64Array;
    for (let i = 1; i <= steps; i++) {
      const p = target(i / steps);
      ctrl[0] = p[0];
      ctrl[1] = p[1];
      ctrl[2] = p[2];
      ctrl[3] = finger;
      ctrl[4] = finger;
      mujoco.mj_step(model, data);
      if (sensors[0] + sensors[1] + sensors[2] > forceLimit) {
        checkStable(this.mujoco, this.data);
        return true;
      }
    }
    checkStable(this.mujoco, this.data);
    return false;
  }

  private touch(): [number, number, number] {
    const s = this.data.sensordata as Float64Array;
    return [s[0], s[1], s[2]];
  }

  private verdict(success: boolean, reason: PhysicsOutcome): TrialVerdict {
    return this.objects.verdict(success, reason, this.options.liftHeight);
  }
}

/** The free bodies a trial watches: their rest heights, and how far they rose or slid since. */
export class ObjectBodies {
  /** Body ids in the model. */
  readonly ids: number[];
  private restHeights: number[];

  constructor(
    mujoco: Mujoco,
    model: MjModel,
    private readonly data: MjData,
    names: readonly string[],
  ) {
    this.ids = names.map((name) => mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY.value, name));
    this.restHeights = this.ids.map(() => 0);
  }

  /** Takes the heights now as the bodies' rest. */
  rest(): void {
    this.restHeights = this.ids.map((_, i) => this.position(i)[2]);
  }

  /** Centre of mass of body i in the world. */
  position(i: number): Vec3 {
    const x = this.data.xipos as Float64Array,
      k = 3 * this.ids[i];
    return [x[k], x[k + 1], x[k + 2]];
  }

  positions(): Vec3[] {
    return this.ids.map((_, i) => this.position(i));
  }

  /** Farthest any body's centre of mass moved sideways since `before` (m). */
  planarTravel(before: readonly Vec3[]): number {
    let most = 0;
    for (let i = 0; i < this.ids.length; i++) {
      const p = this.position(i);
      most = Math.max(most, Math.hypot(p[0] - before[i][0], p[1] - before[i][1]));
    }
    return most;
  }

  /** The body that rose most since rest, and by how much (m). */
  highest(): { index: number; rise: number } {
    let index = -1,
      rise = -Infinity;
    for (let i = 0; i < this.ids.length; i++) {
      const r = this.position(i)[2] - this.restHeights[i];
      if (r > rise) [index, rise] = [i, r];
    }
    return { index, rise };
  }

  rise(): number {
    return this.highest().rise;
  }

  verdict(success: boolean, reason: PhysicsOutcome, liftHeight: number): TrialVerdict {
    const { index, rise } = this.highest();
    return {
      success,
      reason,
      liftedHeight: rise,
      simSeconds: this.data.time,
      held: rise >= LIFT_KEPT * liftHeight ? index : -1,
    };
  }
}

/** A horizontal direction and an equal vertical part: the shake pulls sideways and against the grip. */
export function shakeDirection(seed: number): Vec3 {
  const angle = new Random(seed).uniform(0, 2 * Math.PI);
  return [Math.cos(angle) / Math.SQRT2, Math.sin(angle) / Math.SQRT2, 1 / Math.SQRT2];
}

/** The carriage target u (0…1) through the shake about `centre`; 1 − cos starts and ends at rest (no velocity jump). */
export function shakeTarget(
  centre: Vec3,
  d: Vec3,
  o: Pick<PhysicsRefereeOptions, 'shakeAmplitude' | 'shakeCycles'>,
  u: number,
): Vec3 {
  const s = o.shakeAmplitude * 0.5 * (1 - Math.cos(2 * Math.PI * o.shakeCycles * u));
  return [centre[0] + s * d[0], centre[1] + s * d[1], centre[2] + s * d[2]];
}

/** Throws Diverged when MuJoCo has flagged a non-finite or huge position, velocity or acceleration. */
export function checkStable(mujoco: Mujoco, data: MjData): void {
  // The bindings hand out a fresh copy of the warning table on each read (a new pointer every time): free it.
  const warnings = data.warning;
  const kinds = mujoco.mjtWarning;
  let diverged = false;
  try {
    for (const kind of [kinds.mjWARN_BADQPOS, kinds.mjWARN_BADQVEL, kinds.mjWARN_BADQACC]) {
      const stat = warnings.get(kind.value);
      diverged ||= (stat?.number ?? 0) > 0;
      stat?.delete();
    }
  } finally {
    warnings.delete();
  }
  if (diverged) throw new Diverged();
}

/** 0 → 1 with zero velocity and acceleration at both ends (quintic), so servo targets never jump. */
export function smoothstep(u: number): number {
  const x = Math.min(1, Math.max(0, u));
  return x * x * x * (10 + x * (6 * x - 15));
}

export function scaleVec(v: Vec3, s: number): Vec3 {
  return [v[0] * s, v[1] * s, v[2] * s];
}
