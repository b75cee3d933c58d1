// Benchmark (issue 6): the evaluation harness on held-out procedural objects (every family, the held-out seed
// stream) with the bundled model — success under each referee per policy, referee agreement, trials per second.
// Usage: tsx bench/evaluate.ts [--json] [--trials n (per policy, default 200)] [--objects n (default 40)] [--seed s]
//        [--policies random,ranking,cem,fc] [--model dir] [--scale min:0.04|egad|legacy|…] [--real dir (held-out real
//        meshes, e.g. an import's held-out part, reported apart from the procedural ones)] [--gripper suction (the
//        suction referees; --model then a suction model, default models/gqcnn-suction)] [--workers n (threads, each
//        taking whole objects; default one per core)]
import { generateGraspableObjects } from '../src/dataset/graspable-objects.js';
import { loadTrialObjects, runEvaluation } from '../src/evaluate/evaluation.js';
import { EVALUATION_POLICIES } from '../src/evaluate/evaluation-policies.js';
import { bundledModelDir } from '../src/model/bundled-model.js';
import { gripperKindOption } from '../src/cli/output.js';
import { DEFAULT_SCALE_RULE, parseScaleRule } from '../src/geometry/object-scale.js';
import { DEFAULT_GRIPPER, DEFAULT_SUCTION_GRIPPER } from '../src/grasp/gripper.js';
import { summarizeTrials } from '../src/evaluate/evaluation-report.js';
import { prepareTrialObject, type TrialObject } from '../src/evaluate/trial-scene.js';
import { FAMILIES } from '../src/geometry/procedural/index.js';
import { GqcnnPredictor } from '../src/model/predictor.js';
import type { PolicyName } from '../src/policy/plan.js';
import { flag, opt } from './args.js';
import { defaultWorkers } from '../src/dataset/default-workers.js';

const json = flag('json');
const trials = Number(opt('trials', '200'));
const count = Number(opt('objects', '40'));
const seed = Number(opt('seed', '1'));
const gripper = gripperKindOption(opt('gripper', 'parallel-jaw'));
const policies = opt('policies', EVALUATION_POLICIES.join(',')).split(',') as PolicyName[];
const workers = Number(opt('workers', String(defaultWorkers())));

const scaleText = opt('scale', DEFAULT_SCALE_RULE);
const scale = scaleText === 'legacy' ? 'legacy' : parseScaleRule(scaleText, DEFAULT_GRIPPER.maxWidth);
const meshes = await generateGraspableObjects({ count, seed: 2027, holdout: true, families: FAMILIES, scale });
const objects: TrialObject[] = meshes.map((o) => ({ ...prepareTrialObject(o.id, o.mesh), source: 'procedural' }));
const realDir = opt('real', '');
if (realDir) {
  // Real meshes are taken as the folder has them (an import sized them), tagged real whatever their manifest says.
  const real = await loadTrialObjects(realDir);
  for (const s of real.skipped) console.error(`skipped ${s.mesh}: ${s.reason}`);
  objects.push(...real.objects.map((o) => ({ ...o, source: 'real' as const })));
}
const predictor = await GqcnnPredictor.load(opt('model', '') || bundledModelDir(gripper));
const start = performance.now();
const records = await runEvaluation(objects, predictor, {
  policies,
  gripper: gripper === 'suction' ? DEFAULT_SUCTION_GRIPPER : undefined,
  trials,
  seed,
  workers,
  onTrial: (_r, done, total) => {
    if (!json && done % 20 === 0) process.stderr.write(`\r${done}/${total} trials`);
  },
});
const seconds = (performance.now() - start) / 1000;
const report = summarizeTrials(records);
const figures = (p: Omit<(typeof report.policies)[number], 'policy' | 'disagreements' | 'failures' | 'bySource'>) => ({
  n: p.n,
  analyticSuccess: p.analytic.success.rate,
  analyticCi95: p.analytic.success.ci95,
  physicsSuccess: p.physics.success.rate,
  physicsCi95: p.physics.success.ci95,
  agreement: p.agreement.rate,
  precisionAnalytic: p.analytic.precision.rate,
  precisionPhysics: p.physics.precision.rate,
  meanPlanMs: p.meanPlanMs,
  winnableScenes: p.winnable?.scenes.rate ?? null,
  analyticOnWinnable: p.winnable?.analytic.rate ?? null,
  physicsOnWinnable: p.winnable?.physics.rate ?? null,
  plausiblyWinnableScenes: p.plausiblyWinnable?.scenes.rate ?? null,
  analyticOnPlausiblyWinnable: p.plausiblyWinnable?.analytic.rate ?? null,
  physicsOnPlausiblyWinnable: p.plausiblyWinnable?.physics.rate ?? null,
});
const result = {
  gripper,
  scale: scaleText,
  objects: objects.length,
  trialsPerPolicy: trials,
  workers,
  trialsPerSecond: records.length / seconds,
  policies: Object.fromEntries(
    report.policies.map((p) => [
      p.policy,
      {
        ...figures(p),
        bySource: Object.fromEntries(Object.entries(p.bySource ?? {}).map(([s, f]) => [s, figures(f!)])),
      },
    ]),
  ),
};
if (!json) process.stderr.write('\n');
const line = (label: string, r: ReturnType<typeof figures>) =>
  `${label}: analytic ${(100 * r.analyticSuccess!).toFixed(1)}%, physics ${(100 * r.physicsSuccess!).toFixed(1)}%, agreement ${(100 * r.agreement!).toFixed(1)}%, on winnable scenes ${(100 * (r.analyticOnWinnable ?? NaN)).toFixed(1)}% / physics ${(100 * (r.physicsOnWinnable ?? NaN)).toFixed(1)}% (winnable ${(100 * (r.winnableScenes ?? NaN)).toFixed(1)}% of ${r.n} scenes), ${r.plausiblyWinnableScenes === null ? '' : `on plausibly winnable ${(100 * (r.analyticOnPlausiblyWinnable ?? NaN)).toFixed(1)}% / physics ${(100 * (r.physicsOnPlausiblyWinnable ?? NaN)).toFixed(1)}% (${(100 * r.plausiblyWinnableScenes).toFixed(1)}%), `}plan ${r.meanPlanMs?.toFixed(0)} ms`;
for (const [p, r] of Object.entries(result.policies)) {
  console.log(line(p, r));
  for (const [s, f] of Object.entries(r.bySource)) console.log(line(`  ${s}`, f));
}
console.log(
  `${records.length} trials on ${objects.length} held-out objects in ${seconds.toFixed(0)} s: ${result.trialsPerSecond.toFixed(2)} trials/s (both referees)`,
);
if (json) console.log(JSON.stringify(result));
