// Benchmark: robust suction labels (Dex-Net 3.0, 25 Monte-Carlo draws) per second on one core, on procedural objects,
// with the robust jaw label rate on the same objects measured in the same run as the baseline.
import { MeshIndex } from '../src/geometry/bvh.js';
import { centerOfMass } from '../src/geometry/mesh-properties.js';
import { generateObjects, TRAINING_FAMILIES } from '../src/geometry/procedural/index.js';
import { Random } from '../src/core/random.js';
import { deriveSeed } from '../src/core/seed.js';
import { DEFAULT_GRIPPER, DEFAULT_SUCTION_GRIPPER } from '../src/grasp/gripper.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { SuctionQualityEvaluator } from '../src/grasp/suction/quality.js';
import { sampleSuctionGrasps } from '../src/grasp/suction/suction-sampler.js';
import type { SuctionGrasp } from '../src/grasp/suction/suction-grasp.js';

const json = process.argv.includes('--json');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const objectCount = arg('objects', 12),
  graspsPerObject = arg('grasps', 50),
  samples = 25;
// CPU time of this process, not wall time: "per core" even when other jobs share the cores.
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const seconds = (t0: number) => cpuNow() - t0;

const objects = await generateObjects({ count: objectCount, seed: 2018, families: TRAINING_FAMILIES });
const cup = DEFAULT_SUCTION_GRIPPER;
// Two grasp sets per object: anywhere on the surface, and top-down (approach within 30° of down, as image grasps are).
const work = objects.map((o, k) => {
  const index = new MeshIndex(o.mesh);
  const com = centerOfMass(o.mesh);
  const rng = new Random(deriveSeed(7, k));
  return {
    o,
    evaluator: new SuctionQualityEvaluator(index, com, cup),
    // κ read with r in metres (see materialTorqueLimit): for the positive share only.
    siEvaluator: new SuctionQualityEvaluator(index, com, cup, {
      materialTorque: Math.PI * cup.radius * cup.materialLimit,
    }),
    anywhere: sampleSuctionGrasps(index, rng, { targetGrasps: graspsPerObject }),
    topDown: sampleSuctionGrasps(index, rng, { targetGrasps: graspsPerObject, tableNormal: [0, 0, 1] }),
  };
});

type Work = (typeof work)[number];
function labelAll(pick: (w: Work) => SuctionGrasp[], which: 'evaluator' | 'siEvaluator' = 'evaluator') {
  const labels: number[] = [];
  const t0 = cpuNow();
  work.forEach((w, k) =>
    pick(w).forEach((g, i) => labels.push(w[which].robustQuality(g, deriveSeed(k, i), { samples }))),
  );
  return { labels, perSecond: labels.length / seconds(t0) };
}
const share = (labels: number[], threshold: number) => labels.filter((q) => q > threshold).length / labels.length;

// Warm the JIT on a few labels of each kind, then measure.
labelAll((w) => [...w.anywhere.slice(0, 5), ...w.topDown.slice(0, 5)]);
const anywhere = labelAll((w) => w.anywhere);
const topDown = labelAll((w) => w.topDown);
const topDownSi = labelAll((w) => w.topDown, 'siEvaluator');

// Baseline: robust jaw labels (25 draws, Ferrari–Canny) on the same objects, same run.
const jawObjects = objects.map((o) => new GraspableObject(o.mesh, DEFAULT_GRIPPER));
const jawTarget = { targetGrasps: Math.min(20, graspsPerObject) };
const jawGrasps = jawObjects.map((j, k) => j.sampleGrasps(deriveSeed(9, k), jawTarget));
jawObjects[0].label(jawGrasps[0][0], { seed: 0, noise: { samples } });
const t0 = cpuNow();
let jawCount = 0;
jawObjects.forEach((j, k) =>
  jawGrasps[k].forEach((g, i) => {
    j.evaluator.robustFerrariCanny(g, deriveSeed(k, i), { samples });
    jawCount++;
  }),
);
const jawPerSecond = jawCount / seconds(t0);

const all = anywhere.labels.length + topDown.labels.length;
const suctionSeconds = anywhere.labels.length / anywhere.perSecond + topDown.labels.length / topDown.perSecond;
const suctionPerSecond = all / suctionSeconds;
const shares = (labels: number[]) => ({
  at02: Number(share(labels, 0.2).toFixed(3)),
  at05: Number(share(labels, 0.5).toFixed(3)),
});
const result = {
  robustSuctionLabelsPerSecondPerCore: Number(suctionPerSecond.toFixed(0)),
  anywhereLabelsPerSecond: Number(anywhere.perSecond.toFixed(0)),
  topDownLabelsPerSecond: Number(topDown.perSecond.toFixed(0)),
  jawLabelsPerSecondSameObjects: Number(jawPerSecond.toFixed(0)),
  ratioSuctionOverJaw: Number((suctionPerSecond / jawPerSecond).toFixed(1)),
  objects: objects.length,
  meanTriangles: Math.round(objects.reduce((s, o) => s + o.triangles, 0) / objects.length),
  samplesPerLabel: samples,
  positiveShareAnywhere: shares(anywhere.labels),
  positiveShareTopDown: shares(topDown.labels),
  positiveShareTopDownKappaSi: shares(topDownSi.labels),
};
console.log(
  `robust suction labels: ${result.robustSuctionLabelsPerSecondPerCore}/s per core ` +
    `(${all} grasps on ${objects.length} procedural objects, ${result.meanTriangles} triangles mean, ` +
    `${samples} draws; ` +
    `anywhere ${result.anywhereLabelsPerSecond}/s, top-down ${result.topDownLabelsPerSecond}/s); ` +
    `jaw labels on the same objects ${result.jawLabelsPerSecondSameObjects}/s → ${result.ratioSuctionOverJaw}× ; ` +
    `positives q>0.2 / q>0.5: anywhere ${result.positiveShareAnywhere.at02} / ${result.positiveShareAnywhere.at05}, ` +
    `top-down ${result.positiveShareTopDown.at02} / ${result.positiveShareTopDown.at05} ` +
    `(κ read in SI: ${result.positiveShareTopDownKappaSi.at02} / ${result.positiveShareTopDownKappaSi.at05})`,
);
if (json) console.log(JSON.stringify(result));
