// How noisy the robust label is: the same table-parallel grasps labelled twice with independent Monte-Carlo draws
// (25 by default, the dataset's `--samples`), and the share whose label (robust ε > 0.002 and collision-free) flips.
// Usage: tsx bench/label-noise.ts [--json] [--samples 25] [--objects 12] [--grasps 60]
import { generateGraspableObjects } from '../src/dataset/graspable-objects.js';
import { ROBUST_EPSILON_THRESHOLD } from '../src/dataset/fields.js';
import { TRAINING_FAMILIES } from '../src/geometry/procedural/index.js';
import { stablePoses } from '../src/geometry/stable-poses.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { deriveSeed } from '../src/core/seed.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { flag, opt } from './args.js';

const json = flag('json');
const samples = Number(opt('samples', '25'));
const count = Number(opt('objects', '12'));
const perObject = Number(opt('grasps', '60'));
const objects = await generateGraspableObjects({ count, seed: 3, holdout: true, families: TRAINING_FAMILIES });
let n = 0,
  flips = 0,
  positives = 0;
for (const o of objects) {
  const object = new GraspableObject(o.mesh, DEFAULT_GRIPPER);
  const pose = stablePoses(o.mesh, { minProbability: 0.01 })[0]!;
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
  }
}
const result = { samples, grasps: n, positiveRate: positives / n, flipRate: flips / n };
console.log(
  `${n} grasps on ${objects.length} objects, ${(100 * result.positiveRate).toFixed(1)} % positive: two independent ${samples}-draw labels disagree on ${(100 * result.flipRate).toFixed(1)} %`,
);
if (json) console.log(JSON.stringify(result));
