// A bin-clearing run: `episodes` heaps drawn from the held-out objects by the seed, each cleared once by every gripper
// setting asked for (the same heap for each, so the settings are compared on equal terms), and every object of every
// heap checked for whether a gripper can pick it when it lies alone, so clearance can be judged against what is
// possible.
import { Random } from '../core/random.js';
import { deriveSeed } from '../core/seed.js';
import { DEFAULT_SUCTION_GRIPPER } from '../grasp/gripper.js';
import type { Bin } from '../physics/bin.js';
import { groundTruthSummary } from './ground-truth.js';
import { dropEpisodeHeap, runBinEpisode, type AttemptRecord, type BinEpisodeOptions } from './bin-episode.js';
import type { EpisodeGripper } from './episode-gripper.js';
import type { EpisodeRecord, Pickable } from './bin-report.js';
import { sampleTrialScene, type TrialObject } from './trial-scene.js';

export interface BinEvaluationOptions extends Omit<BinEpisodeOptions, 'gripper' | 'onAttempt'> {
  /** Gripper settings, each run on every heap (default parallel-jaw). */
  grippers?: readonly EpisodeGripper[];
  /** Heaps (default 1) and objects per heap (default 10). */
  episodes?: number;
  objects?: number;
  seed?: number;
  bin?: Bin;
  /** Check which objects a gripper picks on its own (default true). */
  pickable?: boolean;
  onAttempt?: (heap: number, gripper: EpisodeGripper, attempt: AttemptRecord) => void;
}

export interface BinEvaluation {
  episodes: EpisodeRecord[];
  /** Each attempt's picture by the file name its record gives. */
  images: Map<string, Uint8Array>;
}

/** `heap_0003-both-07.png`: the picture of attempt 7 of the ambidextrous episode on heap 3. */
export const attemptImageName = (heap: number, gripper: EpisodeGripper, attempt: number) =>
  `images/heap_${String(heap).padStart(4, '0')}-${gripper}-${String(attempt).padStart(2, '0')}.png`;

/** Runs the episodes heap by heap, every gripper setting on each heap. Deterministic per seed. */
export async function runBinEvaluation(
  pool: readonly TrialObject[],
  options: BinEvaluationOptions,
): Promise<BinEvaluation> {
  const grippers = options.grippers ?? ['parallel-jaw'];
  const seed = options.seed ?? 0;
  const pickable = new Map<TrialObject, Pickable>();
  const pickableOf = (o: TrialObject): Pickable => {
    if (options.pickable === false) return null;
    let p = pickable.get(o);
    if (p === undefined) {
      p = pickableAlone(o, deriveSeed(seed, pool.indexOf(o) + 1_000_000));
      pickable.set(o, p);
    }
    return p;
  };
  const episodes: EpisodeRecord[] = [];
  const images = new Map<string, Uint8Array>();
  for (let heap = 0; heap < (options.episodes ?? 1); heap++) {
    const heapSeed = deriveSeed(seed, heap);
    const dropped = await dropEpisodeHeap(pool, options.objects ?? 10, heapSeed, options.bin);
    for (const gripper of grippers) {
      const result = await runBinEpisode(dropped, {
        ...options,
        gripper,
        onAttempt: (a) => options.onAttempt?.(heap, gripper, a),
      });
      const attempts = result.attempts.map(({ png, ...a }) => {
        if (!png) return a;
        const image = attemptImageName(heap, gripper, a.attempt);
        images.set(image, png);
        return { ...a, image };
      });
      const objects = result.objects.map((o) => ({ ...o, pickable: pickableOf(dropped.objects[o.slot]!) }));
      episodes.push({ heap, seed: heapSeed, gripper, objects, attempts, stop: result.stop });
    }
  }
  return { episodes, images };
}

/**
 * Whether each gripper can pick the object lying alone: in a resting pose drawn by probability (as single-object
 * trials draw it), some grasp from that gripper's own sampler that the camera sees passes its analytic referee —
 * the ground truth single-object evaluations report winnable scenes by.
 */
export function pickableAlone(target: TrialObject, seed: number): Pickable {
  const scene = sampleTrialScene(target, new Random(deriveSeed(seed, 0)), { noise: false });
  const jaw = groundTruthSummary(target, scene, deriveSeed(seed, 1));
  const cup = groundTruthSummary(target, scene, deriveSeed(seed, 2), { gripper: DEFAULT_SUCTION_GRIPPER });
  return { 'parallel-jaw': jaw.robustVisible > 0, suction: cup.robustVisible > 0 };
}
