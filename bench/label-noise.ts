// How noisy the robust label is: the same table-parallel grasps labelled twice with independent Monte-Carlo draws
// (25 by default, the dataset's `--samples`), and the share whose label (robust ε > 0.002 and collision-free) flips.
// With --repeats k it also labels each grasp k more times and scores the share of those labels that are positive
// (an estimate of the chance that a fresh label is positive: the best a network can predict) against the first
// label: the accuracy and average precision that a perfect model reaches on validation data labelled this way.
// Usage: tsx bench/label-noise.ts [--json] [--samples 25] [--objects 12] [--grasps 60] [--repeats 0]
//        [--folders dir,dir… [--split held-out]] (meshes of object folders instead of procedural objects)
import { generateGraspableObjects } from '../src/dataset/graspable-objects.js';
import { ROBUST_EPSILON_THRESHOLD } from '../src/dataset/fields.js';
import { TRAINING_FAMILIES } from '../src/geometry/procedural/index.js';
import { stablePoses } from '../src/geometry/stable-poses.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { deriveSeed } from '../src/core/seed.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { averagePrecision } from '../src/model/metrics.js';
import { flag, opt } from './args.js';
import { foldersObjects } from './mesh-folders.js';

const json = flag('json');
const samples = Number(opt('samples', '25'));
const count = Number(opt('objects', '12'));
const perObject = Number(opt('grasps', '60'));
const repeats = Number(opt('repeats', '0'));
const folders = opt('folders', '');
const objects = folders
  ? (await foldersObjects(folders, opt('split', ''))).slice(0, count)
  : await generateGraspableObjects({ count, seed: 3, holdout: true, families: TRAINING_FAMILIES });
let n = 0,
  flips = 0,
  positives = 0;
const scores: number[] = [];
const labels: number[] = [];
for (const o of objects) {
  const object = new GraspableObject(o.mesh, DEFAULT_GRIPPER);
  const pose = stablePoses(o.mesh, { minProbability: 0.01 })[0];
  if (!pose) continue;
  const table = object.tableFromObject(pose);
  for (const [i, g] of object.sampleGrasps(1, { targetGrasps: perObject, maxTableAngle: 0 }, pose).entries()) {
    const label = (seed: number) => {
      const l = object.label(g, { seed: deriveSeed(seed, i), noise: { samples }, tableFromObject: table });
      return l.collisionFree && l.robustFerrariCanny > ROBUST_EPSILON_THRESHOLD;
    };
    const a = label(1),
      b = label(2);
    n++;
    if (a !== b) flips++;
    if (a) positives++;
    if (repeats > 0) {
      let p = b ? 1 : 0;
      for (let k = 1; k < repeats; k++) if (label(2 + k)) p++;
      scores.push(p / repeats);
      labels.push(a ? 1 : 0);
    }
  }
}
const ceiling =
  repeats > 0
    ? {
        repeats,
        accuracy: scores.reduce((s, p, j) => s + ((p > 0.5 ? 1 : 0) === labels[j] ? 1 : 0), 0) / scores.length,
        averagePrecision: averagePrecision(scores, labels),
      }
    : undefined;
const result = {
  samples,
  objects: objects.length,
  grasps: n,
  positiveRate: positives / n,
  flipRate: flips / n,
  ceiling,
};
console.log(
  `${n} grasps on ${objects.length} objects, ${(100 * result.positiveRate).toFixed(1)} % positive: two independent ${samples}-draw labels disagree on ${(100 * result.flipRate).toFixed(1)} %`,
);
if (ceiling)
  console.log(
    `a model that knows each grasp's chance of a positive label (estimated from ${repeats} more labels) scores accuracy ${(100 * ceiling.accuracy).toFixed(1)} %, AP ${ceiling.averagePrecision.toFixed(3)} against one ${samples}-draw label`,
  );
if (json) console.log(JSON.stringify(result));
