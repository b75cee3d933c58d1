// Depth file reading at the edge: accepted layouts, NaN → missing, and one `<file>: <problem>` line for every bad input.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDepthImage } from '../../src/image/depth-image.js';
import { DepthInputError, readDepthFile, writeDepthNpy } from '../../src/image/depth-io.js';
import { encodeNpy } from '../../src/image/npy.js';
import { encodePng } from '../../src/image/png.js';

const dir = mkdtempSync(join(tmpdir(), 'dexnet-depth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function problem(path: string): Promise<string> {
  try {
    await readDepthFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(DepthInputError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    expect(message.startsWith(`${path}: `)).toBe(true);
    return message.slice(path.length + 2);
  }
  throw new Error(`${path} was accepted`);
}

describe('readDepthFile', () => {
  it('reads float32 and float64 .npy of shape (H, W) and (H, W, 1), NaN/Inf → 0', async () => {
    const f32 = await readDepthFile(
      file('a.npy', encodeNpy(Float32Array.of(0.5, Number.NaN, 0.7, 0, 0.9, Number.POSITIVE_INFINITY), [2, 3])),
    );
    expect(f32.width).toBe(3);
    expect(f32.height).toBe(2);
    expect(Array.from(f32.data)).toEqual(Array.from(Float32Array.of(0.5, 0, 0.7, 0, 0.9, 0)));
    const f64 = await readDepthFile(file('b.npy', encodeNpy(Float64Array.of(0.25, 0.5, 0.75, 1), [2, 2, 1])));
    expect(f64.width).toBe(2);
    expect(Array.from(f64.data)).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it('reads 16-bit PNG millimetres, with an optional scale', async () => {
    const path = file('d.png', encodePng({ width: 2, height: 1, channels: 1, data: Uint16Array.of(0, 650) }));
    expect(Array.from((await readDepthFile(path)).data)).toEqual([0, Math.fround(0.65)]);
    expect((await readDepthFile(path, { depthScale: 0.0001 })).data[1]).toBeCloseTo(0.065, 6);
  });

  it('gives one line naming the file and the problem for every bad input', async () => {
    expect(await problem(file('rgb.npy', encodeNpy(new Float32Array(12).fill(1), [2, 2, 3])))).toMatch(
      /shape \(2, 2, 3\) is not a depth image \(expected \(H, W\) or \(H, W, 1\)\)/,
    );
    expect(await problem(file('flat.npy', encodeNpy(new Float32Array(4).fill(1), [4])))).toMatch(/shape \(4,\)/);
    expect(await problem(file('int.npy', encodeNpy(new Uint16Array(4).fill(600), [2, 2])))).toMatch(
      /dtype uint16 is not supported \(expected float32 or float64/,
    );
    const good = encodeNpy(new Float32Array(16).fill(0.5), [4, 4]);
    expect(await problem(file('cut.npy', good.subarray(0, good.length - 10)))).toMatch(/data length: .*truncated/);
    expect(await problem(file('zero.npy', encodeNpy(new Float32Array(16), [4, 4])))).toMatch(/every pixel is missing/);
    expect(await problem(file('nan.npy', encodeNpy(new Float32Array(4).fill(Number.NaN), [2, 2])))).toMatch(
      /every pixel is missing/,
    );
    expect(await problem(file('neg.npy', encodeNpy(Float32Array.of(0.5, -0.1, 0.5, 0.5), [2, 2])))).toMatch(
      /negative depth -0\.1\d* at row 0, column 1/,
    );
    expect(await problem(file('huge.npy', encodeNpy(Float64Array.of(0.5, 1e300), [1, 2])))).toMatch(
      /does not fit in float32/,
    );
    expect(await problem(file('empty.npy', new Uint8Array(0)))).toBe('file is empty');
    expect(await problem(file('noshape.npy', encodeNpy(new Float32Array(0), [0, 5])))).toMatch(/image is empty/);
    expect(await problem(file('junk.npy', new TextEncoder().encode('hello')))).toMatch(/magic/);
    expect(
      await problem(file('d8.png', encodePng({ width: 1, height: 1, channels: 1, data: Uint8Array.of(5) }))),
    ).toMatch(/16-bit/);
    expect(
      await problem(file('z.png', encodePng({ width: 2, height: 2, channels: 1, data: new Uint16Array(4) }))),
    ).toMatch(/every pixel is missing/);
    expect(await problem(file('junk.png', new TextEncoder().encode('not png')))).toMatch(/not a readable PNG/);
    expect(await problem(file('depth.tiff', Uint8Array.of(1)))).toMatch(/unsupported depth file type '\.tiff'/);
    expect(await problem(join(dir, 'missing.npy'))).toBe('no such file');
  });
});

describe('writeDepthNpy', () => {
  it('writes a float32 (H, W) .npy atomically that reads back identically', async () => {
    const depth = createDepthImage(3, 2, Float32Array.of(0.5, 0, 0.7, 0.8, 0.9, 1));
    const path = join(dir, 'out.npy');
    await writeDepthNpy(path, depth);
    await writeDepthNpy(path, depth); // overwriting is fine
    const back = await readDepthFile(path);
    expect(back.width).toBe(3);
    expect(back.height).toBe(2);
    expect(back.data).toEqual(depth.data);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('leaves no temporary file behind when the target cannot be written', async () => {
    await expect(writeDepthNpy(join(dir, 'no-such-dir', 'x.npy'), createDepthImage(1, 1))).rejects.toThrow();
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
  });
});
