// Validation metrics for procedural and real held-out objects apart: a model that does well on procedural shapes can
// still fail on real ones, and one overall figure hides which.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sourcesOfMeshes, type ObjectSource } from '../dataset/mesh-sources.js';
import { TensorDatasetReader } from '../dataset/tensor-dataset.js';
import { classificationMetrics, type ClassificationMetrics } from './metrics.js';

export type SourceMetrics = ClassificationMetrics & { objects: number };

/**
 * Metrics per object source over validation predictions (`indices` are dataset-wide datapoint indices). Empty when
 * the dataset lists no objects (objects.json, written by `dexnet generate`).
 */
export async function validationBySource(
  datasetDir: string,
  indices: Uint32Array,
  scores: Float32Array,
  labels: Uint8Array,
): Promise<Partial<Record<ObjectSource, SourceMetrics>>> {
  let objects: { objIndex: number; meshPath: string }[];
  try {
    objects = JSON.parse(await readFile(join(datasetDir, 'objects.json'), 'utf8')) as typeof objects;
  } catch {
    return {};
  }
  const sources = await sourcesOfMeshes(objects.map((o) => o.meshPath));
  const sourceOfObject = new Map(objects.map((o, i) => [o.objIndex, sources[i]!]));
  const objLabels = await (await TensorDatasetReader.open(datasetDir)).readWholeField('obj_labels');
  const groups = new Map<ObjectSource, { at: number[]; objects: Set<number> }>();
  for (let k = 0; k < indices.length; k++) {
    const obj = Number(objLabels[indices[k]!]);
    const source = sourceOfObject.get(obj);
    if (!source) continue;
    let g = groups.get(source);
    if (!g) groups.set(source, (g = { at: [], objects: new Set() }));
    g.at.push(k);
    g.objects.add(obj);
  }
  const out: Partial<Record<ObjectSource, SourceMetrics>> = {};
  for (const [source, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const s = Float32Array.from(g.at, (k) => scores[k]!);
    const l = Uint8Array.from(g.at, (k) => labels[k]!);
    out[source] = { ...classificationMetrics(s, l), objects: g.objects.size };
  }
  return out;
}
