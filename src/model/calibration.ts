// Calibration of a network's q against executed grasps: a monotone map from the q the network predicts to the share
// of grasps at that q that held. Dex-Net 4.0's ambidextrous policy compares the two grippers' q as probabilities of
// success; measured in bin-picking episodes, the two networks are not equally right about that (the suction model's
// q 0.5–0.9 held about two thirds of the time, the jaws' nine in ten), so each model carries its own map, fitted on
// picks it planned, and the planner compares what the maps give.
import { UserInputError } from '../core/errors.js';

/** A fitted map: knots (q, p) with q strictly and p weakly increasing; linear between knots, flat beyond them. */
export interface QCalibration {
  /** Network q at each knot, strictly increasing, in [0, 1]. */
  q: number[];
  /** Success probability at each knot, non-decreasing, in [0, 1]. */
  p: number[];
  /** Executed grasps the map was fitted on. */
  attempts: number;
  /** Grasps pooled into each knot, and how many of them held (before the shrinkage and the monotone floor). */
  grasps?: number[];
  held?: number[];
  /** Where they came from (report files), for the record. */
  sources?: string[];
}

/** One executed grasp: the network's q and whether it held. */
export interface CalibrationSample {
  q: number;
  success: boolean;
}

export interface CalibrationFitOptions {
  /**
   * Fewest grasps in a knot's pool (default 10): neighbouring pools of the monotone fit are merged up to it, so a
   * lone failure at one end does not pin the map to 0 or 1.
   */
  minPool?: number;
}

/** The calibrated q: the map at `q` (q itself when there is no map). */
export function calibrateQ(c: QCalibration | undefined, q: number): number {
  if (!c) return q;
  const { q: x, p } = c;
  if (!(q > x[0]!)) return p[0]!;
  const last = x.length - 1;
  if (q >= x[last]!) return p[last]!;
  let lo = 0,
    hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= q) lo = mid;
    else hi = mid;
  }
  const t = (q - x[lo]!) / (x[hi]! - x[lo]!);
  return p[lo]! + t * (p[hi]! - p[lo]!);
}

/**
 * Fits the map by isotonic regression (pool-adjacent-violators over the grasps sorted by q): each pool's knot sits at
 * its mean q with its success share, shrunk as (successes + 1) / (grasps + 2) so that a pool that always held is
 * not called certain (and raised to the knot before where the shrinkage of a small pool would make the map fall).
 * Pools smaller than minPool are merged with the neighbour nearer in share.
 */
export function fitCalibration(
  samples: readonly CalibrationSample[],
  options: CalibrationFitOptions = {},
): QCalibration {
  const minPool = options.minPool ?? 10;
  if (!(Number.isInteger(minPool) && minPool >= 1))
    throw new RangeError(`minPool must be an integer ≥ 1, got ${minPool}`);
  for (const s of samples)
    if (!(s.q >= 0 && s.q <= 1)) throw new RangeError(`calibration: every q must lie in [0, 1], got ${s.q}`);
  if (samples.length < 2 * minPool)
    throw new RangeError(`calibration needs at least ${2 * minPool} executed grasps, got ${samples.length}`);
  const sorted = [...samples].sort((a, b) => a.q - b.q);
  // A pool: grasps, successes, sum of q.
  interface Pool {
    n: number;
    s: number;
    sq: number;
  }
  const rate = (a: Pool) => a.s / a.n;
  const join = (a: Pool, b: Pool): Pool => ({ n: a.n + b.n, s: a.s + b.s, sq: a.sq + b.sq });
  const pools: Pool[] = [];
  for (const x of sorted) {
    pools.push({ n: 1, s: x.success ? 1 : 0, sq: x.q });
    while (pools.length > 1 && rate(pools[pools.length - 2]!) >= rate(pools[pools.length - 1]!)) {
      const b = pools.pop()!;
      pools.push(join(pools.pop()!, b));
    }
  }
  // Merging two neighbours of a monotone sequence keeps it monotone: the joint share lies between theirs.
  for (;;) {
    let small = -1;
    for (let i = 0; i < pools.length; i++)
      if (pools[i]!.n < minPool && (small < 0 || pools[i]!.n < pools[small]!.n)) small = i;
    if (small < 0 || pools.length === 1) break;
    const left = small > 0 ? Math.abs(rate(pools[small - 1]!) - rate(pools[small]!)) : Infinity;
    const right = small < pools.length - 1 ? Math.abs(rate(pools[small + 1]!) - rate(pools[small]!)) : Infinity;
    const at = left <= right ? small - 1 : small;
    pools.splice(at, 2, join(pools[at]!, pools[at + 1]!));
  }
  const q: number[] = [],
    p: number[] = [],
    grasps: number[] = [],
    held: number[] = [];
  for (const pool of pools) {
    const x = pool.sq / pool.n;
    const y = (pool.s + 1) / (pool.n + 2);
    // Pools of equal mean q (all grasps at one q) would make a vertical step: keep the later, higher share.
    if (q.length > 0 && x <= q[q.length - 1]!) {
      p[p.length - 1] = Math.max(p[p.length - 1]!, y);
      grasps[grasps.length - 1]! += pool.n;
      held[held.length - 1]! += pool.s;
      continue;
    }
    q.push(x);
    p.push(q.length > 1 ? Math.max(y, p[p.length - 1]!) : y);
    grasps.push(pool.n);
    held.push(pool.s);
  }
  return { q, p, attempts: samples.length, grasps, held };
}

/** Checks a calibration read from a file; `where` names it in the one-line error. */
export function validateCalibration(value: unknown, where: string): QCalibration {
  const fail = (what: string): never => {
    throw new UserInputError(`${where}: calibration ${what}`, { file: where, field: 'calibration' });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be an object');
  const o = value as Record<string, unknown>;
  const { q, p } = o;
  if (!Array.isArray(q) || !Array.isArray(p) || q.length === 0 || q.length !== p.length)
    return fail('needs arrays q and p of one non-zero length');
  for (let i = 0; i < q.length; i++) {
    const x = q[i] as unknown,
      y = p[i] as unknown;
    if (typeof x !== 'number' || !(x >= 0 && x <= 1))
      return fail(`q[${i}] must be a number in [0, 1], got ${String(x)}`);
    if (typeof y !== 'number' || !(y >= 0 && y <= 1))
      return fail(`p[${i}] must be a number in [0, 1], got ${String(y)}`);
    if (i > 0 && !(x > (q[i - 1] as number))) return fail(`q must increase strictly (q[${i}] = ${x})`);
    if (i > 0 && y < (p[i - 1] as number)) return fail(`p must not decrease (p[${i}] = ${y})`);
  }
  const attempts = o.attempts;
  if (typeof attempts !== 'number' || !(Number.isInteger(attempts) && attempts >= 0))
    return fail(`attempts must be a non-negative integer, got ${String(attempts)}`);
  const c: QCalibration = { q: [...(q as number[])], p: [...(p as number[])], attempts };
  if (o.grasps !== undefined) {
    const g = o.grasps;
    if (!Array.isArray(g) || g.length !== q.length || !g.every((n) => Number.isInteger(n) && (n as number) >= 0))
      return fail('grasps must list a non-negative integer per knot');
    c.grasps = [...(g as number[])];
  }
  if (o.held !== undefined) {
    const h = o.held;
    if (
      !Array.isArray(h) ||
      h.length !== q.length ||
      !h.every(
        (n, i) =>
          Number.isInteger(n) && (n as number) >= 0 && (c.grasps === undefined || (n as number) <= c.grasps[i]!),
      )
    )
      return fail('held must list a non-negative integer per knot, at most its grasps');
    c.held = [...(h as number[])];
  }
  if (o.sources !== undefined) {
    if (!Array.isArray(o.sources) || !o.sources.every((s) => typeof s === 'string'))
      return fail('sources must be a list of strings');
    c.sources = [...(o.sources as string[])];
  }
  return c;
}
