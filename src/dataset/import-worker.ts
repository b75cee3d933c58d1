// Worker-thread entry for `dexnet import`: one task = one source object, found by its index in the listing of the
// same inputs (listed once per worker); the mesh comes back as OBJ bytes for the main thread to write.
import { serializeMesh } from '../geometry/mesh-io/index.js';
import type { ScaleRule } from '../geometry/object-scale.js';
import {
  importObject,
  listSourceObjects,
  type ManifestObject,
  type ManifestReject,
  type SourceObject,
} from './import-objects.js';

export interface ImportTask {
  inputs: string[];
  split: 'object' | 'group' | 'none';
  index: number;
  rule: ScaleRule;
  maxTriangles: number;
  spacing: number;
  seed: number;
}

export type ImportTaskResult = { entry: ManifestObject; obj: Uint8Array } | ManifestReject;

let listing: { key: string; objects: Promise<SourceObject[]> } | undefined;

export default async function task(t: ImportTask): Promise<ImportTaskResult> {
  const key = JSON.stringify([t.inputs, t.split]);
  if (listing?.key !== key) listing = { key, objects: listSourceObjects(t.inputs, t.split).then((l) => l.objects) };
  const object = (await listing.objects)[t.index];
  const result = await importObject(object, t);
  return 'reason' in result ? result : { entry: result.entry, obj: serializeMesh(result.mesh, 'obj') };
}
