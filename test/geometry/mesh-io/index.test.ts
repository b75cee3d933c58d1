// Mesh file io: exact round trips for every format, hand-written real-world variants, a corpus of
// broken files, and fuzzing that checks parsers only ever fail with our one-line errors.
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMesh, type Mesh } from '../../../src/geometry/mesh.js';
import {
  loadMesh,
  MeshFormatError,
  parseMesh,
  saveMesh,
  weldVertices,
  writeObj,
  writeOff,
  writePly,
  writeStl,
  type MeshFormat,
} from '../../../src/geometry/mesh-io/index.js';
import { isWatertight, meshVolume } from '../../../src/geometry/mesh-properties.js';
import { boxMesh, cylinderMesh, icosphereMesh, lBracketMesh } from '../../../src/geometry/primitives.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/broken-meshes/', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../../examples/meshes/', import.meta.url));

type Variant = { label: string; format: MeshFormat; write: (m: Mesh) => Uint8Array };
const VARIANTS: Variant[] = [
  { label: 'OBJ', format: 'obj', write: (m) => writeObj(m) },
  { label: 'ASCII STL', format: 'stl', write: (m) => writeStl(m, { binary: false }) },
  { label: 'binary STL', format: 'stl', write: (m) => writeStl(m, { binary: true }) },
  { label: 'ASCII PLY', format: 'ply', write: (m) => writePly(m, { binary: false }) },
  { label: 'binary PLY', format: 'ply', write: (m) => writePly(m, { binary: true }) },
  { label: 'OFF', format: 'off', write: (m) => writeOff(m) },
];

const posKey = (v: Float32Array, i: number): string => `${v[i * 3] + 0},${v[i * 3 + 1] + 0},${v[i * 3 + 2] + 0}`;

/** Triangles as position triples, rotated to start at the smallest key (orientation kept), sorted. */
function canonicalTriangles(mesh: Mesh): string[] {
  const out: string[] = [];
  const { vertices: v, triangles: t } = mesh;
  for (let i = 0; i < t.length; i += 3) {
    const k = [posKey(v, t[i]), posKey(v, t[i + 1]), posKey(v, t[i + 2])];
    if (k[0] === k[1] || k[1] === k[2] || k[0] === k[2]) continue; // welding removes these
    let s = 0;
    if (k[1] < k[s]) s = 1;
    if (k[2] < k[s]) s = 2;
    out.push(`${k[s]}|${k[(s + 1) % 3]}|${k[(s + 2) % 3]}`);
  }
  return out.sort();
}

function expectValidMesh(mesh: Mesh): void {
  const n = mesh.vertices.length / 3;
  expect(Number.isInteger(n)).toBe(true);
  expect(mesh.triangles.length % 3).toBe(0);
  for (const x of mesh.vertices) expect(Number.isFinite(x)).toBe(true);
  for (let i = 0; i < mesh.triangles.length; i += 3) {
    const [a, b, c] = [mesh.triangles[i], mesh.triangles[i + 1], mesh.triangles[i + 2]];
    expect(a < n && b < n && c < n).toBe(true);
    expect(a !== b && b !== c && a !== c).toBe(true);
  }
}

/** Loaded equals original up to welding: same triangles by position, each distinct position once. */
function expectSameUpToWelding(loaded: Mesh, original: Mesh): void {
  expectValidMesh(loaded);
  expect(canonicalTriangles(loaded)).toEqual(canonicalTriangles(original));
  const keys = new Set<string>();
  for (let i = 0; i < loaded.vertices.length / 3; i++) keys.add(posKey(loaded.vertices, i));
  expect(keys.size).toBe(loaded.vertices.length / 3);
}

const shapes: Array<[string, Mesh]> = [
  ['box', boxMesh(0.03, 0.03, 0.06)],
  ['cylinder', cylinderMesh(0.02, 0.07, 24)],
  ['sphere', icosphereMesh(0.04, 2)],
  ['bracket', lBracketMesh()],
];

describe('round trips', () => {
  for (const variant of VARIANTS) {
    it.each(shapes)(`${variant.label}: %s reads back identical, watertight, same volume`, (_, mesh) => {
      const loaded = parseMesh(variant.write(mesh), variant.format, `shape.${variant.format}`);
      expectSameUpToWelding(loaded, mesh);
      expect(loaded.vertices.length).toBe(mesh.vertices.length);
      expect(isWatertight(loaded)).toBe(true);
      expect(meshVolume(loaded)).toBe(meshVolume({ vertices: loaded.vertices, triangles: loaded.triangles }));
      expect(Math.abs(meshVolume(loaded) - meshVolume(mesh))).toBeLessThan(1e-15);
    });
  }

  const randomMesh = fc
    .integer({ min: 3, max: 24 })
    .chain((n) =>
      fc.record({
        vertices: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: n * 3, maxLength: n * 3 }),
        triangles: fc.array(
          fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.nat(n - 1)).filter(([a, b, c]) => a !== b && b !== c && a !== c),
          { minLength: 1, maxLength: 30 },
        ),
      }),
    )
    .map(({ vertices, triangles }) => createMesh(vertices, triangles.flat()));

  it('random meshes (any float32 values, −0, subnormals, huge) survive every format exactly', () => {
    fc.assert(
      fc.property(randomMesh, fc.constantFrom(...VARIANTS), (mesh, variant) => {
        const bytes = variant.write(mesh);
        if (canonicalTriangles(mesh).length === 0) {
          expect(() => parseMesh(bytes, variant.format, 'r')).toThrow(MeshFormatError);
          return;
        }
        expectSameUpToWelding(parseMesh(bytes, variant.format, 'r'), mesh);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('weldVertices merges equal positions (−0 = +0) and drops collapsed triangles', () => {
    const soup = [0, 0, 0, 1, 0, 0, 0, 1, 0, /**/ -0, 0, 0, 0, 1, 0, 1, 0, 0, /**/ 0, 0, 0, 0, 0, 0, 1, 1, 1];
    const mesh = weldVertices(soup);
    expect(mesh.vertices.length / 3).toBe(3);
    expect(Array.from(mesh.triangles)).toEqual([0, 1, 2, 0, 2, 1]);
    expect(() => weldVertices([0, 0, 0], [0, 0, 5])).toThrow(RangeError);
  });
});

describe('real-world variants', () => {
  it('OBJ with quads, polygons, groups, negative indices, normals/uvs, CRLF and extras merges into one closed mesh', () => {
    const cube = [
      '# unit cube written the way exporters do',
      'mtllib cube.mtl',
      'o first',
      'v 0 0 0',
      'v 1 0 0',
      'v 1 1 0',
      'v 0 1 0',
      'v 0 0 1',
      'v 1 0 1',
      'v 1 1 1',
      'v 0 1 1 1.0',
      'vt 0 0',
      'vt 1 0',
      'vt 1 1',
      'vn 0 0 1',
      'usemtl red',
      's off',
      'f 1/1 4/2 3/3 2/1',
      'f 5/1/1 6/2/1 7/3/1 8/1/1',
      'g second',
      'f 1//1 2//1 6//1 5//1',
      'f -6 -5 -1 -2', // 3 4 8 7
      'usemap none',
      'l 1 2',
      'o third',
      'f 2 3 7 \\',
      '  6',
      'f 1 5 8 4',
      'bogus line',
    ].join('\r\n');
    const spies = (['log', 'warn', 'error'] as const).map((k) =>
      vi.spyOn(console, k).mockImplementation(() => undefined),
    );
    const mesh = parseMesh(new TextEncoder().encode(cube), 'obj', 'cube.obj');
    for (const s of spies) {
      expect(s).not.toHaveBeenCalled();
      s.mockRestore();
    }
    expect(mesh.vertices.length / 3).toBe(8);
    expect(mesh.triangles.length / 3).toBe(12);
    expect(isWatertight(mesh)).toBe(true);
    expect(meshVolume(mesh)).toBeCloseTo(1, 12);
  });

  it('OBJ hexagonal prism with 6-gon caps is fan-triangulated', () => {
    const lines: string[] = [];
    for (const z of [0, 2])
      for (let i = 0; i < 6; i++) lines.push(`v ${Math.cos((i * Math.PI) / 3)} ${Math.sin((i * Math.PI) / 3)} ${z}`);
    lines.push('f 6 5 4 3 2 1', 'f 7 8 9 10 11 12');
    for (let i = 1; i <= 6; i++) {
      const j = (i % 6) + 1;
      lines.push(`f ${i} ${j} ${j + 6} ${i + 6}`);
    }
    const mesh = parseMesh(new TextEncoder().encode(lines.join('\n')), 'OBJ', 'hex.obj');
    expect(mesh.triangles.length / 3).toBe(8 + 12);
    expect(isWatertight(mesh)).toBe(true);
    expect(meshVolume(mesh)).toBeCloseTo(((3 * Math.sqrt(3)) / 2) * 2, 5);
  });

  const asciiPlyCube = (faceExtra = '', faceValues: (i: number) => string = () => ''): string =>
    [
      'ply',
      'format ascii 1.0',
      'comment made by hand',
      'obj_info cube',
      'element vertex 8',
      'property double x',
      'property double y',
      'property double z',
      'property float nx',
      'property float ny',
      'property float nz',
      'property uchar red',
      'property uchar green',
      'property uchar blue',
      'element face 6',
      `property list uchar uint vertex_indices${faceExtra}`,
      'end_header',
      '0 0 0 0 0 1 255 0 0',
      '1 0 0 0 0 1 255 0 0',
      '1 1 0 0 0 1 255 0 0',
      '0 1 0 0 0 1 255 0 0',
      '0 0 1 0 0 1 255 0 0',
      '1 0 1 0 0 1 255 0 0',
      '1 1 1 0 0 1 255 0 0',
      '0 1 1 0 0 1 255 0 0',
      ...['4 0 3 2 1', '4 4 5 6 7', '4 0 1 5 4', '4 2 3 7 6', '4 1 2 6 5', '4 0 4 7 3'].map(
        (f, i) => f + faceValues(i),
      ),
      '',
    ].join('\n');

  it('ASCII PLY with quads, doubles, normals and colours', () => {
    const mesh = parseMesh(new TextEncoder().encode(asciiPlyCube()), 'ply', 'cube.ply');
    expect(mesh.triangles.length / 3).toBe(12);
    expect(isWatertight(mesh)).toBe(true);
    expect(meshVolume(mesh)).toBeCloseTo(1, 12);
  });

  it('PLY with per-face colours (three un-indexes it) is welded back to 8 vertices', () => {
    const text = asciiPlyCube('\nproperty uchar red\nproperty uchar green\nproperty uchar blue', () => ' 10 20 30');
    const mesh = parseMesh(new TextEncoder().encode(text), 'ply', 'colour.ply');
    expect(mesh.vertices.length / 3).toBe(8);
    expect(isWatertight(mesh)).toBe(true);
  });

  it('big-endian binary PLY with int16 list counts and uint indices', () => {
    const box = boxMesh(1, 2, 3);
    const head = new TextEncoder().encode(
      'ply\r\nformat binary_big_endian 1.0\r\nelement vertex 8\r\nproperty float x\r\nproperty float y\r\nproperty float z\r\n' +
        'element face 12\r\nproperty list short uint vertex_indices\r\nend_header\r\n',
    );
    const out = new Uint8Array(head.length + 8 * 12 + 12 * 14);
    out.set(head);
    const view = new DataView(out.buffer);
    let at = head.length;
    for (const x of box.vertices) {
      view.setFloat32(at, x, false);
      at += 4;
    }
    for (let i = 0; i < 12; i++) {
      view.setInt16(at, 3, false);
      at += 2;
      for (let c = 0; c < 3; c++, at += 4) view.setUint32(at, box.triangles[i * 3 + c], false);
    }
    const mesh = parseMesh(out, 'ply', 'be.ply');
    expectSameUpToWelding(mesh, box);
  });

  it('binary STL whose header starts with "solid" is still read as binary', () => {
    const bytes = writeStl(lBracketMesh(), { binary: true });
    bytes.set(new TextEncoder().encode('solid exported by a CAD tool'));
    expectSameUpToWelding(parseMesh(bytes, 'stl', 'cad.stl'), lBracketMesh());
  });

  it('ASCII STL with several solids merges them, ignores the normals and accepts a BOM', () => {
    const a = new TextDecoder().decode(writeStl(boxMesh(1, 1, 1), { binary: false, name: 'a' }));
    const b = new TextDecoder()
      .decode(writeStl(icosphereMesh(0.2, 1), { binary: false, name: 'b' }))
      .replace(/normal \S+ \S+ \S+/g, 'normal 0 0 0');
    const mesh = parseMesh(new TextEncoder().encode('\uFEFF' + a + b), 'stl', 'two.stl');
    expect(mesh.triangles.length / 3).toBe(12 + 80);
  });

  it('a tiny ASCII STL (under 84 bytes, where three would read a binary count past the end) parses', () => {
    const tiny = 'solid\nfacet\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendfacet\nendsolid';
    expect(tiny.length).toBeLessThan(84);
    expect(parseMesh(new TextEncoder().encode(tiny), 'stl', 'tiny.stl').triangles.length).toBe(3);
  });

  it('an ArrayBuffer and a Uint8Array view with an offset parse the same', () => {
    const bytes = writePly(boxMesh(1, 1, 1));
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 7);
    const view = padded.subarray(7, 7 + bytes.length);
    expectSameUpToWelding(parseMesh(view, 'ply', 'v.ply'), boxMesh(1, 1, 1));
    expectSameUpToWelding(parseMesh(bytes.slice().buffer, 'ply', 'b.ply'), boxMesh(1, 1, 1));
  });

  it('the shipped examples load closed, outward and at Dex-Net scale', async () => {
    for (const file of ['box.obj', 'cylinder.stl', 'bracket.ply']) {
      const mesh = await loadMesh(join(EXAMPLES, file));
      expect(isWatertight(mesh)).toBe(true);
      const v = meshVolume(mesh);
      expect(v).toBeGreaterThan(1e-5);
      expect(v).toBeLessThan(1e-3);
    }
  });
});

describe('loadMesh / saveMesh on disk', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dexnet-mesh-io-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves and loads every format by extension, case-insensitively, leaving no temp files', async () => {
    const mesh = lBracketMesh();
    const names = ['a.obj', 'B.STL', 'c.Ply', 'nested/deeper/d.stl'];
    for (const name of names) {
      await saveMesh(join(dir, name), mesh, { binary: name !== 'c.Ply' });
      expectSameUpToWelding(await loadMesh(join(dir, name)), mesh);
    }
    const files = await readdir(dir, { recursive: true });
    expect(files.filter((f) => String(f).includes('.tmp'))).toEqual([]);
  });

  it('overwrites an existing file atomically', async () => {
    const path = join(dir, 'over.obj');
    await saveMesh(path, boxMesh(1, 1, 1));
    await saveMesh(path, boxMesh(2, 2, 2));
    expect(meshVolume(await loadMesh(path))).toBeCloseTo(8, 10);
  });

  it('names the file in every error', async () => {
    const missing = join(dir, 'nope.obj');
    await expect(loadMesh(missing)).rejects.toThrow(`${missing}: file not found`);
    const folder = join(dir, 'folder.stl');
    await mkdir(folder);
    await expect(loadMesh(folder)).rejects.toThrow(`${folder}: is a directory`);
    await expect(loadMesh(join(dir, 'x.3ds'))).rejects.toThrow(
      /x\.3ds: unknown mesh file extension '\.3ds'; expected \.obj, \.stl, \.ply, \.off, \.gltf or \.glb/,
    );
    await expect(loadMesh(join(dir, 'noext'))).rejects.toThrow(/noext: unknown mesh file extension \(none\)/);
    await expect(saveMesh(join(dir, 'x.glb'), boxMesh(1, 1, 1))).rejects.toThrow(/x\.glb: cannot write \.glb/);
    const empty = join(dir, 'empty.ply');
    await writeFile(empty, new Uint8Array(0));
    await expect(loadMesh(empty)).rejects.toThrow(`${empty}: empty file`);
    expect(() => parseMesh(new Uint8Array(3), '3ds', 'm')).toThrow("m: unknown mesh format '3ds'");
  });
});

describe('broken-file corpus', () => {
  const expected: Record<string, RegExp> = {
    'empty.obj': /empty file/,
    'vertices-only.obj': /no faces \('f' lines\)/,
    'nan-vertex.obj': /line 1: vertex needs three numeric coordinates/,
    'infinite-vertex.obj': /line 1: vertex has a non-finite coordinate '1e39'/,
    'index-out-of-range.obj': /line 4: face vertex index 9 out of range \(3 vertices/,
    'face-two-vertices.obj': /line 4: face needs at least 3 vertices/,
    'degenerate-only.obj': /no triangles with three distinct vertices/,
    'binary-garbage.obj': /binary \(control\) bytes; expected a text OBJ/,
    'truncated-binary.stl': /binary STL of 12 triangles needs 84 \+ 50·12 = 684 bytes, got 351/,
    'too-short.stl': /binary STL needs at least 84 bytes, got 30.*not ASCII STL/,
    'zero-triangles.stl': /declares 0 triangles/,
    'nan-binary.stl': /triangle 0 has a non-finite coordinate \(NaN\)/,
    'ascii-two-vertices.stl': /ASCII STL facet 0 does not have exactly 3/,
    'ascii-no-endsolid.stl': /no 'facet … endfacet' inside a complete 'solid … endsolid'/,
    'ascii-overflow.stl': /triangle 0 has a non-finite coordinate \(Infinity\)/,
    'point-cloud.ply': /PLY has no faces/,
    'truncated-binary.ply': /truncated binary PLY: data ends inside face 9 of 12/,
    'index-out-of-range.ply': /PLY face 0 uses vertex index 7, out of range for 3 vertices/,
    'pentagon.ply': /PLY face 0 has 5 vertices; only triangles and quads/,
    'bad-property-type.ply': /bad PLY property 'property float128 y'/,
    'no-end-header.ply': /no 'end_header' line/,
    'ascii-short-body.ply': /ASCII PLY data ends early, inside face 1 of 2/,
    'ascii-word-in-body.ply': /vertex 0, property 'y': expected a number, got 'zero'/,
    'negative-count.ply': /expected 'element <name> <count>'/,
    'infinite-binary.ply': /vertex 0 has a non-finite coordinate \(Infinity\)/,
    'not-a-ply.ply': /not a PLY file/,
    'mesh.xyz': /unknown mesh file extension '\.xyz'/,
  };

  it('holds every expected file and nothing untested', async () => {
    const files = (await readdir(FIXTURES)).filter((f) => !f.endsWith('.ts') && !f.endsWith('.md'));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it.each(Object.entries(expected))('%s fails with one clear line naming the file', async (file, problem) => {
    const path = join(FIXTURES, file);
    const error = await loadMesh(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MeshFormatError);
    const message = (error as Error).message;
    expect(message.startsWith(`${path}: `)).toBe(true);
    expect(message).not.toContain('\n');
    expect(message).toMatch(problem);
  });
});

describe('fuzzing', () => {
  /** The parser contract: a valid mesh, or our one-line error naming the input. Nothing else. */
  function checkContract(bytes: Uint8Array, format: MeshFormat): void {
    let mesh: Mesh;
    try {
      mesh = parseMesh(bytes, format, 'fuzz-input');
    } catch (e) {
      if (!(e instanceof MeshFormatError)) throw new Error(`escaped ${String(e)}`);
      expect(e.message.startsWith('fuzz-input: ')).toBe(true);
      expect(e.message).not.toContain('\n');
      return;
    }
    expectValidMesh(mesh);
  }

  const formats = fc.constantFrom<MeshFormat>('obj', 'stl', 'ply', 'off');
  let spies: Array<ReturnType<typeof vi.spyOn>> = [];
  beforeAll(() => {
    spies = (['log', 'warn', 'error'] as const).map((k) => vi.spyOn(console, k).mockImplementation(() => undefined));
  });
  afterAll(() => {
    // three's console chatter must never reach the user.
    for (const s of spies) {
      expect(s).not.toHaveBeenCalled();
      s.mockRestore();
    }
  });

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), formats, (b, f) => checkContract(b, f)),
      { numRuns: 1000, seed: 1 },
    );
  });

  it('random bytes behind plausible headers', () => {
    const headers = [
      'solid x\n',
      'ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n',
      'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...headers), fc.uint8Array({ maxLength: 400 }), (head, body) => {
        const h = new TextEncoder().encode(head);
        const bytes = new Uint8Array(h.length + body.length);
        bytes.set(h);
        bytes.set(body, h.length);
        checkContract(bytes, head.startsWith('solid') ? 'stl' : 'ply');
      }),
      { numRuns: 300, seed: 2 },
    );
  });

  it('random token soup in each text grammar', () => {
    const grammar: Record<MeshFormat, string[]> = {
      off: ['OFF', 'COFF', '#', '0', '1', '2', '3', '4', '8', '-1', '1e39', 'nan', 'x', ' ', '\n'],
      obj: [
        'v',
        'f',
        'vn',
        'vt',
        'o',
        'g',
        'l',
        'p',
        's',
        '#',
        '1',
        '2',
        '3',
        '-1',
        '-4',
        '0',
        '0.5',
        '1e39',
        'nan',
        '/',
        '//',
        ' ',
        '\n',
        '\r\n',
        '\\\n',
        '\0',
      ],
      stl: [
        'solid',
        'endsolid',
        'facet',
        'normal',
        'outer',
        'loop',
        'endloop',
        'endfacet',
        'vertex',
        '0',
        '1',
        '-2.5',
        '1e39',
        'x',
        ' ',
        '\n',
      ],
      ply: [
        'ply',
        'format',
        'ascii',
        '1.0',
        'binary_little_endian',
        'element',
        'vertex',
        'face',
        'property',
        'list',
        'uchar',
        'int',
        'float',
        'x',
        'y',
        'z',
        'vertex_indices',
        'end_header',
        'comment',
        '0',
        '1',
        '2',
        '3',
        '4',
        '5',
        '9',
        '-1',
        '1e9',
        ' ',
        '\n',
        '\r\n',
      ],
    };
    fc.assert(
      fc.property(formats, fc.array(fc.nat(), { maxLength: 300 }), (format, picks) => {
        const words = grammar[format];
        checkContract(new TextEncoder().encode(picks.map((i) => words[i % words.length]).join('')), format);
      }),
      { numRuns: 400, seed: 3 },
    );
  });

  const seeds = VARIANTS.flatMap((v) =>
    [boxMesh(0.03, 0.03, 0.06), lBracketMesh()].map((m) => ({ format: v.format, bytes: v.write(m) })),
  );
  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
      count: fc.integer({ min: 1, max: 8 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), value: fc.constant(0), count: fc.constant(0) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
      count: fc.integer({ min: 1, max: 40 }),
    }),
    fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      value: fc.constant(0),
      count: fc.integer({ min: 1, max: 40 }),
    }),
  );

  function mutate(
    bytes: Uint8Array,
    steps: Array<{ kind: string; at: number; value: number; count: number }>,
  ): Uint8Array {
    let b = bytes.slice();
    for (const { kind, at, value, count } of steps) {
      const i = b.length === 0 ? 0 : at % b.length;
      if (kind === 'flip') for (let k = 0; k < count && i + k < b.length; k++) b[(i + k * 7) % b.length] ^= value;
      else if (kind === 'truncate') b = b.slice(0, i);
      else if (kind === 'insert') {
        const out = new Uint8Array(b.length + count);
        out.set(b.subarray(0, i));
        out.fill(value, i, i + count);
        out.set(b.subarray(i), i + count);
        b = out;
      } else {
        const tail = b.subarray(Math.min(b.length, i + count));
        const out = new Uint8Array(i + tail.length);
        out.set(b.subarray(0, i));
        out.set(tail, i);
        b = out;
      }
    }
    return b;
  }

  it('mutated valid files of every variant', () => {
    fc.assert(
      fc.property(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (s, steps) => {
        checkContract(mutate(seeds[s].bytes, steps), seeds[s].format);
      }),
      { numRuns: 3000, seed: 4 },
    );
  });
});
