// How an object mesh is sized before grasping: Dex-Net scales every mesh so its smallest bounding-box extent is
// 4 cm (dex-net `obj_scaling_mode: min`, `obj_target_scale: 0.04`) and leaves the largest free; EGAD's evaluation
// scales the largest extent to the gripper opening and caps the smallest at 0.8 × the opening.
import { UserInputError } from '../core/errors.js';
import type { Mesh } from './mesh.js';
import { boundingBoxExtents, scaleMesh } from './mesh-properties.js';
import type { Vec3 } from './vector.js';

export type ScaleRule =
  | { kind: 'min'; extent: number }
  | { kind: 'max'; extent: number }
  | { kind: 'egad'; opening: number }
  | { kind: 'none' };

/** Dex-Net's rule, the default everywhere: smallest extent 4 cm. */
export const DEFAULT_SCALE_RULE = 'min:0.04';

/** Largest extent a tabletop object may be given (m); a rule asking for more is a unit mistake. */
const MAX_TARGET_EXTENT = 1;

/**
 * Parses `min:<m>`, `max:<m>`, `egad` (largest extent = `gripperOpening`) or `none` (keep the file's size).
 * Throws a UserInputError naming `field` for anything else.
 */
export function parseScaleRule(text: string, gripperOpening: number, field = '--scale'): ScaleRule {
  const t = text.trim();
  if (t === 'none') return { kind: 'none' };
  if (t === 'egad') return { kind: 'egad', opening: gripperOpening };
  const m = /^(min|max):(.+)$/.exec(t);
  const extent = m ? Number(m[2]) : NaN;
  if (!m || !(extent > 0) || extent > MAX_TARGET_EXTENT) {
    throw new UserInputError(
      `${field}: expected min:<metres>, max:<metres> (0 < metres ≤ ${MAX_TARGET_EXTENT}), egad or none, got "${text}"`,
      { field },
    );
  }
  return { kind: m[1] as 'min' | 'max', extent };
}

/** The rule written back as text (what manifests and reports record). */
export function formatScaleRule(rule: ScaleRule): string {
  if (rule.kind === 'none' || rule.kind === 'egad') return rule.kind;
  return `${rule.kind}:${rule.extent}`;
}

/** The uniform factor that sizes a box of these extents by the rule (1 for `none`). */
export function scaleFactor(extents: Vec3, rule: ScaleRule): number {
  const lo = Math.min(extents[0], extents[1], extents[2]);
  const hi = Math.max(extents[0], extents[1], extents[2]);
  if (rule.kind === 'none') return 1;
  if (!(lo > 0)) throw new RangeError('cannot scale a mesh whose bounding box is flat in some direction');
  switch (rule.kind) {
    case 'min':
      return rule.extent / lo;
    case 'max':
      return rule.extent / hi;
    case 'egad':
      return Math.min(rule.opening / hi, (0.8 * rule.opening) / lo);
  }
}

/** The mesh sized by the rule, with the factor applied. */
export function applyScaleRule(mesh: Mesh, rule: ScaleRule): { mesh: Mesh; factor: number } {
  const factor = scaleFactor(boundingBoxExtents(mesh), rule);
  return { mesh: factor === 1 ? mesh : scaleMesh(mesh, factor), factor };
}
