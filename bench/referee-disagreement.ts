// Diagnostic (issue 14): why the analytic and physics referees disagree. Re-creates the trials of an evaluation report
// (same scenes, same planned grasps), re-judges each grasp analytically under alternative contact models, and re-runs
// the MuJoCo trial reading its actual finger–object contacts after the squeeze, so that each disagreement can be put
// down to one referee.
// Usage: tsx bench/referee-disagreement.ts <report.json> <meshes dir> [--scale none|egad|min:…] [--seed 1]
//        [--all] (every trial, not only the disagreeing ones) [--no-physics] [--out file.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { Random } from '../src/core/random.js';
import { deriveSeed } from '../src/core/seed.js';
import { ROBUST_EPSILON_THRESHOLD } from '../src/dataset/fields.js';
import { judgeGraspAnalytic, REFEREE_ROBUST_SAMPLES } from '../src/evaluate/analytic-referee.js';
import { loadTrialObjects } from '../src/evaluate/evaluation.js';
import { tableDepthScale } from '../src/evaluate/table-depth-scale.js';
import { sampleTrialScene } from '../src/evaluate/trial-scene.js';
import { parseScaleRule } from '../src/geometry/object-scale.js';
import type { Vec3 } from '../src/geometry/vector.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { closeJaws, type ContactOptions } from '../src/grasp/parallel-jaw/contacts.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { lineConeAngle } from '../src/grasp/parallel-jaw/force-closure.js';
import type { ParallelJawGrasp } from '../src/grasp/parallel-jaw/parallel-jaw-grasp.js';
import { judgeGraspPhysics, type TrialPhase } from '../src/physics/lift-and-shake.js';
import type { MjData, MjModel, Mujoco } from '../src/physics/mujoco-runtime.js';
import { imageGraspInObject } from '../src/render/grasp-projection.js';
import { flag, opt } from './args.js';

const [reportPath, meshDir] = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.match(/^--(scale|seed|out|limit)$/));
if (!reportPath || !meshDir) throw new Error('usage: referee-disagreement <report.json> <meshes dir> [--scale rule]');
const scale = parseScaleRule(opt('scale', 'none'), DEFAULT_GRIPPER.maxWidth);
const seed = Number(opt('seed', '1'));
const everyTrial = flag('all');
const physics = !flag('no-physics');
const limit = Number(opt('limit', 'Infinity'));

interface ReportTrial {
  trial: number;
  object: string;
  poseIndex: number;
  grasp: { center: { x: number; y: number }; angle: number; depth: number } | null;
  analytic: { success: boolean; robustEpsilon: number; forceClosure: boolean; collisionFree: boolean };
  physics: { success: boolean; reason: string };
  friction: number;
}

const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { trials: ReportTrial[] };
const { objects } = await loadTrialObjects(meshDir, { scale });

/** Alternative contact models the analytic verdict is recomputed under (name → options). */
const MODELS: Record<string, ContactOptions> = {
  current: {},
  rays: { model: 'rays' },
  lineOfAction: { model: 'rays', footprintRays: 0 },
  smoothed: { model: 'rays', normals: 'smoothed' },
  pad: { model: 'pad' },
};

const dotAxis = (v: Vec3, g: ParallelJawGrasp) => v[0] * g.axis[0] + v[1] * g.axis[1] + v[2] * g.axis[2];
const deg = (r: number) => (r * 180) / Math.PI;
const round = (v: number, d = 4) => Number(v.toFixed(d));

interface SimContact {
  finger: string;
  other: string;
  /** Object frame (m), and the inward normal of the object there (the direction the finger pushes). */
  point: Vec3;
  normal: Vec3;
  force: number;
  dist: number;
}

/** Finger–object contacts of the current state, in the object frame; the object's pose from its body. */
function readContacts(mujoco: Mujoco, model: MjModel, data: MjData): SimContact[] {
  const out: SimContact[] = [];
  const contacts = data.contact;
  const geomBody = model.geom_bodyid as Int32Array;
  const objectBody = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY.value, 'object');
  const xpos = data.xpos as Float64Array,
    xmat = data.xmat as Float64Array,
    efc = data.efc_force as Float64Array;
  const o = [xpos[3 * objectBody], xpos[3 * objectBody + 1], xpos[3 * objectBody + 2]];
  const R = Array.from(xmat.subarray(9 * objectBody, 9 * objectBody + 9));
  const toObject = (w: number[], point: boolean): Vec3 => {
    const d = point ? [w[0] - o[0], w[1] - o[1], w[2] - o[2]] : w;
    // Rᵀ d (xmat is row-major body → world).
    return [
      R[0] * d[0] + R[3] * d[1] + R[6] * d[2],
      R[1] * d[0] + R[4] * d[1] + R[7] * d[2],
      R[2] * d[0] + R[5] * d[1] + R[8] * d[2],
    ];
  };
  try {
    for (let i = 0; i < data.ncon; i++) {
      const c = contacts.get(i);
      if (!c) continue;
      const g1 = mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_GEOM.value, c.geom1);
      const g2 = mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_GEOM.value, c.geom2);
      const oneIsObject = geomBody[c.geom1] === objectBody || geomBody[c.geom2] === objectBody;
      const finger = /^finger|^palm/.test(g1) ? g1 : /^finger|^palm/.test(g2) ? g2 : null;
      if (finger && oneIsObject) {
        const pos = Array.from(c.pos as ArrayLike<number>);
        const frame = Array.from(c.frame as ArrayLike<number>).slice(0, 3);
        // MuJoCo's normal points from geom1 to geom2: into the object when the finger is geom1.
        const sign = finger === g1 ? 1 : -1;
        out.push({
          finger,
          other: finger === g1 ? g2 : g1,
          point: toObject(pos, true),
          normal: toObject(
            frame.map((v) => v * sign),
            false,
          ),
          force: c.efc_address >= 0 ? efc[c.efc_address] : 0,
          dist: c.dist,
        });
      }
      c.delete();
    }
  } finally {
    contacts.delete();
  }
  return out;
}

function objectRotationSince(
  mujoco: Mujoco,
  model: MjModel,
  data: MjData,
  rest: number[],
): { angleDeg: number; shift: number } {
  const body = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY.value, 'object');
  const R = Array.from((data.xmat as Float64Array).subarray(9 * body, 9 * body + 9));
  // angle of R_restᵀ R: trace = Σ rest[k]·R[k].
  let tr = 0;
  for (let k = 0; k < 9; k++) tr += rest[k]! * R[k]!;
  const p = (data.xpos as Float64Array).subarray(3 * body, 3 * body + 3);
  return {
    angleDeg: round(deg(Math.acos(Math.min(1, Math.max(-1, (tr - 1) / 2)))), 1),
    shift: round(Math.hypot(p[0] - rest[9]!, p[1] - rest[10]!, p[2] - rest[11]!)),
  };
}

/** Per finger: force-weighted mean point and normal of its contacts, and the normal's angle to the closing axis. */
function summarise(contacts: SimContact[], grasp: ParallelJawGrasp) {
  const byFinger: Record<string, unknown> = {};
  for (const name of ['finger1', 'finger2', 'palm']) {
    const cs = contacts.filter((c) => c.finger === name);
    if (cs.length === 0) continue;
    let w = 0;
    const p = [0, 0, 0],
      n = [0, 0, 0];
    for (const c of cs) {
      const f = Math.max(c.force, 1e-9);
      w += f;
      for (let k = 0; k < 3; k++) {
        p[k] += f * c.point[k]!;
        n[k] += f * c.normal[k]!;
      }
    }
    const nn = Math.hypot(n[0], n[1], n[2]);
    const toward = name === 'finger1' ? 1 : -1;
    const along = (toward * (n[0] * grasp.axis[0] + n[1] * grasp.axis[1] + n[2] * grasp.axis[2])) / nn;
    byFinger[name] = {
      contacts: cs.length,
      force: round(w, 2),
      point: p.map((v) => round(v / w)),
      normalToAxisDeg: round(deg(Math.acos(Math.min(1, along))), 1),
      geoms: [...new Set(cs.map((c) => c.other))].join(' '),
      normals: cs.map((c) =>
        round(
          deg(
            Math.acos(
              Math.min(
                1,
                toward * (c.normal[0] * grasp.axis[0] + c.normal[1] * grasp.axis[1] + c.normal[2] * grasp.axis[2]),
              ),
            ),
          ),
          0,
        ),
      ),
    };
  }
  return byFinger;
}

const rows: unknown[] = [];
for (const t of report.trials) {
  if (!t.grasp) continue;
  const disagree = t.analytic.success !== t.physics.success;
  if (!everyTrial && !disagree) continue;
  if (rows.length >= limit) break;
  const target = objects[t.trial % objects.length]!;
  if (target.id !== t.object) throw new Error(`trial ${t.trial}: object ${target.id}, report says ${t.object}`);
  const trialSeed = deriveSeed(seed, t.trial);
  const scene = sampleTrialScene(target, new Random(deriveSeed(trialSeed, 1)));
  const depthScale = tableDepthScale(scene.depth, scene.segmask, scene.camera);
  const grasp = imageGraspInObject(t.grasp, scene, target.object.gripper, depthScale);
  const judge = {
    tableFromObject: scene.tableFromObject,
    seed: deriveSeed(trialSeed, 4),
    samples: REFEREE_ROBUST_SAMPLES,
  };

  const analytic: Record<string, unknown> = {};
  for (const [name, contact] of Object.entries(MODELS)) {
    const object =
      name === 'current' ? target.object : new GraspableObject(target.object.mesh, target.object.gripper, { contact });
    const v = judgeGraspAnalytic(object, grasp, judge);
    const closing = closeJaws(object.index, grasp, object.gripper, contact);
    const nominal = closing.ok
      ? {
          width: round(closing.closedWidth),
          coneDeg: closing.contacts.map((c, k) =>
            round(deg(lineConeAngle(c.point, c.inwardNormal, closing.contacts[1 - k]!.point)), 1),
          ),
          normalToAxisDeg: closing.contacts.map((c) =>
            round(deg(Math.acos(Math.min(1, Math.abs(dotAxis(c.inwardNormal, grasp))))), 1),
          ),
          lineToAxisDeg: round(deg(lineConeAngle(closing.contacts[0].point, grasp.axis, closing.contacts[1].point)), 1),
          points: closing.contacts.map((c) => c.point.map((x) => round(x))),
        }
      : { reason: closing.reason };
    analytic[name] = {
      success: v.success,
      eps: round(v.robustEpsilon, 5),
      fc: v.forceClosure,
      free: v.collisionFree,
      ...nominal,
    };
  }
  // The evaluation-only model of the squeeze: contacts where the object settles between the pads.
  const settled = judgeGraspAnalytic(target.object, grasp, { ...judge, closing: 'settled' });
  analytic.settled = {
    success: settled.success,
    eps: round(settled.robustEpsilon, 5),
    fc: settled.forceClosure,
    settled: settled.settled,
  };
  const reproduced = Math.abs((analytic.current as { eps: number }).eps - t.analytic.robustEpsilon) < 1e-5;

  // Without a new simulation, the report's physics verdict stands (the re-runs above reproduced every one).
  let sim: unknown = { success: t.physics.success, reason: t.physics.reason, reproduced: true };
  if (physics) {
    const seen: Partial<Record<TrialPhase, unknown>> = {};
    let rest: number[] | null = null;
    const verdict = await judgeGraspPhysics({
      mesh: target.object.mesh,
      objectToWorld: scene.objectToWorld,
      grasp,
      friction: t.friction,
      seed: deriveSeed(trialSeed, 5),
      observe: (phase, { mujoco, model, data }) => {
        if (!rest) {
          // The object's rest pose, as placed (the settle phase moves it by micrometres at most).
          const r = scene.objectToWorld.rotation,
            p = scene.objectToWorld.translation;
          rest = [...r, ...p];
        }
        const contacts = readContacts(mujoco, model, data);
        seen[phase] = { moved: objectRotationSince(mujoco, model, data, rest), fingers: summarise(contacts, grasp) };
      },
    });
    sim = {
      success: verdict.success,
      reason: verdict.reason,
      reproduced: verdict.success === t.physics.success,
      ...seen,
    };
  }
  const row = {
    trial: t.trial,
    object: t.object,
    pose: t.poseIndex,
    report: { analytic: t.analytic.success, eps: round(t.analytic.robustEpsilon, 5), physics: t.physics.reason },
    reproduced,
    analytic,
    sim,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
const out = opt('out', '');
if (out) writeFileSync(out, JSON.stringify(rows, null, 1));
console.error(`threshold ${ROBUST_EPSILON_THRESHOLD}; ${rows.length} trials`);
