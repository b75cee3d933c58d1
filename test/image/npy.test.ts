// .npy decoding and encoding: round trips of every dtype, byte orders, Fortran order, header layout, every error field, and fuzzing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, NpyFormatError, type NpyData } from '../../src/image/npy.js';

/** A .npy file with an arbitrary header text and raw data bytes, for cases encodeNpy never writes. */
function rawNpy(header: string, data: Uint8Array, major = 1): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  const padded = header + ' '.repeat((64 - ((pre + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(pre + padded.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  if (major === 1) {
    out[8] = padded.length & 0xff;
    out[9] = padded.length >> 8;
  } else new DataView(out.buffer).setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), pre);
  out.set(data, pre + padded.length);
  return out;
}

function expectError(fn: () => unknown, ...parts: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(NpyFormatError);
  for (const p of parts) expect((caught as Error).message).toContain(p);
}

describe('encodeNpy / decodeNpy round trip', () => {
  const cases: [string, NpyData, number[]][] = [
    ['float32', Float32Array.of(1.5, -2, 0, 3.25, Number.NaN, 1e-30), [2, 3]],
    ['float64', Float64Array.of(Math.PI, -1e300, 0.1), [3]],
    ['uint8', Uint8Array.of(0, 255, 7, 9), [2, 2, 1]],
    ['uint16', Uint16Array.of(65535, 1, 2, 3), [4]],
    ['uint32', Uint32Array.of(4294967295, 0), [1, 2]],
    ['int8', Int8Array.of(-128, 127), [2]],
    ['int16', Int16Array.of(-32768, 32767, 5), [3]],
    ['int32', Int32Array.of(-2147483648, 2147483647), [2]],
  ];
  for (const [dtype, data, shape] of cases) {
    it(`round-trips ${dtype} ${JSON.stringify(shape)}`, () => {
      const arr = decodeNpy(encodeNpy(data, shape), 'mem.npy');
      expect(arr.dtype).toBe(dtype);
      expect(arr.shape).toEqual(shape);
      expect(arr.fortranOrder).toBe(false);
      expect(arr.data.constructor).toBe(data.constructor);
      expect(Array.from(arr.data as ArrayLike<number>)).toEqual(Array.from(data as ArrayLike<number>));
    });
  }

  it('decodes int64 to Float64Array by default and to BigInt64Array on request', () => {
    const bytes = encodeNpy(BigInt64Array.of(-5n, 9007199254740991n), [2]);
    const asNumber = decodeNpy(bytes, 'i.npy');
    expect(asNumber.dtype).toBe('int64');
    expect(asNumber.data).toBeInstanceOf(Float64Array);
    expect(Array.from(asNumber.data as Float64Array)).toEqual([-5, 9007199254740991]);
    const asBig = decodeNpy(bytes, 'i.npy', { int64: 'bigint' });
    expect(asBig.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(asBig.data as BigInt64Array)).toEqual([-5n, 9007199254740991n]);
    expectError(() => decodeNpy(encodeNpy(BigInt64Array.of(2n ** 60n), [1]), 'big.npy'), 'big.npy', 'data', 'bigint');
    const u = decodeNpy(encodeNpy(BigUint64Array.of(7n), [1]), 'u.npy');
    expect(u.dtype).toBe('uint64');
    expect(Array.from(u.data as Float64Array)).toEqual([7]);
  });

  it('handles bool, scalars and empty arrays', () => {
    const b = decodeNpy(encodeNpy(Uint8Array.of(1, 0, 1), [3], { dtype: 'bool' }), 'b.npy');
    expect(b.dtype).toBe('bool');
    expect(Array.from(b.data as Uint8Array)).toEqual([1, 0, 1]);
    const scalar = decodeNpy(encodeNpy(Float32Array.of(2.5), []), 's.npy');
    expect(scalar.shape).toEqual([]);
    expect(scalar.data[0]).toBe(2.5);
    const empty = decodeNpy(encodeNpy(new Float32Array(0), [0, 32]), 'e.npy');
    expect(empty.shape).toEqual([0, 32]);
    expect(empty.data.length).toBe(0);
  });

  it('writes a numpy-style header: v1.0, padded with spaces to 64 bytes, newline-terminated', () => {
    const bytes = encodeNpy(new Float32Array(12), [3, 4]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }")).toBe(true);
    expect(header.endsWith(' \n')).toBe(true);
    expect(bytes.length).toBe(10 + headerLength + 48);
    const oneD = new TextDecoder().decode(encodeNpy(new Uint8Array(5), [5]).subarray(10, 74));
    expect(oneD).toContain("'shape': (5,)");
  });

  it('decodes from a view at an odd byte offset', () => {
    const file = encodeNpy(Float64Array.of(1, 2, 3), [3]);
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    expect(Array.from(decodeNpy(shifted.subarray(3), 'x.npy').data as Float64Array)).toEqual([1, 2, 3]);
  });

  it('decodes from a small Node Buffer, whose slice() would be a view into a shared pool', () => {
    const buf = Buffer.from(encodeNpy(Float32Array.of(1.5, -0.25, 3), [3]));
    expect(buf.byteOffset === 0 && buf.buffer.byteLength === buf.length).toBe(false);
    expect(Array.from(decodeNpy(buf, 'buf.npy').data as Float32Array)).toEqual([1.5, -0.25, 3]);
  });

  it('rejects a shape that does not match the data when encoding', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values but the data has 5/);
  });
});

describe('files numpy can write', () => {
  it('reads big-endian data', () => {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setFloat32(0, 1.5, false);
    new DataView(data.buffer).setFloat32(4, -0.25, false);
    const arr = decodeNpy(rawNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", data), 'be.npy');
    expect(Array.from(arr.data as Float32Array)).toEqual([1.5, -0.25]);
    const u16 = decodeNpy(
      rawNpy("{'descr': '>u2', 'fortran_order': False, 'shape': (1,), }", Uint8Array.of(0x01, 0x02)),
      'be.npy',
    );
    expect(u16.data[0]).toBe(0x0102);
  });

  it('transposes Fortran-ordered arrays into C order', () => {
    // C-order [[1,2,3],[4,5,6]] stored column-major is 1,4,2,5,3,6.
    const f = Int32Array.of(1, 4, 2, 5, 3, 6);
    const arr = decodeNpy(
      rawNpy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", new Uint8Array(f.buffer)),
      'f.npy',
    );
    expect(arr.shape).toEqual([2, 3]);
    expect(Array.from(arr.data as Int32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    // 3-D: element (i,j,k) of shape (2,3,4) has Fortran offset i + 2j + 6k; store value 100i+10j+k there.
    const shape = [2, 3, 4];
    const f3 = new Float64Array(24);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) f3[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
    const arr3 = decodeNpy(
      rawNpy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }", new Uint8Array(f3.buffer)),
      'f3.npy',
    );
    const expected: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expected.push(100 * i + 10 * j + k);
    expect(arr3.shape).toEqual(shape);
    expect(Array.from(arr3.data as Float64Array)).toEqual(expected);
  });

  it('reads version 2.0 and 3.0 headers, and double-quoted or spaced dict literals', () => {
    const data = new Uint8Array(Float32Array.of(7).buffer);
    for (const major of [2, 3]) {
      const arr = decodeNpy(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data, major), 'v.npy');
      expect(arr.data[0]).toBe(7);
    }
    const arr = decodeNpy(rawNpy('{ "shape" : ( 1 , ) ,"fortran_order":False,"descr":"<f4"}', data), 'q.npy');
    expect(arr.shape).toEqual([1]);
  });
});

describe('errors name the source and the field', () => {
  const good = encodeNpy(Float32Array.of(1, 2, 3, 4), [2, 2]);
  it('magic', () => {
    expectError(() => decodeNpy(new TextEncoder().encode('hello world, not numpy'), 'a.npy'), 'a.npy', 'magic');
    expectError(() => decodeNpy(new Uint8Array(0), 'empty.npy'), 'empty.npy', 'magic');
  });
  it('version', () => {
    const bad = good.slice();
    bad[6] = 9;
    expectError(() => decodeNpy(bad, 'v.npy'), 'v.npy', 'version', '9.0');
  });
  it('header', () => {
    expectError(() => decodeNpy(good.subarray(0, 30), 't.npy'), 't.npy', 'header', 'truncated');
    expectError(
      () => decodeNpy(rawNpy("{'descr': '<f4', 'shape': (2,), }", new Uint8Array(8)), 'h.npy'),
      'h.npy',
      'header',
      'fortran_order',
    );
    expectError(() => decodeNpy(rawNpy("{'descr': '<f4' 'shape'", new Uint8Array(8)), 'h.npy'), 'h.npy', 'header');
    expectError(() => decodeNpy(rawNpy('[1, 2]', new Uint8Array(8)), 'h.npy'), 'h.npy', 'header', 'not a dictionary');
  });
  it('dtype', () => {
    expectError(
      () => decodeNpy(rawNpy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), 'c.npy'),
      'c.npy',
      'dtype',
      "'<c8'",
    );
    expectError(
      () =>
        decodeNpy(
          rawNpy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)),
          's.npy',
        ),
      's.npy',
      'dtype',
      'structured',
    );
    expectError(
      () => decodeNpy(rawNpy("{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(20)), 'u.npy'),
      'u.npy',
      'dtype',
    );
  });
  it('fortran_order', () => {
    expectError(
      () => decodeNpy(rawNpy("{'descr': '<f4', 'fortran_order': 1, 'shape': (1,), }", new Uint8Array(4)), 'o.npy'),
      'o.npy',
      'fortran_order',
    );
  });
  it('shape', () => {
    expectError(
      () =>
        decodeNpy(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2), }", new Uint8Array(8)), 'n.npy'),
      'n.npy',
      'shape',
    );
    expectError(
      () => decodeNpy(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': 4, }", new Uint8Array(16)), 'n.npy'),
      'n.npy',
      'shape',
      'tuple',
    );
    expectError(
      () =>
        decodeNpy(
          rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", new Uint8Array(8)),
          'huge.npy',
        ),
      'huge.npy',
      'shape',
    );
  });
  it('data length', () => {
    expectError(
      () => decodeNpy(good.subarray(0, good.length - 1), 'short.npy'),
      'short.npy',
      'data length',
      '(2, 2)',
      '16 bytes',
      '15',
      'truncated',
    );
    const long = new Uint8Array(good.length + 4);
    long.set(good);
    expectError(() => decodeNpy(long, 'long.npy'), 'long.npy', 'data length', '20');
  });
});

describe('fuzzing: bad bytes only ever raise NpyFormatError', () => {
  const decodeOrOurError = (bytes: Uint8Array) => {
    try {
      const arr = decodeNpy(bytes, 'fuzz.npy');
      expect(arr.data.length).toBe(arr.shape.reduce((a, b) => a * b, 1));
    } catch (e) {
      if (!(e instanceof NpyFormatError)) throw e;
      expect((e as Error).message.startsWith('fuzz.npy: ')).toBe(true);
    }
  };
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => decodeOrOurError(b)),
      { numRuns: 2000 },
    );
  });
  it('random bytes after a valid magic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 3 }), (b, major) => {
        const file = new Uint8Array(8 + b.length);
        file.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
        file.set(b, 8);
        decodeOrOurError(file);
      }),
      { numRuns: 2000 },
    );
  });
  it('mutated and truncated valid files', () => {
    const base = [
      encodeNpy(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]),
      encodeNpy(BigInt64Array.of(1n, -2n), [2, 1]),
      rawNpy("{'descr': '>f8', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(32)),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: base.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.option(fc.nat()),
        (which, edits, cut) => {
          let file = base[which].slice();
          for (const [at, value] of edits) file[at % file.length] = value;
          if (cut !== null) file = file.subarray(0, cut % (file.length + 1));
          decodeOrOurError(file);
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('mutated header text', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    fc.assert(
      fc.property(
        fc.nat({ max: header.length - 1 }),
        fc.constantFrom(...'\'"(){}[],:0123456789-TrueFalseNone <>|fiub'.split('')),
        (at, ch) => {
          decodeOrOurError(rawNpy(header.slice(0, at) + ch + header.slice(at + 1), new Uint8Array(24)));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
