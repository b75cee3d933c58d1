// .npz archives: round trips, determinism, errors, and interchange with real numpy (skipped with a message when numpy is absent).
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, NpyFormatError } from '../../src/image/npy.js';
import { readNpz, writeNpz } from '../../src/image/npz.js';
import { numpy, unmet } from '../helpers/requirements.js';

const dir = mkdtempSync(join(tmpdir(), 'dexnet-npz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const python = (script: string, ...args: string[]): string =>
  execFileSync('python3', ['-c', script, ...args], { encoding: 'utf8' });

describe('writeNpz / readNpz', () => {
  const crops = new Float32Array(3 * 32 * 32);
  for (let i = 0; i < crops.length; i++) crops[i] = 0.6 + 0.001 * Math.sin(i);
  const labels = Uint32Array.of(0, 5, 9);

  for (const compress of [true, false]) {
    it(`round-trips several arrays (compress=${compress})`, () => {
      const bytes = writeNpz(
        { arr_0: { data: crops, shape: [3, 32, 32, 1] }, labels: { data: labels, shape: [3] } },
        { compress },
      );
      const back = readNpz(bytes, 'x.npz');
      expect(Object.keys(back).sort()).toEqual(['arr_0', 'labels']);
      expect(back.arr_0.shape).toEqual([3, 32, 32, 1]);
      expect(back.arr_0.data).toEqual(crops);
      expect(back.labels.dtype).toBe('uint32');
      expect(Array.from(back.labels.data as Uint32Array)).toEqual([0, 5, 9]);
    });
  }

  it('compresses repetitive data and is byte-identical across calls', () => {
    const zeros = new Float32Array(100_000);
    const a = writeNpz({ arr_0: { data: zeros, shape: [100_000] } });
    const b = writeNpz({ arr_0: { data: zeros, shape: [100_000] } });
    expect(a.length).toBeLessThan(2_000);
    expect(a).toEqual(b);
  });

  it('errors name the archive and the member', () => {
    expect(() => readNpz(Uint8Array.of(1, 2, 3, 4), 'bad.npz')).toThrow(NpyFormatError);
    expect(() => readNpz(Uint8Array.of(1, 2, 3, 4), 'bad.npz')).toThrow(/^bad\.npz: zip/);
    // A well-formed zip whose member is not a .npy file.
    const corrupt = zipSync({ 'arr_0.npy': new TextEncoder().encode('this is not numpy data') });
    expect(() => readNpz(corrupt, 'c.npz')).toThrow(/^c\.npz:arr_0: magic/);
  });
});

describe('integrity', () => {
  it('rejects an archive whose stored array bytes were changed (CRC-32 check)', () => {
    const good = writeNpz({ arr_0: { data: Float32Array.of(1, 2, 3, 4), shape: [4] } }, { compress: false });
    expect(Array.from(readNpz(good, 'ok.npz').arr_0.data as Float32Array)).toEqual([1, 2, 3, 4]);
    const bad = good.slice();
    // The .npy payload sits after the 30-byte local header, the name and the 64-byte .npy header.
    bad[30 + 'arr_0.npy'.length + 64 + 2] ^= 0x10;
    expect(() => readNpz(bad, 'bad.npz')).toThrow(/^bad\.npz:arr_0: zip: CRC-32 mismatch/);
  });
});

describe('fuzzing readNpz', () => {
  it('mutated and truncated archives only ever raise NpyFormatError naming the archive', () => {
    const bases = [
      writeNpz({ arr_0: { data: Float32Array.from({ length: 64 }, (_, i) => i), shape: [8, 8] } }),
      writeNpz(
        { a: { data: Uint8Array.of(1, 2, 3), shape: [3] }, b: { data: Float64Array.of(1), shape: [] } },
        { compress: false },
      ),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.option(fc.nat()),
        (which, edits, cut) => {
          let bytes = bases[which].slice();
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          if (cut !== null) bytes = bytes.subarray(0, cut % (bytes.length + 1));
          try {
            readNpz(bytes, 'fuzz.npz');
          } catch (e) {
            if (!(e instanceof NpyFormatError)) throw e;
            expect((e as Error).message.startsWith('fuzz.npz')).toBe(true);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe.skipIf(unmet('.npz/.npy interchange with numpy', numpy))('numpy interchange', () => {
  it('numpy reads our .npz (savez_compressed style) with the right dtypes, shapes and values', () => {
    const path = join(dir, 'ours.npz');
    const f = new Float32Array(2 * 3 * 4);
    for (let i = 0; i < f.length; i++) f[i] = i * 0.5 - 3;
    writeFileSync(
      path,
      writeNpz({
        arr_0: { data: f, shape: [2, 3, 4] },
        u8: { data: Uint8Array.of(0, 255, 3), shape: [3] },
        u32: { data: Uint32Array.of(4000000000, 1), shape: [2, 1] },
        f64: { data: Float64Array.of(Math.PI), shape: [] },
        i64: { data: BigInt64Array.of(-7n, 1n << 40n), shape: [2] },
        flags: { data: Uint8Array.of(1, 0), shape: [2], dtype: 'bool' },
      }),
    );
    const out = python(
      `import sys, json, numpy as np
d = np.load(sys.argv[1])
print(json.dumps({k: [str(d[k].dtype), list(d[k].shape), d[k].ravel().tolist()] for k in sorted(d.files)}))`,
      path,
    );
    const got = JSON.parse(out) as Record<string, [string, number[], unknown[]]>;
    expect(got.arr_0[0]).toBe('float32');
    expect(got.arr_0[1]).toEqual([2, 3, 4]);
    expect(got.arr_0[2]).toEqual(Array.from(f));
    expect(got.u8).toEqual(['uint8', [3], [0, 255, 3]]);
    expect(got.u32).toEqual(['uint32', [2, 1], [4000000000, 1]]);
    expect(got.f64).toEqual(['float64', [], [Math.PI]]);
    expect(got.i64).toEqual(['int64', [2], [-7, 2 ** 40]]);
    expect(got.flags).toEqual(['bool', [2], [true, false]]);
  });

  it('numpy reads our .npy', () => {
    const path = join(dir, 'ours.npy');
    writeFileSync(path, encodeNpy(Float32Array.of(0.5, 0, 1.25, 2), [2, 2]));
    const out = python(
      `import sys, numpy as np; a = np.load(sys.argv[1]); print(a.dtype, a.shape, a.ravel().tolist())`,
      path,
    );
    expect(out.trim()).toBe('float32 (2, 2) [0.5, 0.0, 1.25, 2.0]');
  });

  it('we read .npz and .npy files numpy wrote (compressed and not, zip64 members, big-endian, Fortran order, v2.0 header)', () => {
    python(
      `import sys, numpy as np
d = sys.argv[1]
a = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8
np.savez_compressed(d + '/np_c.npz', a, labels=np.array([3, 1, 2], dtype=np.uint32))
np.savez(d + '/np_u.npz', x=np.array([[1.5, -2.0]], dtype=np.float64))
np.save(d + '/be.npy', np.array([1.5, -0.25, 3.0], dtype='>f4'))
np.save(d + '/fo.npy', np.asfortranarray(np.arange(6, dtype=np.int16).reshape(2, 3)))
np.save(d + '/i64.npy', np.array([-1, 2**40], dtype=np.int64))
np.save(d + '/b.npy', np.array([True, False, True]))
np.lib.format.write_array(open(d + '/v2.npy', 'wb'), np.array([7.0], dtype='<f8'), version=(2, 0))
`,
      dir,
    );
    const c = readNpz(readFileSync(join(dir, 'np_c.npz')), 'np_c.npz');
    expect(c.arr_0.dtype).toBe('float32');
    expect(c.arr_0.shape).toEqual([2, 3, 4]);
    expect(Array.from(c.arr_0.data as Float32Array)).toEqual(Array.from({ length: 24 }, (_, i) => i / 8));
    expect(Array.from(c.labels.data as Uint32Array)).toEqual([3, 1, 2]);
    const u = readNpz(readFileSync(join(dir, 'np_u.npz')), 'np_u.npz');
    expect(u.x.shape).toEqual([1, 2]);
    expect(Array.from(u.x.data as Float64Array)).toEqual([1.5, -2]);
    const be = decodeNpy(readFileSync(join(dir, 'be.npy')), 'be.npy');
    expect(Array.from(be.data as Float32Array)).toEqual([1.5, -0.25, 3]);
    const fo = decodeNpy(readFileSync(join(dir, 'fo.npy')), 'fo.npy');
    expect(fo.shape).toEqual([2, 3]);
    expect(Array.from(fo.data as Int16Array)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(decodeNpy(readFileSync(join(dir, 'i64.npy')), 'i64.npy').data as Float64Array)).toEqual([
      -1,
      2 ** 40,
    ]);
    const b = decodeNpy(readFileSync(join(dir, 'b.npy')), 'b.npy');
    expect(b.dtype).toBe('bool');
    expect(Array.from(b.data as Uint8Array)).toEqual([1, 0, 1]);
    expect(Array.from(decodeNpy(readFileSync(join(dir, 'v2.npy')), 'v2.npy').data as Float64Array)).toEqual([7]);
  });

  it('our .npy header matches numpy byte for byte in the fields numpy checks', () => {
    const path = join(dir, 'np_hdr.npy');
    python(`import sys, numpy as np; np.save(sys.argv[1], np.zeros((3, 4), dtype=np.float32))`, path);
    const theirs = readFileSync(path);
    const ours = encodeNpy(new Float32Array(12), [3, 4]);
    // Same data offset (64-byte aligned) and same data; numpy may add spare spaces for in-place growth.
    const theirsHeader = theirs[8] | (theirs[9] << 8);
    expect((10 + theirsHeader) % 64).toBe(0);
    expect(Array.from(ours.subarray(ours.length - 48))).toEqual(Array.from(theirs.subarray(theirs.length - 48)));
  });
});
