// Vertex welding: a triangle soup (or an indexed mesh with duplicate positions) becomes an indexed mesh with one
// vertex per distinct float32 position, so watertightness can be checked on what a reader produced.
import type { Mesh } from '../mesh.js';

/**
 * Builds an indexed mesh from corner positions. `positions` holds xyz per source vertex; `indices`
 * names three source vertices per triangle (null: consecutive triples). Vertices with bit-identical
 * float32 positions (−0 treated as +0) merge; unreferenced vertices disappear; triangles whose
 * corners weld together are dropped because they have no area and no orientation.
 */
export function weldVertices(positions: ArrayLike<number>, indices: ArrayLike<number> | null = null): Mesh {
  const sourceCount = Math.floor(positions.length / 3);
  const cornerCount = indices === null ? sourceCount - (sourceCount % 3) : indices.length - (indices.length % 3);
  const remap = new Int32Array(sourceCount).fill(-1);
  const capacity = 1 << Math.max(4, Math.ceil(Math.log2(Math.max(1, Math.min(sourceCount, cornerCount)) * 2 + 1)));
  const table = new Int32Array(capacity).fill(-1);
  const mask = capacity - 1;
  const out = new Float32Array(Math.min(sourceCount, cornerCount) * 3);
  const outBits = new Uint32Array(out.buffer);
  const scratch = new Float32Array(3);
  const scratchBits = new Uint32Array(scratch.buffer);
  let unique = 0;

  const weldOne = (src: number): number => {
    const known = remap[src];
    if (known >= 0) return known;
    for (let k = 0; k < 3; k++) {
      const v = positions[src * 3 + k];
      scratch[k] = v === 0 ? 0 : v; // folds −0 into +0 so they weld
    }
    const a = scratchBits[0],
      b = scratchBits[1],
      c = scratchBits[2];
    let h =
      Math.imul(a ^ (a >>> 15), 0x85ebca6b) ^
      Math.imul(b ^ (b >>> 13), 0xc2b2ae35) ^
      Math.imul(c ^ (c >>> 16), 0x27d4eb2f);
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const id = table[h];
      if (id < 0) {
        table[h] = unique;
        outBits[unique * 3] = a;
        outBits[unique * 3 + 1] = b;
        outBits[unique * 3 + 2] = c;
        remap[src] = unique;
        return unique++;
      }
      if (outBits[id * 3] === a && outBits[id * 3 + 1] === b && outBits[id * 3 + 2] === c) {
        remap[src] = id;
        return id;
      }
      h = (h + 1) & mask;
    }
  };

  const tris = new Uint32Array(cornerCount);
  let t = 0;
  if (indices !== null) {
    for (let i = 0; i < cornerCount; i++) {
      const s = indices[i];
      if (!(s >= 0 && s < sourceCount && Number.isInteger(s)))
        throw new RangeError(`index ${s} out of range for ${sourceCount} vertices`);
    }
  }
  for (let i = 0; i < cornerCount; i += 3) {
    const i0 = indices === null ? i : indices[i];
    const i1 = indices === null ? i + 1 : indices[i + 1];
    const i2 = indices === null ? i + 2 : indices[i + 2];
    const a = weldOne(i0),
      b = weldOne(i1),
      c = weldOne(i2);
    if (a === b || b === c || a === c) continue;
    tris[t++] = a;
    tris[t++] = b;
    tris[t++] = c;
  }
  if (t === cornerCount) return { vertices: out.slice(0, unique * 3), triangles: tris };
  // Dropped triangles may have been the only users of some vertices: compact those away.
  const keep = new Int32Array(unique).fill(-1);
  let kept = 0;
  for (let i = 0; i < t; i++) if (keep[tris[i]] < 0) keep[tris[i]] = kept++;
  const vertices = new Float32Array(kept * 3);
  for (let id = 0; id < unique; id++) {
    const to = keep[id];
    if (to >= 0) vertices.set(out.subarray(id * 3, id * 3 + 3), to * 3);
  }
  const triangles = new Uint32Array(t);
  for (let i = 0; i < t; i++) triangles[i] = keep[tris[i]];
  return { vertices, triangles };
}
