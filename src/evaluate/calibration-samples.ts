// The executed grasps a calibration is fitted on (model/calibration.ts), read from what records them: bin-clearing
// reports (`evaluate --scene heap`), single-object evaluation reports (`evaluate`, the physics verdict where MuJoCo
// judged, else the analytic one) and a robot's own pick log as CSV (columns q and success).
import { readFile } from 'node:fs/promises';
import { UserInputError } from '../core/errors.js';
import type { CalibrationSample } from '../model/calibration.js';
import type { PlanGripperKind } from '../policy/plan-types.js';

export interface ReportSamples {
  samples: CalibrationSample[];
  /** What the file is. */
  kind: 'bin report' | 'evaluation report' | 'pick log';
  /** Whether the file named the model that planned its grasps (and it was this one); false when it names none. */
  modelChecked: boolean;
}

/** Reads one file's executed grasps of `gripper`, refusing a report made with another model than `digest`'s. */
export async function readCalibrationSamples(
  file: string,
  gripper: PlanGripperKind,
  digest: string,
): Promise<ReportSamples> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserInputError(`${file}: cannot read the file`, { file });
  }
  if (!text.trimStart().startsWith('{')) return { samples: pickLog(file, text), kind: 'pick log', modelChecked: false };
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new UserInputError(`${file}: invalid JSON (${(e as Error).message})`, { file });
  }
  const meta = (typeof report.meta === 'object' && report.meta !== null ? report.meta : {}) as Record<string, unknown>;
  const fail = (field: string, what: string): never => {
    throw new UserInputError(`${file}: ${field} ${what}`, { file, field });
  };
  const checkModel = (field: string): boolean => {
    const recorded = meta[field];
    if (recorded === undefined) return false;
    if (recorded !== digest)
      fail(
        `meta.${field}`,
        `is ${JSON.stringify(recorded)}: the report was planned with another model (this one is ${digest})`,
      );
    return true;
  };
  const sample = (q: unknown, success: unknown, where: string): CalibrationSample => {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1))
      fail(`${where}.q`, `must be a number in [0, 1], got ${String(q)}`);
    if (typeof success !== 'boolean') fail(`${where}.success`, `must be true or false, got ${String(success)}`);
    return { q: q as number, success: success as boolean };
  };

  if (report.format === 'dexnet-bin-report') {
    const modelChecked = checkModel(gripper === 'suction' ? 'suctionModelDigest' : 'modelDigest');
    if (!Array.isArray(report.episodes)) fail('episodes', 'must be a list');
    const samples: CalibrationSample[] = [];
    (report.episodes as unknown[]).forEach((e, i) => {
      const attempts = (e as { attempts?: unknown } | null)?.attempts;
      if (!Array.isArray(attempts)) fail(`episodes[${i}].attempts`, 'must be a list');
      (attempts as Record<string, unknown>[]).forEach((a, j) => {
        // Executed grasps of this gripper: an attempt that planned nothing says nothing about q.
        if (a?.gripper !== gripper || a.q === null || a.q === undefined) return;
        samples.push(sample(a.networkQ ?? a.q, a.success, `episodes[${i}].attempts[${j}]`));
      });
    });
    return { samples, kind: 'bin report', modelChecked };
  }
  if (report.format === 'dexnet-evaluation-report') {
    const kind = (meta.gripper as { kind?: unknown } | undefined)?.kind;
    if (kind !== undefined && kind !== gripper)
      fail('meta.gripper.kind', `is ${JSON.stringify(kind)}: the report's grasps are not ${gripper} grasps`);
    const modelChecked = checkModel('modelDigest');
    if (!Array.isArray(report.trials)) fail('trials', 'must be a list');
    const physics = meta.physics !== false;
    const samples: CalibrationSample[] = [];
    (report.trials as Record<string, unknown>[]).forEach((t, i) => {
      const grasp = t?.grasp as { q?: unknown; networkQ?: unknown } | null | undefined;
      // The random baseline's grasps were not chosen by q.
      if (!grasp || t.policy === 'random') return;
      const verdict = (physics ? t.physics : t.analytic) as { success?: unknown } | undefined;
      samples.push(sample(grasp.networkQ ?? grasp.q, verdict?.success, `trials[${i}]`));
    });
    return { samples, kind: 'evaluation report', modelChecked };
  }
  return fail(
    'format',
    `is ${JSON.stringify(report.format)}: expected a dexnet-bin-report, a dexnet-evaluation-report or a CSV pick log`,
  );
}

/** A CSV pick log: a header naming the columns q and success (1/0 or true/false), then one executed grasp a row. */
function pickLog(file: string, text: string): CalibrationSample[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const qi = header.indexOf('q'),
    si = header.indexOf('success');
  if (qi < 0 || si < 0)
    throw new UserInputError(`${file}: line 1 must be a CSV header naming the columns q and success`, { file });
  return lines.slice(1).map((line, k) => {
    const cells = line.split(',').map((c) => c.trim().toLowerCase());
    const q = Number(cells[qi]);
    const s = cells[si];
    if (!(cells[qi] !== '' && q >= 0 && q <= 1))
      throw new UserInputError(
        `${file}: line ${k + 2}: q must be a number in [0, 1], got ${JSON.stringify(cells[qi])}`,
        {
          file,
          field: 'q',
        },
      );
    if (!(s === '1' || s === '0' || s === 'true' || s === 'false'))
      throw new UserInputError(
        `${file}: line ${k + 2}: success must be 1, 0, true or false, got ${JSON.stringify(s ?? '')}`,
        { file, field: 'success' },
      );
    return { q, success: s === '1' || s === 'true' };
  });
}
