// A triangle soup from any file → one watertight solid at its final scale, with the numbers that say how faithful
// it is: the scale rule sizes the soup, the remesher builds the solid at a fixed grid spacing of that final scale,
// the largest part is kept and the rule applied again to it, and the result is compared with the source surface.
import type { Mesh } from './mesh.js';
import { separateCoincident } from './coincident-vertices.js';
import { MAX_EXTENT } from './mesh-checks.js';
import { boundingBoxExtents, meshVolume, scaleMesh } from './mesh-properties.js';
import { formatScaleRule, scaleFactor, type ScaleRule } from './object-scale.js';
import { remeshSolid, RemeshError } from './remesh.js';
import { surfaceDistance, type SurfaceDistanceReport } from './surface-distance.js';

/** Largest extent an imported object may have at its final scale (m): what every command accepts (mesh-checks.ts). */
export const MAX_IMPORT_EXTENT = MAX_EXTENT;

export interface SolidImportOptions {
  rule: ScaleRule;
  /** Grid spacing at the final scale (m; default 1 mm). */
  spacing?: number;
  /** Triangle budget of the result (default 20000). */
  maxTriangles?: number;
  /** Seed of the surface samples that measure the distance to the source. */
  seed?: number;
}

export interface ImportedSolid {
  mesh: Mesh;
  /** Factor from the source file's units to the result. */
  scale: number;
  volume: number;
  triangles: number;
  /** Parts the remesher found; only the largest is kept. */
  parts: number;
  keptVolumeShare: number;
  /** Share of the source's area thickened as sheets, and the thickness (m, final scale): remesh.ts. */
  sheetShare: number;
  sheetThickness: number;
  /** Grid spacing the solid was built at (m): `spacing`, or coarser for a very large surface (remesh.ts). */
  gridSpacing: number;
  distance: SurfaceDistanceReport;
}

/** A soup that cannot become a usable solid; the message is the one-line reason. */
export class ImportRejection extends Error {
  override name = 'ImportRejection';
}

/** Rejects an object whose largest extent at its final scale exceeds MAX_IMPORT_EXTENT. */
function checkLargestExtent(largest: number, rule: ScaleRule): void {
  if (largest > MAX_IMPORT_EXTENT) {
    // Two decimals would print 0.50 for 0.5004: three then, so the reason never reads as "0.50, at most 0.5".
    const digits = largest.toFixed(2) === MAX_IMPORT_EXTENT.toFixed(2) ? 3 : 2;
    throw new ImportRejection(
      `${largest.toFixed(digits)} m across at ${formatScaleRule(rule)} (a flat or long object); at most ${MAX_IMPORT_EXTENT} m`,
    );
  }
}

/** Remeshes `soup` (in its file's units) into one watertight solid sized by `options.rule`. */
export async function importSolid(soup: Mesh, options: SolidImportOptions): Promise<ImportedSolid> {
  const spacing = options.spacing ?? 0.001;
  const maxTriangles = options.maxTriangles ?? 20000;
  const extents = boundingBoxExtents(soup);
  if (!(Math.min(...extents) > 0) && options.rule.kind !== 'none') {
    throw new ImportRejection('flat: the bounding box has no thickness in some direction');
  }
  let scale = scaleFactor(extents, options.rule);
  // Twice at most: when the largest part is smaller than the whole soup, the rule enlarges it, and the grid is
  // rebuilt so its spacing is still `spacing` at the final size.
  for (let attempt = 0; ; attempt++) {
    checkLargestExtent(Math.max(...extents) * scale, options.rule);
    let remeshed;
    try {
      remeshed = await remeshSolid(scaleMesh(soup, scale), { spacing, maxTriangles });
    } catch (err) {
      if (err instanceof RemeshError) throw new ImportRejection(err.message);
      throw err;
    }
    const again = scaleFactor(boundingBoxExtents(remeshed.mesh), options.rule);
    if (again > 1.05 && attempt === 0) {
      scale *= again;
      continue;
    }
    const final = again === 1 ? remeshed.mesh : scaleMesh(remeshed.mesh, again);
    // Written and read back, pinch points would weld into non-manifold edges: keep them apart.
    const mesh: Mesh = { vertices: separateCoincident(final), triangles: final.triangles };
    // The solid can come out a little larger than the soup's box (a sheet given thickness, the rule applied again to
    // the kept part): checked once more at its final size, with the same reason as above.
    checkLargestExtent(Math.max(...boundingBoxExtents(mesh)), options.rule);
    scale *= again;
    const distance = surfaceDistance(mesh, scaleMesh(soup, scale), { tolerance: spacing, seed: options.seed ?? 1 });
    return {
      mesh,
      scale,
      volume: meshVolume(mesh),
      triangles: mesh.triangles.length / 3,
      parts: remeshed.parts,
      keptVolumeShare: remeshed.keptVolumeShare,
      sheetShare: remeshed.sheetShare,
      sheetThickness: remeshed.sheetThickness * again,
      gridSpacing: remeshed.spacing,
      distance,
    };
  }
}
