// PNG io: 8/16-bit round trips, masks from any channel layout, low bit depths and palettes, millimetre depth, errors.
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { createDepthImage, createMask } from '../../src/image/depth-image.js';
import {
  encodeDepthPng16,
  encodeMaskPng,
  encodePng,
  PngFormatError,
  readDepthPng16,
  readMaskPng,
  readPng,
} from '../../src/image/png.js';

describe('readPng / encodePng', () => {
  it('round-trips 8-bit and 16-bit images with 1–4 channels', () => {
    for (const channels of [1, 2, 3, 4]) {
      const d8 = Uint8Array.from({ length: 5 * 3 * channels }, (_, i) => (i * 37) % 256);
      const p8 = readPng(encodePng({ width: 5, height: 3, channels, data: d8 }), 'a.png');
      expect(p8).toMatchObject({ width: 5, height: 3, channels, bitDepth: 8 });
      expect(Array.from(p8.data)).toEqual(Array.from(d8));
      const d16 = Uint16Array.from({ length: 4 * 2 * channels }, (_, i) => (i * 7919) % 65536);
      const p16 = readPng(encodePng({ width: 4, height: 2, channels, data: d16 }), 'b.png');
      expect(p16.bitDepth).toBe(16);
      expect(p16.data).toBeInstanceOf(Uint16Array);
      expect(Array.from(p16.data)).toEqual(Array.from(d16));
    }
  });

  it('unpacks 1-bit images and expands palettes', () => {
    // 1-bit grayscale, 10 px wide: rows are padded to whole bytes.
    const packed = Uint8Array.of(0b10100000, 0b01000000, 0b00000000, 0b11000000);
    const bits = readPng(encode({ width: 10, height: 2, channels: 1, depth: 1, data: packed }), 'bits.png');
    expect(bits.bitDepth).toBe(1);
    expect(Array.from(bits.data)).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    const pal = readPng(
      encode({
        width: 3,
        height: 1,
        channels: 1,
        depth: 8,
        data: Uint8Array.of(0, 1, 0),
        palette: [
          [0, 0, 0],
          [255, 10, 20],
        ],
      }),
      'pal.png',
    );
    expect(pal.channels).toBe(3);
    expect(Array.from(pal.data)).toEqual([0, 0, 0, 255, 10, 20, 0, 0, 0]);
  });

  it('reports unreadable bytes with the source name', () => {
    expect(() => readPng(new TextEncoder().encode('not a png'), 'junk.png')).toThrow(PngFormatError);
    expect(() => readPng(new TextEncoder().encode('not a png'), 'junk.png')).toThrow(/^junk\.png: not a readable PNG/);
    const good = encodePng({ width: 8, height: 8, channels: 1, data: new Uint8Array(64).fill(9) });
    expect(() => readPng(good.subarray(0, good.length - 20), 'cut.png')).toThrow(/^cut\.png: /);
  });
});

describe('masks', () => {
  it('reads non-zero first-channel pixels as inside, for grey, grey+alpha, RGB, RGBA and 1-bit files', () => {
    const inside = [0, 1, 1, 0, 0, 1];
    for (const channels of [1, 2, 3, 4]) {
      const data = new Uint8Array(6 * channels);
      for (let i = 0; i < 6; i++) {
        data[i * channels] = inside[i] ? 200 : 0;
        for (let c = 1; c < channels; c++) data[i * channels + c] = 77; // other channels must not matter
      }
      const mask = readMaskPng(encodePng({ width: 3, height: 2, channels, data }), 'm.png');
      expect(mask.width).toBe(3);
      expect(Array.from(mask.data).map((v) => (v ? 1 : 0))).toEqual(inside);
    }
    const oneBit = readMaskPng(
      encode({ width: 3, height: 2, channels: 1, depth: 1, data: Uint8Array.of(0b01100000, 0b00100000) }),
      'b.png',
    );
    expect(Array.from(oneBit.data).map((v) => (v ? 1 : 0))).toEqual(inside);
  });

  it('writes {0, 255} single-channel masks that read back equal', () => {
    const mask = createMask(4, 2, Uint8Array.of(0, 1, 7, 0, 255, 0, 0, 3));
    const bytes = encodeMaskPng(mask);
    const png = readPng(bytes, 'mask.png');
    expect(png.channels).toBe(1);
    expect(png.bitDepth).toBe(8);
    expect(Array.from(png.data)).toEqual([0, 255, 255, 0, 255, 0, 0, 255]);
    expect(Array.from(readMaskPng(bytes, 'mask.png').data)).toEqual([0, 255, 255, 0, 255, 0, 0, 255]);
  });
});

describe('16-bit depth', () => {
  it('reads millimetres as metres, keeps 0 as missing, honours a custom scale', () => {
    const mm = Uint16Array.of(0, 600, 1234, 65535);
    const bytes = encodePng({ width: 2, height: 2, channels: 1, data: mm });
    const depth = readDepthPng16(bytes, 'd.png');
    expect(depth.width).toBe(2);
    expect(Array.from(depth.data)).toEqual(Array.from(Float32Array.of(0, 0.6, 1.234, 65.535)));
    expect(readDepthPng16(bytes, 'd.png', 0.0001).data[2]).toBeCloseTo(0.1234, 6);
  });

  it('round-trips depth through encodeDepthPng16 to the nearest millimetre', () => {
    const depth = createDepthImage(3, 1, Float32Array.of(0, 0.7004, 1.2996));
    const back = readDepthPng16(encodeDepthPng16(depth), 'rt.png');
    expect(Array.from(back.data)).toEqual(Array.from(Float32Array.of(0, 0.7, 1.3)));
    expect(() => encodeDepthPng16(createDepthImage(1, 1, Float32Array.of(70)))).toThrow(/16-bit range/);
    expect(() => encodeDepthPng16(createDepthImage(1, 1, Float32Array.of(-1)))).toThrow(/≥ 0/);
  });

  it('rejects 8-bit or multi-channel files as depth', () => {
    expect(() =>
      readDepthPng16(encodePng({ width: 1, height: 1, channels: 1, data: Uint8Array.of(3) }), 'e.png'),
    ).toThrow(/^e\.png: depth PNG must be 16-bit, got 8-bit$/);
    expect(() =>
      readDepthPng16(encodePng({ width: 1, height: 1, channels: 3, data: Uint16Array.of(1, 2, 3) }), 'c.png'),
    ).toThrow(/^c\.png: depth PNG must have one channel, got 3$/);
  });
});
