// Glue to manifold-3d (WASM constructive solid geometry): one shared instance, scoped freeing of its
// objects (they live outside the JS heap), and conversion to and from our Mesh type.
import Module from 'manifold-3d';
import type { CrossSection, Manifold, ManifoldToplevel } from 'manifold-3d';
import type { Mesh } from '../mesh.js';

export type { CrossSection, Manifold, ManifoldToplevel };

let instance: Promise<ManifoldToplevel> | undefined;

/** The process-wide manifold-3d instance (compiled once; later calls reuse it). */
export function loadManifold(): Promise<ManifoldToplevel> {
  instance ??= Module().then((wasm) => {
    wasm.setup();
    return wasm;
  });
  return instance;
}

/**
 * Drops the shared instance after a WebAssembly trap (an out-of-bounds access inside manifold-3d leaves its heap in
 * an unknown state): the next loadManifold compiles a fresh one.
 */
export function discardManifold(): void {
  instance = undefined;
}

/** Thrown by a shape family when a draw is unusable (broke apart, too convex…): the caller redraws. */
export class RedrawError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedrawError';
  }
}

/**
 * Owns every WASM object made while building one shape, so a single `dispose()` frees them all even
 * when the build throws halfway (each transform or boolean allocates a new object).
 */
export class CsgScope {
  private readonly owned: Array<{ delete(): void }> = [];

  constructor(readonly wasm: ManifoldToplevel) {}

  keep<T extends { delete(): void }>(object: T): T {
    this.owned.push(object);
    return object;
  }

  dispose(): void {
    for (const o of this.owned) o.delete();
    this.owned.length = 0;
  }

  get Manifold(): ManifoldToplevel['Manifold'] {
    return this.wasm.Manifold;
  }

  cube(x: number, y: number, z: number): Manifold {
    return this.keep(this.wasm.Manifold.cube([x, y, z], true));
  }

  sphere(radius: number, segments = 32): Manifold {
    return this.keep(this.wasm.Manifold.sphere(radius, segments));
  }

  /** Cylinder (or cone when the radii differ) along z, centred at the origin. */
  cylinder(height: number, radiusLow: number, radiusHigh = radiusLow, segments = 48): Manifold {
    return this.keep(this.wasm.Manifold.cylinder(height, radiusLow, radiusHigh, segments, true));
  }

  /** Rotation (degrees, x then y then z about the global axes) followed by a translation. */
  place(m: Manifold, rotation: readonly [number, number, number], offset: readonly [number, number, number]): Manifold {
    return this.keep(
      this.keep(m.rotate([rotation[0], rotation[1], rotation[2]])).translate([offset[0], offset[1], offset[2]]),
    );
  }

  translate(m: Manifold, x: number, y: number, z: number): Manifold {
    return this.keep(m.translate([x, y, z]));
  }

  union(a: Manifold, b: Manifold): Manifold {
    return this.keep(a.add(b));
  }

  subtract(a: Manifold, b: Manifold): Manifold {
    return this.keep(a.subtract(b));
  }

  /** Closed polygon (counter-clockwise is enforced) as a 2-D cross-section. */
  polygon(points: ReadonlyArray<readonly [number, number]>): CrossSection {
    const pts = signedArea(points) < 0 ? points.slice().reverse() : points.slice();
    return this.keep(new this.wasm.CrossSection([pts.map(([x, y]) => [x, y] as [number, number])], 'Positive'));
  }

  /** A solid of revolution about z from a profile in the (radius, height) half-plane. */
  revolve(profile: ReadonlyArray<readonly [number, number]>, segments = 48): Manifold {
    return this.keep(this.polygon(profile).revolve(segments));
  }

  /** The largest connected piece by volume: booleans can cut a solid apart and an object must be one body. */
  largestPiece(m: Manifold): Manifold {
    const pieces = m.decompose();
    for (const p of pieces) this.keep(p);
    if (pieces.length === 0) throw new RedrawError('the solid is empty');
    let best = pieces[0];
    for (const p of pieces) if (p.volume() > best.volume()) best = p;
    return best;
  }
}

export function signedArea(points: ReadonlyArray<readonly [number, number]>): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[(i + 1) % points.length];
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

/** Our Mesh from a manifold: positions only, split vertices (property seams) merged back. */
export function manifoldToMesh(m: Manifold): Mesh {
  const g = m.getMesh();
  const np = g.numProp;
  const count = g.vertProperties.length / np;
  const target = new Int32Array(count);
  for (let i = 0; i < count; i++) target[i] = i;
  for (let k = 0; k < g.mergeFromVert.length; k++) target[g.mergeFromVert[k]] = g.mergeToVert[k];
  const newIndex = new Int32Array(count).fill(-1);
  let next = 0;
  for (let i = 0; i < count; i++) if (target[i] === i) newIndex[i] = next++;
  const vertices = new Float32Array(next * 3);
  for (let i = 0; i < count; i++) {
    const j = newIndex[i];
    if (j < 0) continue;
    vertices[3 * j] = g.vertProperties[i * np];
    vertices[3 * j + 1] = g.vertProperties[i * np + 1];
    vertices[3 * j + 2] = g.vertProperties[i * np + 2];
  }
  const triangles = new Uint32Array(g.triVerts.length);
  for (let i = 0; i < triangles.length; i++) triangles[i] = newIndex[target[g.triVerts[i]]];
  return { vertices, triangles };
}

/** A manifold from a closed, outward mesh (throws inside manifold-3d when it is not a 2-manifold). */
export function meshToManifold(scope: CsgScope, mesh: Mesh): Manifold {
  const m = new scope.wasm.Mesh({ numProp: 3, vertProperties: mesh.vertices, triVerts: mesh.triangles });
  return scope.keep(scope.wasm.Manifold.ofMesh(m));
}
