// How large a mesh any command reads: counts checked from a file's header (or a first pass over its lines) before
// the arrays are allocated, so a hostile file cannot make a reader allocate what its header claims.
import { UserInputError } from '../core/errors.js';

/**
 * Largest counts a mesh reader accepts. A 1 M-triangle mesh already took `dexnet poses` 42–55 s and 2.3 GB
 * (issue 16); Dex-Net's objects are decimated to a few thousand triangles.
 */
export const MESH_BUDGET = { vertices: 1_000_000, triangles: 1_000_000 } as const;

export class MeshTooLargeError extends UserInputError {
  override name = 'MeshTooLargeError';
}

/**
 * Throws MeshTooLargeError (`<source>: …`, one line) when `counts` exceed the budget or are not counts at all
 * (negative, fractional, NaN: a corrupt header). Call it with the header's counts before allocating.
 */
export function checkMeshBudget(
  counts: { vertices?: number; triangles?: number },
  source: string,
  budget: { vertices: number; triangles: number } = MESH_BUDGET,
): void {
  for (const kind of ['vertices', 'triangles'] as const) {
    const n = counts[kind];
    if (n === undefined) continue;
    const where = { file: source };
    if (!Number.isSafeInteger(n) || n < 0)
      throw new MeshTooLargeError(
        `${source}: the file claims ${n} ${kind}, which is not a count (corrupt header?)`,
        where,
      );
    if (n > budget[kind])
      throw new MeshTooLargeError(
        `${source}: ${n} ${kind} is more than the ${budget[kind]} allowed; decimate the mesh first`,
        where,
      );
  }
}
