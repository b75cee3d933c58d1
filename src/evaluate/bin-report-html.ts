// The bin-clearing report as one self-contained HTML page: the figures per gripper setting, then every episode as a
// strip of small pictures — the heap before each attempt with the planned grasp drawn, and what came of it.
import type { BinReport, EpisodeRecord, GripperSummary } from './bin-report.js';
import { esc, htmlPage, pngDataUris, rate } from './report-html.js';

/** Renders `report`; `images` maps each picture the episodes name to its PNG bytes. */
export function renderBinReportHtml(
  report: BinReport,
  images: ReadonlyMap<string, Uint8Array>,
  title = 'Bin-clearing evaluation',
): string {
  const uri = pngDataUris(images, 'bin report html');
  const motion = report.grippers[0]?.motionSeconds;
  return htmlPage(
    title,
    `  body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #222; }
  table { border-collapse: collapse; margin: 0.5em 0; }
  th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: right; vertical-align: top; }
  th { background: #f4f4f4; } .text { text-align: left; }
  .ok { color: #17692d; } .fail { color: #a3161b; }
  .strip { display: flex; gap: 0.4em; overflow-x: auto; padding-bottom: 0.4em; }
  .strip figure { margin: 0; flex: none; width: 150px; font-size: 0.8em; border-top: 4px solid #a3161b; }
  .strip figure.ok { border-top-color: #17692d; }
  .strip img { display: block; width: 150px; }
`,
    report.meta,
    `<h2>Summary</h2>
<table>
<tr><th class="text">gripper</th><th>episodes</th><th>attempts (no grasp)</th><th>reliability (picks / grasps executed)</th><th>clearance</th>
<th>clearance of pickable objects</th><th>mean planning</th><th>picks / hour</th><th class="text">picks by gripper</th>
<th class="text">failures</th><th class="text">episodes ended</th></tr>
${report.grippers.map(summaryRow).join('\n')}
</table>
<p>Rates with 95&nbsp;% Wilson intervals. An attempt executes the planned grasp in MuJoCo with every object of the heap
in the scene (approach, squeeze or seal, lift 10&nbsp;cm, shake); it succeeds when an object is held at the end — a
different object than the one under the grasp counts as a pick of that one. An attempt whose plan finds no grasp moves
no robot: it is not a grasp executed, but it counts towards the failures in a row. An episode ends when the bin is
empty, after 5 failed attempts in a row, or at its attempt limit. Picks per hour: successful picks / (grasps executed
× ${motion ?? '–'}&nbsp;s of motion + attempts × the mean planning time) × 3600. Pickable: some grasp of
either gripper passes the analytic referee with the object alone in a resting pose.</p>
${report.grippers.map(notPickable).join('\n')}
<h2>Episodes</h2>
${report.episodes.map((e) => episodeStrip(e, uri)).join('\n')}
`,
  );
}

function summaryRow(g: GripperSummary): string {
  const by = Object.entries(g.byGripper)
    .map(([k, v]) => `${esc(k)} ${v.picks}/${v.attempts}`)
    .join(', ');
  const counts = (r: Partial<Record<string, number>>) =>
    Object.entries(r)
      .map(([k, n]) => `${n} ${esc(k)}`)
      .join(', ');
  return (
    `<tr><td class="text">${esc(g.gripper)}</td><td>${g.episodes}</td><td>${g.attempts} (${g.noGrasp})</td><td>${rate(g.reliability)}</td>` +
    `<td>${rate(g.clearance)}</td><td>${g.pickableClearance ? rate(g.pickableClearance) : '–'}</td>` +
    `<td>${g.meanPlanMs === null ? '–' : `${g.meanPlanMs.toFixed(0)} ms`}</td><td>${g.picksPerHour === null ? '–' : g.picksPerHour.toFixed(0)}</td>` +
    `<td class="text">${by}</td><td class="text">${counts(g.failures)}</td><td class="text">${counts(g.stops)}</td></tr>`
  );
}

function notPickable(g: GripperSummary): string {
  if (!g.notPickable || g.notPickable.ids.length === 0) return '';
  return `<p>${esc(g.gripper)}: ${g.notPickable.ids.length} objects no gripper picks alone (${g.notPickable.picked} of them
picked anyway): ${esc(g.notPickable.ids.join(', '))}.</p>`;
}

function episodeStrip(e: EpisodeRecord, uri: (name: string) => string): string {
  const inBin = e.objects.filter((o) => o.removed?.at !== -1);
  const picked = inBin.filter((o) => o.removed?.how === 'picked').length;
  const figures = e.attempts.map((a) => {
    const plan = a.gripper === null ? 'no grasp' : `${esc(a.gripper)} q ${a.q!.toFixed(2)}`;
    const outcome = a.success
      ? `picked ${esc(a.picked ?? '')}${a.picked !== a.target ? ` (aimed at ${esc(a.target ?? 'background')})` : ''}`
      : `${esc(a.reason)}${a.target ? ` on ${esc(a.target)}` : ''}${a.seal ? ` (seal model: ${esc(a.seal)})` : ''}`;
    const lost = a.lost.length > 0 ? `<br>pushed out: ${esc(a.lost.join(', '))}` : '';
    const img = a.image ? `<img src="${uri(a.image)}" alt="attempt ${a.attempt}">` : '';
    return `<figure class="${a.success ? 'ok' : 'fail'}">${img}<figcaption>#${a.attempt} ${plan}<br>${outcome}${lost}</figcaption></figure>`;
  });
  return `<h3>Heap ${e.heap} · ${esc(e.gripper)} · ${picked}/${inBin.length} objects picked in ${e.attempts.length} attempts · ${esc(e.stop)}</h3>
<div class="strip">${figures.join('')}</div>`;
}
