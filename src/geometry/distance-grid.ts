// Unsigned distance from grid nodes to a triangle soup, exact within a cap and clamped beyond it: each triangle
// visits the nodes of its box grown by the cap, so the cost follows the surface area, not the grid volume.
import type { GridSpec } from './inside-outside-grid.js';
import type { Mesh } from './mesh.js';

/** Squared distance from p to triangle abc (Ericson, Real-Time Collision Detection §5.1.5). */
export function pointTriangleDistanceSquared(
  px: number,
  py: number,
  pz: number,
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
  cx: number,
  cy: number,
  cz: number,
): number {
  const abx = bx - ax,
    aby = by - ay,
    abz = bz - az;
  const acx = cx - ax,
    acy = cy - ay,
    acz = cz - az;
  const apx = px - ax,
    apy = py - ay,
    apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz;
  const d2 = acx * apx + acy * apy + acz * apz;
  let qx: number, qy: number, qz: number;
  if (d1 <= 0 && d2 <= 0) {
    qx = ax;
    qy = ay;
    qz = az;
  } else {
    const bpx = px - bx,
      bpy = py - by,
      bpz = pz - bz;
    const d3 = abx * bpx + aby * bpy + abz * bpz;
    const d4 = acx * bpx + acy * bpy + acz * bpz;
    const cpx = px - cx,
      cpy = py - cy,
      cpz = pz - cz;
    const d5 = abx * cpx + aby * cpy + abz * cpz;
    const d6 = acx * cpx + acy * cpy + acz * cpz;
    const vc = d1 * d4 - d3 * d2;
    const vb = d5 * d2 - d1 * d6;
    const va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) {
      qx = bx;
      qy = by;
      qz = bz;
    } else if (d6 >= 0 && d5 <= d6) {
      qx = cx;
      qy = cy;
      qz = cz;
    } else if (vc <= 0 && d1 >= 0 && d3 <= 0) {
      const v = d1 / (d1 - d3);
      qx = ax + v * abx;
      qy = ay + v * aby;
      qz = az + v * abz;
    } else if (vb <= 0 && d2 >= 0 && d6 <= 0) {
      const w = d2 / (d2 - d6);
      qx = ax + w * acx;
      qy = ay + w * acy;
      qz = az + w * acz;
    } else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      const w = (d4 - d3) / (d4 - d3 + (d5 - d6));
      qx = bx + w * (cx - bx);
      qy = by + w * (cy - by);
      qz = bz + w * (cz - bz);
    } else {
      const denom = 1 / (va + vb + vc);
      const v = vb * denom,
        w = vc * denom;
      qx = ax + abx * v + acx * w;
      qy = ay + aby * v + acy * w;
      qz = az + abz * v + acz * w;
    }
  }
  const dx = px - qx,
    dy = py - qy,
    dz = pz - qz;
  return dx * dx + dy * dy + dz * dz;
}

/** Distance from every node to the soup, min(distance, cap). */
export function distanceGrid(soup: Mesh, grid: GridSpec, cap: number): Float32Array {
  const [nx, ny, nz] = grid.size;
  const h = grid.spacing;
  const [ox, oy, oz] = grid.origin;
  const out = new Float32Array(nx * ny * nz).fill(cap * cap);
  const v = soup.vertices,
    t = soup.triangles;
  for (let f = 0; f < t.length; f += 3) {
    const a = t[f] * 3,
      b = t[f + 1] * 3,
      c = t[f + 2] * 3;
    const ax = v[a],
      ay = v[a + 1],
      az = v[a + 2];
    const bx = v[b],
      by = v[b + 1],
      bz = v[b + 2];
    const cx = v[c],
      cy = v[c + 1],
      cz = v[c + 2];
    // Unit normal, for skipping nodes far from the triangle's plane before the full test.
    let nxv = (by - ay) * (cz - az) - (bz - az) * (cy - ay);
    let nyv = (bz - az) * (cx - ax) - (bx - ax) * (cz - az);
    let nzv = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    const len = Math.hypot(nxv, nyv, nzv);
    const planar = len > 0;
    if (planar) {
      nxv /= len;
      nyv /= len;
      nzv /= len;
    }
    const i0 = Math.max(0, Math.ceil((Math.min(ax, bx, cx) - cap - ox) / h));
    const i1 = Math.min(nx - 1, Math.floor((Math.max(ax, bx, cx) + cap - ox) / h));
    const j0 = Math.max(0, Math.ceil((Math.min(ay, by, cy) - cap - oy) / h));
    const j1 = Math.min(ny - 1, Math.floor((Math.max(ay, by, cy) + cap - oy) / h));
    const k0 = Math.max(0, Math.ceil((Math.min(az, bz, cz) - cap - oz) / h));
    const k1 = Math.min(nz - 1, Math.floor((Math.max(az, bz, cz) + cap - oz) / h));
    for (let k = k0; k <= k1; k++) {
      const pz = oz + k * h;
      for (let j = j0; j <= j1; j++) {
        const py = oy + j * h;
        const row = nx * (j + ny * k);
        for (let i = i0; i <= i1; i++) {
          const px = ox + i * h;
          if (planar) {
            const plane = (px - ax) * nxv + (py - ay) * nyv + (pz - az) * nzv;
            if (plane * plane >= out[row + i]) continue;
          }
          const d2 = pointTriangleDistanceSquared(px, py, pz, ax, ay, az, bx, by, bz, cx, cy, cz);
          if (d2 < out[row + i]) out[row + i] = d2;
        }
      }
    }
  }
  for (let n = 0; n < out.length; n++) out[n] = Math.sqrt(out[n]);
  return out;
}
