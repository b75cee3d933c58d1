// Seed derivation: independent per-item seeds from one run seed, so results do not depend on evaluation order.
/** A per-item seed derived from a run seed, so items are independent of evaluation order. */
export function deriveSeed(seed: number, item: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(item + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 12)) >>> 0;
}
