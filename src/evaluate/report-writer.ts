// Writes an evaluation run to a folder: report.json (per-policy summary and every trial), report.html (the same,
// self-contained with its images) and images/*.png (the trial images report.json refers to). Every file is
// written atomically, so an interrupted run never leaves a half-written report.
import { UserInputError } from '../core/errors.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { summarizeTrials, trialImageName, type EvaluationReport, type TrialRecord } from './evaluation-report.js';
export type { AnalyticVerdict } from './analytic-referee.js';
import { renderReportHtml } from './report-html.js';

export type {
  Disagreement,
  EvaluationReport,
  FailureEntry,
  PolicySummary,
  RateSummary,
  RefereeSummary,
  TrialGrasp,
  TrialRecord,
  TrialSummary,
} from './evaluation-report.js';

export interface ReportWriteOptions {
  /** Page title of report.html. */
  title?: string;
  /** Recorded as report.json's `meta` (seed, folders, options…). */
  meta?: Record<string, unknown>;
}

export interface WrittenReport {
  report: EvaluationReport;
  jsonPath: string;
  htmlPath: string;
  imagePaths: string[];
}

/** Writes report.json, report.html and the trial images into `outDir` (created if missing). */
export async function writeEvaluationReport(
  outDir: string,
  records: readonly TrialRecord[],
  options: ReportWriteOptions = {},
): Promise<WrittenReport> {
  const report = summarizeTrials(records, options.meta ?? {});
  const images = new Map<string, Uint8Array>();
  for (const r of records) if (r.failurePng) images.set(trialImageName(r), r.failurePng);
  const imagePaths: string[] = [];
  for (const [name, png] of images) {
    const path = join(outDir, name);
    await writeFileAtomic(path, png);
    imagePaths.push(path);
  }
  const jsonPath = join(outDir, 'report.json');
  const htmlPath = join(outDir, 'report.html');
  await writeFileAtomic(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(htmlPath, renderReportHtml(report, images, options.title));
  return { report, jsonPath, htmlPath, imagePaths };
}

/** Reads a report.json written by {@link writeEvaluationReport}. */
export async function readEvaluationReport(path: string): Promise<EvaluationReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UserInputError(
      `${path}: not a readable JSON file (${err instanceof Error ? err.message : String(err)})`,
      { file: path },
    );
  }
  const r = parsed as Partial<EvaluationReport> | null;
  if (!r || r.format !== 'dexnet-evaluation-report')
    throw new UserInputError(`${path}: format must be "dexnet-evaluation-report"`, { file: path });
  if (r.version !== 1)
    throw new UserInputError(`${path}: unsupported report version ${String(r.version)} (expected 1)`, { file: path });
  if (!Array.isArray(r.policies) || !Array.isArray(r.trials))
    throw new UserInputError(`${path}: policies and trials must be arrays`, { file: path });
  return r as EvaluationReport;
}
