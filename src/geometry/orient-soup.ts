// Consistent outward orientation for a triangle soup before winding numbers are counted: neighbours across an edge
// shared by exactly two triangles are made to agree, then each connected part is turned so its signed volume is
// positive (a whole part exported inside out, or faces flipped one by one, both occur in real files).
import type { Mesh } from './mesh.js';

/** A copy of the soup with triangles re-oriented as above; vertices are shared, not copied. */
export function orientSoup(soup: Mesh): Mesh {
  const t = soup.triangles;
  const n = t.length / 3;
  // Directed edge key → triangles using the undirected edge (sorted pair), via a map of the smaller index.
  const edgeTris = new Map<number, number[]>();
  const nv = soup.vertices.length / 3;
  const key = (a: number, b: number): number => (a < b ? a * nv + b : b * nv + a);
  for (let f = 0; f < n; f++) {
    for (let e = 0; e < 3; e++) {
      const k = key(t[f * 3 + e], t[f * 3 + ((e + 1) % 3)]);
      const list = edgeTris.get(k);
      if (list === undefined) edgeTris.set(k, [f]);
      else list.push(f);
    }
  }
  const flip = new Uint8Array(n);
  const part = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const partVolumes: number[] = [];
  const v = soup.vertices;
  const hasEdge = (f: number, a: number, b: number): boolean => {
    for (let e = 0; e < 3; e++) if (t[f * 3 + e] === a && t[f * 3 + ((e + 1) % 3)] === b) return true;
    return false;
  };
  for (let seed = 0; seed < n; seed++) {
    if (part[seed] >= 0) continue;
    const id = partVolumes.length;
    let head = 0,
      tail = 0;
    queue[tail++] = seed;
    part[seed] = id;
    let volume = 0;
    while (head < tail) {
      const f = queue[head++];
      const a = t[f * 3] * 3,
        b = t[f * 3 + 1] * 3,
        c = t[f * 3 + 2] * 3;
      const det =
        v[a] * (v[b + 1] * v[c + 2] - v[b + 2] * v[c + 1]) -
        v[a + 1] * (v[b] * v[c + 2] - v[b + 2] * v[c]) +
        v[a + 2] * (v[b] * v[c + 1] - v[b + 1] * v[c]);
      volume += flip[f] ? -det : det;
      for (let e = 0; e < 3; e++) {
        // The edge as this triangle walks it once its flip is applied.
        let p = t[f * 3 + e],
          q = t[f * 3 + ((e + 1) % 3)];
        if (flip[f]) [p, q] = [q, p];
        const list = edgeTris.get(key(p, q))!;
        for (const g of list) {
          if (g === f) continue;
          if (part[g] < 0 && list.length === 2) {
            part[g] = id;
            // A consistent neighbour walks the shared edge the other way (q → p).
            flip[g] = hasEdge(g, p, q) ? 1 : 0;
            queue[tail++] = g;
          } else if (part[g] < 0) {
            // Non-manifold edges join parts without deciding orientation.
            part[g] = id;
            queue[tail++] = g;
          }
        }
      }
    }
    partVolumes.push(volume);
  }
  const out = new Uint32Array(t.length);
  for (let f = 0; f < n; f++) {
    const reverse = (flip[f] === 1) !== partVolumes[part[f]] < 0;
    out[f * 3] = t[f * 3];
    out[f * 3 + 1] = reverse ? t[f * 3 + 2] : t[f * 3 + 1];
    out[f * 3 + 2] = reverse ? t[f * 3 + 1] : t[f * 3 + 2];
  }
  return { vertices: soup.vertices, triangles: out };
}
