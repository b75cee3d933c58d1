// `dexnet plan <depth> --intrinsics <file>`: the most robust grasp on a depth image, as JSON and a PNG.
import { UserInputError } from '../core/errors.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { writeFileAtomic } from '../core/atomic-write.js';
import { readIntrinsics, type CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { readDepthFile } from '../image/depth-io.js';
import { readMaskPng } from '../image/png.js';
import { BUNDLED_MODEL_DIR } from '../model/bundled-model.js';
import { GqcnnPredictor } from '../model/predictor.js';
import { drawGraspOverlay } from '../policy/grasp-overlay.js';
import { NoValidGraspError, plan, POLICIES, type PolicyName } from '../policy/plan.js';
import { checkPlanInputs, PLAN_LIMITS, planResultJson, workspaceProblem } from '../policy/plan-io.js';
import { numberOption } from './output.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/scene/', import.meta.url));

interface PlanFlags {
  intrinsics?: string;
  fx?: number; fy?: number; cx?: number; cy?: number;
  segmask?: string;
  policy: PolicyName;
  model: string;
  topK: number;
  seed: number;
  depthScale?: number;
  workspace?: [number, number, number, number];
  json?: boolean;
  out?: string;
  png?: string;
  example?: boolean;
}

function parseWorkspace(v: string): [number, number, number, number] {
  const parts = v.split(',').map(Number);
  const problem = workspaceProblem(parts);
  if (problem) throw new InvalidArgumentError(`--workspace must be x0,y0,x1,y1 pixel integers with x1 ≥ x0 and y1 ≥ y0 (${problem}), got "${v}"`);
  return parts as [number, number, number, number];
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('plan the most robust parallel-jaw grasp on a depth image with the GQ-CNN')
    .argument('[depth]', 'depth image: .npy float metres (H×W or H×W×1) or 16-bit .png millimetres')
    .option('--intrinsics <file>', 'camera intrinsics, gqcnn .intr JSON')
    .option('--fx <px>', 'focal length x (instead of --intrinsics)', numberOption('--fx', 1e-6))
    .option('--fy <px>', 'focal length y', numberOption('--fy', 1e-6))
    .option('--cx <px>', 'principal point x (column)', numberOption('--cx', -1e6, 1e6))
    .option('--cy <px>', 'principal point y (row)', numberOption('--cy', -1e6, 1e6))
    .option('--segmask <png>', 'object mask, 8-bit PNG (non-zero = object)')
    .option('--workspace <x0,y0,x1,y1>', 'only grasp centres inside this pixel rectangle', parseWorkspace)
    .option('--policy <name>', `planning policy: ${POLICIES.join(', ')}`, (v: string) => {
      if (!(POLICIES as readonly string[]).includes(v)) throw new InvalidArgumentError(`--policy must be one of ${POLICIES.join(', ')}, got "${v}"`);
      return v;
    }, 'cem')
    .addOption(
      new Option('--model <dir>', 'model folder from `dexnet train`').default(BUNDLED_MODEL_DIR, 'the bundled model'),
    )
    .option('--top-k <n>', 'also return the next best grasps', numberOption('--top-k', PLAN_LIMITS.topK.min, PLAN_LIMITS.topK.max, true), 1)
    .option('--seed <s>', 'random seed (same seed, same grasp)', numberOption('--seed', PLAN_LIMITS.seed.min, PLAN_LIMITS.seed.max, true), 0)
    .option('--depth-scale <m>', 'metres per unit of a 16-bit PNG depth image', numberOption('--depth-scale', PLAN_LIMITS.depthScale.min, PLAN_LIMITS.depthScale.max), 0.001)
    .option('--json', 'print the result as JSON on stdout')
    .option('--out <file.json>', 'write the result as JSON to a file')
    .option('--png <file.png>', 'write the depth image with the grasps drawn')
    .option('--example', 'plan on the bundled example scene; draw it on grasp.png in the working directory (or --png)')
    .action(async (depthPath: string | undefined, flags: PlanFlags) => {
      if (flags.example) {
        depthPath = `${EXAMPLE}depth.npy`;
        flags.intrinsics = `${EXAMPLE}camera.intr`;
        flags.segmask = `${EXAMPLE}segmask.png`;
        // The working directory is where a user looks; in a checkout of this repository grasp.png is git-ignored.
        flags.png ??= 'grasp.png';
      }
      if (!depthPath) throw new UserInputError('give a depth image (or --example)');
      const depth = await readDepthFile(depthPath, { depthScale: flags.depthScale });
      const intrinsics = await resolveIntrinsics(flags, depth.width, depth.height);
      const segmask = flags.segmask ? readMaskPng(await readFileOrFail(flags.segmask), flags.segmask) : null;
      checkPlanInputs(depth, intrinsics, segmask, { intrinsics: flags.intrinsics ?? 'intrinsics', segmask: flags.segmask ?? 'segmask' });
      const predictor = await GqcnnPredictor.load(flags.model);
      let result;
      try {
        result = await plan(depth, intrinsics, predictor, { policy: flags.policy, topK: flags.topK, seed: flags.seed, segmask, workspace: flags.workspace });
      } catch (err) {
        if (err instanceof NoValidGraspError) {
          console.error(`dexnet: no valid grasp: ${err.message}`);
          process.exitCode = 2;
          return;
        }
        throw err;
      } finally {
        await predictor.release();
      }
      const json = JSON.stringify(planResultJson(result), null, 2) + '\n';
      if (flags.out) await writeFileAtomic(flags.out, json);
      if (flags.png) await writeFileAtomic(flags.png, drawGraspOverlay(depth, result.grasps.map((g) => ({ grasp: g, q: g.q })), { segmask: segmask ?? undefined }));
      if (flags.json) {
        process.stdout.write(json);
        return;
      }
      const g = result.grasps[0];
      console.log(`best grasp (${result.policy}, ${result.scoredCount} candidates scored, ${result.timeMs.toFixed(0)} ms): ` +
        `centre (x ${g.center.x.toFixed(1)}, y ${g.center.y.toFixed(1)}) px, angle ${(g.angle * 180 / Math.PI).toFixed(1)}°, depth ${g.depth.toFixed(3)} m, q ${g.q.toFixed(3)}`);
      for (const [i, o] of result.grasps.slice(1).entries())
        console.log(`  #${i + 2}: centre (${o.center.x.toFixed(1)}, ${o.center.y.toFixed(1)}), angle ${(o.angle * 180 / Math.PI).toFixed(1)}°, depth ${o.depth.toFixed(3)} m, q ${o.q.toFixed(3)}`);
      if (flags.png) console.log(`drawn on ${resolve(flags.png)}`);
    });
}

async function readFileOrFail(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch {
    throw new UserInputError(`${path}: cannot read file`, { file: path });
  }
}

async function resolveIntrinsics(f: PlanFlags, width: number, height: number): Promise<CameraIntrinsics> {
  if (f.intrinsics) return readIntrinsics(f.intrinsics);
  if (f.fx !== undefined && f.fy !== undefined && f.cx !== undefined && f.cy !== undefined)
    return { fx: f.fx, fy: f.fy, cx: f.cx, cy: f.cy, skew: 0, width, height, frame: 'camera' };
  throw new UserInputError('give the camera intrinsics: --intrinsics file.intr, or all of --fx --fy --cx --cy');
}
