// gqcnn-compatible TensorDataset on disk: config.json plus tensors/<field>_<00000>.npz shards of 1,000
// datapoints (numpy savez_compressed, key arr_0), written atomically and read back shard by shard.
import { UserInputError } from '../core/errors.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { readNpz, writeNpz } from '../image/npz.js';

export type FieldDtype = 'float32' | 'uint32' | 'uint8';
export type FieldArray = Float32Array | Uint32Array | Uint8Array;

/** One field's per-datapoint shape, in gqcnn's config vocabulary (height/width/channels as present). */
export interface FieldSpec {
  dtype: FieldDtype;
  height?: number;
  width?: number;
  channels?: number;
}

export const DATAPOINTS_PER_FILE = 1000;

/** Numbers per datapoint of a field. */
export const fieldSize = (spec: FieldSpec): number => (spec.height ?? 1) * (spec.width ?? 1) * (spec.channels ?? 1);

/** numpy shape of `n` datapoints of a field: (n), (n, h), (n, h, w) or (n, h, w, c). */
export function fieldShape(spec: FieldSpec, n: number): number[] {
  const shape = [n];
  if (spec.height !== undefined) shape.push(spec.height);
  if (spec.width !== undefined) shape.push(spec.width);
  if (spec.channels !== undefined) shape.push(spec.channels);
  return shape;
}

export function allocateField(spec: FieldSpec, n: number): FieldArray {
  const len = fieldSize(spec) * n;
  return spec.dtype === 'float32'
    ? new Float32Array(len)
    : spec.dtype === 'uint32'
      ? new Uint32Array(len)
      : new Uint8Array(len);
}

export const shardFileName = (field: string, shard: number): string => `${field}_${String(shard).padStart(5, '0')}.npz`;

export interface TensorDatasetConfig {
  datapoints_per_file: number;
  fields: Record<string, FieldSpec>;
  /** Anything else the producer wants to record (generator settings, counts, …). */
  [key: string]: unknown;
}

/** Writes one shard of every field (a batch of ≤ datapoints_per_file datapoints), each file atomically. */
export async function writeShard(
  dir: string,
  fields: Record<string, FieldSpec>,
  shard: number,
  data: Record<string, FieldArray>,
  n: number,
): Promise<void> {
  for (const [name, spec] of Object.entries(fields)) {
    const arr = data[name];
    if (!arr || arr.length < fieldSize(spec) * n)
      throw new Error(`shard ${shard}: field ${name} has ${arr?.length ?? 0} values, expected ${fieldSize(spec) * n}`);
    // Deflate level 1: float crops barely compress further at higher levels, which cost several times the time.
    const bytes = writeNpz(
      { arr_0: { data: arr.subarray(0, fieldSize(spec) * n), shape: fieldShape(spec, n) } },
      { level: 1 },
    );
    await writeFileAtomic(join(dir, 'tensors', shardFileName(name, shard)), bytes);
  }
}

export async function writeConfig(dir: string, config: TensorDatasetConfig): Promise<void> {
  await writeFileAtomic(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
}

/** A shard's datapoints, field by field. */
export interface Shard {
  index: number;
  size: number;
  fields: Record<string, FieldArray>;
}

/**
 * Reads a dataset shard by shard (bounded memory: one shard of the requested fields at a time).
 * Validates the config and every shard against it, naming the file and the field on any mismatch.
 */
export class TensorDatasetReader {
  private constructor(
    readonly dir: string,
    readonly config: TensorDatasetConfig,
    /** Datapoints in each shard, in order. */
    readonly shardSizes: number[],
  ) {}

  static async open(dir: string): Promise<TensorDatasetReader> {
    const configPath = join(dir, 'config.json');
    let config: TensorDatasetConfig;
    try {
      config = JSON.parse(await readFile(configPath, 'utf8')) as TensorDatasetConfig;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserInputError(
        code === 'ENOENT'
          ? `${dir}: not a dataset (no config.json)`
          : `${configPath}: cannot read (${(err as Error).message})`,
      );
    }
    if (!config || typeof config !== 'object' || typeof config.fields !== 'object' || config.fields === null)
      throw new UserInputError(`${configPath}: field "fields" must be an object of field specs`, { file: configPath });
    if (!Number.isInteger(config.datapoints_per_file) || config.datapoints_per_file <= 0)
      throw new UserInputError(`${configPath}: field "datapoints_per_file" must be a positive integer`, {
        file: configPath,
      });
    for (const [name, spec] of Object.entries(config.fields)) {
      if (!['float32', 'uint32', 'uint8'].includes(spec?.dtype))
        throw new UserInputError(`${configPath}: fields.${name}.dtype must be float32, uint32 or uint8`, {
          file: configPath,
        });
    }
    const names = Object.keys(config.fields);
    if (names.length === 0) throw new UserInputError(`${configPath}: no fields`, { file: configPath });
    let files: string[] = [];
    try {
      files = await readdir(join(dir, 'tensors'));
    } catch {
      files = [];
    }
    const first = names[0];
    const shardIds = files
      .map((f) => new RegExp(`^${first}_(\\d{5})\\.npz$`).exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    shardIds.forEach((id, i) => {
      if (id !== i)
        throw new UserInputError(
          `${join(dir, 'tensors')}: shard ${String(i).padStart(5, '0')} of field ${first} is missing`,
        );
    });
    const sizes = Array.isArray(config.shard_sizes) ? (config.shard_sizes as number[]) : null;
    const reader = new TensorDatasetReader(dir, config, sizes ?? []);
    if (!sizes) {
      // Older or foreign datasets: learn shard sizes from the first field's files.
      for (const id of shardIds)
        reader.shardSizes.push((await reader.readField(first, id)).length / fieldSize(config.fields[first]));
    } else if (sizes.length !== shardIds.length) {
      throw new UserInputError(
        `${configPath}: shard_sizes lists ${sizes.length} shards but tensors/ holds ${shardIds.length}`,
        { file: configPath },
      );
    }
    return reader;
  }

  get numDatapoints(): number {
    return this.shardSizes.reduce((a, b) => a + b, 0);
  }

  get numShards(): number {
    return this.shardSizes.length;
  }

  get fieldNames(): string[] {
    return Object.keys(this.config.fields);
  }

  /** One field of one shard, checked against the config. */
  async readField(name: string, shard: number): Promise<FieldArray> {
    const spec = this.config.fields[name];
    if (!spec)
      throw new UserInputError(`${this.dir}: no field "${name}" (fields: ${this.fieldNames.join(', ')})`, {
        file: this.dir,
      });
    const path = join(this.dir, 'tensors', shardFileName(name, shard));
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch {
      throw new UserInputError(`${path}: missing shard file`, { file: path });
    }
    const arrays = readNpz(bytes, path);
    const arr = arrays.arr_0;
    if (!arr) throw new UserInputError(`${path}: no arr_0 inside`, { file: path });
    if (arr.dtype !== spec.dtype)
      throw new UserInputError(`${path}: dtype ${arr.dtype}, config says ${spec.dtype}`, { file: path });
    const n = arr.shape[0];
    const expected = fieldShape(spec, n);
    if (arr.shape.length !== expected.length || arr.shape.some((d, i) => d !== expected[i]))
      throw new UserInputError(`${path}: shape (${arr.shape.join(', ')}), expected (${expected.join(', ')})`, {
        file: path,
      });
    if (this.shardSizes.length > shard && this.shardSizes[shard] !== n)
      throw new UserInputError(
        `${path}: ${n} datapoints, other fields of shard ${shard} have ${this.shardSizes[shard]}`,
        { file: path },
      );
    return arr.data as FieldArray;
  }

  async readShard(shard: number, fields: string[] = this.fieldNames): Promise<Shard> {
    const out: Record<string, FieldArray> = {};
    for (const f of fields) out[f] = await this.readField(f, shard);
    return { index: shard, size: this.shardSizes[shard], fields: out };
  }

  /** Streams shards in order, holding one at a time. */
  async *shards(fields: string[] = this.fieldNames): AsyncGenerator<Shard> {
    for (let i = 0; i < this.numShards; i++) yield await this.readShard(i, fields);
  }

  /** Every value of one small field (labels, metrics) across the dataset, in datapoint order. */
  async readWholeField(name: string): Promise<FieldArray> {
    const spec = this.config.fields[name];
    if (!spec) throw new UserInputError(`${this.dir}: no field "${name}"`, { file: this.dir });
    const out = allocateField(spec, this.numDatapoints);
    let offset = 0;
    for (let i = 0; i < this.numShards; i++) {
      const a = await this.readField(name, i);
      out.set(a as never, offset);
      offset += a.length;
    }
    return out;
  }
}
