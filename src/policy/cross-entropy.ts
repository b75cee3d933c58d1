// gqcnn's cross-entropy grasp policy, independent of the network: score seed grasps, refit a Gaussian mixture to the elite, resample, repeat, take the argmax.
import { NoValidGraspError } from '../core/errors.js';
import type { Random } from '../core/random.js';
import { GaussianMixture, zScore } from './gaussian-mixture.js';
import {
  featuresToGrasp as defaultFeaturesToGrasp,
  GRASP_FEATURE_DIM,
  graspToFeatures,
  type GraspWidthPx,
  type ImageGrasp,
} from '../grasp/image-grasp.js';

/** Scores a batch of grasps (e.g. the GQ-CNN's probability of success); one value per grasp, in order. */
export type GraspScoreFunction<G = ImageGrasp> = (grasps: G[]) => Promise<ArrayLike<number>> | ArrayLike<number>;

/** A grasp of any kind (parallel-jaw, suction) with its quality. */
export interface Scored<G> {
  grasp: G;
  q: number;
}

/** How the search sees a kind of grasp: a fixed-length feature row and back (null = no such grasp). */
export interface GraspFeatureCodec<G> {
  dim: number;
  toFeatures(g: G, out: Float64Array, offset: number): void;
  fromFeatures(rows: Float64Array, offset: number): G | null;
}

export interface CrossEntropyOptions<G = ImageGrasp> {
  /** Seed grasps (gqcnn: 250 from the antipodal sampler). */
  initial: readonly G[];
  score: GraspScoreFunction<G>;
  rng: Random;
  /** Refit-and-resample rounds (gqcnn: 3). */
  iterations?: number;
  /** Share of the scored grasps the mixture is refitted to (gqcnn: 0.25). */
  eliteFraction?: number;
  /** Mixture components as a share of the elite count (gqcnn: 0.4). */
  gmmComponentsFraction?: number;
  /** Covariance regulariser on the z-scored features (gqcnn: 0.01). */
  gmmRegularizer?: number;
  /** New grasps per round (gqcnn: 50). */
  samplesPerIteration?: number;
  /** Batches of `samplesPerIteration` draws tried per round before giving up on filling it (gqcnn: 100). */
  maxResampleRounds?: number;
  /** Whether a resampled grasp may be scored, e.g. centre inside the segmask and the image. Default: all. */
  isValid?: (g: G) => boolean;
  /**
   * Jaw opening in px of a resampled grasp. Default: the seeds' width × depth (their median), divided by the new
   * depth — the gripper's fixed metric opening, which {@link gripperWidthPx} gives exactly from intrinsics.
   */
  widthPx?: GraspWidthPx;
  /**
   * Whether a scored grasp may be picked (e.g. the plausibility check on the observed depth). Implausible grasps are
   * left out of the elite — unless none is plausible, when the search refits to the best scored ones to move on — and
   * are never the result. Default: all.
   */
  plausible?: (g: Scored<G>) => boolean;
  /** Feature row → grasp (default: midpoint/direction of the endpoints, width from `widthPx`); null = invalid. */
  featuresToGrasp?: (features: Float64Array, offset: number, widthPx: GraspWidthPx) => ImageGrasp | null;
  /** The features of another kind of grasp (suction); without one, the jaw features above (`widthPx`, `featuresToGrasp`). */
  codec?: GraspFeatureCodec<G>;
}

export interface CrossEntropyResult<G = ImageGrasp> {
  /** The argmax of the last scored set (of its plausible grasps; of the whole search when it has none). */
  best: Scored<G>;
  /** Every grasp scored, in scoring order (seeds first). */
  all: Scored<G>[];
  /** The last scored set (the one `best` is drawn from). */
  final: Scored<G>[];
  scoredCount: number;
}

/** Nothing the search scored passed the `plausible` check (the caller knows why; the search does not). */
export class NoPlausibleGraspError extends NoValidGraspError {
  override name = 'NoPlausibleGraspError';
}

export const DEFAULT_CEM_OPTIONS = Object.freeze({
  iterations: 3,
  eliteFraction: 0.25,
  gmmComponentsFraction: 0.4,
  gmmRegularizer: 0.01,
  samplesPerIteration: 50,
  maxResampleRounds: 100,
});

/**
 * Cross-entropy method over grasp features [p1x, p1y, p2x, p2y, depth] (gqcnn's CrossEntropyRobustGraspingPolicy):
 * each round scores the current grasps, z-scores the top `eliteFraction`, fits a Gaussian mixture to them, and
 * draws `samplesPerIteration` valid grasps from it; after `iterations` rounds the last set is scored and its
 * argmax returned. Throws {@link NoValidGraspError} rather than ever returning a non-finite grasp.
 */
export async function crossEntropyPlan<G = ImageGrasp>(
  options: CrossEntropyOptions<G>,
): Promise<CrossEntropyResult<G>> {
  const o = { ...DEFAULT_CEM_OPTIONS, ...options };
  const isValid = o.isValid ?? (() => true);
  const plausible = o.plausible ?? (() => true);
  if (o.initial.length === 0) throw new NoValidGraspError('no valid grasps: the grasp sampler found no candidates');
  // Without a codec G is ImageGrasp (the jaws), the only kind the default features describe.
  const codec = o.codec ?? (jawCodec(o as unknown as CrossEntropyOptions) as unknown as GraspFeatureCodec<G>);
  const d = codec.dim;
  const all: Scored<G>[] = [];

  let grasps: G[] = o.initial.slice();
  for (let round = 0; ; round++) {
    const q = await o.score(grasps);
    if (q.length !== grasps.length)
      throw new Error(`grasp score function returned ${q.length} values for ${grasps.length} grasps`);
    const scored = grasps.map((grasp, i) => ({ grasp, q: q[i] }));
    for (const s of scored) all.push(s);
    if (round >= o.iterations) return finish(scored, all, plausible);

    // Non-finite qualities rank last, so they only reach the elite when nothing else is there. The check is asked in
    // order of q and only until the elite is full: most of a round is never judged.
    const ranked = scored.map((_, i) => i);
    const key = (i: number) => (Number.isFinite(scored[i].q) ? scored[i].q : -Infinity);
    ranked.sort((a, b) => key(b) - key(a) || a - b);
    const wanted = Math.max(1, Math.ceil(o.eliteFraction * scored.length));
    const admissible: number[] = [];
    for (const i of ranked) {
      if (plausible(scored[i])) admissible.push(i);
      if (admissible.length === wanted) break;
    }
    const order = admissible.length > 0 ? admissible : ranked;
    const eliteCount = Math.min(order.length, wanted);
    const elite = new Float64Array(eliteCount * d);
    for (let e = 0; e < eliteCount; e++) codec.toFeatures(scored[order[e]].grasp, elite, e * d);
    const z = zScore(elite, eliteCount, d);
    const components = Math.max(1, Math.ceil(o.gmmComponentsFraction * eliteCount));
    const gmm = GaussianMixture.fit(z.normalized, eliteCount, d, o.rng, { components, regularizer: o.gmmRegularizer });

    const next: G[] = [];
    const want = o.samplesPerIteration;
    for (let attempt = 0; attempt < o.maxResampleRounds && next.length < want; attempt++) {
      const rows = gmm.sample(o.rng, want);
      for (let r = 0; r < want && next.length < want; r++) {
        for (let j = 0; j < d; j++) rows[r * d + j] = rows[r * d + j] * z.std[j] + z.mean[j];
        const g = codec.fromFeatures(rows, r * d);
        if (g && isValid(g)) next.push(g);
      }
    }
    if (next.length === 0)
      throw new NoValidGraspError(
        `no valid grasps: none of ${o.maxResampleRounds * want} cross-entropy samples in round ${round + 1} passed the validity check`,
      );
    grasps = next;
  }
}

/** gqcnn's parallel-jaw features [p1x, p1y, p2x, p2y, depth]. */
function jawCodec(o: CrossEntropyOptions): GraspFeatureCodec<ImageGrasp> {
  const toGrasp = o.featuresToGrasp ?? defaultFeaturesToGrasp;
  const widthPx = o.widthPx ?? constantMetricWidth(o.initial);
  return {
    dim: GRASP_FEATURE_DIM,
    toFeatures: graspToFeatures,
    fromFeatures: (rows, offset) => toGrasp(rows, offset, widthPx),
  };
}

function finish<G>(final: Scored<G>[], all: Scored<G>[], plausible: (g: Scored<G>) => boolean): CrossEntropyResult<G> {
  // The first plausible grasp in order of q (ties: the earlier one), asking the check as few times as it can.
  const argmax = (list: Scored<G>[]) => {
    const ranked = list.filter((s) => Number.isFinite(s.q)).sort((a, b) => b.q - a.q);
    return ranked.find(plausible) ?? null;
  };
  const best = argmax(final) ?? argmax(all);
  if (best === null) {
    if (all.some((s) => Number.isFinite(s.q)))
      throw new NoPlausibleGraspError('no valid grasps: no scored candidate passed the plausibility check');
    throw new NoValidGraspError('no valid grasps: no candidate received a finite quality');
  }
  return { best, all, final, scoredCount: all.length };
}

/** Width model for resampled grasps when no intrinsics are given: width·depth is constant for a fixed metric opening. */
function constantMetricWidth(seeds: readonly ImageGrasp[]): GraspWidthPx {
  const products = seeds
    .map((g) => g.widthPx * g.depth)
    .filter((v) => v > 0 && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (products.length === 0)
    throw new NoValidGraspError('no valid grasps: the seed grasps have no positive width and depth');
  const k = products[products.length >> 1];
  return (depth) => k / depth;
}

/**
 * gqcnn's validity check for resampled grasps: the centre pixel lies inside the image, at least `margin` px from
 * its border (pass the crop half-diagonal to keep crops whole), and — with a segmask — on the object.
 */
export function centerInMask(
  width: number,
  height: number,
  segmask?: { width: number; height: number; data: Uint8Array } | null,
  margin = 0,
): (g: { center: { x: number; y: number } }) => boolean {
  if (segmask && (segmask.width !== width || segmask.height !== height))
    throw new Error(`segmask is ${segmask.width}×${segmask.height}, image is ${width}×${height}`);
  const m = segmask ? segmask.data : null;
  return (g) => {
    const x = Math.round(g.center.x),
      y = Math.round(g.center.y);
    if (!(x >= margin && y >= margin && x <= width - 1 - margin && y <= height - 1 - margin)) return false;
    return m === null || m[y * width + x] !== 0;
  };
}
