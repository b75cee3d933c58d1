// Object-wise train / held-out assignment of imported objects: a hash of the object's id, so the split never
// changes when objects are added, removed or imported in another order, and needs no stored state.

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** MurmurHash3's 32-bit finaliser: FNV-1a alone leaves ids that differ in a last digit too close together. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A well-mixed 32-bit hash of an object id. */
export const objectHash = (id: string): number => fmix32(fnv1a(id));

/** 'held-out' for about `heldOutShare` of ids (default 20 %), 'train' for the rest; fixed per id. */
export function objectSplit(id: string, heldOutShare = 0.2): 'train' | 'held-out' {
  return objectHash(id) / 2 ** 32 < heldOutShare ? 'held-out' : 'train';
}
