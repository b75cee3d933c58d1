// Which points of a regular grid lie inside a triangle soup that may be open, self-intersecting, overlapping or
// made of several parts: winding numbers counted along grid lines in the three axis directions, from both ends
// of each line, vote. A hole spoils only the half-lines through it, so the majority stays right; overlapping
// parts count twice (still inside); a cavity's inward shell cancels (outside). Exact for a closed, oriented soup.
import type { Mesh } from './mesh.js';

export interface GridSpec {
  /** Position of node (0, 0, 0). */
  origin: [number, number, number];
  /** Node spacing (m). */
  spacing: number;
  /** Nodes per axis. */
  size: [number, number, number];
}

/** Node index of (i, j, k): x fastest. */
export const nodeIndex = (grid: GridSpec, i: number, j: number, k: number): number =>
  i + grid.size[0] * (j + grid.size[1] * k);

export interface InsideOutside {
  /** Per node, how many of the six half-line winding numbers say inside (|w| ≥ 1). */
  votes: Uint8Array;
  /** Per node, 1 when a surface crossing lies within `nearNodes` nodes along some axis line. */
  near: Uint8Array;
}

/**
 * Counts, for every node of `grid`, the half-lines (±x, ±y, ±z) whose signed crossing count says inside, and marks
 * nodes that lie close to the surface along a grid line (within `nearNodes` spacings of a crossing).
 * The soup should be oriented so each closed part has positive volume (see orientSoup).
 */
export function insideOutsideVotes(soup: Mesh, grid: GridSpec, options: { nearNodes?: number } = {}): InsideOutside {
  const nearNodes = options.nearNodes ?? 3;
  const total = grid.size[0] * grid.size[1] * grid.size[2];
  const votes = new Uint8Array(total);
  const near = new Uint8Array(total);
  const stride = [1, grid.size[0], grid.size[0] * grid.size[1]];
  const v = soup.vertices,
    t = soup.triangles;
  const triCount = t.length / 3;
  for (let axis = 0; axis < 3; axis++) {
    const u = (axis + 1) % 3,
      w = (axis + 2) % 3;
    const nu = grid.size[u],
      nw = grid.size[w],
      na = grid.size[axis];
    const lineCount = nu * nw;
    // Two passes over the triangles: count crossings per line, then store them (position along the line, sign).
    const counts = new Uint32Array(lineCount + 1);
    const pass = (store: ((line: number, at: number, sign: number) => void) | null): void => {
      for (let f = 0; f < triCount; f++) {
        const a = t[f * 3] * 3,
          b = t[f * 3 + 1] * 3,
          c = t[f * 3 + 2] * 3;
        const au = v[a + u],
          aw = v[a + w],
          bu = v[b + u],
          bw = v[b + w],
          cu = v[c + u],
          cw = v[c + w];
        // Twice the projected area; its sign is the triangle's facing along the axis.
        const area = (bu - au) * (cw - aw) - (bw - aw) * (cu - au);
        if (area === 0) continue;
        const sign = area > 0 ? 1 : -1;
        const j0 = Math.max(0, Math.ceil((Math.min(au, bu, cu) - grid.origin[u]) / grid.spacing));
        const j1 = Math.min(nu - 1, Math.floor((Math.max(au, bu, cu) - grid.origin[u]) / grid.spacing));
        const k0 = Math.max(0, Math.ceil((Math.min(aw, bw, cw) - grid.origin[w]) / grid.spacing));
        const k1 = Math.min(nw - 1, Math.floor((Math.max(aw, bw, cw) - grid.origin[w]) / grid.spacing));
        for (let k = k0; k <= k1; k++) {
          const pw = grid.origin[w] + k * grid.spacing;
          for (let j = j0; j <= j1; j++) {
            const pu = grid.origin[u] + j * grid.spacing;
            // Barycentric weights by edge functions. A line exactly through an edge would count for both triangles;
            // callers offset the grid by an irrational fraction of a spacing so that does not happen on real data.
            const e0 = (bu - pu) * (cw - pw) - (bw - pw) * (cu - pu);
            const e1 = (cu - pu) * (aw - pw) - (cw - pw) * (au - pu);
            const e2 = (au - pu) * (bw - pw) - (aw - pw) * (bu - pu);
            if (sign > 0 ? e0 < 0 || e1 < 0 || e2 < 0 : e0 > 0 || e1 > 0 || e2 > 0) continue;
            const line = j + nu * k;
            if (store === null) counts[line + 1]++;
            else store(line, (e0 * v[a + axis] + e1 * v[b + axis] + e2 * v[c + axis]) / area, sign);
          }
        }
      }
    };
    pass(null);
    for (let i = 0; i < lineCount; i++) counts[i + 1] += counts[i];
    const at = new Float64Array(counts[lineCount]);
    const signs = new Int8Array(counts[lineCount]);
    const fill = counts.slice(0, lineCount);
    pass((line, position, sign) => {
      const slot = fill[line]++;
      at[slot] = position;
      signs[slot] = sign;
    });
    for (let line = 0; line < lineCount; line++) {
      const start = counts[line],
        end = counts[line + 1];
      const j = line % nu,
        k = (line - j) / nu;
      const base = j * stride[u] + k * stride[w];
      if (start === end) continue; // no crossing: every vote on this line says outside
      // Insertion sort: lines hold few crossings.
      for (let p = start + 1; p < end; p++) {
        const x = at[p],
          s = signs[p];
        let q = p - 1;
        for (; q >= start && at[q] > x; q--) {
          at[q + 1] = at[q];
          signs[q + 1] = signs[q];
        }
        at[q + 1] = x;
        signs[q + 1] = s;
      }
      let sum = 0;
      for (let p = start; p < end; p++) sum += signs[p];
      let p = start,
        before = 0;
      for (let i = 0; i < na; i++) {
        const x = grid.origin[axis] + i * grid.spacing;
        while (p < end && at[p] < x) before += signs[p++];
        const node = base + i * stride[axis];
        // Entering an outward surface along +axis crosses a face whose projection is negative.
        if (-before !== 0) votes[node]++;
        if (sum - before !== 0) votes[node]++;
      }
      for (let q = start; q < end; q++) {
        const centre = Math.round((at[q] - grid.origin[axis]) / grid.spacing);
        const i0 = Math.max(0, centre - nearNodes),
          i1 = Math.min(na - 1, centre + nearNodes);
        for (let i = i0; i <= i1; i++) near[base + i * stride[axis]] = 1;
      }
    }
  }
  return { votes, near };
}
