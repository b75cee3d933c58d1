// The names of the procedural object families, apart from their builders so the CLI can list them cheaply.

/** Families used for training sets (the default). */
export const TRAINING_FAMILIES = ['superquadric', 'extrusion', 'revolved', 'holes', 'mug', 'composition'] as const;
/** Families only drawn for held-out evaluation sets: shapes no training family makes. */
export const HOLDOUT_FAMILIES = ['twisted', 'bracket'] as const;
export type FamilyName = (typeof TRAINING_FAMILIES)[number] | (typeof HOLDOUT_FAMILIES)[number];
export const FAMILIES: readonly FamilyName[] = [...TRAINING_FAMILIES, ...HOLDOUT_FAMILIES];

export function isFamilyName(name: string): name is FamilyName {
  return (FAMILIES as readonly string[]).includes(name);
}
