// Any triangle soup → one watertight solid: inside/outside votes on a grid, a signed distance near the surface
// (exact distances to the soup, the grid's sign), manifold-3d's levelSet, the largest part, then simplification
// to a triangle budget.
import { distanceGrid } from './distance-grid.js';
import { insideOutsideVotes, type GridSpec } from './inside-outside-grid.js';
import type { Mesh } from './mesh.js';
import { surfaceArea, triangleCross } from './mesh-properties.js';
import { orientSoup } from './orient-soup.js';
import { MeshDistance } from './mesh-distance.js';
import { decimate } from './decimate.js';
import {
  CsgScope,
  discardManifold,
  loadManifold,
  manifoldToMesh,
  meshToManifold,
  type Manifold,
} from './procedural/csg.js';

/** Default most grid nodes of the inside/outside field (RemeshOptions.maxNodes). */
export const REMESH_MAX_NODES = 12_000_000;

export interface RemeshOptions {
  /** Grid spacing (m, in the soup's units); the result's vertices sit within a fraction of it of the surface. */
  spacing: number;
  /** Most triangles the result may have; simplification stops there (default 20000). */
  maxTriangles?: number;
  /** Tolerance of the light simplification pass × 8 (m; default spacing / 4). */
  simplifyTolerance?: number;
  /** Thickness given to single-surface sheets (m; default 1.1 spacings with exact distances, 1.5 without: see
   * EXACT_SHEET). */
  sheetThickness?: number;
  /** Most grid nodes the field may use (default 12 M): a bigger object is refused, not swapped to disk. */
  maxNodes?: number;
  /**
   * Most grid edges the surface may cross at the level set's spacing (default 300 k; about the surface area over
   * the spacing squared). manifold-3d's level set keeps a hash table and a vertex array per grid vertex near the
   * surface inside its WASM heap, and traps ("memory access out of bounds") on a larger surface: a 0.40 m square
   * slab 4 cm thick (≈ 384 k crossings) passed at 1 mm, a 0.48 m one (≈ 538 k) trapped, measured. A larger
   * surface is remeshed on a grid coarsened just enough, which moves its sharp edges by up to about half the
   * coarser spacing (the distance to the source is measured afterwards either way).
   */
  maxCrossings?: number;
  /** Exact distances to the soup near the surface instead of the grid's trilinear ones (default true; exactSampler). */
  exactDistance?: boolean;
}

export interface RemeshResult {
  mesh: Mesh;
  /** Solid parts (positive volume) the level set produced before the largest was kept; cavities not counted. */
  parts: number;
  /** Volume of the kept part over all parts. */
  keptVolumeShare: number;
  /** Sum of the simplification tolerances and decimation error (m): about how far simplification moved the surface. */
  simplifyTolerance: number;
  /** Grid spacing the solid was built at (m): `spacing`, or coarser for a surface over `maxCrossings`. */
  spacing: number;
  /**
   * Share of the soup's area in sheets given `sheetThickness`: there the result lies half that thickness off the
   * source by construction (0.55 spacings with exact distances), and gaps between sheets narrower than about
   * the thickness plus a spacing are bridged.
   */
  sheetShare: number;
  /** Thickness given to sheets (m). */
  sheetThickness: number;
}

/** Thrown when a soup cannot become a solid (too big a grid, nothing inside): the message is the reason. */
export class RemeshError extends Error {
  override name = 'RemeshError';
}

/** Inverse golden ratio: the grid's offset from the soup's box, so grid lines do not run through axis-aligned edges. */
const OFFSET = 0.6180339887;
/** The field's cap in spacings: more than the half-diagonal of a cell, so a cell the surface crosses has no capped node. */
const CAP = 1.5;
/**
 * Sheet thickness in spacings. From the grid's trilinear field, 1.5: every grid line across a sheet then has a node
 * inside it (neighbouring nodes differ by at most one spacing in distance to the sheet). With exact distances the
 * level set samples its own lattice (the grid's nodes and cell centres), whose edges are at most one spacing long:
 * a slab thicker than that holds an end of every edge across it, so the thickened sheet has no hole; 1.1 leaves a
 * margin. The thinner slab keeps the result 0.55 spacings from a sheet instead of 0.75, and opens gaps between
 * neighbouring sheets (leaves, cloth folds) that the thicker slabs bridged.
 */
const GRID_SHEET = 1.5;
const EXACT_SHEET = 1.1;
/** Votes (of 6 half-lines) that make a node inside: ties go inside, closing holes rather than opening them. */
const INSIDE_VOTES = 3;

/** Grid covering the soup with a margin of two spacings. */
export function gridAround(soup: Mesh, spacing: number): GridSpec {
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  const v = soup.vertices;
  for (let i = 0; i < v.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      lo[k] = Math.min(lo[k], v[i + k]);
      hi[k] = Math.max(hi[k], v[i + k]);
    }
  }
  const origin = lo.map((x) => x - (2 + OFFSET * 0.5) * spacing) as [number, number, number];
  const size = hi.map((x, k) => Math.ceil((x - origin[k]) / spacing) + 3) as [number, number, number];
  return { origin, spacing, size };
}

/**
 * Signed field on the grid: inside positive, magnitude the distance to the soup, capped at 1.5 spacings. Across a
 * closed hole the sign flips where no surface is, and the level set lands midway between the nodes there.
 * Sheets (triangles with outside on both sides: a pane, a leaf, a cloth modelled as one surface) enclose nothing,
 * so they are given a thickness of `sheetThickness` instead of vanishing.
 */
export function signedField(soup: Mesh, grid: GridSpec, sheetThickness: number): Float32Array {
  return signedFields(soup, grid, sheetThickness).field;
}

export interface SignedFields {
  /** The signed field, sheets thickened. */
  field: Float32Array;
  /** The same before the sheets were thickened (its sign is the votes'). */
  solid: Float32Array;
  /** The sheet triangles (none when `sheetThickness` is 0). */
  sheets: Mesh;
}

/** signedField with its parts: the field before sheets were thickened, and the sheet triangles. */
export function signedFields(soup: Mesh, grid: GridSpec, sheetThickness: number): SignedFields {
  const { votes } = insideOutsideVotes(soup, grid, { nearNodes: 0 });
  const solid = distanceGrid(soup, grid, CAP * grid.spacing);
  for (let node = 0; node < votes.length; node++) if (votes[node] < INSIDE_VOTES) solid[node] = -solid[node];
  const sheets = sheetTriangles(soup, grid, votes);
  if (sheets.triangles.length === 0 || !(sheetThickness > 0)) {
    return { field: solid, solid, sheets: { vertices: soup.vertices, triangles: new Uint32Array(0) } };
  }
  const field = solid.slice();
  const half = sheetThickness / 2;
  const near = distanceGrid(sheets, grid, CAP * grid.spacing);
  for (let node = 0; node < field.length; node++) field[node] = Math.max(field[node], half - near[node]);
  return { field, solid, sheets };
}

/** Inside votes at a point (nearest node); 0 outside the grid. */
function votesAt(votes: Uint8Array, grid: GridSpec, x: number, y: number, z: number): number {
  const i = Math.round((x - grid.origin[0]) / grid.spacing),
    j = Math.round((y - grid.origin[1]) / grid.spacing),
    k = Math.round((z - grid.origin[2]) / grid.spacing);
  const [nx, ny, nz] = grid.size;
  if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return 0;
  return votes[i + nx * (j + ny * k)];
}

/** The triangles with outside on both sides, 1.5 spacings off their centroid along the normal. */
function sheetTriangles(soup: Mesh, grid: GridSpec, votes: Uint8Array): Mesh {
  const v = soup.vertices,
    t = soup.triangles;
  const kept: number[] = [];
  const off = 1.5 * grid.spacing;
  const cross = new Float64Array(3);
  for (let f = 0; f < t.length; f += 3) {
    const a = t[f] * 3,
      b = t[f + 1] * 3,
      c = t[f + 2] * 3;
    triangleCross(v, a, b, c, cross);
    let nx = cross[0],
      ny = cross[1],
      nz = cross[2];
    const len = Math.hypot(nx, ny, nz);
    if (len === 0) continue;
    nx *= off / len;
    ny *= off / len;
    nz *= off / len;
    const cx = (v[a] + v[b] + v[c]) / 3,
      cy = (v[a + 1] + v[b + 1] + v[c + 1]) / 3,
      cz = (v[a + 2] + v[b + 2] + v[c + 2]) / 3;
    const front = votesAt(votes, grid, cx + nx, cy + ny, cz + nz);
    const back = votesAt(votes, grid, cx - nx, cy - ny, cz - nz);
    if (front < INSIDE_VOTES && back < INSIDE_VOTES) kept.push(t[f], t[f + 1], t[f + 2]);
  }
  return { vertices: soup.vertices, triangles: Uint32Array.from(kept) };
}

/** Grid edges (between neighbouring nodes along x, y or z) whose ends lie on opposite sides of the surface. */
export function surfaceCrossings(field: Float32Array, grid: GridSpec): number {
  const [nx, ny, nz] = grid.size;
  let crossings = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const row = nx * (j + ny * k);
      for (let i = 0; i < nx; i++) {
        const n = row + i;
        const inside = field[n] > 0;
        if (i + 1 < nx && field[n + 1] > 0 !== inside) crossings++;
        if (j + 1 < ny && field[n + nx] > 0 !== inside) crossings++;
        if (k + 1 < nz && field[n + nx * ny] > 0 !== inside) crossings++;
      }
    }
  return crossings;
}

/** Trilinear interpolation of the grid field (outside the grid: the cap, negative). */
export function sampler(field: Float32Array, grid: GridSpec): (p: [number, number, number]) => number {
  const [nx, ny, nz] = grid.size;
  const h = grid.spacing;
  const outside = -CAP * h;
  return (p) => {
    const x = (p[0] - grid.origin[0]) / h,
      y = (p[1] - grid.origin[1]) / h,
      z = (p[2] - grid.origin[2]) / h;
    const i = Math.floor(x),
      j = Math.floor(y),
      k = Math.floor(z);
    if (i < 0 || j < 0 || k < 0 || i >= nx - 1 || j >= ny - 1 || k >= nz - 1) return outside;
    const fx = x - i,
      fy = y - j,
      fz = z - k;
    const n = i + nx * (j + ny * k);
    const sx = 1,
      sy = nx,
      sz = nx * ny;
    const c00 = field[n] * (1 - fx) + field[n + sx] * fx;
    const c10 = field[n + sy] * (1 - fx) + field[n + sy + sx] * fx;
    const c01 = field[n + sz] * (1 - fx) + field[n + sz + sx] * fx;
    const c11 = field[n + sz + sy] * (1 - fx) + field[n + sz + sy + sx] * fx;
    return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
  };
}

/**
 * The level set's function with exact magnitudes near the surface: the sign of the trilinear field (the votes decide
 * inside), the distance to the nearest soup triangle as the magnitude, sheets thickened the same way. The level set
 * places each vertex by linear interpolation between two samples; trilinear magnitudes are wrong wherever the
 * distance is not linear across a cell (around edges, corners and curved surfaces, and where the cap cuts in), so
 * vertices land off the surface there. Far from the surface (the field at the cap) the grid answers alone.
 */
export function exactSampler(
  fields: SignedFields,
  soup: Mesh,
  grid: GridSpec,
  sheetThickness: number,
): (p: [number, number, number]) => number {
  const cap = CAP * grid.spacing;
  const field = sampler(fields.field, grid);
  const solid = fields.field === fields.solid ? field : sampler(fields.solid, grid);
  const onSoup = new MeshDistance(soup);
  const onSheets = fields.sheets.triangles.length > 0 ? new MeshDistance(fields.sheets) : undefined;
  const half = sheetThickness / 2;
  // The field is stored in single precision.
  const slack = 1e-5 * grid.spacing;
  const floor = onSheets === undefined ? -cap : Math.max(-cap, half - cap);
  return (p) => {
    // At the floor or the cap, every node of the cell is more than the cap from the surface: far.
    const f = field(p);
    if (f <= floor + slack || f >= cap - slack) return f;
    // Where the votes flip with no surface near (a closed hole), the exact distance is large on both sides and
    // would place the patch by the rim's geometry, sagging it; the grid's smaller ramp keeps it midway.
    const t = solid(p);
    const d = Math.min(onSoup.nearest(p[0], p[1], p[2]).distance, Math.abs(t));
    let value = t > 0 ? d : -d;
    if (onSheets !== undefined)
      value = Math.max(value, half - Math.min(onSheets.nearest(p[0], p[1], p[2]).distance, cap));
    return value;
  };
}

/** Area of `part`'s triangles over that of `whole`'s (0 for a whole without area). */
function areaShare(part: Mesh, whole: Mesh): number {
  const total = surfaceArea(whole);
  return total > 0 ? surfaceArea(part) / total : 0;
}

/** Remeshes a soup (any orientation, holes, overlaps, several parts) into one closed, outward 2-manifold. */
export async function remeshSolid(soup: Mesh, options: RemeshOptions): Promise<RemeshResult> {
  const maxTriangles = options.maxTriangles ?? 20000;
  const maxNodes = options.maxNodes ?? REMESH_MAX_NODES;
  const maxCrossings = options.maxCrossings ?? 300_000;
  const oriented = orientSoup(soup);
  let spacing = options.spacing;
  const exact = options.exactDistance ?? true;
  let grid: GridSpec, fields: SignedFields, field: Float32Array, sheetThickness: number;
  for (;;) {
    grid = gridAround(soup, spacing);
    const nodes = grid.size[0] * grid.size[1] * grid.size[2];
    if (nodes > maxNodes) {
      const dims = grid.size.map((s) => (s * spacing).toFixed(2)).join(' × ');
      throw new RemeshError(`too large for a ${spacing * 1000} mm grid (${dims} m, ${nodes} nodes > ${maxNodes})`);
    }
    sheetThickness = options.sheetThickness ?? (exact ? EXACT_SHEET : GRID_SHEET) * spacing;
    fields = signedFields(oriented, grid, sheetThickness);
    field = fields.field;
    const crossings = surfaceCrossings(field, grid);
    if (crossings <= maxCrossings) break;
    // Crossings scale with the inverse square of the spacing; 5 % more keeps the rebuilt grid under the bound.
    spacing *= 1.05 * Math.sqrt(crossings / maxCrossings);
  }
  const sample = exact ? exactSampler(fields, oriented, grid, sheetThickness) : sampler(field, grid);
  const wasm = await loadManifold();
  const scope = new CsgScope(wasm);
  let trapped = false;
  try {
    const far = grid.size.map((s, k) => grid.origin[k] + (s - 1) * spacing);
    const bounds = { min: grid.origin, max: far as [number, number, number] };
    let solid: Manifold;
    try {
      solid = scope.keep(wasm.Manifold.levelSet(sample, bounds, spacing, 0));
    } catch (err) {
      // A trap inside manifold-3d (seen once in 105 furniture models, on a large grid) fails this object only.
      if (!(err instanceof Error) || err.name !== 'RuntimeError') throw err;
      trapped = true;
      discardManifold();
      throw new RemeshError(`manifold-3d's level set failed (${err.message})`);
    }
    if (solid.isEmpty()) throw new RemeshError('encloses no volume (an open sheet or a soup with no inside)');
    const parts = solid.decompose().map((m) => scope.keep(m));
    let best: Manifold = parts[0];
    // Shells of negative volume are cavities inside an outer shell (a closed cupboard's inside): keeping only the
    // largest shell fills its cavities, which drops no material, so they count neither as parts nor in the total.
    let total = 0,
      solids = 0;
    for (const part of parts) {
      if (part.volume() > 0) {
        total += part.volume();
        solids++;
      }
      if (part.volume() > best.volume()) best = part;
    }
    // A light pass always (the level set leaves slivers and over-tessellated flat regions). Over budget, a
    // quadric-error decimator (meshoptimizer) takes it to the budget, moving the surface least where it is curved;
    // manifold-3d's own simplify only collapses short edges, and repeating it with doubling tolerances moved
    // thin-walled furniture by 4–7 mm and overshot the budget threefold. The decimated mesh goes back through
    // manifold-3d, which refuses anything that is not a closed 2-manifold; then the old passes are the fallback.
    let tolerance = (options.simplifyTolerance ?? spacing / 4) / 8;
    let kept = scope.keep(best.simplify(tolerance));
    if (kept.numTri() > maxTriangles) {
      const decimated = await decimate(manifoldToMesh(kept), maxTriangles);
      let valid: Manifold | undefined;
      try {
        valid = meshToManifold(scope, decimated.mesh);
      } catch {
        valid = undefined;
      }
      if (valid !== undefined && valid.numTri() <= maxTriangles && valid.volume() > 0) {
        kept = valid;
        tolerance += decimated.error;
      }
    }
    let tol = tolerance;
    while (kept.numTri() > maxTriangles) {
      tol *= 2;
      kept = scope.keep(kept.simplify(tol));
      tolerance += tol;
    }
    const mesh = manifoldToMesh(kept);
    return {
      mesh,
      parts: solids,
      keptVolumeShare: best.volume() / total,
      simplifyTolerance: tolerance,
      spacing,
      sheetShare: areaShare(fields.sheets, oriented),
      sheetThickness,
    };
  } finally {
    // After a trap the instance is discarded with everything in it.
    if (!trapped) scope.dispose();
  }
}
