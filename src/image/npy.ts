// numpy .npy files (format versions 1.0, 2.0 and 3.0): gqcnn's depth images and the dataset tensors are stored this way.
import { UserInputError } from '../core/errors.js';

/** Element types we read and write. */
export type NpyDtype =
  'float32' | 'float64' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'int8' | 'int16' | 'int32' | 'int64' | 'bool';

export type NpyData =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | BigUint64Array;

/**
 * A decoded array, always in C (row-major) order.
 *
 * `int64` / `uint64` files decode to a Float64Array by default (every value must lie within
 * ±2^53, otherwise the decoder throws rather than silently rounding); pass `{ int64: 'bigint' }`
 * to get a BigInt64Array / BigUint64Array instead. `bool` decodes to a Uint8Array of 0/1.
 */
export interface NpyArray {
  /** The dtype stored in the file (an int64 file says 'int64' even when `data` is a Float64Array). */
  readonly dtype: NpyDtype;
  readonly shape: number[];
  readonly data: NpyData;
  /** Fortran-ordered files are transposed into C order while reading, so this is always false. */
  readonly fortranOrder: false;
}

/** A malformed or unsupported .npy file; the message names the source and the field. */
export class NpyFormatError extends UserInputError {
  override name = 'NpyFormatError';
}

export interface DecodeNpyOptions {
  /** How 64-bit integers come back: 'number' (Float64Array, default) or 'bigint'. */
  int64?: 'number' | 'bigint';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
// Refuse absurd element counts before allocating, whatever the header claims.
const MAX_ELEMENTS = 2 ** 31;

interface DtypeInfo {
  readonly dtype: NpyDtype;
  readonly itemSize: number;
}

const KIND_TABLE: Record<string, DtypeInfo> = {
  f4: { dtype: 'float32', itemSize: 4 },
  f8: { dtype: 'float64', itemSize: 8 },
  u1: { dtype: 'uint8', itemSize: 1 },
  u2: { dtype: 'uint16', itemSize: 2 },
  u4: { dtype: 'uint32', itemSize: 4 },
  u8: { dtype: 'uint64', itemSize: 8 },
  i1: { dtype: 'int8', itemSize: 1 },
  i2: { dtype: 'int16', itemSize: 2 },
  i4: { dtype: 'int32', itemSize: 4 },
  i8: { dtype: 'int64', itemSize: 8 },
  b1: { dtype: 'bool', itemSize: 1 },
};

/** Decodes a whole .npy file. `source` (a path or `archive.npz:key`) prefixes every error message. */
export function decodeNpy(bytes: Uint8Array, source: string, options: DecodeNpyOptions = {}): NpyArray {
  const fail = (field: string, problem: string): never => {
    throw new NpyFormatError(`${source}: ${field}: ${problem}`);
  };
  if (bytes.length < 10) fail('magic', `file is ${bytes.length} bytes, too short for a .npy header`);
  for (let i = 0; i < MAGIC.length; i++)
    if (bytes[i] !== MAGIC[i]) fail('magic', 'not a .npy file (missing \\x93NUMPY signature)');
  const major = bytes[6];
  const minor = bytes[7];
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = bytes[8] | (bytes[9] << 8);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('header', 'file ends inside the header length');
    headerLength = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
    headerStart = 12;
  } else {
    return fail('version', `unsupported format version ${major}.${minor} (expected 1.0, 2.0 or 3.0)`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length)
    fail(
      'header',
      `header claims ${headerLength} bytes but the file has only ${bytes.length - headerStart} after the preamble (truncated?)`,
    );
  const headerBytes = bytes.subarray(headerStart, dataStart);
  let headerText: string;
  try {
    headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: major === 3 }).decode(headerBytes);
  } catch {
    return fail('header', 'header is not valid UTF-8');
  }
  const header = parseHeader(headerText, fail);

  const descr = header.descr;
  if (typeof descr !== 'string')
    return fail(
      'dtype',
      `'descr' must be a simple type string, got ${describe(descr)} (structured arrays are not supported)`,
    );
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const info = m ? KIND_TABLE[m[2] + m[3]] : undefined;
  if (!m || !info) return fail('dtype', `unsupported dtype '${descr}' (supported: float32/64, (u)int8/16/32/64, bool)`);
  // '|' means byte order is irrelevant, '=' means native (numpy writes '<' or '|', but be lenient).
  const littleEndian = m[1] === '<' || m[1] === '|' || (m[1] === '=' && HOST_LITTLE_ENDIAN);
  if (info.itemSize > 1 && m[1] === '|')
    fail('dtype', `'${descr}' has no byte order but is ${info.itemSize} bytes wide`);

  const fortran = header.fortran_order;
  if (typeof fortran !== 'boolean') fail('fortran_order', `expected True or False, got ${describe(fortran)}`);

  const shapeValue = header.shape;
  if (!Array.isArray(shapeValue)) return fail('shape', `expected a tuple of integers, got ${describe(shapeValue)}`);
  const shape: number[] = [];
  let count = 1;
  for (const d of shapeValue) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)
      return fail('shape', `dimension ${describe(d)} is not a non-negative integer`);
    shape.push(d);
    count *= d;
  }
  if (count > MAX_ELEMENTS)
    fail('shape', `${shape.join('×')} = ${count} elements is more than this reader accepts (${MAX_ELEMENTS})`);

  const expectedBytes = count * info.itemSize;
  const actualBytes = bytes.length - dataStart;
  if (actualBytes !== expectedBytes)
    fail(
      'data length',
      `shape (${shape.join(', ')}) of ${descr} needs ${expectedBytes} bytes of data, file has ${actualBytes}${actualBytes < expectedBytes ? ' (truncated)' : ''}`,
    );

  // Copy into a fresh, aligned buffer; swap bytes when the file's order is not the host's.
  // Explicit copy: a Node Buffer's slice() is a view into a shared pool, not a copy.
  const raw = new Uint8Array(expectedBytes);
  raw.set(bytes.subarray(dataStart, dataStart + expectedBytes));
  if (info.itemSize > 1 && littleEndian !== HOST_LITTLE_ENDIAN) swapBytes(raw, info.itemSize);
  let data = viewAs(info.dtype, raw.buffer, count);
  if (info.dtype === 'int64' || info.dtype === 'uint64') {
    if (options.int64 !== 'bigint') data = bigToNumber(data as BigInt64Array | BigUint64Array, fail);
  } else if (info.dtype === 'bool') {
    const u = data as Uint8Array;
    for (let i = 0; i < u.length; i++) if (u[i] > 1) u[i] = 1;
  }
  if (fortran === true && shape.length > 1) data = fortranToC(data, shape);
  return { dtype: info.dtype, shape, data, fortranOrder: false };
}

export interface EncodeNpyOptions {
  /** Store a Uint8Array as numpy bool ('|b1') rather than uint8. */
  dtype?: 'bool';
}

/** Encodes a C-ordered typed array as a little-endian .npy v1.0 file (v2.0 only for headers over 64 KiB). */
export function encodeNpy(
  data: NpyData | Uint8ClampedArray,
  shape: readonly number[],
  options: EncodeNpyOptions = {},
): Uint8Array {
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0)
      throw new Error(`encodeNpy: shape dimension ${d} is not a non-negative integer`);
    count *= d;
  }
  if (count !== data.length)
    throw new Error(`encodeNpy: shape (${shape.join(', ')}) holds ${count} values but the data has ${data.length}`);
  let descr = descrOf(data);
  if (options.dtype === 'bool') {
    if (!(data instanceof Uint8Array)) throw new Error('encodeNpy: bool dtype needs a Uint8Array');
    descr = '|b1';
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // numpy pads with spaces and a final newline so that the data starts on a 64-byte boundary.
  let preamble = 10;
  let total = preamble + dict.length + 1;
  let padding = (64 - (total % 64)) % 64;
  let major = 1;
  if (dict.length + 1 + padding > 0xffff) {
    major = 2;
    preamble = 12;
    total = preamble + dict.length + 1;
    padding = (64 - (total % 64)) % 64;
  }
  const headerLength = dict.length + padding + 1;
  const out = new Uint8Array(preamble + headerLength + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  if (major === 1) {
    out[8] = headerLength & 0xff;
    out[9] = headerLength >>> 8;
  } else {
    new DataView(out.buffer).setUint32(8, headerLength, true);
  }
  for (let i = 0; i < dict.length; i++) out[preamble + i] = dict.charCodeAt(i);
  out.fill(0x20, preamble + dict.length, preamble + headerLength - 1);
  out[preamble + headerLength - 1] = 0x0a;
  const dataStart = preamble + headerLength;
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dataStart);
  const itemSize = data.BYTES_PER_ELEMENT;
  if (!HOST_LITTLE_ENDIAN && itemSize > 1) swapBytes(out.subarray(dataStart), itemSize);
  return out;
}

function descrOf(data: NpyData | Uint8ClampedArray): string {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return '|u1';
  if (data instanceof Uint16Array) return '<u2';
  if (data instanceof Uint32Array) return '<u4';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof BigInt64Array) return '<i8';
  if (data instanceof BigUint64Array) return '<u8';
  throw new Error('encodeNpy: unsupported array type');
}

function viewAs(dtype: NpyDtype, buffer: ArrayBuffer, count: number): NpyData {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, 0, count);
    case 'float64':
      return new Float64Array(buffer, 0, count);
    case 'uint8':
    case 'bool':
      return new Uint8Array(buffer, 0, count);
    case 'uint16':
      return new Uint16Array(buffer, 0, count);
    case 'uint32':
      return new Uint32Array(buffer, 0, count);
    case 'uint64':
      return new BigUint64Array(buffer, 0, count);
    case 'int8':
      return new Int8Array(buffer, 0, count);
    case 'int16':
      return new Int16Array(buffer, 0, count);
    case 'int32':
      return new Int32Array(buffer, 0, count);
    case 'int64':
      return new BigInt64Array(buffer, 0, count);
  }
}

function bigToNumber(src: BigInt64Array | BigUint64Array, fail: (f: string, p: string) => never): Float64Array {
  const out = new Float64Array(src.length);
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v > limit || v < -limit)
      fail(
        'data',
        `64-bit integer ${v} at index ${i} cannot be represented exactly as a number (decode with { int64: 'bigint' })`,
      );
    out[i] = Number(v);
  }
  return out;
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i + size <= b.length; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = b[lo];
      b[lo] = b[hi];
      b[hi] = t;
    }
  }
}

/** Fortran order of `shape` is C order of the reversed shape; reverse the axes back. */
function fortranToC(src: NpyData, shape: readonly number[]): NpyData {
  const n = shape.length;
  const out = new (src.constructor as new (length: number) => NpyData)(src.length);
  // Strides of the source (column-major) for each C-order axis.
  const fStride = new Array<number>(n);
  let s = 1;
  for (let k = 0; k < n; k++) {
    fStride[k] = s;
    s *= shape[k];
  }
  const idx = new Array<number>(n).fill(0);
  let srcOffset = 0;
  for (let i = 0; i < src.length; i++) {
    (out as { [k: number]: number | bigint })[i] = src[srcOffset];
    // Advance the C-order multi-index (last axis fastest) and track the Fortran offset.
    for (let k = n - 1; k >= 0; k--) {
      idx[k]++;
      srcOffset += fStride[k];
      if (idx[k] < shape[k]) break;
      srcOffset -= fStride[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

// ---- the header: a Python dict literal such as {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }

type PyValue = string | number | boolean | null | PyValue[] | { [k: string]: PyValue };

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (key missing)';
  return JSON.stringify(v) ?? String(v);
}

function parseHeader(text: string, fail: (field: string, problem: string) => never): Record<string, PyValue> {
  let pos = 0;
  const bad = (what: string): never =>
    fail(
      'header',
      `${what} at character ${pos} of ${JSON.stringify(text.length > 200 ? text.slice(0, 200) + '…' : text)}`,
    );
  const skipSpace = () => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\n' || text[pos] === '\r'))
      pos++;
  };
  // Depth-limited so that a hostile header cannot blow the stack.
  const value = (depth: number): PyValue => {
    if (depth > 8) return bad('nesting too deep');
    skipSpace();
    const c = text[pos];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, pos + 1);
      if (end < 0) return bad('unterminated string');
      const s = text.slice(pos + 1, end);
      pos = end + 1;
      return s;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      pos++;
      const items: PyValue[] = [];
      for (;;) {
        skipSpace();
        if (text[pos] === close) {
          pos++;
          return items;
        }
        items.push(value(depth + 1));
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] !== close) return bad(`expected ',' or '${close}'`);
      }
    }
    if (c === '{') {
      pos++;
      const obj = Object.create(null) as { [k: string]: PyValue }; // no prototype: a '__proto__' key stays data
      for (;;) {
        skipSpace();
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        const key = value(depth + 1);
        if (typeof key !== 'string') return bad('dictionary key is not a string');
        skipSpace();
        if (text[pos] !== ':') return bad("expected ':'");
        pos++;
        obj[key] = value(depth + 1);
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] !== '}') return bad("expected ',' or '}'");
      }
    }
    const m = /^(True|False|None|-?\d+L?)/.exec(text.slice(pos, pos + 32));
    if (!m) return bad('unexpected token');
    pos += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number.parseInt(m[0], 10);
  };
  const result = value(0);
  skipSpace();
  if (pos !== text.length) bad('unexpected text after the dictionary');
  if (result === null || typeof result !== 'object' || Array.isArray(result))
    return fail('header', 'is not a dictionary');
  for (const key of ['descr', 'fortran_order', 'shape']) if (!(key in result)) fail('header', `missing key '${key}'`);
  return result;
}
