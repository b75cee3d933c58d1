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
import { convexPieces } from './convex-pieces.js';
import { restingFacetPoints } from './resting-facet.js';
import { supportPoints } from './support-points.js';

/**
 * Density of the simulated objects (kg/m³). Dex-Net's meshes carry no material; 700 sits in the middle of
 * household plastics and woods (500–1000), giving a 4 cm cube 45 g.
 */
export const DEFAULT_OBJECT_DENSITY = 700;

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
  const { mesh, objectToWorld, grasp, friction, gripper } = input;
  if (mesh.triangles.length === 0 || mesh.vertices.length === 0) throw new Error('graspScene: the mesh is empty');
  if (!(friction >= 0 && Number.isFinite(friction)))
    throw new Error(`graspScene: friction must be a finite number ≥ 0, got ${friction}`);
  const { mass, hull, pieces } = objectGeometry(mesh);
  const objectMass = mass.volume * options.density;
  const inertia = mass.inertia.map((v) => v * options.density);

  const opening = Math.min(grasp.width, gripper.maxWidth);
  const half = opening / 2;
  const r = gripper.fingerRadius,
    t = gripper.fingerThickness;
  const tip = gripper.fingertipOffset,
    base = tip - gripper.fingerLength;
  const palmZ = base - gripper.palmThickness / 2;

  // World pose of the gripper at the grasp, and where it waits before moving in.
  const pose = gripperPose(grasp);
  const gripperRotation = mat3Mul(objectToWorld.rotation, pose.rotation);
  const graspWorld = objectToWorld.applyToPoint(grasp.center);
  const approach = mat3MulVec(objectToWorld.rotation, approachDirection(grasp));
  const preGraspPosition: Vec3 = [
    graspWorld[0] - approach[0] * options.preGraspDistance,
    graspWorld[1] - approach[1] * options.preGraspDistance,
    graspWorld[2] - approach[2] * options.preGraspDistance,
  ];
  const approachOffset: Vec3 = [
    approach[0] * options.preGraspDistance,
    approach[1] * options.preGraspDistance,
    approach[2] * options.preGraspDistance,
  ];

  const fingerCloseTarget = half + FINGER_OVERSHOOT;
  const gripperMass = CARRIAGE_MASS + 2 * FINGER_MASS;
  const armDamping = 2 * Math.sqrt(ARM_STIFFNESS * gripperMass);
  const fingerDamping = FINGER_DAMPING_PER_NEWTON * options.gripForce;
  const contactFriction = `${num(friction)} ${num(TORSION_PER_MU * friction)} 0`;
  const armJoint = (name: string, axis: string) => `<joint name="${name}" type="slide" axis="${axis}"/>`;
  const armActuator = (name: string) =>
    `<position name="${name}" joint="${name}" kp="${ARM_STIFFNESS}" kv="${num(armDamping)}" forcerange="${-ARM_FORCE_LIMIT} ${ARM_FORCE_LIMIT}"/>`;
  const fingerActuator = (name: string) =>
    `<position name="${name}" joint="${name}" kp="${FINGER_STIFFNESS}" ctrlrange="0 ${num(fingerCloseTarget)}" forcerange="${-options.gripForce} ${options.gripForce}"/>`;
  const box = (tag: 'geom' | 'site', name: string, center: Vec3, halfSize: Vec3, extra = '') =>
    `<${tag} name="${name}" type="box" pos="${vec(center)}" size="${vec(halfSize)}"${extra}/>`;
  const grow = (h: Vec3): Vec3 => [h[0] + TOUCH_MARGIN, h[1] + TOUCH_MARGIN, h[2] + TOUCH_MARGIN];

  const fingerHalf: Vec3 = [r, t / 2, gripper.fingerLength / 2];
  const finger1Center: Vec3 = [0, -half - t / 2, (base + tip) / 2];
  const finger2Center: Vec3 = [0, half + t / 2, (base + tip) / 2];
  const palmHalf: Vec3 = [r, half + t, gripper.palmThickness / 2];
  const palmCenter: Vec3 = [0, 0, palmZ];
  // MuJoCo uses the larger condim of a pair: pads resist twisting (4), the object on the table does not need to (3).
  const gripperGeom = ` ${COLLIDES.gripper} condim="4" friction="${contactFriction}"`;
  const objectGeom = (name: string, mesh: string, collides: string) =>
    `<geom name="${name}" type="mesh" mesh="${mesh}" ${collides} condim="3" friction="${contactFriction}"/>`;
  // A convex object is its own hull; otherwise the hull meets the table and only the pieces near the gripper's
  // path meet the gripper (far pieces only cost contacts and compile time).
  const near = pieces ? piecesNearGripper(pieces, pose, gripper, half, options.preGraspDistance) : [];
  const hullText = `${hull.text} ${vec(restingFacetPoints(mesh, objectToWorld))}`;
  const meshAssets = [
    `<mesh name="object_hull" vertex="${hullText}"/>`,
    ...near.map((k) => `<mesh name="object_piece${k}" vertex="${pieces![k].text}"/>`),
  ];
  const objectGeoms = pieces
    ? [
        objectGeom('object_hull', 'object_hull', COLLIDES.objectHull),
        ...near.map((k) => objectGeom(`object_piece${k}`, `object_piece${k}`, COLLIDES.objectPiece)),
      ]
    : [objectGeom('object_hull', 'object_hull', COLLIDES.convexObject)];

  // multiccd: a flat pad on a flat face touches in several points, not one, so the grip resists twisting the way a
  // real contact patch does (with one point a box held at its edge spins freely about the grasp axis).
  // memory: a non-convex object of many convex pieces, squeezed, makes hundreds of contacts (ncon 328, 1,309
  // constraint rows seen); MuJoCo's default arena overflows there, 64 MB does not.
  const xml = `<mujoco model="dexnet-grasp-trial">
  <compiler angle="radian" autolimits="true" balanceinertia="true"/>
  <size memory="64M"/>
  <option timestep="${num(options.timestep)}" iterations="${options.solverIterations}" integrator="implicitfast" cone="elliptic" noslip_iterations="${options.noslipIterations}">
    <flag multiccd="enable"/>
  </option>
  <default>
    <geom solref="${num(CONTACT_TIME_CONSTANT_STEPS * options.timestep)} 1" solimp="0.95 0.99 0.001"/>
    <joint solreflimit="${num(CONTACT_TIME_CONSTANT_STEPS * options.timestep)} 1"/>
  </default>
  <asset>
    ${meshAssets.join('\n    ')}
  </asset>
  <worldbody>
    <geom name="table" type="plane" size="0 0 1" ${COLLIDES.table} condim="3" friction="${contactFriction}"/>
    <body name="${SCENE_NAMES.objectBody}" pos="${vec(objectToWorld.translation)}" quat="${vec(mat3ToQuaternion(objectToWorld.rotation))}">
      <freejoint/>
      <inertial pos="${vec(mass.centerOfMass)}" mass="${num(objectMass)}" fullinertia="${[inertia[0], inertia[4], inertia[8], inertia[1], inertia[2], inertia[5]].map(num).join(' ')}"/>
      ${objectGeoms.join('\n      ')}
    </body>
    <body name="carriage" pos="${vec(preGraspPosition)}" gravcomp="1">
      ${armJoint('arm_x', '1 0 0')}
      ${armJoint('arm_y', '0 1 0')}
      ${armJoint('arm_z', '0 0 1')}
      <inertial pos="0 0 0" mass="${CARRIAGE_MASS}" diaginertia="1e-3 1e-3 1e-3"/>
      <body name="${SCENE_NAMES.palmBody}" quat="${vec(mat3ToQuaternion(gripperRotation))}" gravcomp="1">
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
    ${SCENE_NAMES.actuators.slice(0, 3).map(armActuator).join('\n    ')}
    ${SCENE_NAMES.actuators.slice(3).map(fingerActuator).join('\n    ')}
  </actuator>
  <sensor>
    ${SCENE_NAMES.sensors.map((s) => `<touch name="${s}" site="${s}"/>`).join('\n    ')}
  </sensor>
</mujoco>
`;
  return {
    xml,
    preGraspPosition,
    approachOffset,
    gripperRotation,
    opening,
    fingerCloseTarget,
    objectMass,
    objectCenterOfMass: mass.centerOfMass,
  };
}

/**
 * Collision layers (MuJoCo collides two geoms when one's contype shares a bit with the other's conaffinity):
 * table 1, gripper 2, object pieces 4. The gripper meets the table and the pieces, the hull meets only the table,
 * the pieces only the gripper, and the gripper's own geoms never each other.
 */
const COLLIDES = Object.freeze({
  table: 'contype="1" conaffinity="0"',
  gripper: 'contype="0" conaffinity="5"',
  objectHull: 'contype="0" conaffinity="1"',
  objectPiece: 'contype="4" conaffinity="0"',
  convexObject: 'contype="4" conaffinity="1"',
});

/** How close (m) a piece must come to the gripper's path to take part in the gripper's collisions. */
const PIECE_MARGIN = 0.02;

interface PointSet {
  points: Float32Array;
  /** MJCF vertex list (only vertices: MuJoCo builds the hull). */
  text: string;
}

interface ObjectGeometry {
  mass: MassProperties;
  hull: PointSet;
  /** Convex pieces of a non-convex object; null when the object is convex enough to be its hull. */
  pieces: PointSet[] | null;
}

/** Per-mesh work shared by every trial of the object; meshes are treated as immutable, as everywhere here. */
const geometryCache = new WeakMap<Mesh, ObjectGeometry>();

function objectGeometry(mesh: Mesh): ObjectGeometry {
  let geometry = geometryCache.get(mesh);
  if (!geometry) {
    const mass = massProperties(mesh);
    if (!(mass.volume > 0))
      throw new Error(
        `graspScene: the mesh encloses no volume (${mass.volume} m³); it must be closed and outward-facing`,
      );
    const hull = supportPoints(mesh);
    const pieces = convexPieces(mesh);
    const set = (points: Float32Array): PointSet => ({ points, text: vec(points) });
    geometry = { mass, hull: set(hull), pieces: pieces.length > 1 ? pieces.map(set) : null };
    geometryCache.set(mesh, geometry);
  }
  return geometry;
}

/**
 * Indices of the pieces whose points come within PIECE_MARGIN of the box the gripper sweeps from the pre-grasp pose
 * to the grasp with its fingers open (its closing stays inside that box), in the gripper frame.
 */
function piecesNearGripper(
  pieces: PointSet[],
  gripperToObject: RigidTransform,
  gripper: ParallelJawGripper,
  half: number,
  preGrasp: number,
): number[] {
  const r = gripperToObject.rotation,
    c = gripperToObject.translation;
  const tip = gripper.fingertipOffset,
    base = tip - gripper.fingerLength;
  const lo: Vec3 = [
    -gripper.fingerRadius - PIECE_MARGIN,
    -half - gripper.fingerThickness - PIECE_MARGIN,
    base - gripper.palmThickness - preGrasp - PIECE_MARGIN,
  ];
  const hi: Vec3 = [
    gripper.fingerRadius + PIECE_MARGIN,
    half + gripper.fingerThickness + PIECE_MARGIN,
    tip + PIECE_MARGIN,
  ];
  const near: number[] = [];
  pieces.forEach((piece, k) => {
    const p = piece.points;
    const min: Vec3 = [Infinity, Infinity, Infinity],
      max: Vec3 = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < p.length; i += 3) {
      // Object frame → gripper frame: Rᵀ (p − c).
      const dx = p[i] - c[0],
        dy = p[i + 1] - c[1],
        dz = p[i + 2] - c[2];
      for (let a = 0; a < 3; a++) {
        const g = r[a] * dx + r[3 + a] * dy + r[6 + a] * dz;
        if (g < min[a]) min[a] = g;
        if (g > max[a]) max[a] = g;
      }
    }
    if (min[0] <= hi[0] && max[0] >= lo[0] && min[1] <= hi[1] && max[1] >= lo[1] && min[2] <= hi[2] && max[2] >= lo[2])
      near.push(k);
  });
  return near;
}

/** Shortest text that keeps 9 significant digits (MJCF numbers are parsed as doubles). */
function num(v: number): string {
  return String(Number(v.toPrecision(9)));
}

function vec(v: ArrayLike<number>): string {
  return Array.from(v, num).join(' ');
}
