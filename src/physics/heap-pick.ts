// A pick from a heap (Dex-Net 4.0's bin picking): the jaws or the suction cup added to the heap's scene — every
// object still in the bin a free body, the bin's walls and floor — and the single-object trial's phases run there
// (guarded approach, squeeze or seal, lift 10 cm, shake). The pick succeeds when some object is held at the end;
// which one is read from the simulation, so a grasp that takes a neighbour counts as a pick of the neighbour. The
// poses of every object at the end are returned, since the attempt may have pushed the heap about.
import type { Mesh } from '../geometry/mesh.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import type { ParallelJawGripper, SuctionGripper } from '../grasp/gripper.js';
import type { ParallelJawGrasp } from '../grasp/parallel-jaw/parallel-jaw-grasp.js';
import type { SuctionGrasp } from '../grasp/suction/suction-grasp.js';
import { DEFAULT_BIN, type Bin } from './bin.js';
import { heapBodyName, heapSceneParts } from './heap-scene.js';
import {
  DEFAULT_PHYSICS_OPTIONS,
  GraspTrial,
  simulateWithRetry,
  type PhysicsRefereeOptions,
  type PhysicsVerdict,
  type SimulatedTrial,
  type TrialVerdict,
} from './lift-and-shake.js';
import { jawPlacement, jawSceneXml, jawSweep, type ToolBox } from './mjcf.js';
import type { MjData, MjModel, Mujoco } from './mujoco-runtime.js';
import {
  cupPlacement,
  cupSweep,
  DEFAULT_SUCTION_PHYSICS_OPTIONS,
  SuctionTrial,
  suctionSceneXml,
  type SuctionRefereeOptions,
} from './suction-lift.js';

/** A grasp in the world frame (z up, the bin's floor at z = 0) with the gripper that executes it. */
export type WorldGrasp =
  { gripper: ParallelJawGripper; grasp: ParallelJawGrasp } | { gripper: SuctionGripper; grasp: SuctionGrasp };

export interface HeapPickInput {
  /** The objects in the bin, each mesh in its own frame, placed by `poses` (object → world). */
  meshes: readonly Mesh[];
  poses: readonly RigidTransform[];
  pick: WorldGrasp;
  /** Coulomb friction between every pair: tool, objects, bin. */
  friction: number;
  /** Chooses the shake direction; the same input and seed give the same outcome. */
  seed: number;
  /** Default DEFAULT_BIN. */
  bin?: Bin;
  /** The jaws' trial options (density from here is the objects' for either tool). */
  options?: Partial<PhysicsRefereeOptions>;
  /** The cup's trial options. */
  suctionOptions?: Partial<SuctionRefereeOptions>;
}

export interface HeapPick {
  verdict: PhysicsVerdict;
  /** Index into `meshes` of the object held at the end (on success), else null. */
  picked: number | null;
  /** Every object's pose (object → world) when the trial ended; the input poses when it could not be simulated. */
  poses: RigidTransform[];
}

type PickVerdict = TrialVerdict & { poses: RigidTransform[] };

/**
 * Executes the grasp in the heap and judges it. Deterministic (only `verdict.wallMs` varies). Throws
 * `pickFromHeap: …` when the scene cannot be built (an empty or volumeless mesh, bad friction).
 */
export async function pickFromHeap(input: HeapPickInput): Promise<HeapPick> {
  const { meshes, poses, pick } = input;
  if (meshes.length !== poses.length)
    throw new Error(`pickFromHeap: ${meshes.length} meshes but ${poses.length} poses`);
  const bodies = meshes.map((_, i) => heapBodyName(i));
  const world = new RigidTransform(undefined, undefined, 'object', 'world');
  const jawOptions = { ...DEFAULT_PHYSICS_OPTIONS, ...input.options };
  // The tool meets each object's 1 mm pieces near its path, not the heap's coarse ones (they reach out up to 1 cm).
  // Grasps here are given in the world frame, so the tool's placement on the grasp is its placement in the world.
  const heap = (density: number, toolToGrasp: RigidTransform, sweep: ToolBox) => {
    const toolToWorld = new RigidTransform(toolToGrasp.rotation, toolToGrasp.translation, 'tool', 'world');
    const tool = { toolToWorld, ...sweep };
    return heapSceneParts(meshes, poses, { bin: input.bin ?? DEFAULT_BIN, friction: input.friction, density, tool });
  };
  const withPoses = (trial: { run(): TrialVerdict | null }, model: MjModel, data: MjData, mujoco: Mujoco) => {
    const verdict = trial.run();
    return verdict ? { ...verdict, poses: readPoses(mujoco, model, data, bodies) } : null;
  };

  let build: (timestep: number) => SimulatedTrial<PickVerdict>;
  let timestep = jawOptions.timestep;
  if (pick.gripper.kind === 'parallel-jaw') {
    const gripper = pick.gripper;
    const grasp = pick.grasp as ParallelJawGrasp;
    build = (timestep) => {
      const o = { ...jawOptions, timestep };
      const preGrasp = o.preGraspDistance ?? gripper.approachDistance;
      const placement = jawPlacement(grasp, world, gripper, preGrasp);
      const environment = heap(
        o.density,
        placement.gripperToObject,
        jawSweep(gripper, placement.opening / 2, preGrasp),
      );
      return {
        xml: jawSceneXml('dexnet-heap-pick', environment, placement, gripper, o),
        files: environment.files,
        run: (mujoco, model, data) =>
          withPoses(new GraspTrial(mujoco, model, data, placement, o, input.seed, { bodies }), model, data, mujoco),
      };
    };
  } else {
    const gripper = pick.gripper;
    const grasp = pick.grasp as SuctionGrasp;
    const suctionOptions = { ...DEFAULT_SUCTION_PHYSICS_OPTIONS, density: jawOptions.density, ...input.suctionOptions };
    timestep = suctionOptions.timestep;
    build = (timestep) => {
      const o = { ...suctionOptions, timestep };
      const placement = cupPlacement(grasp, world, o.preGraspDistance);
      const environment = heap(o.density, placement.cupToObject, cupSweep(gripper, o.preGraspDistance));
      const scene = { ...placement, gripper };
      return {
        xml: suctionSceneXml('dexnet-heap-pick', environment, placement, gripper, o),
        files: environment.files,
        run: (mujoco, model, data) =>
          withPoses(new SuctionTrial(mujoco, model, data, scene, o, input.seed, bodies), model, data, mujoco),
      };
    };
  }
  const result = await simulateWithRetry('pickFromHeap', timestep, build);
  if (!('poses' in result)) return { verdict: result, picked: null, poses: [...poses] };
  const { poses: after, held, ...verdict } = result;
  return { verdict, picked: verdict.success && held >= 0 ? held : null, poses: after };
}

/** Object → world of each named free body (its free joint's position and w-x-y-z quaternion). */
function readPoses(mujoco: Mujoco, model: MjModel, data: MjData, bodies: readonly string[]): RigidTransform[] {
  const q = data.qpos as Float64Array;
  const jntAdr = model.body_jntadr as Int32Array,
    qposAdr = model.jnt_qposadr as Int32Array;
  return bodies.map((name) => {
    const a = qposAdr[jntAdr[mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY.value, name)]];
    return RigidTransform.fromQuaternion(
      [q[a + 3], q[a + 4], q[a + 5], q[a + 6]],
      [q[a], q[a + 1], q[a + 2]],
      'object',
      'world',
    );
  });
}
