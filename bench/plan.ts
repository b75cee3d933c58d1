// Benchmark: median milliseconds per plan on 640×480 depth images (5 rendered held-out scenes) for each
// policy with the bundled model, and how many grasps each policy scored; with --suction-model=<dir>, the same for
// suction planning with that model and for both grippers (the ambidextrous policy: both plans, best q), each with its
// ratio to the same run's jaw figure. With --heaps, the scenes are 5 bins of 10 held-out procedural objects dropped
// in MuJoCo, seen from above by the PhoXi camera with its missing pixels and planned on with the whole bin's foreground
// as the segmask, as `dexnet evaluate --scene heap` plans (and the heap models by default).
import { MeshIndex } from '../src/geometry/bvh.js';
import { centeredIntrinsics, PHOXI_INTRINSICS, type CameraIntrinsics } from '../src/geometry/camera-intrinsics.js';
import { generateShape, HOLDOUT_FAMILIES } from '../src/geometry/procedural/index.js';
import { Random } from '../src/core/random.js';
import { RigidTransform } from '../src/geometry/rigid-transform.js';
import { stablePoses } from '../src/geometry/stable-poses.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { GqcnnPredictor } from '../src/model/predictor.js';
import { planAmbidextrous } from '../src/policy/ambidextrous.js';
import { NoValidGraspError, plan, POLICIES, type PlanOptions, type PolicyName } from '../src/policy/plan.js';
import type { PlanResult } from '../src/policy/plan-types.js';
import { lookAtPose } from '../src/render/camera-sampler.js';
import { DepthRenderer } from '../src/render/depth-renderer.js';
import { applyDepthNoise } from '../src/render/noise.js';
import { heapCamera, renderHeap } from '../src/render/heap-image.js';
import { dropEpisodeHeap, foreground } from '../src/evaluate/bin-episode.js';
import { prepareTrialObject } from '../src/evaluate/trial-scene.js';
import type { DepthImage, Mask } from '../src/image/depth-image.js';

const json = process.argv.includes('--json');
const heaps = process.argv.includes('--heaps');
const model =
  process.argv.find((a) => a.startsWith('--model='))?.slice(8) ??
  (heaps ? 'models/gqcnn-heap' : 'models/gqcnn-compact');
const suctionModel = process.argv.find((a) => a.startsWith('--suction-model='))?.slice('--suction-model='.length);

interface Scene {
  depth: DepthImage;
  segmask: Mask;
  intrinsics: CameraIntrinsics;
}

/** One held-out object on the table under a tilted 640×480 camera 0.7 m away, with Dex-Net's sensor noise. */
async function tableScenes(): Promise<Scene[]> {
  const intrinsics = centeredIntrinsics(640, 480);
  const scenes: Scene[] = [];
  for (let s = 0; s < 5; s++) {
    const mesh = await generateShape(HOLDOUT_FAMILIES[s % HOLDOUT_FAMILIES.length], 100 + s);
    const object = new GraspableObject(mesh, DEFAULT_GRIPPER);
    const objectToWorld = new RigidTransform(undefined, [0, 0, 0], 'table', 'world').compose(
      object.tableFromObject(stablePoses(mesh)[0]),
    );
    const rng = new Random(s);
    const camera = {
      intrinsics,
      pose: lookAtPose(
        { radius: 0.7, polar: rng.uniform(0.05, 0.1) * Math.PI, azimuth: rng.uniform(0, 2 * Math.PI), roll: 0 },
        [0, 0, 0],
        'camera',
        'world',
      ),
    };
    const image = new DepthRenderer(new MeshIndex(mesh)).render(objectToWorld, camera);
    applyDepthNoise(image.depth, rng);
    scenes.push({ depth: image.depth, segmask: image.segmask, intrinsics });
  }
  return scenes;
}

/** Five bins of 10 held-out procedural objects, as a bin-clearing episode's first attempt sees them. */
async function heapScenes(): Promise<Scene[]> {
  const pool = await Promise.all(
    Array.from({ length: 10 }, async (_, i) =>
      prepareTrialObject(`holdout-${i}`, await generateShape(HOLDOUT_FAMILIES[i % HOLDOUT_FAMILIES.length], 200 + i)),
    ),
  );
  const camera = heapCamera(PHOXI_INTRINSICS);
  const empty = renderHeap([], camera).depth;
  const scenes: Scene[] = [];
  for (let s = 0; s < 5; s++) {
    const heap = await dropEpisodeHeap(pool, pool.length, s);
    const inBin = heap.poses.flatMap((pose, i) =>
      pose ? [{ index: heap.objects[i]!.object.index, objectToWorld: pose }] : [],
    );
    const image = renderHeap(inBin, camera, { structuredLight: {}, seed: s });
    scenes.push({ depth: image.depth, segmask: foreground(image.depth, empty), intrinsics: PHOXI_INTRINSICS });
  }
  return scenes;
}

const scenes = heaps ? await heapScenes() : await tableScenes();
const { width, height } = scenes[0]!.intrinsics;

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
interface Timing {
  medianMs: number;
  scored: number;
  /** Scenes where the policy found no grasp (left out of the median). */
  noGrasp: number;
}

type Planner = (i: number, options: PlanOptions) => Promise<PlanResult>;

/** Every policy on every scene: warm-up on the first scene that plans, then the median over the scenes that plan. */
async function timePolicies(planOn: Planner): Promise<Record<PolicyName, Timing>> {
  const result = {} as Record<PolicyName, Timing>;
  for (const policy of POLICIES) {
    const attempt = (i: number) =>
      planOn(i, { policy, segmask: scenes[i].segmask, seed: i }).catch((e: unknown) => {
        if (e instanceof NoValidGraspError) return null;
        throw e;
      });
    for (let i = 0; i < scenes.length && !(await attempt(i)); i++);
    const times: number[] = [];
    let scored = 0;
    for (let i = 0; i < scenes.length; i++) {
      const t0 = performance.now();
      const r = await attempt(i);
      if (!r) continue;
      times.push(performance.now() - t0);
      scored += r.scoredCount;
    }
    result[policy] = {
      medianMs: times.length ? Number(median(times).toFixed(1)) : NaN,
      scored: Math.round(scored / Math.max(1, times.length)),
      noGrasp: scenes.length - times.length,
    };
  }
  return result;
}

const line = (r: Record<PolicyName, Timing>, base?: Record<PolicyName, Timing>) =>
  POLICIES.map(
    (p) =>
      `${p}: ${r[p].medianMs} ms per plan` +
      (base ? ` (${(r[p].medianMs / base[p].medianMs).toFixed(2)}× the jaws alone)` : '') +
      `, ${r[p].scored} grasps scored` +
      (r[p].noGrasp ? `, no grasp on ${r[p].noGrasp} scene(s)` : ''),
  ).join('; ') + ` (${width}×${height}, 5 ${heaps ? 'heaps' : 'scenes'})`;
const jaw = await GqcnnPredictor.load(model);
const cup = suctionModel ? await GqcnnPredictor.load(suctionModel) : null;
const jaws = await timePolicies((i, o) =>
  plan(scenes[i].depth, scenes[i].intrinsics, jaw, { ...o, gripper: 'parallel-jaw' }),
);
console.log(`parallel-jaw ${line(jaws)}`);
let suction = null,
  both = null;
if (cup) {
  suction = await timePolicies((i, o) =>
    plan(scenes[i].depth, scenes[i].intrinsics, cup, { ...o, gripper: 'suction' }),
  );
  console.log(`suction ${line(suction, jaws)}`);
  both = await timePolicies((i, o) =>
    planAmbidextrous(scenes[i].depth, scenes[i].intrinsics, { jaw, suction: cup }, o),
  );
  console.log(`both ${line(both, jaws)}`);
}
await Promise.all([jaw.release(), cup?.release()]);
if (json) console.log(JSON.stringify(suction ? { ...jaws, suction, both } : jaws));
