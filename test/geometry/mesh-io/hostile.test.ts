// Hostile inputs: zip bombs (a real one and lying size fields), files claiming ten million vertices, glTF
// accessors past their buffers. Each must fail with one line naming the file, without allocating what it claims.
import { UserInputError } from '../../../src/core/errors.js';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MeshArchive } from '../../../src/geometry/mesh-io/archive.js';
import { MeshFormatError, parseMesh } from '../../../src/geometry/mesh-io/index.js';

const TEN_MILLION = 10_000_000;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Runs fn, which must throw a MeshFormatError; returns its message and the growth of ArrayBuffer memory. */
function failure(fn: () => unknown): { message: string; grown: number } {
  const before = process.memoryUsage().arrayBuffers;
  let peak = 0;
  try {
    fn();
  } catch (err) {
    peak = process.memoryUsage().arrayBuffers - before;
    expect(err).toBeInstanceOf(UserInputError);
    const message = (err as Error).message;
    expect(message).not.toMatch(/[\r\n]/);
    return { message, grown: peak };
  }
  throw new Error('expected a MeshFormatError');
}

/** Sets the uncompressed-size field of every central-directory record of a zip (little-endian, offset 24). */
function lieAboutSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let at = 0; at + 46 <= out.length; at++) {
    if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, size, true);
  }
  return out;
}

describe('zip archives', () => {
  it('a real bomb (8 MB of zeros in a few kB) is refused by its ratio before inflating', () => {
    const zip = zipSync({ 'bomb.obj': new Uint8Array(8 << 20) }, { level: 9 });
    expect(zip.length).toBeLessThan(100_000);
    const archive = new MeshArchive(zip, 'bomb.zip');
    const { message, grown } = failure(() => archive.read('bomb.obj'));
    expect(message).toMatch(/^bomb\.zip:bomb\.obj: declares 8388608 bytes from \d+ compressed .*zip bomb/);
    expect(grown).toBeLessThan(1 << 20);
  });

  it('a declared size of 4 GB is refused', () => {
    const zip = lieAboutSize(zipSync({ 'a.obj': text('v 0 0 0\n'.repeat(1000)) }), 0xfffffff0);
    const { message } = failure(() => new MeshArchive(zip, 'big.zip').read('a.obj'));
    expect(message).toMatch(/^big\.zip:a\.obj: declares 4294967280 bytes, more than the \d+ allowed/);
  });

  it('a declared size smaller than the data inflates no more than declared', () => {
    const zip = lieAboutSize(zipSync({ 'a.obj': new Uint8Array(4 << 20).fill(32) }), 100);
    const archive = new MeshArchive(zip, 'small.zip');
    let bytes: Uint8Array | undefined;
    try {
      bytes = archive.read('a.obj');
    } catch (err) {
      expect(err).toBeInstanceOf(MeshFormatError);
    }
    if (bytes !== undefined) expect(bytes.length).toBeLessThanOrEqual(100);
  });

  it('garbage and truncated archives fail with one line', () => {
    expect(failure(() => new MeshArchive(new Uint8Array(1000).fill(7), 'g.zip')).message).toMatch(
      /^g\.zip: not a readable zip/,
    );
    const zip = zipSync({ 'a.obj': text('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n'.repeat(50)) });
    expect(failure(() => new MeshArchive(zip.subarray(0, zip.length - 30), 't.zip')).message).toMatch(
      /^t\.zip: not a readable zip/,
    );
  });
});

describe('claims of ten million vertices', () => {
  it('binary PLY', () => {
    const header =
      `ply\nformat binary_little_endian 1.0\nelement vertex ${TEN_MILLION}\nproperty float x\nproperty float y\n` +
      'property float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n';
    const { message, grown } = failure(() => parseMesh(text(header + 'x'.repeat(200)), 'ply', 'v.ply'));
    expect(message).toMatch(/^v\.ply: 10000000 vertices is more than the 1000000 allowed/);
    expect(grown).toBeLessThan(10 << 20);
  });

  it('ASCII PLY', () => {
    const header =
      `ply\nformat ascii 1.0\nelement vertex ${TEN_MILLION}\nproperty float x\nproperty float y\nproperty float z\n` +
      'element face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n';
    const { message, grown } = failure(() => parseMesh(text(header), 'ply', 'a.ply'));
    expect(message).toMatch(/^a\.ply: 10000000 vertices is more than the 1000000 allowed/);
    expect(grown).toBeLessThan(10 << 20);
  });

  it('OFF', () => {
    const { message, grown } = failure(() =>
      parseMesh(text(`OFF\n${TEN_MILLION} 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n`), 'off', 'o.off'),
    );
    expect(message).toMatch(/^o\.off: 10000000 vertices is more than the 1000000 allowed/);
    expect(grown).toBeLessThan(10 << 20);
  });

  it('glTF accessor', () => {
    const buffer = Buffer.from(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]).buffer).toString('base64');
    const gltf = {
      asset: { version: '2.0' },
      buffers: [{ byteLength: 36, uri: `data:application/octet-stream;base64,${buffer}` }],
      bufferViews: [{ buffer: 0, byteLength: 36 }],
      accessors: [{ bufferView: 0, componentType: 5126, count: TEN_MILLION, type: 'VEC3' }],
      meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
      nodes: [{ mesh: 0 }],
    };
    const { message, grown } = failure(() => parseMesh(text(JSON.stringify(gltf)), 'gltf', 'm.gltf'));
    expect(message).toMatch(/^m\.gltf: glTF accessor 0 claims 10000000 items/);
    expect(grown).toBeLessThan(10 << 20);
  });
});

describe('glTF that is fine', () => {
  it('a triangle through a node transform, from .gltf and from .glb', () => {
    const buffer = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    const gltf = {
      asset: { version: '2.0' },
      buffers: [{ byteLength: 36 }],
      bufferViews: [{ buffer: 0, byteLength: 36 }],
      accessors: [{ bufferView: 0, componentType: 5126, count: 3, type: 'VEC3' }],
      meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
      nodes: [{ mesh: 0, translation: [1, 2, 3], scale: [2, 2, 2] }],
    };
    const json = text(JSON.stringify(gltf).padEnd(Math.ceil(JSON.stringify(gltf).length / 4) * 4, ' '));
    const bin = new Uint8Array(buffer.buffer);
    const glb = new Uint8Array(12 + 8 + json.length + 8 + bin.length);
    const view = new DataView(glb.buffer);
    view.setUint32(0, 0x46546c67, true);
    view.setUint32(4, 2, true);
    view.setUint32(8, glb.length, true);
    view.setUint32(12, json.length, true);
    view.setUint32(16, 0x4e4f534a, true);
    glb.set(json, 20);
    view.setUint32(20 + json.length, bin.length, true);
    view.setUint32(24 + json.length, 0x004e4942, true);
    glb.set(bin, 28 + json.length);
    const mesh = parseMesh(glb, 'glb', 't.glb');
    expect(Array.from(mesh.vertices)).toEqual([1, 2, 3, 3, 2, 3, 1, 4, 3]);
    expect(Array.from(mesh.triangles)).toEqual([0, 1, 2]);
  });
});
