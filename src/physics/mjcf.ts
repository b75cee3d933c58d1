// The MuJoCo scene of one grasp trial, written as MJCF text in code: a table plane, the object (free to move, mass
// and inertia of the solid mesh at a plausible density; it touches the table with its convex hull, which is exact
// for resting on a plane, and the gripper with its hull or, when it is not convex, with convex pieces) resting on it, and a parallel-jaw
// gripper on a three-axis position-controlled carriage with two force-limited sliding fingers.
import type { Mesh } from '../geometry/mesh.js';
import { massProperties, type MassProperties } from '../geometry/mesh-properties.js';
import { mat3ToQuaternion } from '../geometry/quaternion.js';
import type { RigidTransform } from '../geometry/rigid-transform.js';
import { mat3Mul, mat3MulVec, type Mat3, type Vec3 } from '../geometry/vector.js';
import type { ParallelJawGripper } from '../grasp/gripper.js';
import { approachDirection, gripperPose, type ParallelJawGrasp } from '../grasp/parallel-jaw/parallel-jaw-grasp.js';
import type { PinchStrength } from '../grasp/parallel-jaw/gravity-hold.js';
import { DEFAULT_OBJECT_DENSITY, objectMassOf } from '../grasp/object-mass.js';
import { convexPieces, type ConvexPieceOptions } from './convex-pieces.js';
import { meshFileOf, type MeshFile } from './mesh-files.js';
import { restingFacetPoints } from './resting-facet.js';
import { supportPoints } from './support-points.js';

/**
 * Closing force of each finger (N): a gentle grip. With it a 45 g box at μ = 0.05 slides out of the jaws unless
 * held squarely, while at Dex-Net's μ ≈ 0.5 it holds objects of the 4–10 cm scale (≤ ~0.2 kg at this density)
 * with a 2.5× margin. Grippers like ABB YuMi's are rated up to 20 N; at that force nearly any two-contact pinch
 * holds a light object and the referee would not tell good grasps from poor ones.
 */
export const DEFAULT_GRIP_FORCE = 5;

/** Mass of the moving gripper parts (kg): the carriage with the palm, and each finger. */
const CARRIAGE_MASS = 0.5;
const FINGER_MASS = 0.05;
/** Stiffness of the arm's position servos (N/m); critically damped for the carriage mass. */
const ARM_STIFFNESS = 4000;
const ARM_FORCE_LIMIT = 200;
/** Finger servo stiffness (N/m) and how far past the centre each finger is told to go (m), so it always saturates. */
const FINGER_STIFFNESS = 4000;
const FINGER_OVERSHOOT = 0.02;
/** Viscous friction of the finger slides (N·s/m): caps the closing speed at force / damping = 0.1 m/s whatever the force. */
const FINGER_DAMPING_PER_NEWTON = 10;
/**
 * Contact stiffness as MuJoCo's constraint time constant in simulation steps: 2 is the stiffest it integrates
 * stably. MuJoCo's default (0.02 s) lets a 20 N squeeze sink a light pad ~1.5 mm into a 45 g box, enough for a
 * pad that overlaps a face by that much to be pushed out sideways instead of gripping.
 */
const CONTACT_TIME_CONSTANT_STEPS = 2;
/** Touch-sensor boxes are the finger and palm boxes grown by this much (m), so contact points on the surface count. */
const TOUCH_MARGIN = 0.002;
/**
 * Torsional friction of a finger pad relative to μ (m): a soft pad resists twisting with about ⅔·μ·a·N for a
 * contact patch of radius a; a = 5 mm.
 */
const TORSION_PER_MU = (2 / 3) * 0.005;

/** The pinch of this referee's jaws, for labels that judge whether a grasp carries its object (gravity-hold.ts). */
export const REFEREE_PINCH: PinchStrength = Object.freeze({
  gripForce: DEFAULT_GRIP_FORCE,
  friction: 0.5,
  torsionArm: TORSION_PER_MU,
});

const masses = new WeakMap<Mesh, number>();

/** The mass (kg) this referee gives an object: its volume at DEFAULT_OBJECT_DENSITY (once per mesh). */
export function refereeMass(mesh: Mesh): number {
  let m = masses.get(mesh);
  if (m === undefined) masses.set(mesh, (m = objectMassOf({ density: DEFAULT_OBJECT_DENSITY }, mesh)));
  return m;
}
/** The weight (N) this referee gives an object. */
export const refereeWeight = (mesh: Mesh): number => refereeMass(mesh) * 9.81;

export interface GraspSceneInput {
  /** Object mesh in its own frame (m). */
  mesh: Mesh;
  /** Object → world (z up, table at z = 0) with the object resting on the table. */
  objectToWorld: RigidTransform;
  /** The grasp in the object frame. */
  grasp: ParallelJawGrasp;
  /** Coulomb friction between fingers, object and table. */
  friction: number;
  gripper: ParallelJawGripper;
}

export interface GraspSceneOptions {
  /** Object density (kg/m³). */
  density: number;
  /** Closing force per finger (N). */
  gripForce: number;
  /** Simulation step (s). */
  timestep: number;
  /** Constraint solver iterations per step. */
  solverIterations: number;
  /** Distance from the grasp pose back along the approach where the open gripper starts (m). */
  preGraspDistance: number;
  /**
   * Extra solver passes that remove the slow creep MuJoCo's soft friction allows under a steady load (0 = off);
   * without them a squeezed sphere rolls out of a grasp that friction holds.
   */
  noslipIterations: number;
}

/** Names in the MJCF that the simulation addresses; actuators and sensors are listed in model order. */
export const SCENE_NAMES = Object.freeze({
  objectBody: 'object',
  palmBody: 'palm',
  /** Position actuators: carriage x, y, z (world axes), then finger 1 and finger 2 (closing travel). */
  actuators: ['arm_x', 'arm_y', 'arm_z', 'finger1', 'finger2'] as const,
  /** Touch sensors (sum of normal contact forces, N): palm, finger 1, finger 2. */
  sensors: ['palm_touch', 'finger1_touch', 'finger2_touch'] as const,
});

export interface GraspScene {
  xml: string;
  /** Carriage origin in the world: the palm at the pre-grasp pose (the arm joints measure offsets from here). */
  preGraspPosition: Vec3;
  /** Offset from the pre-grasp position to the grasp pose (world, m). */
  approachOffset: Vec3;
  /** Gripper → world rotation at the grasp pose (z = approach, y = closing axis). */
  gripperRotation: Mat3;
  /** Jaw opening the fingers start from (m). */
  opening: number;
  /** Finger actuator target that closes with the full force. */
  fingerCloseTarget: number;
  /** Object mass (kg) and centre of mass in the object frame. */
  objectMass: number;
  objectCenterOfMass: Vec3;
}

/** MJCF for one grasp trial. Throws `graspScene: …` for an empty or volumeless mesh or a bad grasp. */
export function graspSceneMjcf(input: GraspSceneInput, options: GraspSceneOptions): GraspScene {
  const { gripper } = input;
  const placement = jawPlacement(input.grasp, input.objectToWorld, gripper, options.preGraspDistance);
  const sweep = jawSweep(gripper, placement.opening / 2, options.preGraspDistance);
  const object = objectSceneParts(input, options, (pieces) =>
    piecesNearToolBox(pieces, placement.gripperToObject, sweep),
  );
  return {
    ...placement,
    xml: jawSceneXml('dexnet-grasp-trial', object, placement, gripper, options),
    objectMass: object.mass,
    objectCenterOfMass: object.centerOfMass,
  };
}

/** Where the jaws go for a grasp: the poses and the finger travel a jaw scene needs, whatever else is in it. */
export interface JawPlacement extends Omit<GraspScene, 'xml' | 'objectMass' | 'objectCenterOfMass'> {
  /** Gripper → the grasp's frame at the grasp pose. */
  gripperToObject: RigidTransform;
}

/**
 * The jaws' placement for `grasp`, given in the frame `objectToWorld` places (the identity for a grasp given in the
 * world): the gripper waits `preGraspDistance` back along the approach, opened to the grasp's width.
 */
export function jawPlacement(
  grasp: ParallelJawGrasp,
  objectToWorld: RigidTransform,
  gripper: ParallelJawGripper,
  preGraspDistance: number,
): JawPlacement {
  const opening = Math.min(grasp.width, gripper.maxWidth);
  const pose = gripperPose(grasp);
  const graspWorld = objectToWorld.applyToPoint(grasp.center);
  const approach = mat3MulVec(objectToWorld.rotation, approachDirection(grasp));
  const approachOffset: Vec3 = [
    approach[0] * preGraspDistance,
    approach[1] * preGraspDistance,
    approach[2] * preGraspDistance,
  ];
  return {
    gripperToObject: pose,
    preGraspPosition: [
      graspWorld[0] - approachOffset[0],
      graspWorld[1] - approachOffset[1],
      graspWorld[2] - approachOffset[2],
    ],
    approachOffset,
    gripperRotation: mat3Mul(objectToWorld.rotation, pose.rotation),
    opening,
    fingerCloseTarget: opening / 2 + FINGER_OVERSHOOT,
  };
}

/**
 * A jaw scene's MJCF: `environment`'s assets and bodies (the table and one object, or a bin with a heap) and the
 * jaws on their carriage, placed by `placement`.
 */
export function jawSceneXml(
  model: string,
  environment: SceneEnvironment,
  placement: JawPlacement,
  gripper: ParallelJawGripper,
  options: Pick<GraspSceneOptions, 'timestep' | 'solverIterations' | 'noslipIterations' | 'gripForce'>,
): string {
  const half = placement.opening / 2;
  const r = gripper.fingerRadius,
    t = gripper.fingerThickness;
  const tip = gripper.fingertipOffset,
    base = tip - gripper.fingerLength;
  const palmZ = base - gripper.palmThickness / 2;
  const gripperMass = CARRIAGE_MASS + 2 * FINGER_MASS;
  const fingerDamping = FINGER_DAMPING_PER_NEWTON * options.gripForce;
  const fingerActuator = (name: string) =>
    `<position name="${name}" joint="${name}" kp="${FINGER_STIFFNESS}" ctrlrange="0 ${num(placement.fingerCloseTarget)}" forcerange="${-options.gripForce} ${options.gripForce}"/>`;
  const box = (tag: 'geom' | 'site', name: string, center: Vec3, halfSize: Vec3, extra = '') =>
    `<${tag} name="${name}" type="box" pos="${vec(center)}" size="${vec(halfSize)}"${extra}/>`;
  const grow = (h: Vec3): Vec3 => [h[0] + TOUCH_MARGIN, h[1] + TOUCH_MARGIN, h[2] + TOUCH_MARGIN];

  const fingerHalf: Vec3 = [r, t / 2, gripper.fingerLength / 2];
  const finger1Center: Vec3 = [0, -half - t / 2, (base + tip) / 2];
  const finger2Center: Vec3 = [0, half + t / 2, (base + tip) / 2];
  const palmHalf: Vec3 = [r, half + t, gripper.palmThickness / 2];
  const palmCenter: Vec3 = [0, 0, palmZ];
  // MuJoCo uses the larger condim of a pair: pads resist twisting (4), the object on the table does not need to (3).
  const gripperGeom = ` ${COLLIDES.gripper} condim="4" friction="${environment.contactFriction}"`;

  return `${sceneOpening(model, options, environment, placement.preGraspPosition)}
      <body name="${SCENE_NAMES.palmBody}" quat="${vec(mat3ToQuaternion(placement.gripperRotation))}" gravcomp="1">
        ${box('geom', 'palm', palmCenter, palmHalf, gripperGeom + ' mass="0"')}
        ${box('site', 'palm_touch', palmCenter, grow(palmHalf))}
        <body name="finger1" gravcomp="1">
          <joint name="finger1" type="slide" axis="0 1 0" range="0 ${num(half)}" damping="${num(fingerDamping)}"/>
          ${box('geom', 'finger1', finger1Center, fingerHalf, gripperGeom + ` mass="${FINGER_MASS}"`)}
          ${box('site', 'finger1_touch', finger1Center, grow(fingerHalf))}
        </body>
        <body name="finger2" gravcomp="1">
          <joint name="finger2" type="slide" axis="0 -1 0" range="0 ${num(half)}" damping="${num(fingerDamping)}"/>
          ${box('geom', 'finger2', finger2Center, fingerHalf, gripperGeom + ` mass="${FINGER_MASS}"`)}
          ${box('site', 'finger2_touch', finger2Center, grow(fingerHalf))}
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    ${carriageActuators(gripperMass)}
    ${SCENE_NAMES.actuators.slice(3).map(fingerActuator).join('\n    ')}
  </actuator>
  <sensor>
    ${SCENE_NAMES.sensors.map((s) => `<touch name="${s}" site="${s}"/>`).join('\n    ')}
  </sensor>
</mujoco>
`;
}

/** What a tool is added to: the `<mesh>` assets and the bodies of a scene, and the `friction` of its contacts. */
export interface SceneEnvironment {
  assets: string;
  bodies: string;
  contactFriction: string;
}

/** The parts of a trial scene's MJCF that do not depend on the gripper: options, the table and the free object. */
export interface ObjectSceneParts extends SceneEnvironment {
  mass: number;
  centerOfMass: Vec3;
}

/**
 * Solver and contact settings shared by every scene (the lines after `<mujoco>`, up to `<asset>`); the contact time
 * constant defaults to the trials' stiffest stable one, two steps.
 */
export function sceneHeader(
  options: Pick<GraspSceneOptions, 'timestep' | 'solverIterations' | 'noslipIterations'> & {
    contactTimeConstant?: number;
  },
) {
  const tc = num(options.contactTimeConstant ?? CONTACT_TIME_CONSTANT_STEPS * options.timestep);
  // multiccd: a flat pad on a flat face touches in several points, not one, so the grip resists twisting the way a
  // real contact patch does (with one point a box held at its edge spins freely about the grasp axis).
  // memory: a non-convex object of many convex pieces, squeezed, makes hundreds of contacts (ncon 328, 1,309
  // constraint rows seen); MuJoCo's default arena overflows there, 64 MB does not.
  return `<compiler angle="radian" autolimits="true" balanceinertia="true"/>
  <size memory="64M"/>
  <option timestep="${num(options.timestep)}" iterations="${options.solverIterations}" integrator="implicitfast" cone="elliptic" noslip_iterations="${options.noslipIterations}">
    <flag multiccd="enable"/>
  </option>
  <default>
    <geom solref="${tc} 1" solimp="0.95 0.99 0.001"/>
    <joint solreflimit="${tc} 1"/>
  </default>`;
}

/**
 * The table and the object, free to move, with the solid mesh's mass at `density`. A convex object is its own hull;
 * otherwise the hull meets the table and only the pieces `selectNear` picks meet the gripper (far pieces only cost
 * contacts and compile time).
 */
export function objectSceneParts(
  input: Pick<GraspSceneInput, 'mesh' | 'objectToWorld' | 'friction'>,
  options: Pick<GraspSceneOptions, 'density'>,
  selectNear: (pieces: readonly PointSet[]) => number[],
): ObjectSceneParts {
  const { mesh, objectToWorld, friction } = input;
  if (mesh.triangles.length === 0 || mesh.vertices.length === 0) throw new Error('graspScene: the mesh is empty');
  const contactFriction = frictionAttribute(friction);
  const object = freeObjectParts(SCENE_NAMES.objectBody, mesh, objectToWorld, {
    density: options.density,
    contactFriction,
    hullExtraPoints: restingFacetPoints(mesh, objectToWorld),
    selectPieces: selectNear,
    collides: { hull: COLLIDES.objectHull, piece: COLLIDES.objectPiece, convex: COLLIDES.convexObject },
  });
  const bodies = `<geom name="table" type="plane" size="0 0 1" ${COLLIDES.table} condim="3" friction="${contactFriction}"/>
    ${object.body}`;
  return { assets: object.assets, bodies, contactFriction, mass: object.mass, centerOfMass: object.centerOfMass };
}

/** `friction` attribute value of every contact (sliding, torsional, rolling) for Coulomb friction μ. */
export function frictionAttribute(friction: number): string {
  if (!(friction >= 0 && Number.isFinite(friction)))
    throw new Error(`graspScene: friction must be a finite number ≥ 0, got ${friction}`);
  return `${num(friction)} ${num(TORSION_PER_MU * friction)} 0`;
}

export interface FreeObjectOptions {
  density: number;
  /** How the object's convex pieces are made (objectGeometry); default: the grasp trials' 1 mm pieces. */
  pieceOptions?: Partial<ConvexPieceOptions>;
  /** `friction` attribute of the object's geoms (frictionAttribute). */
  contactFriction: string;
  /** Points added to the hull's vertex list (e.g. a resting facet's, so the hull keeps that facet exactly). */
  hullExtraPoints?: Float32Array;
  /** Which convex pieces of a non-convex object take part. */
  selectPieces: (pieces: readonly PointSet[]) => number[];
  /** Collision classes of a non-convex object's hull and pieces, and of a convex object (its hull). */
  collides: { hull: string; piece: string; convex: string };
  /**
   * Pieces only the tool meets, when `pieceOptions` makes pieces too coarse for it (a heap's stick out of the surface
   * by up to 1 cm): which of the grasp trials' 1 mm pieces take part, and their collision class. A non-convex object
   * gets them; those pieces then face the tool and `collides.piece` should not.
   */
  toolPieces?: { select: (pieces: readonly PointSet[]) => number[]; collides: string };
  /**
   * When given, the assets name `.msh` files (added here, for compileMjcf) instead of listing vertices, so MuJoCo's
   * mesh cache serves them on every later compile (mesh-files.ts). Not with hullExtraPoints.
   */
  files?: MeshFile[];
}

/**
 * A free body's MJCF: `<mesh>` assets named `<name>_hull`, `<name>_piece<k>` and `<name>_tool<k>`, and the `<body>`
 * named `name`.
 */
export interface FreeObjectParts {
  assets: string;
  body: string;
  mass: number;
  centerOfMass: Vec3;
}

/**
 * One object as a free body posed by `objectToWorld` (body frame = mesh frame), with the solid mesh's mass and
 * inertia at `options.density`: its hull and, when it is not convex, the convex pieces `selectPieces` picks.
 */
export function freeObjectParts(
  name: string,
  mesh: Mesh,
  objectToWorld: RigidTransform,
  options: FreeObjectOptions,
): FreeObjectParts {
  const { mass, hull, pieces } = objectGeometry(mesh, options.pieceOptions);
  const near = pieces ? options.selectPieces(pieces) : [];
  const objectMass = mass.volume * options.density;
  const inertia = mass.inertia.map((v) => v * options.density);
  const c = options.collides;
  const objectGeom = (geom: string, collides: string) =>
    `<geom name="${geom}" type="mesh" mesh="${geom}" ${collides} condim="3" friction="${options.contactFriction}"/>`;
  const hullText = options.hullExtraPoints ? `${hull.text} ${vec(options.hullExtraPoints)}` : hull.text;
  const files = options.files;
  const asset = (mesh: string, set: PointSet, text = set.text) => {
    if (!files) return `<mesh name="${mesh}" vertex="${text}"/>`;
    const file = meshFileOf(set.points);
    files.push(file);
    return `<mesh name="${mesh}" file="${file.path}"/>`;
  };
  const assets = [asset(`${name}_hull`, hull, hullText), ...near.map((k) => asset(`${name}_piece${k}`, pieces![k]))];
  const geoms = pieces
    ? [objectGeom(`${name}_hull`, c.hull), ...near.map((k) => objectGeom(`${name}_piece${k}`, c.piece))]
    : [objectGeom(`${name}_hull`, c.convex)];
  if (pieces && options.toolPieces) {
    // The 1 mm pieces when the object has several, else its hull (then it is convex at 1 mm).
    const fine = objectGeometry(mesh).pieces ?? [hull];
    for (const k of options.toolPieces.select(fine)) {
      assets.push(asset(`${name}_tool${k}`, fine[k]));
      geoms.push(objectGeom(`${name}_tool${k}`, options.toolPieces.collides));
    }
  }
  const body = `<body name="${name}" pos="${vec(objectToWorld.translation)}" quat="${vec(mat3ToQuaternion(objectToWorld.rotation))}">
      <freejoint/>
      <inertial pos="${vec(mass.centerOfMass)}" mass="${num(objectMass)}" fullinertia="${[inertia[0], inertia[4], inertia[8], inertia[1], inertia[2], inertia[5]].map(num).join(' ')}"/>
      ${geoms.join('\n      ')}
    </body>`;
  return { assets: assets.join('\n    '), body, mass: objectMass, centerOfMass: mass.centerOfMass };
}

/**
 * An MJCF document up to the inside of the carriage body: header, the environment's assets and bodies (the table and
 * the object, or the bin and a heap) and the carriage at `origin`; the caller adds the tool's bodies and closes carriage, worldbody and the rest.
 */
export function sceneOpening(
  model: string,
  options: Parameters<typeof sceneHeader>[0],
  environment: Pick<SceneEnvironment, 'assets' | 'bodies'>,
  origin: Vec3,
): string {
  return `<mujoco model="${model}">
  ${sceneHeader(options)}
  <asset>
    ${environment.assets}
  </asset>
  <worldbody>
    ${environment.bodies}
    ${carriageOpening(origin)}`;
}

/**
 * The opening of the carriage body (closed by the caller after the tool's bodies): a gravity-compensated block on
 * three world-axis slides, its origin at `origin`.
 */
export function carriageOpening(origin: Vec3): string {
  const joint = (name: string, axis: string) => `<joint name="${name}" type="slide" axis="${axis}"/>`;
  return `<body name="carriage" pos="${vec(origin)}" gravcomp="1">
      ${joint('arm_x', '1 0 0')}
      ${joint('arm_y', '0 1 0')}
      ${joint('arm_z', '0 0 1')}
      <inertial pos="0 0 0" mass="${CARRIAGE_MASS}" diaginertia="1e-3 1e-3 1e-3"/>`;
}

/** The carriage's three position servos (arm_x, arm_y, arm_z), critically damped for `toolMass`. */
export function carriageActuators(toolMass: number): string {
  const damping = num(2 * Math.sqrt(ARM_STIFFNESS * toolMass));
  return ['arm_x', 'arm_y', 'arm_z']
    .map(
      (name) =>
        `<position name="${name}" joint="${name}" kp="${ARM_STIFFNESS}" kv="${damping}" forcerange="${-ARM_FORCE_LIMIT} ${ARM_FORCE_LIMIT}"/>`,
    )
    .join('\n    ');
}

/**
 * Collision layers (MuJoCo collides two geoms when one's contype shares a bit with the other's conaffinity):
 * table 1, between objects 4 (heaps, heap-scene.ts), facing the tool 8. The gripper meets the table and what faces
 * the tool, the hull meets only the table, the pieces only the gripper, and the gripper's own geoms never each other.
 */
export const COLLIDES = Object.freeze({
  table: 'contype="1" conaffinity="0"',
  gripper: 'contype="0" conaffinity="9"',
  objectHull: 'contype="0" conaffinity="1"',
  objectPiece: 'contype="8" conaffinity="0"',
  convexObject: 'contype="8" conaffinity="1"',
});

/** How close (m) a piece must come to the gripper's path to take part in the gripper's collisions. */
const PIECE_MARGIN = 0.02;

export interface PointSet {
  points: Float32Array;
  /** MJCF vertex list (only vertices: MuJoCo builds the hull). */
  text: string;
}

export interface ObjectGeometry {
  mass: MassProperties;
  hull: PointSet;
  /** Convex pieces of a non-convex object; null when the object is convex enough to be its hull. */
  pieces: PointSet[] | null;
}

/**
 * Per-mesh work shared by every trial of the object, by the options of its pieces; meshes are treated as immutable,
 * as everywhere here.
 */
const geometryCache = new WeakMap<Mesh, Map<string, ObjectGeometry>>();

/**
 * Mass, hull and convex pieces (made with `pieceOptions`) of a mesh, computed once per mesh and options;
 * `knownPieces`, when given, are what convexPieces returned for them before (e.g. kept in a file), so they need not
 * be made again.
 */
export function objectGeometry(
  mesh: Mesh,
  pieceOptions: Partial<ConvexPieceOptions> = {},
  knownPieces?: readonly Float32Array[],
): ObjectGeometry {
  let byOptions = geometryCache.get(mesh);
  if (!byOptions) {
    byOptions = new Map();
    geometryCache.set(mesh, byOptions);
  }
  const key = JSON.stringify(pieceOptions);
  let geometry = byOptions.get(key);
  if (!geometry) {
    const mass = massProperties(mesh);
    if (!(mass.volume > 0))
      throw new Error(
        `graspScene: the mesh encloses no volume (${mass.volume} m³); it must be closed and outward-facing`,
      );
    const hull = supportPoints(mesh);
    const pieces = knownPieces ?? convexPieces(mesh, pieceOptions);
    const set = (points: Float32Array): PointSet => ({ points, text: vec(points) });
    geometry = { mass, hull: set(hull), pieces: pieces.length > 1 ? pieces.map(set) : null };
    byOptions.set(key, geometry);
  }
  return geometry;
}

/** A box [lo, hi] in a tool's frame: the space the tool's parts sweep on the way in. */
export interface ToolBox {
  lo: Vec3;
  hi: Vec3;
}

/**
 * The box the jaws sweep from the pre-grasp pose to the grasp with the fingers `half` apart (their closing stays inside
 * it), in the gripper frame.
 */
export function jawSweep(gripper: ParallelJawGripper, half: number, preGrasp: number): ToolBox {
  const tip = gripper.fingertipOffset,
    base = tip - gripper.fingerLength;
  return {
    lo: [-gripper.fingerRadius, -half - gripper.fingerThickness, base - gripper.palmThickness - preGrasp],
    hi: [gripper.fingerRadius, half + gripper.fingerThickness, tip],
  };
}

/**
 * Indices of the pieces whose points come within PIECE_MARGIN of `box`, the space a tool's parts sweep on the way in
 * (its frame), `toolToObject` placing that frame on the object.
 */
export function piecesNearToolBox(pieces: readonly PointSet[], toolToObject: RigidTransform, box: ToolBox): number[] {
  const { lo, hi } = box;
  const r = toolToObject.rotation,
    c = toolToObject.translation;
  const near: number[] = [];
  pieces.forEach((piece, k) => {
    const p = piece.points;
    const min: Vec3 = [Infinity, Infinity, Infinity],
      max: Vec3 = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < p.length; i += 3) {
      // Object frame → tool frame: Rᵀ (p − c).
      const dx = p[i] - c[0],
        dy = p[i + 1] - c[1],
        dz = p[i + 2] - c[2];
      for (let a = 0; a < 3; a++) {
        const g = r[a] * dx + r[3 + a] * dy + r[6 + a] * dz;
        if (g < min[a]) min[a] = g;
        if (g > max[a]) max[a] = g;
      }
    }
    let overlaps = true;
    for (let a = 0; a < 3; a++) overlaps &&= min[a] <= hi[a] + PIECE_MARGIN && max[a] >= lo[a] - PIECE_MARGIN;
    if (overlaps) near.push(k);
  });
  return near;
}

/** Shortest text that keeps 9 significant digits (MJCF numbers are parsed as doubles). */
export function num(v: number): string {
  return String(Number(v.toPrecision(9)));
}

export function vec(v: ArrayLike<number>): string {
  return Array.from(v, num).join(' ');
}
