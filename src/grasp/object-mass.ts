// How heavy an object is for a label that weighs it: its solid volume at a density, or one fixed mass for every
// object. Dex-Net 3.0 loads every suction grasp with 1 kg, which on 4 cm objects (median 33 g at 700 kg/m³) makes the
// label mostly "too heavy" for grasps a real cup (and the MuJoCo referee) lifts.
import { UserInputError } from '../core/errors.js';
import type { Mesh } from '../geometry/mesh.js';
import { massProperties } from '../geometry/mesh-properties.js';

export type ObjectMass = { density: number } | { kg: number };

/**
 * Density of objects (kg/m³): the MuJoCo referee's and the weighed labels'. Dex-Net's meshes carry no material; 700
 * sits in the middle of household plastics and woods (500–1000), giving a 4 cm cube 45 g.
 */
export const DEFAULT_OBJECT_DENSITY = 700;

/** Densities outside this range (kg/m³) are a unit mistake: from aerogel-light foam to lead. */
const DENSITY_RANGE = [1, 20_000] as const;
/** Heaviest fixed mass a tabletop object may be given (kg). */
const MAX_MASS = 100;

/** The mass (kg) `rule` gives `mesh`. */
export function objectMassOf(rule: ObjectMass, mesh: Mesh): number {
  return 'kg' in rule ? rule.kg : rule.density * massProperties(mesh).volume;
}

/** Parses `<kg>` (one mass for every object; Dex-Net 3.0: 1) or `density:<kg/m³>`; a UserInputError names `field`. */
export function parseObjectMass(text: string, field = '--object-mass'): ObjectMass {
  const t = text.trim();
  const m = /^density:(.+)$/.exec(t);
  if (m) {
    const density = Number(m[1]);
    if (density >= DENSITY_RANGE[0] && density <= DENSITY_RANGE[1]) return { density };
  } else if (t !== '') {
    const kg = Number(t);
    if (kg > 0 && kg <= MAX_MASS) return { kg };
  }
  throw new UserInputError(
    `${field}: expected a mass in kg (0 < kg ≤ ${MAX_MASS}) or density:<kg/m³> (${DENSITY_RANGE[0]}–${DENSITY_RANGE[1]}), got "${text}"`,
    { field },
  );
}

/** The rule written back as text (what configs and reports record). */
export function formatObjectMass(rule: ObjectMass): string {
  return 'kg' in rule ? `${rule.kg}` : `density:${rule.density}`;
}
