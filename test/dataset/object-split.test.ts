// Object-wise split of imported objects: fixed per id, about the asked share held out.
import { describe, expect, it } from 'vitest';
import { fnv1a, objectSplit } from '../../src/dataset/object-split.js';

describe('objectSplit', () => {
  it('FNV-1a matches its published test vectors', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
  it('holds out close to 20 % of 5000 ids, and the same ids every time', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `catalogue-piece-${i}`);
    const held = ids.filter((id) => objectSplit(id) === 'held-out');
    expect(held.length / ids.length).toBeGreaterThan(0.18);
    expect(held.length / ids.length).toBeLessThan(0.22);
    expect(ids.filter((id) => objectSplit(id) === 'held-out')).toEqual(held);
    expect(ids.filter((id) => objectSplit(id, 0.5) === 'held-out').length).toBeGreaterThan(held.length);
  });
});
