// Benchmark: how deep the jaws of planned grasps close below the object's top between them, on the scenes of a
// `dexnet evaluate` run (re-rendered from its seed), and how many plans fail the plausibility check.
// Usage: tsx bench/engagement.ts --report <evaluation>/report.json --meshes <held-out meshes> [--json]
import { readFileSync } from 'node:fs';
import { Random } from '../src/core/random.js';
import { deriveSeed } from '../src/core/seed.js';
import { gripperWidthPx } from '../src/grasp/image-grasp.js';
import { topBetweenJaws } from '../src/grasp/local-top.js';
import { loadTrialObjects } from '../src/evaluate/evaluation.js';
import type { EvaluationReport } from '../src/evaluate/evaluation-report.js';
import { sampleTrialScene } from '../src/evaluate/trial-scene.js';
import { plausibilityCheck } from '../src/policy/plausibility.js';
import { flag, opt } from './args.js';

const report = JSON.parse(readFileSync(opt('report', 'evaluation/report.json'), 'utf8')) as EvaluationReport;
const { objects } = await loadTrialObjects(opt('meshes', String(report.meta.meshesDir)));
const byId = new Map(objects.map((o) => [o.id, o]));
const seed = Number(report.meta.seed ?? 0);

interface Row {
  policy: string;
  engagement: number;
  plausible: boolean;
  reason: string | null;
  analytic: boolean;
  physics: boolean;
  collisionFree: boolean;
}
const rows: Row[] = [];
const scenes = new Map<number, ReturnType<typeof sampleTrialScene>>();
for (const t of report.trials) {
  if (!t.grasp) continue;
  const target = byId.get(t.object);
  if (!target) throw new Error(`${t.object}: not among the meshes`);
  // The evaluation's scene of trial t: the same seed derivation as runTrial.
  let scene = scenes.get(t.trial);
  if (!scene) {
    scene = sampleTrialScene(target, new Random(deriveSeed(deriveSeed(seed, t.trial), 1)));
    scenes.set(t.trial, scene);
  }
  const k = scene.camera.intrinsics;
  const g = t.grasp;
  const widthPx = gripperWidthPx(k, g.width)(g.depth, g.angle);
  const top = topBetweenJaws(scene.depth, scene.segmask, g.center, g.angle, widthPx);
  const check = plausibilityCheck({ depth: scene.depth, intrinsics: k, segmask: scene.segmask }, { width: g.width });
  const verdict = check({ center: g.center, angle: g.angle, depth: g.depth, widthPx });
  rows.push({
    policy: t.policy,
    engagement: Number.isFinite(top) ? g.depth - top : -Infinity,
    plausible: verdict.plausible,
    reason: verdict.reason,
    analytic: t.analytic.success,
    physics: t.physics.success,
    collisionFree: 'collisionFree' in t.analytic && t.analytic.collisionFree,
  });
}

const median = (v: number[]) => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : NaN;
};
const out: Record<string, unknown>[] = [];
for (const policy of [...new Set(rows.map((r) => r.policy))]) {
  const r = rows.filter((x) => x.policy === policy);
  const reasons: Record<string, number> = {};
  for (const x of r) if (x.reason) reasons[x.reason] = (reasons[x.reason] ?? 0) + 1;
  const rate = (list: Row[], key: 'analytic' | 'physics') =>
    list.length ? list.filter((x) => x[key]).length / list.length : NaN;
  const shallow = r.filter((x) => x.engagement <= 0.003);
  const deep = r.filter((x) => x.engagement > 0.003);
  out.push({
    policy,
    plans: r.length,
    medianEngagementMm: +(1000 * median(r.map((x) => x.engagement))).toFixed(1),
    atMost3mm: shallow.length,
    onAir: r.filter((x) => x.engagement < 0).length,
    implausible: r.filter((x) => !x.plausible).length,
    reasons,
    // The check against the analytic referee's collision test (gripper boxes against the mesh and the table).
    checkVsReferee: {
      plausibleCollisionFree: r.filter((x) => x.plausible && x.collisionFree).length,
      plausibleColliding: r.filter((x) => x.plausible && !x.collisionFree).length,
      implausibleCollisionFree: r.filter((x) => !x.plausible && x.collisionFree).length,
      implausibleColliding: r.filter((x) => !x.plausible && !x.collisionFree).length,
    },
    analyticRate: { shallow: rate(shallow, 'analytic'), deeper: rate(deep, 'analytic') },
    physicsRate: { shallow: rate(shallow, 'physics'), deeper: rate(deep, 'physics') },
  });
}
if (flag('json')) console.log(JSON.stringify(out, null, 2));
else for (const o of out) console.log(JSON.stringify(o));
