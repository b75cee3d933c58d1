// The datapoints of one heap in a bin (Dex-Net 4.0's labels in clutter): the heap drawn and dropped as `dexnet heaps`
// makes it, seen from a few cameras above the bin (PhoXi-like missing pixels, the generator's sensor noise); the
// candidates of the image sampler a policy uses, on the whole bin's segmask, each read back onto the object under it
// and labelled with that object's robust metric times the freedom of the approach from every other object, the
// bin's walls and floor. Switched on the gripper in one place; the crops come from the heap image.
import { Random } from '../core/random.js';
import { deriveSeed } from '../core/seed.js';
import { MeshIndex } from '../geometry/bvh.js';
import type { Mesh } from '../geometry/mesh.js';
import { centerOfMass } from '../geometry/mesh-properties.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import type { Vec3 } from '../geometry/vector.js';
import { DEFAULT_GRIPPER, DEFAULT_SUCTION_GRIPPER } from '../grasp/gripper.js';
import { sampleImageAntipodalGrasps, type AntipodalImageGrasp } from '../grasp/image-antipodal-sampler.js';
import { suctionNetworkInput } from '../grasp/image-suction-grasp.js';
import { obstaclesAround, type Obstacle, type PlacedMesh } from '../grasp/obstacles.js';
import { GraspableObject } from '../grasp/parallel-jaw/grasp-labels.js';
import { pinchLoad } from '../grasp/parallel-jaw/gravity-hold.js';
import { suctionApproachBlocked } from '../grasp/suction/approach-clearance.js';
import { SuctionQualityEvaluator } from '../grasp/suction/quality.js';
import { graspAlignedCrop } from '../image/crop.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import { inpaint } from '../image/filters.js';
import { binWallsMesh, DEFAULT_BIN, type Bin } from '../physics/bin.js';
import type { ObjectCount } from '../physics/heap-contents.js';
import type { HeapDropOptions } from '../physics/heap-drop.js';
import type { MadeHeap } from '../physics/heap-job.js';
import { REFEREE_PINCH, refereeMass, refereeWeight } from '../physics/mjcf.js';
import { poseFromRecord } from '../physics/heap-record.js';
import { lookAtPose } from '../render/camera-sampler.js';
import { hasStructuredLight, heapCameraIntrinsics, type HeapCameraName } from '../render/heap-cameras.js';
import type { Camera } from '../render/depth-renderer.js';
import { HEAP_CAMERA_HEIGHT, renderHeap } from '../render/heap-image.js';
import { imageGraspInObject } from '../render/grasp-projection.js';
import { applyDepthNoise } from '../render/noise.js';
import { FieldColumns } from './field-columns.js';
import { CROP_SIZE, datasetLayout } from './fields.js';
import type { DatapointOptions, ObjectDatapoints } from './object-datapoints.js';
import {
  labelSuctionCandidate,
  plannerSuctionCandidates,
  recordSuctionCandidate,
  suctionCandidateOnObject,
} from './suction-candidates.js';

/** What makes a dataset a heap dataset: the heaps, how they are seen and how many candidates each image gives. */
export interface HeapSceneOptions {
  kind: 'heap';
  /** Number of heaps (one generation job each). */
  heaps: number;
  /** Objects per heap (Dex-Net 2.1: Poisson(5)) and the most in one heap. */
  objects: ObjectCount;
  maxObjects: number;
  /** Images of each heap, each from its own camera. */
  imagesPerHeap: number;
  /** Candidates the image sampler draws per image (each labelled: the dataset's datapoints). */
  graspsPerImage: number;
  /** phoxi: 516×386 with a structured-light sensor's missing pixels (inpainted, as a plan does); primesense: 640×480. */
  camera: HeapCameraName;
  /** Camera height above the bin's floor, uniform in [low, high] (m). */
  cameraHeight: [number, number];
  /** Largest tilt of the optical axis from straight down (rad); the azimuth of the tilt and the roll are uniform. */
  maxCameraTilt: number;
  /** Largest offset of the point the camera looks at from the bin's centre, along x and y (m). */
  cameraTargetRange: number;
  /**
   * Labels weigh each object as the physics referee does (its volume at 700 kg/m³), as Dex-Net 4.0 labels both
   * grippers by resistance to gravity: a jaw grasp whose pinch cannot carry the weight (the referee's grip and pads)
   * is labelled 0, and the cup's wrench resistance loads that mass (default true; false: Dex-Net 2.0's ε alone and
   * Dex-Net 3.0's 1 kg for every object).
   */
  gravityHold: boolean;
  /** Drop settings that differ from the heap set's defaults (tests shorten the settle). */
  drop?: Partial<HeapDropOptions>;
}

export const DEFAULT_HEAP_SCENE: Readonly<HeapSceneOptions> = Object.freeze<HeapSceneOptions>({
  kind: 'heap',
  heaps: 100,
  objects: { kind: 'poisson', lambda: 5 },
  maxObjects: 20,
  imagesPerHeap: 5,
  // A rendered heap image costs ~100 ms (a third of it the PhoXi's missing pixels), a jaw label ~0.6 ms: 200
  // candidates an image put the crops at ~600/s a thread against ~420/s with 100 (bench/heap-labels.ts).
  graspsPerImage: 200,
  camera: 'phoxi',
  cameraHeight: [HEAP_CAMERA_HEIGHT - 0.05, HEAP_CAMERA_HEIGHT + 0.05],
  maxCameraTilt: (5 * Math.PI) / 180,
  cameraTargetRange: 0.02,
  gravityHold: true,
});

/** A camera above the bin: height, tilt (uniform in the cone), roll and aim point drawn in that order. */
export function sampleHeapCamera(rng: Random, scene: HeapSceneOptions): Camera {
  const intrinsics = heapCameraIntrinsics(scene.camera);
  const [lo, hi] = scene.cameraHeight;
  const height = rng.uniform(lo, hi);
  // Uniform over the spherical cap of the tilt cone, not over the angle (which would crowd the axis).
  const polar = Math.acos(1 - rng.next() * (1 - Math.cos(scene.maxCameraTilt)));
  const azimuth = rng.uniform(0, 2 * Math.PI);
  const roll = rng.uniform(-Math.PI, Math.PI);
  const r = scene.cameraTargetRange;
  const target: Vec3 = [rng.uniform(-r, r), rng.uniform(-r, r), 0];
  // Height above the floor, whatever the tilt: the distance along the axis grows as 1 / cos(tilt).
  const pose = lookAtPose({ radius: height / Math.cos(polar), polar, azimuth, roll }, target, intrinsics.frame);
  return { intrinsics, pose: new RigidTransform(pose.rotation, pose.translation, intrinsics.frame, 'world') };
}

/** Per-thread caches: a heap set reuses a few meshes many times, and their BVHs and evaluators with them. */
const jawObjects = new WeakMap<Mesh, GraspableObject>();
const suctionObjects = new WeakMap<Mesh, { index: MeshIndex; evaluator: SuctionQualityEvaluator }>();
const wallMeshes = new Map<string, MeshIndex>();

function jawObject(mesh: Mesh): GraspableObject {
  let o = jawObjects.get(mesh);
  if (!o) jawObjects.set(mesh, (o = new GraspableObject(mesh, DEFAULT_GRIPPER)));
  return o;
}

function suctionObject(mesh: Mesh) {
  let o = suctionObjects.get(mesh);
  if (!o) {
    const index = new MeshIndex(mesh);
    o = { index, evaluator: new SuctionQualityEvaluator(index, centerOfMass(mesh), DEFAULT_SUCTION_GRIPPER) };
    suctionObjects.set(mesh, o);
  }
  return o;
}

function wallsIndex(bin: Bin): MeshIndex {
  const key = JSON.stringify(bin);
  let index = wallMeshes.get(key);
  if (!index) wallMeshes.set(key, (index = new MeshIndex(binWallsMesh(bin))));
  return index;
}

/** An object of the heap as the labels see it. */
interface HeapMember {
  mesh: Mesh;
  /** Its number in the segmask (place in the heap record + 1) and its mesh's place in the run's mesh list. */
  label: number;
  meshIndex: number;
  objectToWorld: RigidTransform;
  worldToObject: RigidTransform;
  /** Gravity's direction in the object's frame. */
  gravity: Vec3;
  /** World → object frame's "table" for the floor check (the floor is world z = 0). */
  floorFromObject: RigidTransform;
  obstacles: Obstacle[];
}

export interface HeapDatapointStats {
  poses: number;
  images: number;
  grasps: number;
  /** Candidates drawn; those on no object (skipped); those whose approach meets another object, a wall or the floor. */
  plannerGrasps: number;
  unassigned: number;
  colliding: number;
  /** Jaw candidates whose pinch cannot carry the object's weight (labelled 0). */
  tooHeavy: number;
  positives: number;
  /** Objects in the heap after the drop. */
  objects: number;
  skipped?: string;
}

/**
 * Every datapoint of one dropped heap for the options' gripper. Deterministic in (heap, seed, options, scene):
 * cameras and noise from one stream, each image's sampler and each candidate's robust draws from their own seeds.
 * Datapoints carry obj_labels = the grasped object's mesh (its place in the run's mesh list), pose 0 and image k.
 */
export function heapDatapoints(
  heap: MadeHeap,
  seed: number,
  options: DatapointOptions,
  scene: HeapSceneOptions,
  bin: Bin = DEFAULT_BIN,
): ObjectDatapoints & { stats: HeapDatapointStats } {
  const suction = options.gripper === 'suction';
  const layout = datasetLayout(options.gripper);
  const cols = new FieldColumns(layout.fields);
  const stats: HeapDatapointStats = {
    poses: 1,
    images: 0,
    grasps: 0,
    plannerGrasps: 0,
    unassigned: 0,
    colliding: 0,
    tooHeavy: 0,
    positives: 0,
    objects: 0,
  };
  const placed: PlacedMesh[] = [];
  const members: Omit<HeapMember, 'obstacles'>[] = [];
  heap.record.objects.forEach((o, position) => {
    const mesh = heap.meshes[position];
    if (o.removed || !o.pose || !mesh) return;
    const objectToWorld = poseFromRecord(o.pose);
    const index = suction ? suctionObject(mesh).index : jawObject(mesh).index;
    placed.push({ index, toWorld: objectToWorld, name: `object ${position} (${o.id})` });
    const worldToObject = objectToWorld.inverse();
    members.push({
      mesh,
      label: position + 1,
      meshIndex: o.meshIndex,
      objectToWorld,
      worldToObject,
      gravity: worldToObject.applyToDirection([0, 0, -1]),
      floorFromObject: new RigidTransform(objectToWorld.rotation, objectToWorld.translation, 'object', 'table'),
    });
  });
  stats.objects = members.length;
  if (members.length === 0)
    return { ...cols.trimmed(), stats: { ...stats, skipped: heap.record.error ?? 'no object in the bin' } };
  placed.push({
    index: wallsIndex(bin),
    toWorld: new RigidTransform(undefined, undefined, 'object', 'world'),
    name: 'bin walls',
  });
  const byLabel = new Map<number, HeapMember>();
  members.forEach((m, i) => byLabel.set(m.label, { ...m, obstacles: obstaclesAround(placed, i) }));

  const rng = new Random(deriveSeed(seed, 1));
  const cropOut = new Float32Array(CROP_SIZE * CROP_SIZE);
  const maskOut = new Float32Array(CROP_SIZE * CROP_SIZE);
  const cropOptions = { cropSize: options.cropSize, outSize: CROP_SIZE };
  const robust = { samples: options.robustSamples };

  for (let k = 0; k < scene.imagesPerHeap; k++) {
    const camera = sampleHeapCamera(rng, scene);
    const rendered = renderHeap(
      placed
        .slice(0, members.length)
        .map((p, i) => ({ index: p.index, objectToWorld: p.toWorld, label: members[i].label })),
      camera,
      {
        bin,
        structuredLight: hasStructuredLight(scene.camera) ? {} : undefined,
        seed: deriveSeed(seed, 4_000_000 + k),
      },
    );
    const multiplier = options.noise ? applyDepthNoise(rendered.depth, rng).multiplier : 1;
    // What a plan sees: the noisy image with the sensor's holes filled (policy/plan.ts inpaints the same way).
    const depth = rendered.missing ? inpaint(rendered.depth) : rendered.depth;
    const segmask = rendered.segmask;
    stats.images++;
    const k4 = camera.intrinsics;
    const q = camera.pose.quaternion,
      t = camera.pose.translation;
    const masks = new Map<number, DepthImage>();

    /** Appends one datapoint's crop, object mask and context; the caller fills the pose and the labels. */
    const push = (center: { x: number; y: number }, angle: number, member: HeapMember): number => {
      const d = cols.push();
      graspAlignedCrop(depth, center, angle, cropOut, cropOptions);
      cols.fields.depth_ims_tf_table.set(cropOut, d * CROP_SIZE * CROP_SIZE);
      graspAlignedCrop(objectMask(masks, segmask, member.label), center, angle, maskOut, cropOptions);
      const out = cols.fields.obj_masks;
      for (let i = 0; i < maskOut.length; i++) out[d * maskOut.length + i] = maskOut[i] >= 0.5 ? 1 : 0;
      cols.fields.obj_labels[d] = member.meshIndex;
      cols.fields.camera_poses.set([t[0], t[1], t[2], q[0], q[1], q[2], q[3]], d * 7);
      cols.fields.camera_intrs.set([k4.fx, k4.fy, k4.cx, k4.cy], d * 4);
      cols.poseIndex[d] = 0;
      cols.imageIndex[d] = k;
      return d;
    };
    const samplerRng = new Random(deriveSeed(seed, 2_000_000 + k));
    const labelSeed = (m: number) => deriveSeed(seed, 3_000_000 + k * 65_536 + m);

    if (suction) {
      // A heap's surfaces turn away from the camera more often than one object's: at the planner's 4,000 failed draws
      // the sampler stopped at 300–450 of 1,000 candidates a heap (phoxi, 10 procedural meshes), at 100 per candidate
      // wanted at 700–770; a failed draw costs microseconds against ~100 ms for the image.
      const { candidates } = plannerSuctionCandidates(depth, segmask, k4, samplerRng, {
        numSamples: scene.graspsPerImage,
        cropSize: options.cropSize,
        maxApproachAngle: options.maxOpticalAxisAngle,
        edgeTolerance: options.surfaceEdgeTolerance,
        maxRejections: 100 * scene.graspsPerImage,
      });
      stats.plannerGrasps += candidates.length;
      for (const [m, c] of candidates.entries()) {
        const member = byLabel.get(segmask.data[c.center.y * segmask.width + c.center.x]);
        if (!member) {
          stats.unassigned++;
          continue;
        }
        const { evaluator } = suctionObject(member.mesh);
        const grasp = suctionCandidateOnObject(c, k4, { camera, objectToWorld: member.objectToWorld }, multiplier);
        const blocked = suctionApproachBlocked(
          grasp,
          DEFAULT_SUCTION_GRIPPER,
          member.obstacles,
          member.floorFromObject,
        );
        if (blocked) stats.colliding++;
        const labels = labelSuctionCandidate(
          evaluator,
          grasp,
          member.gravity,
          labelSeed(m),
          robust.samples,
          blocked !== null,
          scene.gravityHold ? refereeMass(member.mesh) : undefined,
        );
        const input = suctionNetworkInput(c, k4);
        recordSuctionCandidate(cols, push(c.center, input.cropAngle, member), c, input, k4, labels);
        if (labels.robust > layout.positiveThreshold) stats.positives++;
      }
    } else {
      const candidates = sampleImageAntipodalGrasps(depth, segmask, k4, DEFAULT_GRIPPER.maxWidth, samplerRng, {
        numSamples: scene.graspsPerImage,
        cropSize: options.cropSize,
      });
      stats.plannerGrasps += candidates.length;
      for (const [m, c] of candidates.entries()) {
        const member = byLabel.get(graspedLabel(depth, segmask, c));
        if (!member) {
          stats.unassigned++;
          continue;
        }
        const object = jawObject(member.mesh);
        const grasp = imageGraspInObject(
          c,
          { camera, objectToWorld: member.objectToWorld },
          object.gripper,
          multiplier,
        );
        const l = object.label(grasp, {
          seed: labelSeed(m),
          noise: robust,
          tableFromObject: member.floorFromObject,
          obstacles: member.obstacles,
          skipRobustWhenColliding: true,
        });
        const free = l.collisionFree ? 1 : 0;
        if (!l.collisionFree) stats.colliding++;
        // Dex-Net 4.0 labels jaw grasps by their resistance to gravity too: a pinch that cannot carry the object's
        // weight (it twists out about the closing axis) is not robust, whatever its ε.
        const weight = refereeWeight(member.mesh);
        const holds =
          !scene.gravityHold || pinchLoad(grasp, object.centerOfMass, member.gravity, weight, REFEREE_PINCH) <= 1
            ? 1
            : 0;
        if (!holds) stats.tooHeavy++;
        const d = push(c.center, c.angle, member);
        cols.fields.hand_poses.set(
          [c.center.y, c.center.x, c.depth, c.angle, c.center.y - k4.cy, c.center.x - k4.cx, c.widthPx],
          d * 7,
        );
        // Dex-Net multiplies the metrics by collision-freedom: a grasp the gripper cannot reach is not robust.
        cols.fields.robust_ferrari_canny[d] = l.robustFerrariCanny * free * holds;
        cols.fields.ferrari_canny[d] = l.ferrariCanny * free * holds;
        cols.fields.force_closure[d] = l.forceClosure ? 1 : 0;
        cols.fields.collision_free[d] = free;
        if (l.robustFerrariCanny * free * holds > layout.positiveThreshold) stats.positives++;
      }
    }
  }
  return { ...cols.trimmed(), stats };
}

/**
 * The segmask number of the object a jaw candidate closes on: the one under its centre, else the nearest labelled
 * pixel to the camera on the segment between its contacts (what the sampler's depth was read from); 0 for none.
 */
export function graspedLabel(depth: DepthImage, segmask: Mask, c: AntipodalImageGrasp): number {
  const W = segmask.width;
  const at = (x: number, y: number) => Math.round(y) * W + Math.round(x);
  const centre = segmask.data[at(c.center.x, c.center.y)];
  if (centre) return centre;
  const [a, b] = c.contacts;
  const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y)));
  let best = 0,
    nearest = Infinity;
  for (let s = 0; s <= steps; s++) {
    const i = at(a.x + ((b.x - a.x) * s) / steps, a.y + ((b.y - a.y) * s) / steps);
    const z = depth.data[i];
    if (segmask.data[i] && z > 0 && z < nearest) {
      nearest = z;
      best = segmask.data[i];
    }
  }
  return best;
}

/** The float 0/1 mask of one object in this image (made once per object per image), for bilinear crops. */
function objectMask(cache: Map<number, DepthImage>, segmask: Mask, label: number): DepthImage {
  let m = cache.get(label);
  if (!m) {
    const data = new Float32Array(segmask.data.length);
    for (let i = 0; i < data.length; i++) data[i] = segmask.data[i] === label ? 1 : 0;
    cache.set(label, (m = { width: segmask.width, height: segmask.height, data }));
  }
  return m;
}
