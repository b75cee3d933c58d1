// What goes into a heap: how many objects (a fixed number, or Poisson as in Dex-Net 2.1) and which meshes.
import { UserInputError } from '../core/errors.js';
import type { Random } from '../core/random.js';

/** Objects per heap: exactly `count`, or Poisson(λ) clipped to [1, maxObjects]. */
export type ObjectCount = { kind: 'fixed'; count: number } | { kind: 'poisson'; lambda: number };

/** Largest Poisson mean accepted: heaps of hundreds of objects do not fit a bin, and e^−λ must not underflow. */
const MAX_LAMBDA = 100;

/** Parses `poisson:<λ>`, `fixed:<n>` or `<n>`; throws a one-line UserInputError naming `field`. */
export function parseObjectCount(text: string, field = '--objects'): ObjectCount {
  const expected = `${field} must be poisson:<mean> (e.g. poisson:5) or a whole number of objects, got "${text}"`;
  const poisson = /^poisson:(.+)$/.exec(text.trim());
  if (poisson) {
    const lambda = Number(poisson[1]);
    if (!(Number.isFinite(lambda) && lambda > 0 && lambda <= MAX_LAMBDA))
      throw new UserInputError(
        `${field}: the Poisson mean must be a number in (0, ${MAX_LAMBDA}], got "${poisson[1]}"`,
        {
          field,
        },
      );
    return { kind: 'poisson', lambda };
  }
  const fixed = /^(?:fixed:)?(\d+)$/.exec(text.trim());
  if (!fixed) throw new UserInputError(expected, { field });
  const count = Number(fixed[1]);
  if (!(count >= 1)) throw new UserInputError(`${field}: a heap needs at least 1 object, got ${count}`, { field });
  return { kind: 'fixed', count };
}

export const formatObjectCount = (c: ObjectCount) => (c.kind === 'poisson' ? `poisson:${c.lambda}` : `${c.count}`);

/** The number of objects of one heap (Poisson draws below 1 become 1, above maxObjects become maxObjects). */
export function drawObjectCount(rng: Random, spec: ObjectCount, maxObjects: number): number {
  const n = spec.kind === 'fixed' ? spec.count : rng.poisson(spec.lambda);
  return Math.min(maxObjects, Math.max(1, n));
}

/**
 * Indices of `count` meshes out of `meshCount`, all different while there are enough (a partial Fisher–Yates
 * shuffle), and in fresh rounds of such draws beyond that, so a heap repeats a mesh only when it must.
 */
export function drawMeshes(rng: Random, meshCount: number, count: number): number[] {
  const chosen: number[] = [];
  const pool = Array.from({ length: meshCount }, (_, i) => i);
  while (chosen.length < count) {
    const round = Math.min(meshCount, count - chosen.length);
    for (let i = 0; i < round; i++) {
      const j = i + rng.int(meshCount - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
      chosen.push(pool[i]);
    }
  }
  return chosen;
}
