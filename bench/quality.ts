// Benchmark: robust Ferrari–Canny labels per second per core on a 20,000-triangle non-convex mesh,
// and µs per exact ε, each with a ratio against a baseline measured in the same run.
import { torusMesh } from '../src/geometry/primitives.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { deriveSeed } from '../src/core/seed.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { closeJaws } from '../src/grasp/parallel-jaw/contacts.js';
import { graspMatrix, DEFAULT_QUALITY_CONFIG } from '../src/grasp/parallel-jaw/wrench.js';
import { FerrariCannySolver } from '../src/grasp/parallel-jaw/ferrari-canny.js';
import { bruteEpsilon } from '../test/grasp/parallel-jaw/brute-epsilon.js';
import { measureEpsilonMicros } from './epsilon.js';

const json = process.argv.includes('--json');
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

// A ~8 cm torus: curved, non-convex, 20,000 triangles — a realistic Dex-Net object size.
const mesh = torusMesh(0.03, 0.012, 100, 100);
const object = new GraspableObject(mesh, DEFAULT_GRIPPER);
const grasps = object.sampleGrasps(1, { targetGrasps: 100 });
if (grasps.length < 50) throw new Error(`sampler found only ${grasps.length} grasps on the benchmark mesh`);

// Warm up the JIT, then label every grasp with 25 Monte-Carlo draws (the dataset's label function).
for (let i = 0; i < 10; i++) object.label(grasps[i], { seed: i, noise: { samples: 25 } });
let t0 = process.hrtime.bigint();
let positives = 0;
for (let i = 0; i < grasps.length; i++)
  if (object.label(grasps[i], { seed: deriveSeed(1, i), noise: { samples: 25 } }).robustFerrariCanny > 0.002)
    positives++;
const labelSeconds = seconds(t0);
const labelsPerSecond = grasps.length / labelSeconds;

// Exact ε: the solver on realistic contact pairs, against brute-force facet enumeration on this mesh's wrench sets.
const epsilonMicros = measureEpsilonMicros();
const wrenchSets: Float64Array[] = [];
for (const g of grasps) {
  const c = closeJaws(object.index, g, DEFAULT_GRIPPER);
  if (!c.ok) continue;
  const w = graspMatrix(c.contacts, object.centerOfMass, DEFAULT_QUALITY_CONFIG);
  if (w) wrenchSets.push(w);
  if (wrenchSets.length === 8) break;
}
const solver = new FerrariCannySolver();
t0 = process.hrtime.bigint();
let maxDiff = 0;
const fast = wrenchSets.map((w) => solver.epsilon(w, 20));
const fastMicros = (seconds(t0) * 1e6) / wrenchSets.length;
t0 = process.hrtime.bigint();
wrenchSets.forEach((w, i) => {
  maxDiff = Math.max(maxDiff, Math.abs(bruteEpsilon(w, 20) - fast[i]));
});
const bruteMicros = (seconds(t0) * 1e6) / wrenchSets.length;

const result = {
  robustLabelsPerSecondPerCore: Number(labelsPerSecond.toFixed(1)),
  epsilonMicros: Number(epsilonMicros.toFixed(1)),
  bruteForceEpsilonMicros: Number(bruteMicros.toFixed(0)),
  epsilonSpeedupVsBruteForce: Number((bruteMicros / Math.max(fastMicros, 1e-3)).toFixed(0)),
  maxEpsilonDifferenceVsBruteForce: maxDiff,
  meshTriangles: mesh.triangles.length / 3,
  grasps: grasps.length,
  samplesPerLabel: 25,
  positiveShare: Number((positives / grasps.length).toFixed(3)),
};
console.log(
  `robust labels: ${result.robustLabelsPerSecondPerCore}/s per core (${grasps.length} grasps × 25 draws, ${result.meshTriangles} triangles; ${(100 * result.positiveShare).toFixed(0)}% robust ε > 0.002); ` +
    `exact ε: ${result.epsilonMicros} µs (brute-force facet enumeration ${result.bruteForceEpsilonMicros} µs, ${result.epsilonSpeedupVsBruteForce}× slower; max |Δε| ${maxDiff.toExponential(1)})`,
);
if (json) console.log(JSON.stringify(result));
