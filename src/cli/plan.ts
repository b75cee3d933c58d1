// `dexnet plan <depth> --intrinsics <file>`: the most robust grasp on a depth image, as JSON and a PNG.
import { UserInputError } from '../core/errors.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { NoValidGraspError } from '../core/errors.js';
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { bundledModelDir } from '../model/bundled-model.js';
import type { PlanResult } from '../policy/plan.js';
import type { GraspPlausibility, PlannedGrasp, SuctionPlausibility } from '../policy/plan-types.js';
import { checkPlanInputs, PLAN_LIMITS, planResultJson, workspaceProblem } from '../policy/plan-io.js';
import { PLAN_GRIPPER_CHOICES, POLICIES, type PlanGripperChoice, type PlanGripperKind } from '../policy/plan-types.js';
import type { PolicyName } from '../policy/plan-types.js';
import { bundledModelOption, choiceOption, numberOption, robustSelectionOptions } from './output.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/scene/', import.meta.url));

interface PlanFlags {
  intrinsics?: string;
  fx?: number;
  fy?: number;
  cx?: number;
  cy?: number;
  segmask?: string;
  policy: PolicyName;
  gripper: PlanGripperChoice;
  model?: string;
  suctionModel?: string;
  topK: number;
  seed: number;
  depthScale?: number;
  workspace?: [number, number, number, number];
  json?: boolean;
  out?: string;
  png?: string;
  example?: boolean;
  minQ: number;
  explain?: boolean;
  robustSelection?: boolean;
}

function parseWorkspace(v: string): [number, number, number, number] {
  const parts = v.split(',').map(Number);
  const problem = workspaceProblem(parts);
  if (problem)
    throw new InvalidArgumentError(
      `--workspace must be x0,y0,x1,y1 pixel integers with x1 ≥ x0 and y1 ≥ y0 (${problem}), got "${v}"`,
    );
  return parts as [number, number, number, number];
}

export function registerPlan(program: Command): void {
  const [robust, noRobust] = robustSelectionOptions();
  program
    .command('plan')
    .description('plan the most robust parallel-jaw (or suction) grasp on a depth image with a GQ-CNN')
    .argument('[depth]', 'depth image: .npy float metres (H×W or H×W×1) or 16-bit .png millimetres')
    .option('--intrinsics <file>', 'camera intrinsics, gqcnn .intr JSON')
    .option('--fx <px>', 'focal length x (instead of --intrinsics)', numberOption('--fx', 1e-6))
    .option('--fy <px>', 'focal length y', numberOption('--fy', 1e-6))
    .option('--cx <px>', 'principal point x (column)', numberOption('--cx', -1e6, 1e6))
    .option('--cy <px>', 'principal point y (row)', numberOption('--cy', -1e6, 1e6))
    .option('--segmask <png>', 'object mask, 8-bit PNG (non-zero = object)')
    .option('--workspace <x0,y0,x1,y1>', 'only grasp centres inside this pixel rectangle', parseWorkspace)
    .option('--policy <name>', `planning policy: ${POLICIES.join(', ')}`, choiceOption('--policy', POLICIES), 'cem')
    .option(
      '--gripper <kind>',
      `gripper: ${PLAN_GRIPPER_CHOICES.join(', ')} (suction: Dex-Net 3.0's cup, with a suction model; both: the best ` +
        'grasp over jaws and cup by q, as Dex-Net 4.0)',
      choiceOption('--gripper', PLAN_GRIPPER_CHOICES),
      'parallel-jaw',
    )
    .addOption(bundledModelOption())
    .option(
      '--suction-model <dir>',
      'with --gripper both: the suction model (default the bundled one; --model is then the jaw model)',
    )
    .option(
      '--top-k <n>',
      'also return the next best grasps',
      numberOption('--top-k', PLAN_LIMITS.topK.min, PLAN_LIMITS.topK.max, true),
      1,
    )
    .option(
      '--seed <s>',
      'random seed (same seed, same grasp)',
      numberOption('--seed', PLAN_LIMITS.seed.min, PLAN_LIMITS.seed.max, true),
      0,
    )
    .option(
      '--depth-scale <m>',
      'metres per unit of a 16-bit PNG depth image',
      numberOption('--depth-scale', PLAN_LIMITS.depthScale.min, PLAN_LIMITS.depthScale.max),
      0.001,
    )
    .option('--json', 'print the result as JSON on stdout')
    .option('--out <file.json>', 'write the result as JSON to a file')
    .option('--png <file.png>', 'write the depth image with the grasps drawn')
    .option(
      '--example',
      'plan on the bundled example scene and draw it on grasp.png in the working directory (or --png)',
    )
    .option(
      '--min-q <q>',
      'exit 2 without a grasp when no grasp reaches this q',
      numberOption('--min-q', PLAN_LIMITS.minQ.min, PLAN_LIMITS.minQ.max),
      0,
    )
    .option(
      '--explain',
      'also list the best candidates by q with their plausibility checks ' +
        '(jaws: fingers clear, jaws engage; suction: footprint seen and flat, cup reaches it)',
    )
    .addOption(robust)
    .addOption(noRobust)
    .action(async (depthPath: string | undefined, flags: PlanFlags) => {
      if (flags.example) {
        depthPath = `${EXAMPLE}depth.npy`;
        flags.intrinsics = `${EXAMPLE}camera.intr`;
        flags.segmask = `${EXAMPLE}segmask.png`;
        // The working directory is where a user looks; in a checkout of this repository grasp.png is git-ignored.
        flags.png ??= 'grasp.png';
      }
      if (!depthPath) throw new UserInputError('give a depth image (or --example)');
      if (flags.suctionModel && flags.gripper !== 'both')
        throw new UserInputError('--suction-model is for --gripper both; give one model with --model', {
          field: 'suction-model',
        });
      const both = flags.gripper === 'both';
      const modelDir = flags.model ?? bundledModelDir(both ? 'parallel-jaw' : (flags.gripper as PlanGripperKind));
      const suctionDir = both ? (flags.suctionModel ?? bundledModelDir('suction', '--suction-model')) : null;
      // Loaded here, not at the top, so that `dexnet --version` and `--help` start without ONNX Runtime and canvas,
      // and the network only once the inputs are known to be good.
      const [{ readDepthFile }, { readMaskPng }] = await Promise.all([
        import('../image/depth-io.js'),
        import('../image/png.js'),
      ]);
      const depth = await readDepthFile(depthPath, { depthScale: flags.depthScale });
      const intrinsics = await resolveIntrinsics(flags, depth.width, depth.height);
      const segmask = flags.segmask ? readMaskPng(await readFileOrFail(flags.segmask), flags.segmask) : null;
      checkPlanInputs(depth, intrinsics, segmask, {
        intrinsics: flags.intrinsics ?? 'intrinsics',
        segmask: flags.segmask ?? 'segmask',
        depth: depthPath,
        scaleHint: '--depth-scale',
      });
      const [{ GqcnnPredictor }, { plan }, { planAmbidextrous }] = await Promise.all([
        import('../model/predictor.js'),
        import('../policy/plan.js'),
        import('../policy/ambidextrous.js'),
      ]);
      const predictor = await GqcnnPredictor.load(modelDir);
      const suction = suctionDir ? await GqcnnPredictor.load(suctionDir).catch(releaseFirst(predictor)) : null;
      const options = {
        policy: flags.policy,
        topK: flags.topK,
        seed: flags.seed,
        segmask,
        workspace: flags.workspace,
        minQ: flags.minQ,
        explain: flags.explain,
        robustSelection: flags.robustSelection,
      };
      let result;
      try {
        result = suction
          ? await planAmbidextrous(depth, intrinsics, { jaw: predictor, suction }, options)
          : await plan(depth, intrinsics, predictor, { ...options, gripper: flags.gripper as PlanGripperKind });
      } catch (err) {
        if (err instanceof NoValidGraspError) {
          console.error(`dexnet: no valid grasp: ${err.message}`);
          process.exitCode = 2;
          return;
        }
        throw err;
      } finally {
        await Promise.all([predictor.release(), suction?.release()]);
      }
      const json = JSON.stringify(planResultJson(result), null, 2) + '\n';
      const { writeFileAtomic } = await import('../core/atomic-write.js');
      if (flags.out) await writeFileAtomic(flags.out, json, { createFolders: false });
      if (flags.png) {
        const { drawGraspOverlay } = await import('../policy/grasp-overlay.js');
        const overlay = drawGraspOverlay(
          depth,
          result.grasps.map((g) => ({ grasp: g, q: g.q })),
          { segmask: segmask ?? undefined },
        );
        await writeFileAtomic(flags.png, overlay, { createFolders: false });
      }
      if (flags.json) {
        process.stdout.write(json);
        return;
      }
      const g = result.grasps[0];
      console.log(
        `best ${g.suction ? 'suction ' : ''}grasp (${result.policy}, ${result.scoredCount} candidates scored, ` +
          `${result.timeMs.toFixed(0)} ms): ${graspText(g)}`,
      );
      for (const [i, o] of result.grasps.slice(1).entries()) console.log(`  #${i + 2}: ${graspText(o)}`);
      for (const o of result.byGripper ?? [])
        console.log(
          `  ${o.gripper}: ${o.q !== undefined ? `best q ${o.q.toFixed(3)}` : `no grasp (${o.reason})`}, ` +
            `${o.scoredCount} scored, ${o.timeMs.toFixed(0)} ms`,
        );
      if (flags.explain) printExplanation(result);
      if (flags.png) console.log(`drawn on ${resolve(flags.png)}`);
    });
}

/** One grasp for people: centre, then the jaw angle or the cup's approach, depth and q. */
function graspText(g: PlannedGrasp): string {
  const where = (g.gripper ? `${g.gripper} ` : '') + (g.suction ? 'target' : 'centre');
  const how = g.suction
    ? `approach (${g.suction.approach.map((v) => v.toFixed(3)).join(', ')}), ${deg(g.suction.approachAngle)} from the optical axis`
    : `angle ${deg(g.angle)}`;
  return `${where} (x ${g.center.x.toFixed(1)}, y ${g.center.y.toFixed(1)}) px, ${how}, depth ${g.depth.toFixed(3)} m, q ${g.q.toFixed(3)}${g.networkQ !== undefined ? ` (calibrated; network ${g.networkQ.toFixed(3)})` : ''}`;
}

/** Releases an already loaded predictor when the next one fails to load, then rethrows. */
function releaseFirst(first: { release(): Promise<void> }) {
  return async (err: unknown): Promise<never> => {
    await first.release();
    throw err;
  };
}

function deg(rad: number): string {
  return `${((rad * 180) / Math.PI).toFixed(1)}°`;
}

/** --explain: each returned grasp's check, what the check dropped, and the best candidates by q with their verdicts. */
function printExplanation(result: PlanResult): void {
  const mm = (m: number) => (Number.isFinite(m) ? `${(m * 1000).toFixed(1)} mm` : '–');
  const line = (p: GraspPlausibility | SuctionPlausibility) => {
    const verdict = p.plausible ? 'plausible' : `IMPLAUSIBLE (${p.reason})`;
    if (!('fingerClearance' in p))
      return (
        `${verdict}: ${p.message}; footprint ${mm(p.flatness)} from its plane, cup clearance ${mm(p.cupClearance)}` +
        (p.cupMissing > 0 ? `, missing under the cup ${pct(p.cupMissing)}` : '')
      );
    const [c1, c2] = p.fingerClearance,
      [m1, m2] = p.fingerMissing;
    return (
      `${verdict}: ${p.message}; ` +
      `jaws ${mm(p.engagement)} below the object's top, fingertip clearance ${mm(c1)} / ${mm(c2)}, ` +
      `palm clearance ${mm(p.palmClearance)}` +
      (m1 + m2 > 0 ? `, missing under the fingers ${pct(m1)} / ${pct(m2)}` : '')
    );
  };
  for (const [i, g] of result.grasps.entries()) if (g.plausibility) console.log(`  #${i + 1} ${line(g.plausibility)}`);
  const dropped = Object.entries(result.implausible ?? {});
  const counts = dropped.map(([k, n]) => `${n} ${k}`).join(', ');
  console.log(dropped.length ? `candidates dropped by the check: ${counts}` : 'no candidate was dropped by the check');
  if (result.candidates?.length) {
    console.log('best candidates by q:');
    for (const c of result.candidates)
      console.log(
        `  q ${c.q.toFixed(3)} centre (${c.center.x.toFixed(1)}, ${c.center.y.toFixed(1)}) ` +
          `${c.approach ? `approach (${c.approach.map((v) => v.toFixed(2)).join(', ')})` : `angle ${deg(c.angle)}`} ` +
          `depth ${c.depth.toFixed(3)} m: ${line(c.plausibility)}`,
      );
  }
}

function pct(v: number): string {
  return `${Math.round(100 * v)} %`;
}

async function readFileOrFail(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch {
    throw new UserInputError(`${path}: cannot read file`, { file: path });
  }
}

async function resolveIntrinsics(f: PlanFlags, width: number, height: number): Promise<CameraIntrinsics> {
  if (f.intrinsics) return (await import('../geometry/camera-intrinsics.js')).readIntrinsics(f.intrinsics);
  if (f.fx !== undefined && f.fy !== undefined && f.cx !== undefined && f.cy !== undefined)
    return { fx: f.fx, fy: f.fy, cx: f.cx, cy: f.cy, skew: 0, width, height, frame: 'camera' };
  throw new UserInputError('give the camera intrinsics: --intrinsics file.intr, or all of --fx --fy --cx --cy');
}
