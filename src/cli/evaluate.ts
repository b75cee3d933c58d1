// `dexnet evaluate <meshes-dir>`: simulated grasp trials on held-out objects, judged by the analytic and the physics
// referee, written as report.json + report.html; `--scene heap`: bin-clearing episodes on heaps of them instead.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { REFEREE_ROBUST_SAMPLES } from '../evaluate/analytic-referee.js';
import { EVALUATION_POLICIES } from '../evaluate/evaluation-policies.js';
import { POLICIES, type PlanGripperKind, type PolicyName } from '../policy/plan-types.js';
import { formatScaleRule, type ScaleRule } from '../geometry/object-scale.js';
import type { RateSummary, SourceSummary } from '../evaluate/evaluation-report.js';
import {
  bundledModelOption,
  choiceOption,
  numberOption,
  progressBar,
  robustSelectionOptions,
  workersOption,
} from './output.js';
import { UserInputError } from '../core/errors.js';
import { EPISODE_GRIPPERS, type EpisodeGripper } from '../evaluate/episode-gripper.js';
import { AVOID_REGIONS, type AvoidRegion } from '../evaluate/failed-spots.js';
import { scaleOption } from './output.js';
import { BUNDLED_HEAP_MODEL_DIRS, bundledModelDir } from '../model/bundled-model.js';

const SCENES = ['object', 'heap'] as const;
const CAMERAS = ['phoxi', 'primesense'] as const;

interface EvaluateFlags {
  scene: (typeof SCENES)[number];
  model?: string;
  suctionModel?: string;
  /** The parsed `--gripper` list: one kind for --scene object, any settings for --scene heap. */
  gripper: EpisodeGripper[];
  episodes: number;
  objects: number;
  motionTime: number;
  avoidFailed: number;
  avoidRegion: AvoidRegion;
  minQ: number;
  camera: (typeof CAMERAS)[number];
  pickable: boolean;
  /** 'all' (the default: every policy) or the parsed list. */
  policy: PolicyName[] | 'all';
  trials: number;
  seed: number;
  out: string;
  friction?: number;
  robustSamples: number;
  closing: 'as-placed' | 'settled';
  robustSelection?: boolean;
  physics: boolean;
  physicsDraws: number;
  workers: number;
  json?: boolean;
  scale: ScaleRule;
}

/** `--gripper`: a comma list of parallel-jaw, suction and both (checked against the scene when the command runs). */
function gripperList(value: string): EpisodeGripper[] {
  const names = value.split(',').map((s) => s.trim());
  for (const n of names)
    if (!(EPISODE_GRIPPERS as readonly string[]).includes(n))
      throw new InvalidArgumentError(`--gripper must be a comma list of ${EPISODE_GRIPPERS.join(', ')}, got "${n}"`);
  return [...new Set(names)] as EpisodeGripper[];
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
  const [robust, noRobust] = robustSelectionOptions();
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
      '--scene <kind>',
      'object: one object on a table per trial; heap: bin-clearing episodes (Dex-Net 4.0) on heaps of the objects',
      choiceOption('--scene', SCENES),
      'object',
    )
    .addOption(
      new Option(
        '--gripper <kind>',
        "parallel-jaw, or suction (Dex-Net 3.0's cup: its label as the analytic referee, an adhesion cup in MuJoCo); " +
          '--scene heap: a comma list of parallel-jaw, suction and both (the ambidextrous policy), each run on the same heaps',
      )
        .argParser(gripperList)
        .default(['parallel-jaw'], 'parallel-jaw'),
    )
    .addOption(bundledModelOption('; --scene heap: models/gqcnn-heap'))
    .addOption(
      new Option('--suction-model <dir>', '--scene heap: the suction model for suction and both').default(
        undefined,
        'models/gqcnn-heap-suction',
      ),
    )
    .option(
      '--episodes <n>',
      '--scene heap: heaps, each cleared once per gripper',
      numberOption('--episodes', 1, 100_000, true),
      3,
    )
    .option('--objects <n>', '--scene heap: objects per heap', numberOption('--objects', 1, 50, true), 10)
    .option(
      '--motion-time <s>',
      '--scene heap: seconds of robot motion per attempt, added to the measured planning time for picks per hour',
      numberOption('--motion-time', 0, 3600),
      8,
    )
    .option(
      '--camera <name>',
      '--scene heap: phoxi (516×386, f 552.5, with its missing pixels) or primesense (640×480, f 525, ideal)',
      choiceOption('--camera', CAMERAS),
      'phoxi',
    )
    .option(
      '--avoid-failed <m>',
      "--scene heap: after a failed attempt, keep that gripper's grasp centres this far (m) from it while the " +
        'depth image there is unchanged (0: plan on unchanged)',
      numberOption('--avoid-failed', 0, 0.1),
      0.01,
    )
    .option(
      '--avoid-region <region>',
      '--scene heap: what a failure keeps that gripper off: disc (every pixel within --avoid-failed) or surface ' +
        '(those joined to the failed grasp by smoothly varying depth: the face or object it was on)',
      choiceOption('--avoid-region', AVOID_REGIONS),
      'disc',
    )
    .option(
      '--min-q <q>',
      '--scene heap: execute only grasps whose q reaches this; below it an attempt plans nothing and counts ' +
        'towards the failures in a row',
      numberOption('--min-q', 0, 1),
      0,
    )
    .option('--no-pickable', '--scene heap: skip checking which objects a gripper can pick alone')
    .addOption(
      new Option(
        '--policy <list>',
        `"all" (${EVALUATION_POLICIES.join(',')}) or a comma list of ${POLICIES.join(', ')}; --scene heap: one policy (all = cem)`,
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
    .addOption(robust)
    .addOption(noRobust)
    .option('--no-physics', 'skip the MuJoCo referee (analytic verdicts only)')
    .option(
      '--physics-draws <n>',
      "jaws: also execute each planned grasp n times in MuJoCo under the robust ε's own pose and friction noise, and " +
        'report how those executions end for the trials the referees agree and disagree on',
      numberOption('--physics-draws', 0, 1000, true),
      0,
    )
    .addOption(
      workersOption('--scene object: worker threads, each taking whole objects (the report is the same for any count)'),
    )
    .option('--out <dir>', 'report folder (report.json, report.html, images/)', 'evaluation')
    .option('--json', 'print the per-policy summary as JSON')
    .action(async (meshesDirs: string[], flags: EvaluateFlags) => {
      if (flags.scene === 'heap') return evaluateHeaps(meshesDirs, flags);
      if (flags.gripper.length !== 1 || flags.gripper[0] === 'both')
        throw new UserInputError('--gripper: --scene object takes one gripper, parallel-jaw or suction', {
          field: 'gripper',
        });
      const gripper = flags.gripper[0] as PlanGripperKind;
      if (flags.physicsDraws > 0 && (gripper === 'suction' || !flags.physics))
        throw new UserInputError(
          `--physics-draws: executions under noise need the jaws and the physics referee, not ${gripper === 'suction' ? '--gripper suction' : '--no-physics'}`,
          { field: 'physics-draws' },
        );
      // Loaded when the command runs so that other commands start without MuJoCo and ONNX Runtime.
      const [{ loadTrialObjects, runEvaluation }, { writeEvaluationReport }, { GqcnnPredictor }, grippers] =
        await Promise.all([
          import('../evaluate/evaluation.js'),
          import('../evaluate/report-writer.js'),
          import('../model/predictor.js'),
          import('../grasp/gripper.js'),
        ]);
      const suction = gripper === 'suction';
      // One gripper alone: selection only when asked for (plan()'s default).
      const robustSelection = flags.robustSelection === true;
      const model = flags.model ?? bundledModelDir(gripper);
      const policies = flags.policy === 'all' ? [...EVALUATION_POLICIES] : flags.policy;
      const meshesDir = meshesDirs.join(', ');
      const { objects, skipped } = await loadTrialObjects(meshesDirs, { scale: flags.scale });
      for (const s of skipped) console.error(`skipped ${s.mesh}: ${s.reason}`);
      const predictor = await GqcnnPredictor.load(model);
      const { modelDigest } = await import('../model/model-io.js');
      const bar = progressBar(flags.trials * policies.length, 'trials');
      const start = performance.now();
      const records = await runEvaluation(objects, predictor, {
        policies,
        gripper: suction ? grippers.DEFAULT_SUCTION_GRIPPER : undefined,
        trials: flags.trials,
        seed: flags.seed,
        friction: flags.friction,
        physics: flags.physics,
        physicsDraws: flags.physicsDraws,
        robustSamples: flags.robustSamples,
        closing: flags.closing === 'settled' ? 'settled' : 'as placed',
        robustSelection,
        workers: flags.workers,
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
          modelDigest: await modelDigest(model),
          seed: flags.seed,
          trialsPerPolicy: flags.trials,
          friction: flags.friction ?? 'per scene, Normal(0.5, 0.1) truncated to [0, 1]',
          robustSamples: flags.robustSamples,
          ...(suction ? {} : { closing: flags.closing, robustSelection }),
          physics: flags.physics,
          ...(flags.physicsDraws > 0 ? { physicsDraws: flags.physicsDraws } : {}),
          objects: objects.length,
          skipped,
          seconds,
          workers: flags.workers,
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
        `${label.padEnd(8)} analytic ${pct(p.analytic.success)}  physics ${flags.physics ? pct(p.physics.success) : 'skipped'}  agreement ${pct(p.agreement)}  precision(q>0.5) ${pct(p.analytic.precision)}  ${p.winnable ? `on winnable scenes ${pct(p.winnable.analytic)}${flags.physics ? ` / physics ${pct(p.winnable.physics)}` : ''} (${p.winnable.scenes.successes}/${p.winnable.scenes.n} winnable)  ` : ''}${p.plausiblyWinnable ? `on plausibly winnable ${pct(p.plausiblyWinnable.analytic)}${flags.physics ? ` / physics ${pct(p.plausiblyWinnable.physics)}` : ''} (${p.plausiblyWinnable.scenes.successes})  ` : ''}plan ${p.meanPlanMs?.toFixed(0) ?? '–'} ms`;
      for (const p of report.policies) {
        console.log(line(p.policy, p));
        if (p.underNoise)
          console.log(
            `  under noise (${flags.physicsDraws} executions a grasp): ` +
              Object.entries(p.underNoise)
                .map(([v, g]) => {
                  const share = g.heldShare === null ? '–' : `${(100 * g.heldShare).toFixed(0)}%`;
                  return `${v} ${share} held (${g.trials} trials, ${g.collided}/${g.draws} collided)`;
                })
                .join('; '),
          );
        const sources = Object.entries(p.bySource ?? {});
        if (sources.length > 1) for (const [source, s] of sources) console.log(line(`  ${source}`, s!));
      }
      console.log(
        `${records.length} trials in ${seconds.toFixed(0)} s (${(records.length / seconds).toFixed(2)}/s); report: ${htmlPath}`,
      );
    });
}

/** `--scene heap`: bin-clearing episodes with every gripper setting on the same heaps, written as a report. */
async function evaluateHeaps(meshesDirs: string[], flags: EvaluateFlags): Promise<void> {
  const [{ loadTrialObjects }, { runBinEvaluation }, { writeBinReport }, { GqcnnPredictor }, camera] =
    await Promise.all([
      import('../evaluate/evaluation.js'),
      import('../evaluate/bin-evaluation.js'),
      import('../evaluate/bin-report-writer.js'),
      import('../model/predictor.js'),
      import('../geometry/camera-intrinsics.js'),
    ]);
  if (flags.policy !== 'all' && flags.policy.length !== 1)
    throw new UserInputError('--policy: --scene heap takes one policy', { field: 'policy' });
  const policy = flags.policy === 'all' ? 'cem' : flags.policy[0]!;
  const needsJaw = flags.gripper.some((g) => g !== 'suction');
  const needsCup = flags.gripper.some((g) => g !== 'parallel-jaw');
  // Bins are planned with the models trained on heaps unless the user gives others.
  const jawModel = needsJaw ? (flags.model ?? BUNDLED_HEAP_MODEL_DIRS['parallel-jaw']) : undefined;
  const cupModel = needsCup ? (flags.suctionModel ?? BUNDLED_HEAP_MODEL_DIRS.suction) : undefined;
  const { objects, skipped } = await loadTrialObjects(meshesDirs, { scale: flags.scale });
  for (const s of skipped) console.error(`skipped ${s.mesh}: ${s.reason}`);
  if (objects.length === 0) throw new UserInputError(`no usable meshes in ${meshesDirs.join(', ')}`);
  const { modelDigest } = await import('../model/model-io.js');
  const jaw = jawModel ? await GqcnnPredictor.load(jawModel) : undefined;
  const suction = cupModel ? await GqcnnPredictor.load(cupModel) : undefined;
  const phoxi = flags.camera === 'phoxi';
  const start = performance.now();
  const run = await runBinEvaluation(objects, {
    grippers: flags.gripper,
    episodes: flags.episodes,
    objects: flags.objects,
    seed: flags.seed,
    policy,
    predictors: { jaw, suction },
    camera: {
      intrinsics: phoxi ? camera.PHOXI_INTRINSICS : camera.centeredIntrinsics(640, 480),
      structuredLight: phoxi ? {} : undefined,
    },
    pickable: flags.pickable,
    avoidFailed: flags.avoidFailed,
    avoidRegion: flags.avoidRegion,
    minQ: flags.minQ,
    robustSelection: flags.robustSelection,
    onAttempt: (heap, gripper, a) =>
      console.error(
        `heap ${heap} ${gripper} #${a.attempt}: ${a.gripper ? `${a.gripper} q ${a.q!.toFixed(2)}` : 'no grasp'} → ` +
          `${a.success ? `picked ${a.picked}${a.picked !== a.target ? ` (aimed at ${a.target ?? 'background'})` : ''}` : a.reason}` +
          `${a.seal && !a.success ? ` (seal model: ${a.seal})` : ''}` +
          `${a.lost.length ? `, pushed out ${a.lost.join(', ')}` : ''} (plan ${(a.planMs / 1000).toFixed(1)} s, attempt ${(a.wallMs / 1000).toFixed(1)} s)`,
      ),
  });
  await jaw?.release();
  await suction?.release();
  const seconds = (performance.now() - start) / 1000;
  const { report, htmlPath } = await writeBinReport(flags.out, run, {
    motionSeconds: flags.motionTime,
    title: `Bin clearing: ${flags.episodes} heaps of ${flags.objects} objects from ${meshesDirs.join(', ')}`,
    meta: {
      meshesDir: meshesDirs.length === 1 ? meshesDirs[0] : meshesDirs,
      scale: formatScaleRule(flags.scale),
      objects: objects.length,
      skipped,
      episodes: flags.episodes,
      objectsPerHeap: flags.objects,
      grippers: flags.gripper,
      policy,
      model: jawModel,
      ...(jawModel ? { modelDigest: await modelDigest(jawModel) } : {}),
      suctionModel: cupModel,
      ...(cupModel ? { suctionModelDigest: await modelDigest(cupModel) } : {}),
      camera: flags.camera,
      seed: flags.seed,
      motionSeconds: flags.motionTime,
      avoidFailed: flags.avoidFailed,
      avoidRegion: flags.avoidRegion,
      minQ: flags.minQ,
      robustSelection: flags.robustSelection ?? 'default',
      seconds,
    },
  });
  if (flags.json) {
    process.stdout.write(JSON.stringify({ ...report.meta, grippers: report.grippers }, null, 2) + '\n');
    return;
  }
  const pct = (r: RateSummary) =>
    r.rate === null
      ? '–'
      : `${(100 * r.rate).toFixed(1)}% [${(100 * r.ci95[0]).toFixed(0)}–${(100 * r.ci95[1]).toFixed(0)}] (${r.successes}/${r.n})`;
  for (const g of report.grippers) {
    const by = Object.entries(g.byGripper)
      .map(([k, v]) => `${k} ${v.picks}/${v.attempts}`)
      .join(', ');
    console.log(
      `${g.gripper.padEnd(12)} reliability ${pct(g.reliability)}  clearance ${pct(g.clearance)}` +
        `${g.pickableClearance ? `  of pickable ${pct(g.pickableClearance)}` : ''}  ${g.picksPerHour?.toFixed(0) ?? '–'} picks/h ` +
        `(${flags.motionTime} s motion + ${((g.meanPlanMs ?? 0) / 1000).toFixed(2)} s plan)  picks by ${by || '–'}` +
        `  no grasp planned ${g.noGrasp} times`,
    );
  }
  const attempts = report.grippers.reduce((n, g) => n + g.attempts, 0);
  console.log(
    `${attempts} attempts in ${seconds.toFixed(0)} s (${(seconds / Math.max(1, attempts)).toFixed(1)} s each); report: ${htmlPath}`,
  );
}
