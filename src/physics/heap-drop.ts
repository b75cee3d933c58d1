// Dropping a heap into the bin (Dex-Net 2.1): objects are released one after another from above the bin, each with a
// uniformly random orientation and a planar offset from the bin's centre, and simulated in MuJoCo until everything
// in the bin is at rest; objects that leave the bin are taken out of the simulation and reported.
import { Random } from '../core/random.js';
import type { Mesh } from '../geometry/mesh.js';
import { quaternionToMat3, type Quaternion } from '../geometry/quaternion.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import { mat3MulVec, type Vec3 } from '../geometry/vector.js';
import { DEFAULT_BIN, overBinFloor } from './bin.js';
import {
  heapBodyName,
  heapObjectGeometry,
  heapSceneMjcf,
  type HeapScene,
  type HeapSceneOptions,
} from './heap-scene.js';
import { checkStable, Diverged } from './lift-and-shake.js';
import { DEFAULT_OBJECT_DENSITY } from '../grasp/object-mass.js';
import { compileMjcf, loadMujoco, withSimulation, type MjData, type MjModel, type Mujoco } from './mujoco-runtime.js';

export interface HeapDropOptions extends HeapSceneOptions {
  /** Height of each object's lowest point above the floor when it is released (m); raised over a taller heap. */
  dropHeight: number;
  /** Drop points (of the centre of mass) are uniform in [−planarOffset, planarOffset]² about the bin's centre (m). */
  planarOffset: number;
  /** Seconds between releases: ≈ the 0.2 s free fall from 0.2 m, so each object lands before the next falls. */
  releaseInterval: number;
  /** Clearance kept between a released object and the bounding spheres of those already in the bin (m). */
  dropClearance: number;
  /**
   * An object is at rest when, over a window of restSeconds, none of its points moved farther than restSpeed ×
   * restSeconds. Judged on displacement, not velocity: resting contacts chatter (a settled 5 cm object showed 4 mm/s
   * and 0.2 rad/s velocities that averaged out to no motion over a second).
   */
  restSpeed: number;
  /**
   * The window (s); the heap has settled when a whole window after the last release is at rest, and the next one too
   * after restarting from the poses alone (no velocities, no solver warm start).
   */
  restSeconds: number;
  /** Simulated time after the last release at which the drop stops, settled or not (s). */
  maxSettleSeconds: number;
}

export const DEFAULT_HEAP_DROP_OPTIONS: Readonly<HeapDropOptions> = Object.freeze({
  bin: DEFAULT_BIN,
  friction: 0.5,
  density: DEFAULT_OBJECT_DENSITY,
  timestep: 0.002,
  solverIterations: 20,
  contactTimeConstant: 0.02,
  dropHeight: 0.2,
  planarOffset: 0.1,
  releaseInterval: 0.2,
  dropClearance: 0.005,
  restSpeed: 0.005,
  restSeconds: 0.2,
  maxSettleSeconds: 5,
});

/** Why an object is not part of the final heap. */
export type HeapRemoval = 'left the bin' | 'still moving';

export interface DroppedObject {
  /** Object → world (mesh frame) when it was released. */
  dropPose: RigidTransform;
  /** Object → world at the end of the drop (where it was taken out, for a removed object). */
  pose: RigidTransform;
  /** Set when the object was taken out of the heap. */
  removed?: HeapRemoval;
}

export interface HeapDrop {
  /** In the order of the input meshes. */
  objects: DroppedObject[];
  /** Whether everything in the bin came to rest before maxSettleSeconds. */
  settled: boolean;
  /** Simulated time (s) and the time step that simulated it (halved once when the first try diverged). */
  simSeconds: number;
  timestep: number;
}

/**
 * Drops `meshes` into the bin in order; the seed fixes every orientation and offset, so the same meshes, seed and
 * options give the same heap. Throws `dropHeap: …` when the scene cannot be built or the simulation diverges
 * even at half the time step.
 */
export async function dropHeap(
  meshes: readonly Mesh[],
  seed: number,
  options: Partial<HeapDropOptions> = {},
): Promise<HeapDrop> {
  if (meshes.length === 0) throw new Error('dropHeap: no objects to drop');
  const rng = new Random(seed);
  const draws = meshes.map(() => ({ rotation: randomRotation(rng), x: rng.uniform(-1, 1), y: rng.uniform(-1, 1) }));
  return simulateHeap('dropHeap', meshes, { kind: 'drop', draws }, options);
}

/**
 * Lets a heap whose objects stand at `poses` (e.g. read back after a pick disturbed it) come to rest, from rest, for
 * at most `maxSettleSeconds`; objects that end outside the bin are reported removed ('left the bin'), those still
 * moving stay. Throws `settleHeap: …` as dropHeap does.
 */
export async function settleHeap(
  meshes: readonly Mesh[],
  poses: readonly RigidTransform[],
  options: Partial<HeapDropOptions> = {},
): Promise<HeapDrop> {
  if (meshes.length !== poses.length) throw new Error(`settleHeap: ${meshes.length} meshes but ${poses.length} poses`);
  if (meshes.length === 0) return { objects: [], settled: true, simSeconds: 0, timestep: options.timestep ?? 0 };
  return simulateHeap('settleHeap', meshes, { kind: 'placed', poses }, options);
}

/** Builds the heap's scene and runs it, once more at half the time step when the first try diverges. */
async function simulateHeap(
  name: string,
  meshes: readonly Mesh[],
  start: HeapStart,
  options: Partial<HeapDropOptions>,
): Promise<HeapDrop> {
  const o = { ...DEFAULT_HEAP_DROP_OPTIONS, ...options };
  const mujoco = await loadMujoco();
  for (const timestep of [o.timestep, o.timestep / 2]) {
    let scene: HeapScene;
    try {
      scene = heapSceneMjcf(
        meshes,
        meshes.map((_, i) => parkedPose(i)),
        { ...o, timestep },
      );
    } catch (err) {
      throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let model: MjModel;
    try {
      model = compileMjcf(mujoco, scene.xml, scene.files);
    } catch (err) {
      throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const result = withSimulation(mujoco, model, (data) => {
      try {
        return new HeapSimulation(mujoco, model, data, meshes, start, { ...o, timestep }).run();
      } catch (err) {
        // Divergence, or MuJoCo's own run-time errors (e.g. its contact arena overflowing): try the smaller step.
        if (err instanceof Diverged || (err instanceof Error && err.message.startsWith('MuJoCo Error'))) return null;
        throw err;
      }
    });
    if (result) return result;
  }
  throw new Error(`${name}: the simulation diverged even at half the time step`);
}

/** A uniformly random rotation: a normalised 4-D Gaussian is uniform on the unit quaternions. */
function randomRotation(rng: Random) {
  const q: Quaternion = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
  return quaternionToMat3(q);
}

/** Where object i waits before its release: far off, above the table, apart from the others. */
function parkedPose(i: number): RigidTransform {
  return new RigidTransform(undefined, [10 + i, 0, 1], 'object', 'world');
}

interface Draw {
  rotation: ReturnType<typeof randomRotation>;
  /** Drop point in units of planarOffset. */
  x: number;
  y: number;
}

/** How the objects enter: dropped one after another, or all placed at once where they are (to settle a heap). */
type HeapStart = { kind: 'drop'; draws: readonly Draw[] } | { kind: 'placed'; poses: readonly RigidTransform[] };

/** One drop: releases on schedule, parks what has not been released or has left, and watches for rest. */
class HeapSimulation {
  private readonly qposAdr: number[];
  private readonly dofAdr: number[];
  private readonly bodies: number[];
  /** Bounding radius of each object about its centre of mass (m), and that centre in the object frame. */
  private readonly radius: number[];
  private readonly com: Vec3[];
  /** Farthest any point of each object lies from its frame's origin (m). */
  private readonly reach: number[];
  private readonly released: boolean[];
  private readonly removed: (HeapRemoval | undefined)[];
  private readonly dropPoses: RigidTransform[];
  private readonly removedPoses: (RigidTransform | undefined)[];

  constructor(
    private readonly mujoco: Mujoco,
    private readonly model: MjModel,
    private readonly data: MjData,
    private readonly meshes: readonly Mesh[],
    private readonly start: HeapStart,
    private readonly o: HeapDropOptions,
  ) {
    const n = meshes.length;
    const bodyId = mujoco.mjtObj.mjOBJ_BODY.value;
    this.bodies = meshes.map((_, i) => mujoco.mj_name2id(model, bodyId, heapBodyName(i)));
    const jntAdr = model.body_jntadr as Int32Array;
    const qposAdr = model.jnt_qposadr as Int32Array,
      dofAdr = model.jnt_dofadr as Int32Array;
    this.qposAdr = this.bodies.map((b) => qposAdr[jntAdr[b]]);
    this.dofAdr = this.bodies.map((b) => dofAdr[jntAdr[b]]);
    this.com = meshes.map((m) => heapObjectGeometry(m).mass.centerOfMass);
    this.radius = meshes.map((m, i) => boundingRadius(m, this.com[i]));
    this.reach = meshes.map((m) => boundingRadius(m, [0, 0, 0]));
    this.released = new Array<boolean>(n).fill(false);
    this.removed = new Array<HeapRemoval | undefined>(n);
    this.dropPoses = new Array<RigidTransform>(n);
    this.removedPoses = new Array<RigidTransform | undefined>(n);
  }

  run(): HeapDrop {
    const { o, mujoco, model, data } = this;
    const n = this.meshes.length;
    const placed = this.start.kind === 'placed';
    const stepsPerRelease = Math.max(1, Math.round(o.releaseInterval / o.timestep));
    const lastRelease = placed ? 0 : (n - 1) * stepsPerRelease;
    const end = lastRelease + Math.round(o.maxSettleSeconds / o.timestep);
    const window = Math.max(1, Math.round(o.restSeconds / o.timestep));
    // Escapes are checked every few steps (10 ms): often enough, at a fraction of the per-step cost.
    const checkEvery = Math.max(1, Math.round(0.01 / o.timestep));
    let settled = false;
    /** Whether the window under way began with a restart from the poses alone (see restartFromPoses). */
    let restarted = false;
    let snapshot = this.snapshot();
    /** How far each object moved over the last whole window. */
    let moved: number[] = [];
    for (let step = 0; step < end; step++) {
      if (placed && step === 0) for (let i = 0; i < n; i++) this.release(i);
      else if (!placed && step % stepsPerRelease === 0 && step <= lastRelease) this.release(step / stepsPerRelease);
      this.pinParked();
      mujoco.mj_step(model, data);
      const done = step + 1;
      if (done % checkEvery === 0) {
        checkStable(mujoco, data);
        this.removeEscaped();
      }
      if (done % window !== 0) continue;
      moved = this.moved(snapshot);
      snapshot = this.snapshot();
      const quiet = moved.every((m, i) => this.removed[i] !== undefined || m <= o.restSpeed * o.restSeconds);
      // A window counts once it starts after the last release (the last object is then surely in the air). A quiet
      // window is then tried again from the poses alone, as whoever reads the heap back restarts it: an object
      // tipping slowly off a balance point can move less than the limit in one window and fall once restarted.
      if (!quiet || done - window <= lastRelease) restarted = false;
      else if (restarted) {
        settled = true;
        break;
      } else {
        this.restartFromPoses();
        restarted = true;
      }
    }
    checkStable(mujoco, data);
    // What rests outside the floor's footprint (balanced on a wall's top, say) is not in the bin; when the heap did
    // not settle, what moved in the last window of a drop is not part of it either (a placed heap keeps it: it was in
    // the bin before).
    for (let i = 0; i < n; i++) {
      if (this.removed[i]) continue;
      const c = this.comWorld(i);
      if (!overBinFloor(o.bin, c[0], c[1])) this.remove(i, 'left the bin');
      else if (!settled && !placed && moved[i] > o.restSpeed * o.restSeconds) this.remove(i, 'still moving');
    }
    const objects = this.meshes.map((_, i): DroppedObject => {
      const object: DroppedObject = { dropPose: this.dropPoses[i], pose: this.removedPoses[i] ?? this.pose(i) };
      if (this.removed[i]) object.removed = this.removed[i];
      return object;
    });
    return { objects, settled, simSeconds: data.time, timestep: o.timestep };
  }

  /** Keeps the poses and forgets the motion, as a new simulation started from them would: no velocity, no warm start. */
  private restartFromPoses(): void {
    (this.data.qvel as Float64Array).fill(0);
    (this.data.qacc_warmstart as Float64Array).fill(0);
  }

  /** Every object's pose now (free-joint positions). */
  private snapshot(): Float64Array {
    return Float64Array.from(this.data.qpos as Float64Array);
  }

  /**
   * How far each object's points moved since `before` at most (m): the shift of its frame's origin plus the angle
   * it turned times the farthest any point lies from that origin.
   */
  private moved(before: Float64Array): number[] {
    const q = this.data.qpos as Float64Array;
    return this.meshes.map((_, i) => {
      const a = this.qposAdr[i];
      const shift = Math.hypot(q[a] - before[a], q[a + 1] - before[a + 1], q[a + 2] - before[a + 2]);
      let dot = 0,
        nq = 0,
        nb = 0;
      for (let k = 3; k < 7; k++) {
        dot += q[a + k] * before[a + k];
        nq += q[a + k] ** 2;
        nb += before[a + k] ** 2;
      }
      const angle = 2 * Math.acos(Math.min(1, Math.abs(dot) / Math.sqrt(nq * nb)));
      return shift + angle * this.reach[i];
    });
  }

  /** Places object i above the bin at rest: its lowest point at the drop height, or above the heap's top. */
  private release(i: number): void {
    if (this.start.kind === 'placed') {
      this.setPose(i, this.start.poses[i]);
      this.dropPoses[i] = this.start.poses[i];
      this.released[i] = true;
      return;
    }
    const o = this.o,
      d = this.start.draws[i],
      v = this.meshes[i].vertices;
    const r = d.rotation;
    let minZ = Infinity;
    for (let k = 0; k < v.length; k += 3) minZ = Math.min(minZ, r[6] * v[k] + r[7] * v[k + 1] + r[8] * v[k + 2]);
    let top = 0;
    for (let j = 0; j < i; j++) if (!this.removed[j]) top = Math.max(top, this.comWorld(j)[2] + this.radius[j]);
    const low = Math.max(o.dropHeight, top + o.dropClearance);
    const c = mat3MulVec(r, this.com[i]);
    const pose = new RigidTransform(
      r,
      [d.x * o.planarOffset - c[0], d.y * o.planarOffset - c[1], low - minZ],
      'object',
      'world',
    );
    this.setPose(i, pose);
    this.dropPoses[i] = pose;
    this.released[i] = true;
  }

  /** Objects not yet released, or taken out, stay where they are parked, at rest. */
  private pinParked(): void {
    for (let i = 0; i < this.meshes.length; i++)
      if (!this.released[i] || this.removed[i]) this.setPose(i, parkedPose(i));
  }

  /** Takes out what has crossed a wall's outer face: it fell out and can only roll about on the table. */
  private removeEscaped(): void {
    const b = this.o.bin,
      t = b.wallThickness;
    for (let i = 0; i < this.meshes.length; i++) {
      if (!this.released[i] || this.removed[i]) continue;
      const c = this.comWorld(i);
      if (Math.abs(c[0]) > b.halfX + t || Math.abs(c[1]) > b.halfY + t) this.remove(i, 'left the bin');
    }
  }

  private remove(i: number, why: HeapRemoval): void {
    this.removedPoses[i] = this.pose(i);
    this.removed[i] = why;
  }

  private comWorld(i: number): Vec3 {
    const x = this.data.xipos as Float64Array,
      b = this.bodies[i];
    return [x[3 * b], x[3 * b + 1], x[3 * b + 2]];
  }

  /** Object → world from the free joint's position (w, x, y, z quaternion after the translation). */
  private pose(i: number): RigidTransform {
    const q = this.data.qpos as Float64Array,
      a = this.qposAdr[i];
    return RigidTransform.fromQuaternion(
      [q[a + 3], q[a + 4], q[a + 5], q[a + 6]],
      [q[a], q[a + 1], q[a + 2]],
      'object',
      'world',
    );
  }

  private setPose(i: number, pose: RigidTransform): void {
    const q = this.data.qpos as Float64Array,
      v = this.data.qvel as Float64Array;
    const a = this.qposAdr[i],
      d = this.dofAdr[i];
    const t = pose.translation,
      quat = pose.quaternion;
    q.set([t[0], t[1], t[2], quat[0], quat[1], quat[2], quat[3]], a);
    v.fill(0, d, d + 6);
  }
}

/** Largest distance from `center` to a vertex of the mesh. */
function boundingRadius(mesh: Mesh, center: Vec3): number {
  const v = mesh.vertices;
  let r2 = 0;
  for (let k = 0; k < v.length; k += 3)
    r2 = Math.max(r2, (v[k] - center[0]) ** 2 + (v[k + 1] - center[1]) ** 2 + (v[k + 2] - center[2]) ** 2);
  return Math.sqrt(r2);
}
