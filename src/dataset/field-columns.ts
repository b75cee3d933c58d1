// Growable per-object columns of datapoint fields, for any dataset layout (jaw or suction).
import { DATASET_FIELDS } from './fields.js';
import { allocateField, fieldSize, type FieldArray, type FieldSpec } from './tensor-dataset.js';

/** Growable column store for a layout's fields (capacity doubles; no per-datapoint allocation). */
export class FieldColumns {
  capacity = 256;
  count = 0;
  fields: Record<string, FieldArray> = {};
  poseIndex = new Uint32Array(this.capacity);
  imageIndex = new Uint32Array(this.capacity);

  constructor(private readonly specs: Record<string, FieldSpec> = DATASET_FIELDS) {
    for (const [name, spec] of Object.entries(specs)) this.fields[name] = allocateField(spec, this.capacity);
  }

  /** Makes room for one more datapoint and returns its index. */
  push(): number {
    if (this.count === this.capacity) {
      this.capacity *= 2;
      for (const [name, spec] of Object.entries(this.specs)) {
        const grown = allocateField(spec, this.capacity);
        grown.set(this.fields[name] as never);
        this.fields[name] = grown;
      }
      const p = new Uint32Array(this.capacity);
      p.set(this.poseIndex);
      this.poseIndex = p;
      const q = new Uint32Array(this.capacity);
      q.set(this.imageIndex);
      this.imageIndex = q;
    }
    return this.count++;
  }

  trimmed(): { count: number; fields: Record<string, FieldArray>; poseIndex: Uint32Array; imageIndex: Uint32Array } {
    const fields: Record<string, FieldArray> = {};
    for (const [name, spec] of Object.entries(this.specs))
      fields[name] = this.fields[name].slice(0, this.count * fieldSize(spec)) as FieldArray;
    return {
      count: this.count,
      fields,
      poseIndex: this.poseIndex.slice(0, this.count),
      imageIndex: this.imageIndex.slice(0, this.count),
    };
  }
}
