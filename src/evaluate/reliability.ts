// Calibration of q: a reliability diagram (predicted q in bins against the referee's success rate in each bin) and its
// expected calibration error, drawn as a small SVG for the HTML report.

export interface ReliabilityBin {
  /** The bin's q range [qLow, qHigh) (the last bin includes 1). */
  qLow: number;
  qHigh: number;
  /** Planned grasps whose q fell in the bin, and how many of them the referee judged a success. */
  n: number;
  successes: number;
  /** successes / n; null for an empty bin. */
  successRate: number | null;
  /** Mean q of the bin's grasps; null for an empty bin. */
  meanQ: number | null;
}

export interface ReliabilityDiagram {
  /** Which referee's verdicts the rates are ('analytic'). */
  referee: string;
  bins: ReliabilityBin[];
  /** Grasps counted (trials without a planned grasp predict nothing and are left out). */
  n: number;
  /** Expected calibration error: Σ (n_b / n)·|successRate_b − meanQ_b|; null without grasps. */
  expectedCalibrationError: number | null;
}

/** Bins (q, success) pairs into `bins` equal q bins over [0, 1]. */
export function reliabilityDiagram(
  pairs: readonly { q: number; success: boolean }[],
  referee: string,
  bins = 10,
): ReliabilityDiagram {
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new Error(`reliability diagram: bins must be a positive integer, got ${bins}`);
  const n = new Array<number>(bins).fill(0),
    ok = new Array<number>(bins).fill(0);
  const qSum = new Array<number>(bins).fill(0);
  for (const { q, success } of pairs) {
    if (!(q >= 0 && q <= 1)) throw new Error(`reliability diagram: q must be in [0, 1], got ${q}`);
    const b = Math.min(bins - 1, Math.floor(q * bins));
    n[b]++;
    qSum[b] += q;
    if (success) ok[b]++;
  }
  const total = pairs.length;
  let ece = 0;
  const out: ReliabilityBin[] = n.map((count, b) => {
    const rate = count > 0 ? ok[b]! / count : null;
    const meanQ = count > 0 ? qSum[b]! / count : null;
    if (rate !== null && meanQ !== null) ece += (count / total) * Math.abs(rate - meanQ);
    return { qLow: b / bins, qHigh: (b + 1) / bins, n: count, successes: ok[b]!, successRate: rate, meanQ };
  });
  return { referee, bins: out, n: total, expectedCalibrationError: total > 0 ? ece : null };
}

/**
 * The diagram as an inline SVG: the diagonal of perfect calibration, one bar per non-empty bin up to its success rate,
 * a dot at (mean q, success rate), and each bin's count above it.
 */
export function reliabilitySvg(d: ReliabilityDiagram, title = 'reliability'): string {
  const W = 280,
    H = 240,
    left = 40,
    top = 12,
    size = 180;
  const x = (q: number) => left + q * size,
    y = (r: number) => top + (1 - r) * size;
  const parts: string[] = [];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${x(0)}" y1="${y(t)}" x2="${x(1)}" y2="${y(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${left - 4}" y="${y(t) + 4}" font-size="10" text-anchor="end">${t}</text>`);
    parts.push(`<text x="${x(t)}" y="${top + size + 14}" font-size="10" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>`);
  for (const b of d.bins) {
    if (b.n === 0 || b.successRate === null || b.meanQ === null) continue;
    const w = (b.qHigh - b.qLow) * size;
    parts.push(
      `<rect x="${x(b.qLow) + 1}" y="${y(b.successRate)}" width="${w - 2}" ` +
        `height="${y(0) - y(b.successRate)}" fill="#9ecae1"/>`,
    );
    parts.push(`<circle cx="${x(b.meanQ)}" cy="${y(b.successRate)}" r="3" fill="#08519c"/>`);
    const label = `x="${x(b.qLow) + w / 2}" y="${y(b.successRate) - 4}" font-size="9" text-anchor="middle"`;
    parts.push(`<text ${label}>${b.n}</text>`);
  }
  parts.push(`<rect x="${x(0)}" y="${y(1)}" width="${size}" height="${size}" fill="none" stroke="#444"/>`);
  parts.push(`<text x="${x(0.5)}" y="${H - 12}" font-size="11" text-anchor="middle">predicted q</text>`);
  parts.push(
    `<text x="12" y="${y(0.5)}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${y(0.5)})">` +
      `${d.referee} success rate</text>`,
  );
  const label = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" ` +
    `aria-label="${label}">${parts.join('')}</svg>`
  );
}
