// A seeded generator of hostile inputs for every reader a user can reach: PNG and .npy depth images, segmasks,
// camera intrinsics, depth values, meshes and HTTP requests. Each case says whether it must be refused
// (`refuse: true`), must be accepted (`false`, with what it must decode to where that is known), or may go either
// way as long as the answer is clean (`'either'`). The files are built here with independent tools (Node's zlib
// for deflate and CRC-32, hand-written headers), never with the readers under test. Shared by test/hostile and
// bench/hostile.ts.
import { crc32 as nodeCrc32, deflateSync } from 'node:zlib';
import { Random } from '../../src/core/random.js';
import { createMesh, type Mesh } from '../../src/geometry/mesh.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { writeObj, writePly, writeStl } from '../../src/geometry/mesh-io/index.js';

export type Verdict = true | false | 'either';

export interface BytesCase {
  name: string;
  bytes: Uint8Array;
  refuse: Verdict;
}

export interface DepthCase extends BytesCase {
  format: 'npy' | 'png';
  depthScale: number;
  /** Intrinsics JSON for the image (gqcnn .intr keys). */
  intrinsics: Record<string, unknown>;
}

export interface IntrinsicsCase {
  name: string;
  /** JSON text of the .intr file. */
  text: string;
  refuse: Verdict;
}

export interface MeshCase extends BytesCase {
  format: 'obj' | 'stl' | 'ply';
}

export interface HttpCase {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  refuse: Verdict;
}

// ---------------------------------------------------------------------------------------------------------------
// Valid bases: a small scene (a box on a table seen from 0.7 m) as 16-bit PNG millimetres and float32 .npy metres.

export const SCENE = { width: 48, height: 40 } as const;

/** Depth in metres of the base scene: table at 0.7 m, a raised box in the middle. */
export function sceneDepth(): Float32Array {
  const { width, height } = SCENE;
  const d = new Float32Array(width * height).fill(0.7);
  for (let r = 12; r < 28; r++) for (let c = 16; c < 32; c++) d[r * width + c] = 0.65;
  return d;
}

export function sceneIntrinsics(width: number = SCENE.width, height: number = SCENE.height): Record<string, unknown> {
  return {
    _fx: width,
    _fy: width,
    _cx: (width - 1) / 2,
    _cy: (height - 1) / 2,
    _skew: 0,
    _height: height,
    _width: width,
    _K: 0,
    _frame: 'camera',
  };
}

interface Chunk {
  type: string;
  data: Uint8Array;
}

const be32 = (v: number) => Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
const concat = (parts: Uint8Array[]) =>
  Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** A PNG file from chunks, each with its correct CRC (so only the check aimed at can refuse it). */
export function pngFile(chunks: Chunk[]): Uint8Array {
  const parts: Uint8Array[] = [PNG_SIGNATURE];
  for (const { type, data } of chunks) {
    const typed = concat([new TextEncoder().encode(type), data]);
    parts.push(be32(data.length), typed, be32(nodeCrc32(typed) >>> 0));
  }
  return concat(parts);
}

function ihdr(width: number, height: number, bitDepth: number, colourType: number, interlace = 0): Chunk {
  return {
    type: 'IHDR',
    data: concat([be32(width), be32(height), Uint8Array.of(bitDepth, colourType, 0, 0, interlace)]),
  };
}

/** Filtered rows (filter type 0) of 16-bit grey samples, big-endian as PNG stores them. */
function rawRows16(values: Uint16Array, width: number, height: number, filter = 0): Uint8Array {
  const out = new Uint8Array(height * (1 + 2 * width));
  for (let r = 0; r < height; r++) {
    const o = r * (1 + 2 * width);
    out[o] = filter;
    for (let c = 0; c < width; c++) {
      out[o + 1 + 2 * c] = values[r * width + c] >> 8;
      out[o + 2 + 2 * c] = values[r * width + c] & 255;
    }
  }
  return out;
}

export function sceneMillimetres(): Uint16Array {
  return Uint16Array.from(sceneDepth(), (v) => Math.round(v * 1000));
}

/** The base scene as a 16-bit grey PNG in millimetres, built by hand. */
export function scenePng(extra: { idatPieces?: number; ancillary?: boolean; level?: number } = {}): Uint8Array {
  const { width, height } = SCENE;
  const z = deflateSync(rawRows16(sceneMillimetres(), width, height), { level: extra.level ?? 6 });
  const pieces = extra.idatPieces ?? 1;
  const idat: Chunk[] = [];
  const step = Math.ceil(z.length / pieces);
  for (let i = 0; i < z.length; i += step) idat.push({ type: 'IDAT', data: z.subarray(i, i + step) });
  const text: Chunk[] = extra.ancillary
    ? [{ type: 'tEXt', data: new TextEncoder().encode('Comment\0hostile but harmless') }]
    : [];
  return pngFile([ihdr(width, height, 16, 0), ...text, ...idat, { type: 'IEND', data: new Uint8Array(0) }]);
}

/** An 8-bit grey mask PNG (255 on the box) of the scene's size. */
export function sceneMaskPng(): Uint8Array {
  const { width, height } = SCENE;
  const rows = new Uint8Array(height * (1 + width));
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) rows[r * (1 + width) + 1 + c] = r >= 12 && r < 28 && c >= 16 && c < 32 ? 255 : 0;
  return pngFile([
    ihdr(width, height, 8, 0),
    { type: 'IDAT', data: deflateSync(rows) },
    { type: 'IEND', data: new Uint8Array(0) },
  ]);
}

/** A .npy v1.0 file with a hand-written header (any text) and the given data bytes. */
export function npyFile(header: string, data: Uint8Array, version = 1): Uint8Array {
  let text = header;
  const pre = version === 1 ? 10 : 12;
  while ((pre + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  const head = new Uint8Array(pre);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  if (version === 1) head.set([text.length & 255, text.length >> 8], 8);
  else head.set(be32(text.length).reverse(), 8);
  return concat([head, new TextEncoder().encode(text), data]);
}

const f32bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function sceneNpy(scale = 1): Uint8Array {
  const d = sceneDepth().map((v) => v * scale);
  return npyFile(`{'descr': '<f4', 'fortran_order': False, 'shape': (${SCENE.height}, ${SCENE.width}), }`, f32bytes(d));
}

// ---------------------------------------------------------------------------------------------------------------
// PNG

const BOMB_SIZES = [2 ** 16, 2 ** 20, 2 ** 24, 2 ** 26];
const deflatedZeros = new Map<number, Uint8Array>();
/** zlib stream of `size` zero bytes (made once per size: 64 MiB takes a while to deflate). */
function zeros(size: number): Uint8Array {
  let z = deflatedZeros.get(size);
  if (!z) deflatedZeros.set(size, (z = deflateSync(new Uint8Array(size))));
  return z;
}

/** Hostile and valid variants of the scene PNG, `n` of them, from `seed`. */
export function pngCases(seed: number, n: number): BytesCase[] {
  const rng = new Random(seed);
  const base = scenePng();
  const { width, height } = SCENE;
  const raw = rawRows16(sceneMillimetres(), width, height);
  const z = deflateSync(raw);
  const end: Chunk = { type: 'IEND', data: new Uint8Array(0) };
  const kinds: (() => BytesCase)[] = [
    () => {
      const b = Uint8Array.from(base);
      const bit = rng.int(b.length * 8);
      b[bit >> 3] ^= 1 << (bit & 7);
      return { name: `bit ${bit} flipped`, bytes: b, refuse: true };
    },
    () => {
      const cut = rng.int(base.length - 1);
      return { name: `truncated to ${cut} bytes`, bytes: base.subarray(0, cut), refuse: true };
    },
    () => {
      const w = 1 + rng.int(2 ** 31 - 1),
        h = 1 + rng.int(2 ** 31 - 1);
      return {
        name: `second IHDR ${w}×${h}`,
        bytes: pngFile([ihdr(width, height, 16, 0), ihdr(w, h, 16, 0), { type: 'IDAT', data: z }, end]),
        refuse: true,
      };
    },
    () => {
      const w = 4097 + rng.int(2 ** 31 - 4097),
        h = 4097 + rng.int(1000);
      return {
        name: `IHDR claims ${w}×${h}`,
        bytes: pngFile([ihdr(w, h, 16, 0), { type: 'IDAT', data: z }, end]),
        refuse: true,
      };
    },
    () => {
      // Zeros compress ~1000:1: a few KB that inflate far past what the header promises.
      const size = BOMB_SIZES[rng.int(BOMB_SIZES.length)];
      const [w, h] = rng.next() < 0.5 ? [1, 1] : [width, height];
      return {
        name: `${w}×${h} IDAT inflating to ${size} bytes`,
        bytes: pngFile([ihdr(w, h, 16, 0), { type: 'IDAT', data: zeros(size) }, end]),
        refuse: true,
      };
    },
    () => {
      const keep = rng.int(raw.length);
      return {
        name: `image data inflates to ${keep} of ${raw.length} bytes`,
        bytes: pngFile([ihdr(width, height, 16, 0), { type: 'IDAT', data: deflateSync(raw.subarray(0, keep)) }, end]),
        refuse: true,
      };
    },
    () => {
      const bad = Uint8Array.from(z);
      bad[bad.length - 1 - rng.int(4)] ^= 1 + rng.int(255);
      return {
        name: 'wrong Adler-32 (chunk CRC correct)',
        bytes: pngFile([ihdr(width, height, 16, 0), { type: 'IDAT', data: bad }, end]),
        refuse: true,
      };
    },
    () => {
      const filter = 5 + rng.int(251);
      const rows = rawRows16(sceneMillimetres(), width, height);
      rows[rng.int(height) * (1 + 2 * width)] = filter;
      return {
        name: `filter type ${filter}`,
        bytes: pngFile([ihdr(width, height, 16, 0), { type: 'IDAT', data: deflateSync(rows) }, end]),
        refuse: true,
      };
    },
    () => {
      const combos: [number, number][] = [
        [16, 3],
        [3, 0],
        [4, 2],
        [1, 6],
        [8, 5],
        [0, 0],
        [32, 0],
        [8, 7],
      ];
      const [bitDepth, colourType] = combos[rng.int(combos.length)];
      return {
        name: `bit depth ${bitDepth}, colour type ${colourType}`,
        bytes: pngFile([ihdr(width, height, bitDepth, colourType), { type: 'IDAT', data: z }, end]),
        refuse: true,
      };
    },
    () => {
      const w = rng.next() < 0.5 ? 0 : width;
      return {
        name: `zero-size IHDR ${w}×0`,
        bytes: pngFile([ihdr(w, 0, 16, 0), { type: 'IDAT', data: z }, end]),
        refuse: true,
      };
    },
    () => ({ name: 'no IEND', bytes: pngFile([ihdr(width, height, 16, 0), { type: 'IDAT', data: z }]), refuse: true }),
    () => ({ name: 'no IDAT', bytes: pngFile([ihdr(width, height, 16, 0), end]), refuse: true }),
    () => ({
      name: 'IDAT before IHDR',
      bytes: pngFile([{ type: 'IDAT', data: z }, ihdr(width, height, 16, 0), end]),
      refuse: true,
    }),
    () => {
      const half = z.length >> 1;
      const chunks = [
        ihdr(width, height, 16, 0),
        { type: 'IDAT', data: z.subarray(0, half) },
        { type: 'tEXt', data: new Uint8Array(3) },
        { type: 'IDAT', data: z.subarray(half) },
        end,
      ];
      return { name: 'IDAT chunks split by another chunk', bytes: pngFile(chunks), refuse: true };
    },
    () => {
      const junk = new Uint8Array(1 + rng.int(400));
      for (let i = 0; i < junk.length; i++) junk[i] = rng.int(256);
      return { name: `signature then ${junk.length} random bytes`, bytes: concat([PNG_SIGNATURE, junk]), refuse: true };
    },
    () => ({
      name: 'palette image without PLTE',
      bytes: pngFile([
        ihdr(width, height, 8, 3),
        { type: 'IDAT', data: deflateSync(new Uint8Array(height * (1 + width))) },
        end,
      ]),
      refuse: true,
    }),
    () => ({
      name: 'preset dictionary flag',
      bytes: pngFile([
        ihdr(width, height, 16, 0),
        { type: 'IDAT', data: concat([Uint8Array.of(0x78, 0xbb), z.subarray(2)]) },
        end,
      ]),
      refuse: true,
    }),
    // Valid variants: must decode to the scene exactly.
    () => ({ name: 'valid, IDAT in pieces', bytes: scenePng({ idatPieces: 2 + rng.int(20) }), refuse: false }),
    () => ({ name: 'valid, with a tEXt chunk', bytes: scenePng({ ancillary: true }), refuse: false }),
    () => ({ name: 'valid, another deflate level', bytes: scenePng({ level: rng.int(10) }), refuse: false }),
  ];
  return Array.from({ length: n }, (_, i) => (i < kinds.length ? kinds[i] : kinds[rng.int(kinds.length)])());
}

// ---------------------------------------------------------------------------------------------------------------
// .npy

export function npyCases(seed: number, n: number): BytesCase[] {
  const rng = new Random(seed);
  const { width, height } = SCENE;
  const data = f32bytes(sceneDepth());
  const header = (shape: string, descr = '<f4', fortran = 'False') =>
    `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  const base = sceneNpy();
  const dataStart = base.length - data.length;
  const kinds: (() => BytesCase)[] = [
    () => {
      const dims = Array.from({ length: 1 + rng.int(3) }, () => 2 ** (20 + rng.int(44)));
      return { name: `shape (${dims.join(', ')})`, bytes: npyFile(header(`(${dims.join(', ')})`), data), refuse: true };
    },
    () => ({
      name: 'negative dimension',
      bytes: npyFile(header(`(-${1 + rng.int(100)}, ${width})`), data),
      refuse: true,
    }),
    () => ({ name: 'fractional dimension', bytes: npyFile(header(`(${height}.5, ${width})`), data), refuse: true }),
    () => {
      const descrs = ['<c8', '|O', '<U8', '>f16', 'f4', '<f3', '<i4', '|b1', '<u2', "[('a', '<f4')]"];
      const d = descrs[rng.int(descrs.length)];
      return { name: `descr ${d}`, bytes: npyFile(header(`(${height}, ${width})`, d), data), refuse: true };
    },
    () => ({
      name: 'fortran_order not a bool',
      bytes: npyFile(header(`(${height}, ${width})`, '<f4', String(rng.int(5))), data),
      refuse: true,
    }),
    () => {
      const cut = dataStart + rng.int(data.length);
      return { name: `data cut to ${cut} bytes`, bytes: base.subarray(0, cut), refuse: true };
    },
    () => {
      const b = Uint8Array.from(base);
      b.set([255, 255], 8);
      return { name: 'header length past the end', bytes: b, refuse: true };
    },
    () => {
      const b = Uint8Array.from(base);
      b[6] = 4 + rng.int(250);
      return { name: `format version ${b[6]}`, bytes: b, refuse: true };
    },
    () => {
      const junk = [
        "{'descr': '<f4'",
        '[1, 2, 3]',
        "{'descr': __import__('os'), 'shape': (1,)}",
        "{'shape': (40, 48), 'descr': '<f4', 'fortran_order': False, 'x': (((((",
        '{' + '('.repeat(5000),
      ];
      return { name: 'header not a dict literal', bytes: npyFile(junk[rng.int(junk.length)], data), refuse: true };
    },
    () => ({ name: 'shape (H, W, 3)', bytes: npyFile(header(`(${height}, ${width / 4}, 4)`), data), refuse: true }),
    () => ({ name: 'zero-size image', bytes: npyFile(header(`(0, ${width})`), new Uint8Array(0)), refuse: true }),
    () => {
      const b = Uint8Array.from(base);
      const bit = rng.int(dataStart * 8);
      b[bit >> 3] ^= 1 << (bit & 7);
      return { name: `header bit ${bit} flipped`, bytes: b, refuse: 'either' };
    },
    () => {
      const b = Uint8Array.from(base);
      const bit = dataStart * 8 + rng.int(data.length * 8);
      b[bit >> 3] ^= 1 << (bit & 7);
      // A flipped sign or exponent bit makes a negative or absurd depth (refused), a flipped low bit a valid image.
      return { name: `data bit ${bit} flipped`, bytes: b, refuse: 'either' };
    },
    () => ({ name: 'valid, version 2.0', bytes: npyFile(header(`(${height}, ${width})`), data, 2), refuse: false }),
  ];
  return Array.from({ length: n }, (_, i) => (i < kinds.length ? kinds[i] : kinds[rng.int(kinds.length)])());
}

// ---------------------------------------------------------------------------------------------------------------
// Depth values and units: decodable files whose content is no plausible camera image.

export function depthCases(seed: number, n: number): DepthCase[] {
  const rng = new Random(seed);
  const intr = sceneIntrinsics();
  const npyOf = (d: Float32Array) =>
    npyFile(`{'descr': '<f4', 'fortran_order': False, 'shape': (${SCENE.height}, ${SCENE.width}), }`, f32bytes(d));
  // The scene's intrinsics and depthScale 0.001 unless a case says otherwise; refused unless it says so.
  const depthCase = (
    name: string,
    format: DepthCase['format'],
    bytes: Uint8Array,
    o: { depthScale?: number; intrinsics?: Record<string, unknown>; refuse?: Verdict } = {},
  ): DepthCase => ({
    name,
    format,
    bytes,
    depthScale: o.depthScale ?? 0.001,
    intrinsics: o.intrinsics ?? intr,
    refuse: o.refuse ?? true,
  });
  const kinds: (() => DepthCase)[] = [
    () => depthCase('depth × 1000 (millimetres in a .npy)', 'npy', sceneNpy(1000)),
    () => depthCase('depth of 1e30 m', 'npy', npyOf(new Float32Array(SCENE.width * SCENE.height).fill(1e30))),
    () => {
      const d = sceneDepth();
      d[rng.int(d.length)] = 1e4 + rng.next() * 1e30;
      return depthCase('one pixel beyond 1000 m', 'npy', npyOf(d));
    },
    () => depthCase('depth × 1e-4', 'npy', sceneNpy(1e-4)),
    () => depthCase('PNG millimetres read with depthScale 1', 'png', scenePng(), { depthScale: 1 }),
    () => depthCase('PNG millimetres read with depthScale 1e-6', 'png', scenePng(), { depthScale: 1e-6 }),
    () => {
      const d = sceneDepth().map((v, i) => (i % 3 === 0 ? -v : v));
      return depthCase('negative depths', 'npy', npyOf(d));
    },
    () => depthCase('all missing', 'npy', npyOf(new Float32Array(SCENE.width * SCENE.height))),
    () => {
      const k = { ...intr };
      const fields: [string, unknown][] = [
        ['_fx', 1e-300],
        ['_fx', 1e308],
        ['_fy', 1e-3],
        ['_cx', 1e308],
        ['_cx', -1e6],
        ['_cy', SCENE.height * 5],
        ['_skew', 1e9],
        ['_width', SCENE.width + 1],
        ['_height', SCENE.height * 2],
        ['_fy', SCENE.width * 10],
      ];
      const [f, v] = fields[rng.int(fields.length)];
      k[f] = v;
      return depthCase(`intrinsics ${f} = ${v}`, 'npy', sceneNpy(), { intrinsics: k });
    },
    () => {
      const s = 0.5 + rng.next() * 2;
      return depthCase(`valid, scene × ${s.toFixed(3)}`, 'npy', sceneNpy(s), { refuse: false });
    },
    () => depthCase('valid, PNG', 'png', scenePng(), { refuse: false }),
  ];
  return Array.from({ length: n }, (_, i) => (i < kinds.length ? kinds[i] : kinds[rng.int(kinds.length)])());
}

// ---------------------------------------------------------------------------------------------------------------
// Intrinsics files

export function intrinsicsCases(seed: number, n: number): IntrinsicsCase[] {
  const rng = new Random(seed);
  const hostile: unknown[] = [
    null,
    'NaN',
    '525',
    [],
    {},
    true,
    -1,
    0,
    -0.0,
    1e-300,
    1e308,
    -1e308,
    2 ** 53 + 2,
    'Infinity',
    [525],
  ];
  const fields = ['_fx', '_fy', '_cx', '_cy', '_skew', '_height', '_width', '_frame'];
  const kinds: (() => IntrinsicsCase)[] = [
    () => {
      const k = sceneIntrinsics();
      const f = fields[rng.int(fields.length)];
      const v = hostile[rng.int(hostile.length)];
      k[f] = v;
      // Some values are harmless in some fields: a principal point of 0 or 1e-300 px lies in the image, a skew of
      // -1 px is small next to a 48 px focal length, and a frame name only needs to be a string.
      const n = typeof v === 'number' ? v : NaN;
      const harmless =
        (f === '_cx' && n >= -0.5 && n <= SCENE.width - 0.5) ||
        (f === '_cy' && n >= -0.5 && n <= SCENE.height - 0.5) ||
        (f === '_skew' && Math.abs(n) <= 0.1 * SCENE.width) ||
        (f === '_frame' && typeof v === 'string');
      return { name: `${f} = ${JSON.stringify(v)}`, text: JSON.stringify(k), refuse: harmless ? false : true };
    },
    () => {
      const k = sceneIntrinsics();
      // _skew and _frame have defaults; every other field is required.
      const required = ['_fx', '_fy', '_cx', '_cy', '_height', '_width'];
      delete k[required[rng.int(required.length)]];
      return { name: 'a required field missing', text: JSON.stringify(k), refuse: true };
    },
    () => {
      const k = JSON.stringify(sceneIntrinsics());
      const cut = rng.int(k.length);
      return { name: `JSON cut at ${cut}`, text: k.slice(0, cut), refuse: true };
    },
    () => ({
      name: 'overflowing number literal',
      text: JSON.stringify(sceneIntrinsics()).replace(/"_cx":[^,]+/, '"_cx":1e999'),
      refuse: true,
    }),
    () => ({ name: 'deeply nested', text: '['.repeat(20_000) + ']'.repeat(20_000), refuse: true }),
    () => ({ name: 'not an object', text: ['1', '"x"', 'null', '[]', 'true'][rng.int(5)], refuse: true }),
    () => {
      const k = sceneIntrinsics();
      k._fx = (k._fx as number) * (0.8 + rng.next() * 0.4);
      k._cx = (k._cx as number) + rng.uniform(-3, 3);
      return { name: 'valid, perturbed', text: JSON.stringify(k), refuse: false };
    },
  ];
  return Array.from({ length: n }, (_, i) => (i < kinds.length ? kinds[i] : kinds[rng.int(kinds.length)])());
}

// ---------------------------------------------------------------------------------------------------------------
// Meshes

const box = boxMesh(0.04, 0.05, 0.06);

function meshVariant(rng: Random): { name: string; mesh: Mesh; refuse: boolean } {
  const t = Array.from(box.triangles);
  const tri = (i: number) => t.slice(3 * i, 3 * i + 3);
  const count = t.length / 3;
  const kinds: (() => { name: string; mesh: Mesh; refuse: boolean })[] = [
    () => ({
      name: 'half its faces missing',
      mesh: createMesh(
        box.vertices,
        t.filter((_, i) => Math.floor(i / 3) % 2 === 0),
      ),
      refuse: true,
    }),
    () => {
      const drop = rng.int(count);
      return {
        name: `face ${drop} missing (open)`,
        mesh: createMesh(
          box.vertices,
          t.filter((_, i) => Math.floor(i / 3) !== drop),
        ),
        refuse: true,
      };
    },
    () => {
      const flipped = t.slice();
      for (let i = 0; i < flipped.length; i += 3) [flipped[i + 1], flipped[i + 2]] = [flipped[i + 2], flipped[i + 1]];
      return { name: 'inverted normals', mesh: createMesh(box.vertices, flipped), refuse: true };
    },
    () => ({ name: 'a duplicated face', mesh: createMesh(box.vertices, [...t, ...tri(rng.int(count))]), refuse: true }),
    () => {
      const s = [1000, 1e30, 100, 1e-4][rng.int(4)];
      return {
        name: `scaled × ${s}`,
        mesh: createMesh(
          Array.from(box.vertices, (v) => v * s),
          t,
        ),
        refuse: true,
      };
    },
    () => {
      // A second box sharing one edge: that edge has four faces.
      const shifted = Array.from(box.vertices, (v, i) => (i % 3 === 0 ? v + 0.04 : i % 3 === 1 ? v + 0.05 : v));
      return {
        name: 'two boxes sharing an edge (non-manifold)',
        mesh: createMesh([...box.vertices, ...shifted], [...t, ...t.map((v) => v + 8)]),
        refuse: true,
      };
    },
    () => ({ name: 'valid box', mesh: box, refuse: false }),
  ];
  return kinds[rng.int(kinds.length)]();
}

export function meshCases(seed: number, n: number): MeshCase[] {
  const rng = new Random(seed);
  const formats = ['obj', 'stl', 'ply'] as const;
  const write = (m: Mesh, format: (typeof formats)[number], binary: boolean) =>
    format === 'obj' ? writeObj(m) : format === 'stl' ? writeStl(m, { binary }) : writePly(m, { binary });
  const kinds: (() => MeshCase)[] = [
    () => {
      const v = meshVariant(rng);
      const format = formats[rng.int(3)];
      return {
        name: `${v.name} (${format})`,
        format,
        bytes: write(v.mesh, format, rng.next() < 0.5),
        refuse: v.refuse,
      };
    },
    () => {
      const format = formats[rng.int(3)];
      const b = Uint8Array.from(write(box, format, rng.next() < 0.5));
      for (let k = 1 + rng.int(4); k > 0; k--) b[rng.int(b.length)] = rng.int(256);
      return { name: `${format} with random bytes changed`, format, bytes: b, refuse: 'either' };
    },
    () => {
      const format = formats[rng.int(3)];
      const b = write(box, format, rng.next() < 0.5);
      const cut = rng.int(b.length);
      return { name: `${format} cut to ${cut} bytes`, format, bytes: b.subarray(0, cut), refuse: 'either' };
    },
    () => {
      const n2 = [2 ** 32 - 1, 2 ** 31, 1e9, 5e6][rng.int(4)];
      const head = `ply\nformat binary_little_endian 1.0\nelement vertex ${n2}\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n`;
      return {
        name: `PLY header claims ${n2} vertices`,
        format: 'ply',
        bytes: concat([new TextEncoder().encode(head), new Uint8Array(64)]),
        refuse: true,
      };
    },
    () => {
      const n2 = [2 ** 32 - 1, 2 ** 24, 1e8][rng.int(3)];
      const b = new Uint8Array(84 + 50);
      new DataView(b.buffer).setUint32(80, n2, true);
      return { name: `binary STL claims ${n2} triangles`, format: 'stl', bytes: b, refuse: true };
    },
    () => {
      const lines = [
        'v 0 0 0',
        'v 1e400 0 0',
        'v nan 0 0',
        'f 1 2 99999999',
        'f -5 1 2',
        'f 1 1 1',
        'vt 0 0',
        'f 1/2/3',
      ];
      const text = Array.from({ length: 3 + rng.int(20) }, () => lines[rng.int(lines.length)]).join('\n');
      return { name: 'OBJ of hostile lines', format: 'obj', bytes: new TextEncoder().encode(text), refuse: true };
    },
  ];
  return Array.from({ length: n }, (_, i) => (i < kinds.length ? kinds[i] : kinds[rng.int(kinds.length)])());
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP requests against POST /v1/plan and the other routes (every one of these must be refused with a 4xx).

export function httpCases(seed: number, n: number): HttpCase[] {
  const rng = new Random(seed);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  const planBody = (fields: Record<string, unknown>) =>
    JSON.stringify({ depth: b64(sceneNpy()), intrinsics: sceneIntrinsics(), ...fields });
  const hostileFile = (): Uint8Array => {
    const pick = rng.int(3);
    if (pick === 0) return pngCases(rng.int(2 ** 31), 30)[rng.int(17)].bytes;
    if (pick === 1) return npyCases(rng.int(2 ** 31), 12)[rng.int(11)].bytes;
    return depthCases(rng.int(2 ** 31), 8)[rng.int(8)].bytes;
  };
  const form = (parts: [string, Uint8Array | string][]): { body: Buffer; type: string } => {
    const boundary = `----hostile${rng.int(1e9)}`;
    const out: Buffer[] = [];
    for (const [name, value] of parts) {
      const file = typeof value !== 'string';
      out.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${name}.bin"` : ''}\r\n\r\n`,
        ),
      );
      out.push(Buffer.from(value as Uint8Array | string), Buffer.from('\r\n'));
    }
    out.push(Buffer.from(`--${boundary}--\r\n`));
    return { body: Buffer.concat(out), type: `multipart/form-data; boundary=${boundary}` };
  };
  // Every POST /v1/plan case here must be refused.
  const plan = (name: string, contentType: string, body: string | Buffer): HttpCase => ({
    name,
    method: 'POST',
    url: '/v1/plan',
    headers: { 'content-type': contentType },
    body,
    refuse: true,
  });
  const formPlan = (name: string, parts: [string, Uint8Array | string][], cut = (body: Buffer) => body): HttpCase => {
    const f = form(parts);
    return plan(name, f.type, cut(f.body));
  };
  const intrinsicsPart = (): [string, string] => ['intrinsics', JSON.stringify(sceneIntrinsics())];
  const kinds: (() => HttpCase)[] = [
    () => plan('hostile depth as JSON', 'application/json', planBody({ depth: b64(hostileFile()) })),
    () => formPlan('hostile depth as a form', [['depth', hostileFile()], intrinsicsPart()]),
    () => {
      const c = depthCases(rng.int(2 ** 31), 9)[rng.int(9)];
      return plan(
        `implausible: ${c.name}`,
        'application/json',
        planBody({ depth: b64(c.bytes), intrinsics: c.intrinsics, depthScale: c.depthScale }),
      );
    },
    () => {
      const c = intrinsicsCases(rng.int(2 ** 31), 6)[rng.int(6)];
      return plan(`intrinsics: ${c.name}`, 'application/json', `{"depth":"${b64(sceneNpy())}","intrinsics":${c.text}}`);
    },
    () => {
      const bad = [
        ['policy', 'rm -rf'],
        ['topK', 1e9],
        ['topK', -1],
        ['seed', 2 ** 40],
        ['seed', 'x'],
        ['depthScale', 0],
        ['depthScale', 1e300],
        ['workspace', [1, 2, 3]],
        ['workspace', [40, 30, 2, 1]],
        ['__proto__', { polluted: true }],
        ['constructor', { prototype: {} }],
        ['extra', 1],
      ] as const;
      const [k, v] = bad[rng.int(bad.length)];
      return plan(
        `option ${k} = ${JSON.stringify(v)}`,
        'application/json',
        `{"depth":"${b64(sceneNpy())}","intrinsics":${JSON.stringify(sceneIntrinsics())},"${k}":${JSON.stringify(v)}}`,
      );
    },
    () => {
      const bodies = [
        '{',
        '[]',
        'null',
        '"x"',
        '{"depth": 1}',
        '{"depth": "!!!", "intrinsics": {}}',
        '['.repeat(50_000),
        `{"depth":"${'A'.repeat(rng.int(100))}"}`,
      ];
      return plan('malformed JSON body', 'application/json', bodies[rng.int(bodies.length)]);
    },
    () => {
      const types = [
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'image/png',
        'multipart/form-data',
        'multipart/form-data; boundary=',
      ];
      return plan('wrong content type', types[rng.int(types.length)], planBody({}));
    },
    () => formPlan('a part twice', [['depth', sceneNpy()], ['depth', sceneNpy()], intrinsicsPart()]),
    () =>
      formPlan('a form cut short', [['depth', sceneNpy()], intrinsicsPart()], (body) =>
        body.subarray(0, rng.int(body.length - 10)),
      ),
    () => {
      const hosts = [
        'evil.example',
        'attacker.com:8080',
        '127.0.0.1.nip.io',
        'localhost.evil.com',
        '[::2]',
        '10.0.0.1',
      ];
      return {
        name: 'foreign Host header',
        method: 'GET',
        url: '/v1/health',
        headers: { host: hosts[rng.int(hosts.length)] },
        refuse: true,
      };
    },
    () => {
      const urls = [
        '/v1/%',
        '/v1/plan/../../etc/passwd',
        '/%00',
        '/v1/model/plots/..%2F..%2Fpackage.json',
        '/v1/datasets/x',
        '/' + 'a'.repeat(5000),
      ];
      return { name: 'hostile URL', method: 'GET', url: urls[rng.int(urls.length)], headers: {}, refuse: true };
    },
    () => ({
      name: 'wrong method',
      method: (['PUT', 'DELETE', 'GET'] as const)[rng.int(3)],
      url: '/v1/plan',
      headers: {},
      refuse: true,
    }),
    () => formPlan('hostile segmask', [['depth', sceneNpy()], intrinsicsPart(), ['segmask', hostileFile()]]),
  ];
  return Array.from({ length: n }, (_, i) => (i < kinds.length ? kinds[i] : kinds[rng.int(kinds.length)])());
}

/** Wording that belongs to a library or the runtime, never to an answer of ours. */
export const LIBRARY_WORDING =
  /Invalid typed array length|Unsupported filter|Cannot read propert|is not a function|is not iterable|Maximum call stack|\bat \S+ \(|\[object /;
