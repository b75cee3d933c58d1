// Bin-clearing episodes (Dex-Net 4.0): a heap of held-out objects dropped into the bin, then, until the bin is empty
// or the picks fail too often in a row: render the heap from above, plan on the image with the chosen gripper (jaws,
// suction cup, or both by the ambidextrous policy), execute the grasp in MuJoCo with every object of the heap in the
// scene, take out what the gripper holds, and let the rest settle. Deterministic per seed.
import { Random } from '../core/random.js';
import { deriveSeed } from '../core/seed.js';
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import { DEFAULT_GRIPPER, DEFAULT_SUCTION_GRIPPER } from '../grasp/gripper.js';
import { imageGrasp } from '../grasp/image-grasp.js';
import { createMask, type DepthImage, type Mask } from '../image/depth-image.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import { DEFAULT_BIN, type Bin } from '../physics/bin.js';
import { drawMeshes } from '../physics/heap-contents.js';
import { dropHeap, settleHeap } from '../physics/heap-drop.js';
import { pickFromHeap, type WorldGrasp } from '../physics/heap-pick.js';
import { REFEREE_PINCH, refereeWeight } from '../physics/mjcf.js';
import { pinchLoad } from '../grasp/parallel-jaw/gravity-hold.js';
import type { ParallelJawGrasp } from '../grasp/parallel-jaw/parallel-jaw-grasp.js';
import type { SealFailure } from '../grasp/suction/seal.js';
import type { SuctionGrasp } from '../grasp/suction/suction-grasp.js';
import type { PhysicsOutcome } from '../physics/lift-and-shake.js';
import { planAmbidextrous } from '../policy/ambidextrous.js';
import { drawGraspOverlay } from '../policy/grasp-overlay.js';
import { NoValidGraspError, plan, type PlannedGrasp, type PolicyName } from '../policy/plan.js';
import type { PlanGripperKind } from '../policy/plan-types.js';
import { projectPoint } from '../geometry/camera-intrinsics.js';
import { imageGraspInObject } from '../render/grasp-projection.js';
import { HEAP_CAMERA_HEIGHT, heapCamera, renderHeap } from '../render/heap-image.js';
import type { Camera } from '../render/depth-renderer.js';
import type { StructuredLightOptions } from '../render/structured-light.js';
import { cameraSuctionInObject } from '../render/suction-projection.js';
import type { TrialObject } from './trial-scene.js';
import type { EpisodeGripper } from './episode-gripper.js';
import { avoidingFailures, failedSurface, stillFailed, type AvoidRegion, type FailedSpot } from './failed-spots.js';
import { suctionEvaluator } from './suction-referee.js';

/** Why an episode ended. */
export type EpisodeStop = 'bin empty' | 'failures in a row' | 'attempt limit';

export interface EpisodeCamera {
  intrinsics: CameraIntrinsics;
  /** A structured-light sensor's missing pixels (absent: an ideal depth camera). */
  structuredLight?: StructuredLightOptions;
  /** Height above the bin's floor (m); default HEAP_CAMERA_HEIGHT. */
  height?: number;
}

export interface BinEpisodeOptions {
  gripper: EpisodeGripper;
  /** The networks: the jaws' for parallel-jaw and both, the cup's for suction and both. */
  predictors: { jaw?: GqcnnPredictor; suction?: GqcnnPredictor };
  /** Default cem. */
  policy?: PolicyName;
  camera: EpisodeCamera;
  /** Failed attempts in a row that end the episode (default 5, as Dex-Net 4.0). */
  maxFailures?: number;
  /** Most attempts in an episode (default 2 × objects + 5): a guard against a heap that is never cleared. */
  maxAttempts?: number;
  /** Coulomb friction of every contact in the picks (default the heap drop's 0.5). */
  friction?: number;
  bin?: Bin;
  /**
   * After a failed attempt, that gripper's next plans keep their centres this far (m, on the image at the grasp's
   * depth) from the failed grasp's centre, for as long as the depth image there is unchanged (default 0.01; 0 plans
   * on unchanged). A heap that a failure leaves as it was gives the same image, and the planner returned the same
   * grasp up to 5 times over.
   */
  avoidFailed?: number;
  /**
   * What a failure keeps that gripper off: the disc of radius avoidFailed ('disc', default), or the failed grasp's
   * surface within it ('surface': the part joined to its centre by smoothly varying depth, failedSurface).
   */
  avoidRegion?: AvoidRegion;
  /**
   * Execute only grasps whose q reaches this (default 0: the best grasp whatever its q, as the policies return it).
   * Below it the attempt plans no grasp and moves no robot, and counts towards the failures in a row: a cell that
   * would rather stop, or ask for help, than try a grasp its network expects to fail.
   */
  minQ?: number;
  /** The jaws' robust selection (default as plan() and planAmbidextrous: on with both grippers only). */
  robustSelection?: boolean;
  /** Draw each attempt's image with its grasp (for the report's strips; default true). */
  images?: boolean;
  onAttempt?: (attempt: AttemptRecord) => void;
}

/** One object of an episode's heap. */
export interface EpisodeObject {
  /** Place in the heap (the segmask label is slot + 1). */
  slot: number;
  id: string;
  source?: 'procedural' | 'real';
  /** How it left the bin: picked (at attempt `at`), or fell out of the bin when dropped or pushed. */
  removed?: { how: 'picked' | 'left the bin'; at: number };
}

export interface AttemptRecord {
  attempt: number;
  /** The gripper the plan chose; null when nothing was planned. */
  gripper: PlanGripperKind | null;
  q: number | null;
  /** The network's own q, where the model's calibration turned it into `q` (what `dexnet calibrate` refits on). */
  networkQ?: number;
  /** Planning time (ms), the ambidextrous policy's two plans together. */
  planMs: number;
  /** The planned grasp in the image (centre x = column, y = row; angle; depth in m). */
  grasp: { center: { x: number; y: number }; angle: number; depth: number } | null;
  /** The object under the grasp's centre pixel (id), null on the background or when nothing was planned. */
  target: string | null;
  success: boolean;
  reason: PhysicsOutcome;
  /**
   * Jaws on an object: the load its weight puts on the pinch at the planned grasp, from its true pose (gravity-hold.ts;
   * above 1 the referee's 5 N pads cannot carry it). Absent for the cup and for grasps off every object.
   */
  pinchLoad?: number;
  /**
   * The cup on an object: whether Dex-Net 3.0's seal model seals it as executed on the target's true surface in its
   * true pose ('sealed', or why not; seal.ts), neighbours ignored. A pick MuJoCo finds unsealed that this seals is a
   * disagreement of the referees; one this does not seal, a mistake of the plan. Absent for the jaws.
   */
  seal?: 'sealed' | SealFailure;
  /** The object held (id), null on failure: on a success it may differ from `target` (and then counts for it). */
  picked: string | null;
  /** Objects that ended outside the bin after this attempt (pushed out). */
  lost: string[];
  /**
   * The earlier failed attempts whose spots this plan kept its gripper's centres off (the heap there looked as it
   * did then); a spot where the image changed is forgotten. Absent in reports made before it was recorded.
   */
  avoiding?: number[];
  /** Wall-clock time of the attempt: render, plan, simulate and settle (ms). */
  wallMs: number;
  /** PNG of the rendered heap with the planned grasp, when images are on. */
  png?: Uint8Array;
}

export interface EpisodeResult {
  gripper: EpisodeGripper;
  objects: EpisodeObject[];
  attempts: AttemptRecord[];
  stop: EpisodeStop;
}

/** A heap ready for episodes: its objects and where they came to rest (null for those that left the bin). */
export interface DroppedHeap {
  seed: number;
  objects: TrialObject[];
  /** Object → world at rest; null where the object left the bin while the heap was dropped. */
  poses: (RigidTransform | null)[];
}

/**
 * Draws `count` objects (different ones while there are enough) from `pool` by the seed and drops them into the bin:
 * the same pool, count and seed give the same heap, so every gripper meets the same one.
 */
export async function dropEpisodeHeap(
  pool: readonly TrialObject[],
  count: number,
  seed: number,
  bin: Bin = DEFAULT_BIN,
): Promise<DroppedHeap> {
  const rng = new Random(seed);
  const chosen = drawMeshes(rng, pool.length, count).map((i) => pool[i]!);
  const drop = await dropHeap(
    chosen.map((o) => o.object.mesh),
    rng.nextUint32(),
    { bin },
  );
  return { seed, objects: chosen, poses: drop.objects.map((o) => (o.removed ? null : o.pose)) };
}

/** Runs one episode on `heap` (which it does not change). */
export async function runBinEpisode(heap: DroppedHeap, options: BinEpisodeOptions): Promise<EpisodeResult> {
  const bin = options.bin ?? DEFAULT_BIN;
  const maxFailures = options.maxFailures ?? 5;
  const maxAttempts = options.maxAttempts ?? 2 * heap.objects.length + 5;
  const friction = options.friction ?? 0.5;
  const camera = heapCamera(options.camera.intrinsics, options.camera.height);
  const empty = renderHeap([], camera, { bin }).depth;
  const thumbnail = binWindow(camera, bin);
  // The pictures' colours span the bin's inside, from the walls' top to the floor, so the objects are not washed out.
  const height = options.camera.height ?? HEAP_CAMERA_HEIGHT;
  const depthRange: [number, number] = [height - bin.wallHeight, height + 0.005];

  const objects: EpisodeObject[] = heap.objects.map((o, slot) => {
    const object: EpisodeObject = { slot, id: o.id };
    if (o.source) object.source = o.source;
    if (!heap.poses[slot]) object.removed = { how: 'left the bin', at: -1 };
    return object;
  });
  /** Slots still in the bin and their poses. */
  let inBin = heap.poses.flatMap((pose, slot) => (pose ? [{ slot, pose }] : []));
  const attempts: AttemptRecord[] = [];
  const avoidFailed = options.avoidFailed ?? 0.01;
  /** Failed grasps where the heap still looks as it did then. */
  let failedSpots: FailedSpot[] = [];
  let failures = 0;
  let stop: EpisodeStop = 'bin empty';
  while (inBin.length > 0) {
    if (failures >= maxFailures) {
      stop = 'failures in a row';
      break;
    }
    if (attempts.length >= maxAttempts) {
      stop = 'attempt limit';
      break;
    }
    const started = performance.now();
    const a = attempts.length;
    const attemptSeed = deriveSeed(heap.seed, a);
    const image = renderHeap(
      inBin.map(({ slot, pose }) => ({
        index: heap.objects[slot]!.object.index,
        objectToWorld: pose,
        label: slot + 1,
      })),
      camera,
      { bin, structuredLight: options.camera.structuredLight, seed: deriveSeed(attemptSeed, 1) },
    );
    failedSpots = stillFailed(failedSpots, image.depth);
    const inHeap = foreground(image.depth, empty);
    const planned = await planAttempt(image.depth, camera, inHeap, failedSpots, options, deriveSeed(attemptSeed, 2));
    const record: AttemptRecord = {
      attempt: a,
      gripper: planned.grasp ? planned.gripper : null,
      q: planned.grasp?.q ?? null,
      ...(planned.grasp?.networkQ !== undefined ? { networkQ: planned.grasp.networkQ } : {}),
      planMs: planned.planMs,
      grasp: planned.grasp
        ? { center: planned.grasp.center, angle: planned.grasp.angle, depth: planned.grasp.depth }
        : null,
      target: null,
      success: false,
      reason: 'no grasp planned',
      picked: null,
      lost: [],
      avoiding: failedSpots.map((s) => s.attempt!),
      wallMs: 0,
    };
    if (planned.grasp) {
      const g = planned.grasp;
      const label = labelAt(image.segmask, g.center);
      record.target = label > 0 ? heap.objects[label - 1]!.id : null;
      const world = worldGrasp(g, planned.gripper, camera);
      const held = inBin.find(({ slot }) => slot === label - 1);
      const object = held && heap.objects[held.slot]!.object;
      if (world.gripper.kind === 'parallel-jaw' && held && object) {
        // How hard the target's weight loads the pinch, from its true pose: what drops look like in the report.
        record.pinchLoad = pinchLoad(
          world.grasp as ParallelJawGrasp,
          held.pose.applyToPoint(object.centerOfMass),
          [0, 0, -1],
          refereeWeight(object.mesh),
          REFEREE_PINCH,
        );
      }
      if (world.gripper.kind === 'suction' && held && object) {
        const toObject = held.pose.inverse();
        const { point, approach } = world.grasp as SuctionGrasp;
        const { seal } = suctionEvaluator(object, world.gripper);
        record.seal = seal.seal(toObject.applyToPoint(point), toObject.applyToDirection(approach)) ?? 'sealed';
      }
      const pick = await pickFromHeap({
        meshes: inBin.map(({ slot }) => heap.objects[slot]!.object.mesh),
        poses: inBin.map(({ pose }) => pose),
        pick: world,
        friction,
        seed: deriveSeed(attemptSeed, 3),
        bin,
      });
      record.success = pick.verdict.success;
      record.reason = pick.verdict.reason;
      let after = inBin.map(({ slot }, i) => ({ slot, pose: pick.poses[i]! }));
      if (pick.picked !== null) {
        const slot = inBin[pick.picked]!.slot;
        record.picked = heap.objects[slot]!.id;
        objects[slot]!.removed = { how: 'picked', at: a };
        after = after.filter((o) => o.slot !== slot);
      }
      const settled = await settleHeap(
        after.map(({ slot }) => heap.objects[slot]!.object.mesh),
        after.map(({ pose }) => pose),
        { bin, friction },
      );
      inBin = [];
      settled.objects.forEach((o, i) => {
        const slot = after[i]!.slot;
        if (!o.removed) return void inBin.push({ slot, pose: o.pose });
        objects[slot]!.removed = { how: 'left the bin', at: a };
        record.lost.push(heap.objects[slot]!.id);
      });
    }
    failures = record.success ? 0 : failures + 1;
    if (!record.success && planned.grasp && avoidFailed > 0) {
      const spot: FailedSpot = {
        gripper: planned.gripper,
        center: planned.grasp.center,
        radius: (camera.intrinsics.fx * avoidFailed) / planned.grasp.depth,
        seen: image.depth,
        attempt: a,
      };
      if (options.avoidRegion === 'surface') spot.pixels = failedSurface(image.depth, inHeap, spot.center, spot.radius);
      failedSpots.push(spot);
    }
    if (options.images !== false) record.png = attemptPicture(image.depth, planned, thumbnail, depthRange);
    record.wallMs = performance.now() - started;
    attempts.push(record);
    options.onAttempt?.(record);
  }
  return { gripper: options.gripper, objects, attempts, stop };
}

interface PlannedAttempt {
  grasp: PlannedGrasp | null;
  gripper: PlanGripperKind;
  planMs: number;
}

/** Plans on the image with the episode's gripper; no grasp is an outcome, not an error. */
async function planAttempt(
  depth: DepthImage,
  camera: Camera,
  foregroundMask: Mask,
  failedSpots: readonly FailedSpot[],
  options: BinEpisodeOptions,
  seed: number,
): Promise<PlannedAttempt> {
  const policy = options.policy ?? 'cem';
  const started = performance.now();
  const { jaw, suction } = options.predictors;
  const kind: PlanGripperKind = options.gripper === 'suction' ? 'suction' : 'parallel-jaw';
  const segmaskOf = (gripper: PlanGripperKind) => avoidingFailures(foregroundMask, failedSpots, gripper);
  try {
    const result =
      options.gripper === 'both'
        ? await planAmbidextrous(
            depth,
            camera.intrinsics,
            { jaw: need(jaw, 'jaw'), suction: need(suction, 'suction') },
            {
              policy,
              segmask: segmaskOf('parallel-jaw'),
              segmasks: { suction: segmaskOf('suction') },
              seed,
              minQ: options.minQ,
              robustSelection: options.robustSelection,
            },
          )
        : await plan(depth, camera.intrinsics, need(kind === 'suction' ? suction : jaw, kind), {
            policy,
            gripper: kind,
            segmask: segmaskOf(kind),
            seed,
            minQ: options.minQ,
            robustSelection: options.robustSelection,
          });
    const grasp = result.grasps[0]!;
    return { grasp, gripper: grasp.gripper ?? result.gripper ?? kind, planMs: performance.now() - started };
  } catch (err) {
    if (!(err instanceof NoValidGraspError)) throw err;
    return { grasp: null, gripper: kind, planMs: performance.now() - started };
  }
}

function need(predictor: GqcnnPredictor | undefined, which: string): GqcnnPredictor {
  if (!predictor) throw new Error(`runBinEpisode: the ${which} model is needed for this gripper`);
  return predictor;
}

/**
 * What a cell knows without object models: pixels nearer than the empty bin by more than FOREGROUND_MARGIN
 * (background subtraction against a picture of the empty bin); the planner keeps grasp centres on them.
 */
const FOREGROUND_MARGIN = 0.003;

export function foreground(depth: DepthImage, empty: DepthImage): Mask {
  const mask = createMask(depth.width, depth.height);
  for (let i = 0; i < depth.data.length; i++) {
    const z = depth.data[i]!;
    if (z > 0 && z < empty.data[i]! - FOREGROUND_MARGIN) mask.data[i] = 255;
  }
  return mask;
}

/** The segmask label at a pixel (0 outside the image or on the background). */
function labelAt(segmask: Mask, p: { x: number; y: number }): number {
  const col = Math.round(p.x),
    row = Math.round(p.y);
  if (col < 0 || row < 0 || col >= segmask.width || row >= segmask.height) return 0;
  return segmask.data[row * segmask.width + col]!;
}

/** The planned grasp in the world: jaws closing parallel to the floor from above, or the cup along its approach. */
function worldGrasp(g: PlannedGrasp, gripper: PlanGripperKind, camera: Camera): WorldGrasp {
  // The heap's camera is calibrated and its depth unscaled: the grasp is placed as the image reports it.
  const scene = { camera, objectToWorld: new RigidTransform(undefined, undefined, 'object', 'world') };
  if (gripper === 'suction') {
    if (!g.suction) throw new Error('runBinEpisode: the suction planner returned a grasp without its suction fields');
    return {
      gripper: DEFAULT_SUCTION_GRIPPER,
      grasp: cameraSuctionInObject(g.suction.point, g.suction.approach, scene),
    };
  }
  return { gripper: DEFAULT_GRIPPER, grasp: imageGraspInObject(g, scene, DEFAULT_GRIPPER) };
}

/** The pixel rectangle [x0, y0, x1, y1] around the bin's rim (the report's pictures show only the bin). */
function binWindow(camera: Camera, bin: Bin): [number, number, number, number] {
  const toCamera = camera.pose.inverse();
  const k = camera.intrinsics;
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  const t = bin.wallThickness;
  for (const sx of [-1, 1])
    for (const sy of [-1, 1])
      for (const z of [0, bin.wallHeight]) {
        const [x, y] = projectPoint(k, toCamera.applyToPoint([sx * (bin.halfX + t), sy * (bin.halfY + t), z]));
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      }
  const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi, Math.round(v)));
  return [clamp(x0, k.width - 1), clamp(y0, k.height - 1), clamp(x1, k.width - 1), clamp(y1, k.height - 1)];
}

/** The rendered heap cut to the bin, with the planned grasp drawn (none when nothing was planned). */
function attemptPicture(
  depth: DepthImage,
  planned: PlannedAttempt,
  window: [number, number, number, number],
  [minDepth, maxDepth]: [number, number],
): Uint8Array {
  const [x0, y0, x1, y1] = window;
  const width = x1 - x0 + 1,
    height = y1 - y0 + 1;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    data.set(depth.data.subarray((y0 + y) * depth.width + x0, (y0 + y) * depth.width + x0 + width), y * width);
  const cut: DepthImage = { width, height, data };
  const g = planned.grasp;
  const shift = (p: { x: number; y: number }) => ({ x: p.x - x0, y: p.y - y0 });
  const grasps = g
    ? [
        {
          grasp: {
            ...imageGrasp(shift(g.center), g.angle, g.depth, g.widthPx),
            suction: g.suction && { ...g.suction, axisTailPx: shift(g.suction.axisTailPx) },
          },
          q: g.q,
        },
      ]
    : [];
  return drawGraspOverlay(cut, grasps, { minDepth, maxDepth });
}
