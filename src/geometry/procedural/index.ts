// Procedural object generator: a registry of shape families and a seeded, self-checking generator of
// object sets (training or held-out), so datasets never depend on downloaded meshes.
import type { Mesh } from '../mesh.js';
import { boundingBoxExtents, centerMesh, isWatertight, massProperties, rescaleMesh } from '../mesh-properties.js';
import { Random } from '../../core/random.js';
import { applyScaleRule, DEFAULT_SCALE_RULE, parseScaleRule, type ScaleRule } from '../object-scale.js';
import { stablePoses } from '../stable-poses.js';
import { bracket } from './bracket.js';
import { composition } from './composition.js';
import { CsgScope, loadManifold, manifoldToMesh, RedrawError, type Manifold } from './csg.js';
import { extrusion, twisted } from './extrusion.js';
import { holes } from './holes.js';
import { mug } from './mug.js';
import { revolved } from './revolved.js';
import { superquadric } from './superquadric.js';
import { FAMILIES, HOLDOUT_FAMILIES, TRAINING_FAMILIES, isFamilyName, type FamilyName } from './families.js';

export { loadManifold, RedrawError } from './csg.js';
export { superquadricMesh } from './superquadric.js';
export { randomStarPolygon } from './extrusion.js';
export { COMPOSITION_MIN_HULL_RATIO } from './composition.js';
export {
  manifestFromObjects,
  readObjectManifest,
  writeObjectManifest,
  type ObjectManifest,
  type ObjectManifestEntry,
} from './manifest.js';

/** Builds one raw solid (arbitrary scale, any placement) from the generator's current state. */
export type ShapeFamilyBuilder = (rng: Random, scope: CsgScope, options?: Record<string, unknown>) => Manifold;

export { FAMILIES, HOLDOUT_FAMILIES, TRAINING_FAMILIES, isFamilyName, type FamilyName } from './families.js';

const BUILDERS: Record<FamilyName, ShapeFamilyBuilder> = {
  superquadric: (rng, scope, o) => superquadric(rng, scope, o),
  extrusion: (rng, scope, o) => extrusion(rng, scope, o),
  revolved: (rng, scope, o) => revolved(rng, scope, o),
  holes: (rng, scope, o) => holes(rng, scope, o),
  mug: (rng, scope, o) => mug(rng, scope, o),
  composition: (rng, scope, o) => composition(rng, scope, o),
  twisted: (rng, scope, o) => twisted(rng, scope, o),
  bracket: (rng, scope, o) => bracket(rng, scope, o),
};

/**
 * Largest-extent range of the legacy sizing (`scale: 'legacy'`): what objects were drawn at before the Dex-Net rule.
 * The draw is made under every rule, so a seed gives the same shape whatever its size.
 */
export const EXTENT_RANGE: readonly [number, number] = [0.04, 0.1];

/** How generated objects are sized: a scale rule (default Dex-Net's smallest extent 4 cm), or the legacy 4–10 cm draw. */
export type ShapeScale = ScaleRule | 'legacy';

/** The default sizing of procedural objects: Dex-Net's rule (gripper opening is irrelevant for `min`). */
export const DEFAULT_SHAPE_SCALE: ScaleRule = parseScaleRule(DEFAULT_SCALE_RULE, 0.05);
/** Triangle budget: coarse meshes are refined up to the floor; draws above the ceiling are redrawn. */
export const TRIANGLE_RANGE: readonly [number, number] = [500, 20000];

/**
 * One object of `family` from `seed`, watertight and outward, centred at its centre of mass and sized by `scale`
 * (default Dex-Net's: smallest bounding-box extent 4 cm, largest free; `'legacy'`: largest extent drawn uniformly
 * from EXTENT_RANGE). Throws RedrawError when the draw is unusable (the set generator then moves on to a derived
 * seed). Not checked for grasps.
 */
export async function generateShape(
  family: FamilyName,
  seed: number,
  options: Record<string, unknown> = {},
  scale: ShapeScale = DEFAULT_SHAPE_SCALE,
): Promise<Mesh> {
  const scope = new CsgScope(await loadManifold());
  try {
    const rng = new Random(seed);
    const extent = rng.uniform(EXTENT_RANGE[0], EXTENT_RANGE[1]);
    let solid = BUILDERS[family](rng, scope, options);
    if (solid.status() !== 'NoError') throw new RedrawError(`manifold-3d reported ${solid.status()}`);
    if (solid.isEmpty()) throw new RedrawError('the solid is empty');
    const tris = solid.numTri();
    if (tris < TRIANGLE_RANGE[0]) solid = scope.keep(solid.refine(Math.ceil(Math.sqrt(TRIANGLE_RANGE[0] / tris))));
    const raw = manifoldToMesh(solid);
    // Scale first, then centre: centring only translates, so the extents stay exact.
    if (scale === 'legacy') return centerMesh(rescaleMesh(raw, extent));
    return centerMesh(applyScaleRule(raw, scale).mesh);
  } finally {
    scope.dispose();
  }
}

/** An extra acceptance test (e.g. "has an antipodal grasp"): a reason to reject, or null to accept. */
export type ObjectCheck = (mesh: Mesh, seed: number) => string | null;

/** The geometric checks every object passes: watertight, positive volume, triangle budget, stable poses. */
export function checkShape(mesh: Mesh): string | null {
  if (!isWatertight(mesh)) return 'not watertight';
  const { volume } = massProperties(mesh);
  if (!(volume > 0)) return `non-positive volume ${volume}`;
  const tris = mesh.triangles.length / 3;
  if (tris > TRIANGLE_RANGE[1]) return `${tris} triangles (over ${TRIANGLE_RANGE[1]})`;
  try {
    if (stablePoses(mesh).length === 0) return 'no stable pose';
  } catch (err) {
    return `stable poses failed: ${(err as Error).message}`;
  }
  return null;
}

export interface ProceduralObject {
  id: string;
  family: FamilyName;
  /** The seed that reproduces this object: `generateShape(family, seed)`. */
  seed: number;
  mesh: Mesh;
  /** Largest bounding-box extent (m). */
  extent: number;
  /** Smallest bounding-box extent (m). */
  minExtent: number;
  /** Enclosed volume (m³). */
  volume: number;
  triangles: number;
}

export interface GenerateObjectsOptions {
  count: number;
  seed: number;
  /** Families to cycle through (object i is families[i mod n]); default TRAINING_FAMILIES, or HOLDOUT_FAMILIES with `holdout`. */
  families?: readonly FamilyName[];
  /** Draw a held-out set: a separate seed stream and, by default, the held-out families. */
  holdout?: boolean;
  /** Extra acceptance test after the geometric checks (the CLI adds "has an antipodal grasp"). */
  check?: ObjectCheck;
  /** Draws tried per object before giving up (default 20). */
  maxAttempts?: number;
  /** Called as each object is accepted, in order (for streaming to disk and progress bars). */
  onObject?: (object: ProceduralObject, index: number) => void | Promise<void>;
  /** Keep meshes in the returned list (default true; false keeps memory flat for large sets). */
  keepMeshes?: boolean;
  /** How objects are sized (default DEFAULT_SHAPE_SCALE, Dex-Net's smallest extent 4 cm). */
  scale?: ShapeScale;
  /** Called for each refused draw with its reason (to report the refusal share). */
  onRefused?: (reason: string, index: number) => void;
}

/** Separates the held-out seed stream from the training one for the same user seed. */
const HOLDOUT_SALT = 0x6a09e667;

/** A well-mixed 32-bit seed for item `item` of stream `seed` (independent of generation order). */
export function mixSeed(seed: number, item: number): number {
  let h = (Math.imul((seed >>> 0) ^ 0x27d4eb2f, 0x9e3779b1) ^ Math.imul(item + 0x165667b1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/** The first-draw seed of object `index` in a set. */
export function objectSeed(seed: number, index: number, options: { holdout?: boolean } = {}): number {
  const holdout = options.holdout ?? false;
  return mixSeed(holdout ? (seed ^ HOLDOUT_SALT) >>> 0 : seed >>> 0, index);
}

/** Object names sort in generation order: `obj-0007-mug`, `holdout-0002-bracket`. */
export function objectId(
  index: number,
  family: FamilyName,
  count: number,
  options: { holdout?: boolean } = {},
): string {
  const holdout = options.holdout ?? false;
  const digits = Math.max(4, String(Math.max(0, count - 1)).length);
  return `${holdout ? 'holdout' : 'obj'}-${String(index).padStart(digits, '0')}-${family}`;
}

/**
 * Generates `count` checked objects. Object i belongs to families[i mod n]; its draws use seeds
 * objectSeed(seed, i), then mixSeed of that with 1, 2, … until one passes every check, so the whole
 * set is a pure function of (count, seed, families, holdout) and a prefix of a larger set.
 */
export async function generateObjects(options: GenerateObjectsOptions): Promise<ProceduralObject[]> {
  const { count, seed } = options;
  if (!(Number.isInteger(count) && count >= 0))
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const holdout = options.holdout ?? false;
  const families = options.families ?? (holdout ? HOLDOUT_FAMILIES : TRAINING_FAMILIES);
  if (families.length === 0) throw new RangeError('families must not be empty');
  for (const f of families)
    if (!isFamilyName(f)) throw new RangeError(`unknown family "${f}" (known: ${FAMILIES.join(', ')})`);
  const maxAttempts = options.maxAttempts ?? 20;
  const keep = options.keepMeshes ?? true;
  const out: ProceduralObject[] = [];
  for (let i = 0; i < count; i++) {
    const family = families[i % families.length];
    const first = objectSeed(seed, i, { holdout });
    let accepted: ProceduralObject | undefined;
    const reasons: string[] = [];
    for (let attempt = 0; attempt < maxAttempts && !accepted; attempt++) {
      const s = attempt === 0 ? first : mixSeed(first, attempt);
      let mesh: Mesh;
      try {
        mesh = await generateShape(family, s, {}, options.scale);
      } catch (err) {
        if (!(err instanceof RedrawError)) throw err;
        reasons.push(err.message);
        options.onRefused?.(err.message, i);
        continue;
      }
      const reason = checkShape(mesh) ?? options.check?.(mesh, s) ?? null;
      if (reason) {
        reasons.push(reason);
        options.onRefused?.(reason, i);
        continue;
      }
      const e = boundingBoxExtents(mesh);
      accepted = {
        id: objectId(i, family, count, { holdout }),
        family,
        seed: s,
        mesh,
        extent: Math.max(e[0], e[1], e[2]),
        minExtent: Math.min(e[0], e[1], e[2]),
        volume: massProperties(mesh).volume,
        triangles: mesh.triangles.length / 3,
      };
    }
    if (!accepted)
      throw new Error(
        `object ${i} (${family}): no usable draw in ${maxAttempts} attempts (${[...new Set(reasons)].join('; ')})`,
      );
    await options.onObject?.(accepted, i);
    out.push(keep ? accepted : { ...accepted, mesh: { vertices: new Float32Array(0), triangles: new Uint32Array(0) } });
  }
  return out;
}
