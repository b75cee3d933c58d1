// Writes a bin-clearing run to a folder: report.json (figures per gripper setting and every episode), report.html
// (the same with each episode's strip of pictures inlined) and images/*.png (the pictures report.json names).
// Every file is written atomically.
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { BinEvaluation } from './bin-evaluation.js';
import { summarizeEpisodes, type BinReport } from './bin-report.js';
import { renderBinReportHtml } from './bin-report-html.js';

export interface WrittenBinReport {
  report: BinReport;
  jsonPath: string;
  htmlPath: string;
}

export async function writeBinReport(
  outDir: string,
  run: BinEvaluation,
  options: { motionSeconds: number; title?: string; meta?: Record<string, unknown> },
): Promise<WrittenBinReport> {
  const report = summarizeEpisodes(run.episodes, options.motionSeconds, options.meta);
  for (const [name, png] of run.images) await writeFileAtomic(join(outDir, name), png);
  const jsonPath = join(outDir, 'report.json');
  const htmlPath = join(outDir, 'report.html');
  await writeFileAtomic(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(htmlPath, renderBinReportHtml(report, run.images, options.title));
  return { report, jsonPath, htmlPath };
}
