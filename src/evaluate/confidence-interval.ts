// Confidence intervals for success rates: the Wilson score interval, which stays inside [0, 1] and keeps its
// coverage at 0 or n successes and small n, where the normal approximation collapses to a point.

/** Two-sided 95 % standard normal quantile. */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval [low, high] for `successes` out of `n` trials at quantile `z` (default 95 %).
 * n = 0 carries no information: [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): [number, number] {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`wilsonInterval: n must be a non-negative integer, got ${n}`);
  if (!(Number.isInteger(successes) && successes >= 0 && successes <= n))
    throw new Error(`wilsonInterval: successes must be an integer in [0, ${n}], got ${successes}`);
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n successes one end is exactly 0 or 1; the subtraction would leave a rounding residue.
  const low = successes === 0 ? 0 : Math.max(0, center - half);
  const high = successes === n ? 1 : Math.min(1, center + half);
  return [low, high];
}
