// `dexnet evaluate <meshes-dir>`: simulated grasp trials on held-out objects, judged by the analytic and the physics
// referee, written as report.json + report.html.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { REFEREE_ROBUST_SAMPLES } from '../evaluate/analytic-referee.js';
import { EVALUATION_POLICIES } from '../evaluate/evaluation-policies.js';
import { POLICIES, type PlanGripperKind, type PolicyName } from '../policy/plan-types.js';
import { formatScaleRule, type ScaleRule } from '../geometry/object-scale.js';
import type { RateSummary, SourceSummary } from '../evaluate/evaluation-report.js';
import { bundledModelOption, choiceOption, gripperKindOption, numberOption, progressBar } from './output.js';
import { scaleOption } from './output.js';
import { bundledModelDir } from '../model/bundled-model.js';

interface EvaluateFlags {
  model?: string;
  gripper: PlanGripperKind;
  /** 'all' (the default: every policy) or the parsed list. */
  policy: PolicyName[] | 'all';
  trials: number;
  seed: number;
  out: string;
  friction?: number;
  robustSamples: number;
  closing: 'as-placed' | 'settled';
  physics: boolean;
  json?: boolean;
  scale: ScaleRule;
}

function policyList(value: string): PolicyName[] | 'all' {
  if (value === 'all') return 'all';
  const names = value.split(',').map((s) => s.trim());
  for (const n of names)
    if (!(POLICIES as readonly string[]).includes(n))
      throw new InvalidArgumentError(`--policy must be "all" or a comma list of ${POLICIES.join(', ')}, got "${n}"`);
  return names as PolicyName[];
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description(
      'grasp trials on rendered noisy scenes of held-out objects, judged analytically (robust ε, collisions) and in MuJoCo',
    )
    .argument(
      '<meshes-dir...>',
      'folders of held-out meshes (e.g. `dexnet objects --holdout`, the held-out part of an import), never training objects; procedural and real objects are reported apart',
    )
    .option(
      '--gripper <kind>',
      "parallel-jaw, or suction (Dex-Net 3.0's cup: its label as the analytic referee, an adhesion cup in MuJoCo)",
      gripperKindOption,
      'parallel-jaw',
    )
    .addOption(bundledModelOption())
    .addOption(
      new Option(
        '--policy <list>',
        `"all" (${EVALUATION_POLICIES.join(',')}) or a comma list of ${POLICIES.join(', ')}`,
      )
        .argParser(policyList)
        .default('all', 'all'),
    )
    .option(
      '--trials <n>',
      'trials per policy (object i mod n, stable pose by probability)',
      numberOption('--trials', 1, 1_000_000, true),
      200,
    )
    .option(
      '--seed <s>',
      'random seed: the same seed gives the same scenes and verdicts',
      numberOption('--seed', 0, 2 ** 32 - 1, true),
      0,
    )
    .option(
      '--friction <mu>',
      "fixed friction coefficient of the physics trials (default: drawn per scene from Normal(0.5, 0.1) truncated to [0, 1], as the dataset's friction)",
      numberOption('--friction', 0.01, 5),
    )
    .option(
      '--robust-samples <k>',
      "Monte-Carlo draws of the analytic referee's robust ε (as many as the model's dataset labels used)",
      numberOption('--robust-samples', 1, 10_000, true),
      REFEREE_ROBUST_SAMPLES,
    )
    .addOption(
      new Option(
        '--scale <rule>',
        'resize each mesh first: none (as the files are), min:<m> (Dex-Net: min:0.04), max:<m> or egad',
      )
        .argParser(scaleOption)
        .default({ kind: 'none' }, 'none'),
    )
    .option(
      '--closing <where>',
      "where the jaws' analytic referee judges the contacts: as-placed (Dex-Net: where the object stands) or " +
        'settled (after the squeeze turns the object to rest between the pads, as MuJoCo shows it does)',
      choiceOption('--closing', ['as-placed', 'settled'] as const),
      'as-placed',
    )
    .option('--no-physics', 'skip the MuJoCo referee (analytic verdicts only)')
    .option('--out <dir>', 'report folder (report.json, report.html, images/)', 'evaluation')
    .option('--json', 'print the per-policy summary as JSON')
    .action(async (meshesDirs: string[], flags: EvaluateFlags) => {
      // Loaded when the command runs so that other commands start without MuJoCo and ONNX Runtime.
      const [{ loadTrialObjects, runEvaluation }, { writeEvaluationReport }, { GqcnnPredictor }, grippers] =
        await Promise.all([
          import('../evaluate/evaluation.js'),
          import('../evaluate/report-writer.js'),
          import('../model/predictor.js'),
          import('../grasp/gripper.js'),
        ]);
      const suction = flags.gripper === 'suction';
      const model = flags.model ?? bundledModelDir(flags.gripper);
      const policies = flags.policy === 'all' ? [...EVALUATION_POLICIES] : flags.policy;
      const meshesDir = meshesDirs.join(', ');
      const { objects, skipped } = await loadTrialObjects(meshesDirs, { scale: flags.scale });
      for (const s of skipped) console.error(`skipped ${s.mesh}: ${s.reason}`);
      const predictor = await GqcnnPredictor.load(model);
      const bar = progressBar(flags.trials * policies.length, 'trials');
      const start = performance.now();
      const records = await runEvaluation(objects, predictor, {
        policies,
        gripper: suction ? grippers.DEFAULT_SUCTION_GRIPPER : undefined,
        trials: flags.trials,
        seed: flags.seed,
        friction: flags.friction,
        physics: flags.physics,
        robustSamples: flags.robustSamples,
        closing: flags.closing === 'settled' ? 'settled' : 'as placed',
        onTrial: () => bar.tick(),
      });
      bar.stop();
      await predictor.release();
      const seconds = (performance.now() - start) / 1000;
      const { report, htmlPath } = await writeEvaluationReport(flags.out, records, {
        title: `${suction ? 'Suction grasp' : 'Grasp'} evaluation: ${objects.length} objects from ${meshesDir}`,
        meta: {
          meshesDir: meshesDirs.length === 1 ? meshesDirs[0] : meshesDirs,
          scale: formatScaleRule(flags.scale),
          gripper: suction ? grippers.DEFAULT_SUCTION_GRIPPER : grippers.DEFAULT_GRIPPER,
          model,
          seed: flags.seed,
          trialsPerPolicy: flags.trials,
          friction: flags.friction ?? 'per scene, Normal(0.5, 0.1) truncated to [0, 1]',
          robustSamples: flags.robustSamples,
          ...(suction ? {} : { closing: flags.closing }),
          physics: flags.physics,
          objects: objects.length,
          skipped,
          seconds,
          trialsPerSecond: records.length / seconds,
        },
      });
      if (flags.json) {
        process.stdout.write(
          JSON.stringify(
            { ...report.meta, policies: report.policies.map(({ disagreements: _d, failures: _f, ...p }) => p) },
            null,
            2,
          ) + '\n',
        );
        return;
      }
      const pct = (r: RateSummary) =>
        r.rate === null
          ? '–'
          : `${(100 * r.rate).toFixed(1)}% [${(100 * r.ci95[0]).toFixed(0)}–${(100 * r.ci95[1]).toFixed(0)}]`;
      const line = (label: string, p: SourceSummary) =>
        `${label.padEnd(8)} analytic ${pct(p.analytic.success)}  physics ${flags.physics ? pct(p.physics.success) : 'skipped'}  agreement ${pct(p.agreement)}  precision(q>0.5) ${pct(p.analytic.precision)}  ${p.winnable ? `on winnable scenes ${pct(p.winnable.analytic)} (${p.winnable.scenes.successes}/${p.winnable.scenes.n} winnable)  ` : ''}plan ${p.meanPlanMs?.toFixed(0) ?? '–'} ms`;
      for (const p of report.policies) {
        console.log(line(p.policy, p));
        const sources = Object.entries(p.bySource ?? {});
        if (sources.length > 1) for (const [source, s] of sources) console.log(line(`  ${source}`, s!));
      }
      console.log(
        `${records.length} trials in ${seconds.toFixed(0)} s (${(records.length / seconds).toFixed(2)}/s); report: ${htmlPath}`,
      );
    });
}
