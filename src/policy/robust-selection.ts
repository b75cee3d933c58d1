// Picking the best grasp under the network's own uncertainty: the argmax of q over hundreds of candidates favours
// grasps the network over-rates by chance, so the finalists are re-scored under small perturbations of centre,
// angle and depth (the kind the robust label itself averages over) and ranked by their mean q.
import { imageGrasp, type ImageGrasp, type ScoredGrasp } from '../grasp/image-grasp.js';

export interface RobustSelectionOptions {
  /** How many of the best candidates the planner re-scores (default 16; more when it must return more apart). */
  finalists?: number;
  /** Perturbed copies per finalist besides itself (default 12, on a ring of centre offsets). */
  perturbations?: number;
  /** Centre offset (px, default 3 ≈ 4 mm at 0.7 m). */
  centerPx?: number;
  /** Angle offset (rad, default 0.1). */
  angle?: number;
  /** Depth offset (m, default 0.004). */
  depth?: number;
}

export const DEFAULT_ROBUST_SELECTION: Required<RobustSelectionOptions> = Object.freeze({
  finalists: 16,
  perturbations: 12,
  centerPx: 3,
  angle: 0.1,
  depth: 0.004,
});

/** The perturbed copies of a grasp: k evenly spaced centre offsets, with angle and depth offsets alternating in sign. */
export function perturbedGrasps(g: ImageGrasp, o: Required<RobustSelectionOptions>): ImageGrasp[] {
  const out: ImageGrasp[] = [];
  for (let k = 0; k < o.perturbations; k++) {
    const phi = (2 * Math.PI * k) / o.perturbations;
    const sa = k % 2 === 0 ? 1 : -1,
      sd = k % 4 < 2 ? 1 : -1;
    out.push(
      imageGrasp(
        { x: g.center.x + o.centerPx * Math.cos(phi), y: g.center.y + o.centerPx * Math.sin(phi) },
        g.angle + sa * o.angle,
        g.depth + sd * o.depth,
        g.widthPx,
      ),
    );
  }
  return out;
}

/**
 * Re-ranks every candidate given by the mean q of itself and its perturbations; the returned q is that mean. The
 * caller passes only its finalists: a mean and a single score are not on the same footing (the best of many single
 * scores is biased high), so a candidate left unperturbed beside them would win by that bias alone.
 */
export async function robustSelection(
  scored: readonly ScoredGrasp[],
  score: (grasps: ImageGrasp[]) => Promise<Float32Array>,
  options: RobustSelectionOptions = {},
): Promise<{ grasps: ScoredGrasp[]; scoredCount: number }> {
  const o = { ...DEFAULT_ROBUST_SELECTION, ...options };
  const batch: ImageGrasp[] = [];
  for (const s of scored) batch.push(...perturbedGrasps(s.grasp, o));
  const q = batch.length ? await score(batch) : new Float32Array(0);
  const k = o.perturbations;
  // A perturbed crop can fall off a degenerate image and score NaN: such copies are left out of the mean, and a
  // candidate without a finite q of its own is dropped, so no NaN q ever leaves the planner.
  const rescored: ScoredGrasp[] = [];
  scored.forEach((s, i) => {
    if (!Number.isFinite(s.q)) return;
    let sum = s.q,
      n = 1;
    for (let j = 0; j < k; j++) {
      const v = q[i * k + j]!;
      if (Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    rescored.push({ grasp: s.grasp, q: sum / n });
  });
  rescored.sort((a, b) => b.q - a.q);
  return { grasps: rescored, scoredCount: batch.length };
}
