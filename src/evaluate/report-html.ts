// The evaluation report as one self-contained HTML page: inline styles, every image embedded as a data URI, so
// the file can be mailed or archived on its own.
import type { EvaluationReport, PolicySummary, RateSummary } from './evaluation-report.js';
import { reliabilitySvg } from './reliability.js';

/** What each referee judges, for the gripper of the report's trials. */
function refereesText(report: EvaluationReport): string {
  return report.trials.some((t) => 'gripper' in t.analytic)
    ? `Analytic: the cup seals (Dex-Net 3.0's spring ring) and resists the object's weight (its volume at the MuJoCo
referee's density) in more than 20&nbsp;% of §8's noisy draws. Physics: MuJoCo simulation — approach along the axis, seal,
lift 10&nbsp;cm, shake; success when the object is still held.`
    : `Analytic: robust Ferrari–Canny ε &gt; 0.002 and collision-free. Physics: MuJoCo simulation — approach, squeeze,
lift 10&nbsp;cm, shake; success when the object is still held.`;
}

/** Renders `report`; `images` maps each image name the report mentions to its PNG bytes. */
export function renderReportHtml(
  report: EvaluationReport,
  images: ReadonlyMap<string, Uint8Array>,
  title = 'Grasp evaluation',
): string {
  const uri = pngDataUris(images, 'report html');
  return htmlPage(
    title,
    `  body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
  h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { margin-top: 1.5em; }
  table { border-collapse: collapse; margin: 0.5em 0; }
  th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: right; vertical-align: top; }
  th { background: #f4f4f4; } td.text, th.text { text-align: left; }
  .ok { color: #17692d; } .fail { color: #a3161b; }
  .gallery { display: flex; flex-wrap: wrap; gap: 1em; }
  figure { margin: 0; border: 1px solid #ddd; padding: 0.5em; background: #fafafa; }
  figure img { display: block; max-width: 320px; image-rendering: pixelated; }
  figcaption { font-size: 0.9em; max-width: 320px; }
  .reliability { display: flex; gap: 1.5em; align-items: flex-start; }
`,
    report.meta,
    `<h2>Summary</h2>
<table>
<tr><th class="text">policy</th><th>trials</th><th>analytic success</th><th>physics success</th><th>analytic precision (q &gt; 0.5)</th><th>physics precision (q &gt; 0.5)</th><th>referees agree</th><th>winnable scenes</th><th>analytic success on winnable</th><th>physics success on winnable</th><th>plausibly winnable scenes</th><th>analytic success on plausibly winnable</th><th>physics success on plausibly winnable</th><th>mean planning</th></tr>
${report.policies.map(summaryRow).join('\n')}
</table>
<p>Rates with 95&nbsp;% Wilson intervals. ${refereesText(report)} Winnable: scenes where
some visible ground-truth grasp of the resting pose passes the analytic referee — the ceiling of the analytic success rate.
Plausibly winnable: one of those grasps also passes the planner's plausibility check on the noise-free image (fingers
clear of the seen surface, jaws at least 5&nbsp;mm below the object's top) — winnable by a planner that returns only plausible grasps.</p>
${report.policies.map((p) => policySection(p, uri)).join('\n')}
`,
  );
}

function summaryRow(p: PolicySummary): string {
  const plan = p.meanPlanMs === null ? '–' : `${p.meanPlanMs.toFixed(1)} ms`;
  return (
    `<tr><td class="text">${esc(p.policy)}</td><td>${p.n}</td><td>${rate(p.analytic.success)}</td><td>${rate(p.physics.success)}</td>` +
    `<td>${rate(p.analytic.precision)}</td><td>${rate(p.physics.precision)}</td><td>${rate(p.agreement)}</td>` +
    `<td>${p.winnable ? rate(p.winnable.scenes) : '–'}</td><td>${p.winnable ? rate(p.winnable.analytic) : '–'}</td><td>${p.winnable ? rate(p.winnable.physics) : '–'}</td>` +
    `<td>${p.plausiblyWinnable ? rate(p.plausiblyWinnable.scenes) : '–'}</td>` +
    `<td>${p.plausiblyWinnable ? rate(p.plausiblyWinnable.analytic) : '–'}</td><td>${p.plausiblyWinnable ? rate(p.plausiblyWinnable.physics) : '–'}</td><td>${plan}</td></tr>`
  );
}

function policySection(p: PolicySummary, uri: (name: string) => string): string {
  const disagreements =
    p.disagreements.length === 0
      ? '<p>The referees agree on every trial.</p>'
      : `<table>
<tr><th>trial</th><th class="text">object</th><th>pose</th><th>q</th><th>analytic</th><th>robust ε or q<sub>suction</sub></th><th class="text">collision-free or sealed</th><th>μ</th><th>physics</th><th class="text">physics outcome</th><th class="text">image</th></tr>
${p.disagreements
  .map(
    (d) =>
      `<tr><td>${d.trial}</td><td class="text">${esc(d.object)}</td><td>${d.poseIndex}</td><td>${d.q.toFixed(3)}</td>` +
      `<td>${verdict(d.analytic)}</td><td>${d.epsilon.toFixed(4)}</td><td class="text">${d.collisionFree ? 'yes' : 'no'}</td>` +
      `<td>${d.friction === undefined ? '' : d.friction.toFixed(2)}</td><td>${verdict(d.physics)}</td><td class="text">${esc(d.physicsReason)}</td>` +
      `<td class="text">${d.image ? `<img src="${uri(d.image)}" alt="trial ${d.trial}" width="96">` : ''}</td></tr>`,
  )
  .join('\n')}
</table>`;
  const gallery =
    p.failures.length === 0
      ? '<p>No failure images.</p>'
      : `<div class="gallery">
${p.failures
  .map(
    (f) =>
      `<figure><img src="${uri(f.image)}" alt="trial ${f.trial}: ${esc(f.object)}">` +
      `<figcaption>trial ${f.trial} · ${esc(f.object)} · pose ${f.poseIndex} · q ${f.q.toFixed(3)}<br>` +
      `analytic ${verdict(f.analytic)} · physics ${verdict(f.physics)} (${esc(f.physicsReason)})</figcaption></figure>`,
  )
  .join('\n')}
</div>`;
  return `<h2>${esc(p.policy)}</h2>
${reliabilitySection(p)}
${underNoiseSection(p)}
<h3>Disagreements between the referees (${p.disagreements.length})</h3>
${disagreements}
<h3>Failures (${p.failures.length})</h3>
${gallery}`;
}

/** Executions under the robust ε's noise, per pair of verdicts (empty when the run made none). */
function underNoiseSection(p: PolicySummary): string {
  if (!p.underNoise) return '';
  const rows = Object.entries(p.underNoise)
    .map(
      ([pair, g]) =>
        `<tr><td class="text">${esc(pair)}</td><td>${g.trials}</td><td>${g.draws}</td><td>${g.collided}</td><td>${g.lifted}</td>` +
        `<td>${g.heldShare === null ? '–' : `${(100 * g.heldShare).toFixed(1)} %`}</td></tr>`,
    )
    .join('\n');
  return `<h3>Executions under the robust label's noise</h3>
<p>Each planned grasp executed again in MuJoCo, moved by draws of the pose noise the robust ε averages over; held = lifted
among the executions that did not collide on the way down (the robust ε checks collisions for the planned grasp only).</p>
<table>
<tr><th class="text">referees said it holds</th><th>trials</th><th>executions</th><th>collided</th><th>lifted</th><th>held</th></tr>
${rows}
</table>`;
}

/** The reliability diagram: the chart and its table (q bin, grasps, successes, rate, mean q). */
function reliabilitySection(p: PolicySummary): string {
  const d = p.reliability;
  if (!d || d.n === 0) return '<h3>Calibration of q</h3>\n<p>No planned grasps.</p>';
  const rows = d.bins
    .filter((b) => b.n > 0)
    .map(
      (b) =>
        `<tr><td>${b.qLow.toFixed(1)}–${b.qHigh.toFixed(1)}</td>` +
        `<td>${b.n}</td><td>${b.successes}</td>` +
        `<td>${(100 * b.successRate!).toFixed(0)}&nbsp;%</td><td>${b.meanQ!.toFixed(3)}</td></tr>`,
    )
    .join('\n');
  return `<h3>Calibration of q (${d.referee} referee)</h3>
<div class="reliability">${reliabilitySvg(d, `reliability diagram of ${p.policy}`)}
<table>
<tr><th>q bin</th><th>grasps</th><th>successes</th><th>success rate</th><th>mean q</th></tr>
${rows}
</table></div>
<p>Bars: the share of the bin's planned grasps that the referee judged a success; dots at the bin's mean q; the dashed
diagonal is perfect calibration. Expected calibration error ${d.expectedCalibrationError!.toFixed(3)} over ${d.n}
grasps.</p>`;
}

/** A rate with its 95 % Wilson interval and counts, as the reports show it. */
export function rate(r: RateSummary): string {
  if (r.rate === null) return '–';
  const pct = (v: number) => (100 * v).toFixed(1);
  return `${pct(r.rate)}&nbsp;% <small>[${pct(r.ci95[0])}, ${pct(r.ci95[1])}]</small> <small>(${r.successes}/${r.n})</small>`;
}

function verdict(ok: boolean): string {
  return ok ? '<span class="ok">success</span>' : '<span class="fail">failure</span>';
}

/** Each named picture as a data URI, from its PNG bytes; a name without bytes is the caller's bug (`who` says whose). */
export function pngDataUris(images: ReadonlyMap<string, Uint8Array>, who: string): (name: string) => string {
  return (name) => {
    const png = images.get(name);
    if (!png) throw new Error(`${who}: no PNG bytes for ${name}`);
    return `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64')}`;
  };
}

/**
 * A self-contained report page: `style` inline, the title as heading, the settings `meta` as a table, then `body`.
 */
export function htmlPage(title: string, style: string, meta: Record<string, unknown>, body: string): string {
  const rows = metaRows(meta);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
table.meta td { text-align: left; overflow-wrap: anywhere; max-width: 60em; }
${style}</style>
</head>
<body>
<h1>${esc(title)}</h1>
${rows ? `<table class="meta">${rows}</table>` : ''}
${body}</body>
</html>
`;
}

/** A report's settings as table rows, key and value (JSON unless a string); unset values are left out. */
function metaRows(meta: Record<string, unknown>): string {
  return Object.entries(meta)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`)
    .join('');
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
