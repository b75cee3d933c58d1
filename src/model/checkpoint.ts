// Training checkpoints so a killed run resumes where it stopped: weights, optimizer slots and
// free-form progress in one file ("DXCK", header length, JSON header, float32 payload), written
// atomically so a kill mid-write leaves the previous checkpoint intact.
import { UserInputError } from '../core/errors.js';
import { promises as fs } from 'node:fs';
import { type GqcnnArchitecture, type Params, parameterSpecs, sizeOf, validateArchitecture } from './architecture.js';
import { writeFileAtomic } from '../core/atomic-write.js';

const MAGIC = 'DXCK';

export interface Checkpoint {
  arch: GqcnnArchitecture;
  params: Params;
  optimizer: { kind: string; iteration: number; slots: Record<string, Float32Array[]> };
  /** Epoch, step, RNG state, metrics history, … — whatever the training loop needs to resume. */
  progress: Record<string, unknown>;
  /** The running average of the weights, when training keeps one. */
  average?: { updates: number; params: Params };
}

interface Entry {
  name: string;
  offset: number;
  length: number;
}

export async function saveCheckpoint(file: string, ck: Checkpoint): Promise<void> {
  const arrays: [string, Float32Array][] = [];
  for (const [k, v] of ck.params) arrays.push([`param/${k}`, v]);
  for (const [k, slots] of Object.entries(ck.optimizer.slots))
    slots.forEach((v, i) => arrays.push([`slot${i}/${k}`, v]));
  if (ck.average) for (const [k, v] of ck.average.params) arrays.push([`average/${k}`, v]);
  const entries: Entry[] = [];
  let offset = 0;
  for (const [name, a] of arrays) {
    entries.push({ name, offset, length: a.length });
    offset += a.length;
  }
  const header = new TextEncoder().encode(
    JSON.stringify({
      arch: ck.arch,
      optimizer: { kind: ck.optimizer.kind, iteration: ck.optimizer.iteration },
      progress: ck.progress,
      averageUpdates: ck.average?.updates,
      entries,
    }),
  );
  const headerPadded = Math.ceil((8 + header.length) / 4) * 4;
  const out = new Uint8Array(headerPadded + offset * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  const payload = new Float32Array(out.buffer, headerPadded, offset);
  for (const [i, [, a]] of arrays.entries()) payload.set(a, entries[i]!.offset);
  await writeFileAtomic(file, out);
}

/** Reads a checkpoint; with `arch`, also checks it was written for that architecture. */
export async function loadCheckpoint(file: string, arch?: GqcnnArchitecture): Promise<Checkpoint> {
  let buf: Uint8Array;
  try {
    buf = await fs.readFile(file);
  } catch {
    throw new UserInputError(`${file}: cannot read the checkpoint`, { file });
  }
  if (buf.length < 8 || new TextDecoder().decode(buf.subarray(0, 4)) !== MAGIC)
    throw new UserInputError(`${file}: not a dexnet-ts checkpoint (bad magic)`, { file });
  const hlen = new DataView(buf.buffer, buf.byteOffset).getUint32(4, true);
  if (8 + hlen > buf.length) throw new UserInputError(`${file}: truncated header`, { file });
  let header: {
    arch: unknown;
    optimizer: { kind: string; iteration: number };
    progress: Record<string, unknown>;
    averageUpdates?: number;
    entries: Entry[];
  };
  try {
    header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + hlen)));
  } catch (e) {
    throw new UserInputError(`${file}: corrupt header (${(e as Error).message})`, { file });
  }
  const a = validateArchitecture(header.arch, `${file} architecture`);
  if (arch && JSON.stringify(a) !== JSON.stringify(arch))
    throw new UserInputError(`${file}: checkpoint architecture "${a.name}" differs from the requested "${arch.name}"`, {
      file,
    });
  const start = Math.ceil((8 + hlen) / 4) * 4;
  const total = (buf.length - start) / 4;
  const data = new Float32Array(total);
  new Uint8Array(data.buffer).set(buf.subarray(start, start + total * 4));
  const params: Params = new Map();
  const average: Params = new Map();
  const slots: Record<string, Float32Array[]> = {};
  for (const e of header.entries) {
    if (e.offset + e.length > total) throw new UserInputError(`${file}: truncated payload (${e.name})`, { file });
    const v = data.slice(e.offset, e.offset + e.length);
    const [kind, name] = [e.name.slice(0, e.name.indexOf('/')), e.name.slice(e.name.indexOf('/') + 1)];
    if (kind === 'param') params.set(name, v);
    else if (kind === 'average') average.set(name, v);
    else (slots[name] ??= [])[Number(kind.slice(4))] = v;
  }
  for (const s of parameterSpecs(a)) {
    const p = params.get(s.name);
    if (!p || p.length !== sizeOf(s.shape))
      throw new UserInputError(`${file}: parameter ${s.name} missing or of the wrong size`, { file });
  }
  const ck: Checkpoint = {
    arch: a,
    params,
    optimizer: { ...header.optimizer, slots },
    progress: header.progress ?? {},
  };
  if (average.size > 0) {
    for (const [name, p] of params) {
      if (average.get(name)?.length !== p.length)
        throw new UserInputError(`${file}: averaged parameter ${name} missing or of the wrong size`, { file });
    }
    ck.average = { updates: header.averageUpdates ?? 0, params: average };
  }
  return ck;
}
