// glTF 2.0 (.gltf JSON with embedded or sibling buffers, .glb binary): the triangles of every mesh in the default
// scene, placed by their nodes' transforms. Only geometry is read (three's GLTFLoader wants a DOM for textures).
// Every accessor is checked against its buffer before it is read, so a claimed count cannot over-allocate.
import type { Mesh } from '../mesh.js';
import { MeshFormatError } from './errors.js';
import { decodeText, finishMesh } from './reader-support.js';

/** Reads a buffer a .gltf names by relative URI (a sibling file or zip entry); undefined when there is none. */
export type UriResolver = (uri: string) => Uint8Array | undefined;

interface Accessor {
  bufferView?: number;
  byteOffset?: number;
  componentType: number;
  count: number;
  type: string;
  sparse?: unknown;
}
interface BufferView {
  buffer: number;
  byteOffset?: number;
  byteLength: number;
  byteStride?: number;
}
interface Node {
  mesh?: number;
  children?: number[];
  matrix?: number[];
  translation?: number[];
  rotation?: number[];
  scale?: number[];
}
interface Gltf {
  asset?: { version?: string };
  scene?: number;
  scenes?: Array<{ nodes?: number[] }>;
  nodes?: Node[];
  meshes?: Array<{ primitives?: Array<{ attributes?: { POSITION?: number }; indices?: number; mode?: number }> }>;
  accessors?: Accessor[];
  bufferViews?: BufferView[];
  buffers?: Array<{ uri?: string; byteLength: number }>;
}

const COMPONENT_SIZE: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
const GLB_MAGIC = 0x46546c67; // 'glTF'

function splitGlb(bytes: Uint8Array, name: string): { json: string; bin: Uint8Array | undefined } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 20) throw new MeshFormatError(name, `GLB needs at least 20 bytes, got ${bytes.length}`);
  const version = view.getUint32(4, true);
  if (version !== 2) throw new MeshFormatError(name, `GLB version ${version}; expected 2`);
  const total = view.getUint32(8, true);
  if (total > bytes.length)
    throw new MeshFormatError(name, `truncated GLB: header says ${total} bytes, got ${bytes.length}`);
  let json: string | undefined;
  let bin: Uint8Array | undefined;
  for (let at = 12; at + 8 <= total;) {
    const length = view.getUint32(at, true);
    const type = view.getUint32(at + 4, true);
    if (at + 8 + length > total)
      throw new MeshFormatError(name, 'truncated GLB: a chunk runs past the end of the file');
    const chunk = bytes.subarray(at + 8, at + 8 + length);
    if (type === 0x4e4f534a) json = decodeText(chunk);
    else if (type === 0x004e4942) bin = chunk;
    at += 8 + length;
  }
  if (json === undefined) throw new MeshFormatError(name, 'GLB has no JSON chunk');
  return { json, bin };
}

function dataUri(uri: string, name: string): Uint8Array {
  const comma = uri.indexOf(',');
  if (comma < 0 || !uri.slice(0, comma).endsWith(';base64')) {
    throw new MeshFormatError(name, 'glTF buffer data URI is not base64');
  }
  return new Uint8Array(Buffer.from(uri.slice(comma + 1), 'base64'));
}

/** Column-major 4×4 of a node (matrix, or translation · rotation · scale). */
function nodeMatrix(node: Node): number[] {
  if (node.matrix !== undefined && node.matrix.length === 16) return node.matrix.map(Number);
  const [tx, ty, tz] = node.translation ?? [0, 0, 0];
  const [x, y, z, w] = node.rotation ?? [0, 0, 0, 1];
  const [sx, sy, sz] = node.scale ?? [1, 1, 1];
  const r = [
    1 - 2 * (y * y + z * z),
    2 * (x * y + z * w),
    2 * (x * z - y * w),
    2 * (x * y - z * w),
    1 - 2 * (x * x + z * z),
    2 * (y * z + x * w),
    2 * (x * z + y * w),
    2 * (y * z - x * w),
    1 - 2 * (x * x + y * y),
  ];
  return [
    r[0] * sx,
    r[1] * sx,
    r[2] * sx,
    0,
    r[3] * sy,
    r[4] * sy,
    r[5] * sy,
    0,
    r[6] * sz,
    r[7] * sz,
    r[8] * sz,
    0,
    tx,
    ty,
    tz,
    1,
  ];
}

function multiply(a: number[], b: number[]): number[] {
  const out = new Array<number>(16).fill(0);
  for (let c = 0; c < 4; c++)
    for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) out[c * 4 + r] += a[k * 4 + r] * b[c * 4 + k];
  return out;
}

/** Parses .gltf (JSON) or .glb bytes into one mesh of every triangle in the default scene. */
export function parseGltf(bytes: Uint8Array, name: string, resolve: UriResolver = () => undefined): Mesh {
  const isGlb = bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === GLB_MAGIC;
  const { json, bin } = isGlb ? splitGlb(bytes, name) : { json: decodeText(bytes), bin: undefined };
  let doc: Gltf;
  try {
    doc = JSON.parse(json) as Gltf;
  } catch (err) {
    throw new MeshFormatError(name, `glTF JSON does not parse (${(err as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || !String(doc.asset?.version ?? '').startsWith('2')) {
    throw new MeshFormatError(name, 'not a glTF 2.0 file: asset.version must be "2.0"');
  }
  const buffers: Uint8Array[] = (doc.buffers ?? []).map((b, i) => {
    let data: Uint8Array | undefined;
    if (b.uri === undefined) data = bin;
    else if (b.uri.startsWith('data:')) data = dataUri(b.uri, name);
    else data = resolve(decodeURIComponent(b.uri));
    if (data === undefined) throw new MeshFormatError(name, `glTF buffer ${i} ('${b.uri ?? 'GLB chunk'}') not found`);
    if (data.length < b.byteLength)
      throw new MeshFormatError(name, `glTF buffer ${i} holds ${data.length} bytes, declares ${b.byteLength}`);
    return data;
  });

  const readAccessor = (index: number, components: number): Float64Array => {
    const a = doc.accessors?.[index];
    if (a === undefined) throw new MeshFormatError(name, `glTF accessor ${index} does not exist`);
    if (a.sparse !== undefined) throw new MeshFormatError(name, `glTF accessor ${index} is sparse; not supported`);
    const width = { SCALAR: 1, VEC3: 3 }[a.type] ?? 0;
    const size = COMPONENT_SIZE[a.componentType];
    if (width !== components || size === undefined || !(Number.isInteger(a.count) && a.count >= 0)) {
      throw new MeshFormatError(
        name,
        `glTF accessor ${index} has type ${a.type}/${a.componentType}; expected ${components === 3 ? 'VEC3 float' : 'SCALAR integer'}`,
      );
    }
    const bv = a.bufferView === undefined ? undefined : doc.bufferViews?.[a.bufferView];
    if (bv === undefined || buffers[bv.buffer] === undefined)
      throw new MeshFormatError(name, `glTF accessor ${index} has no buffer view`);
    const stride = bv.byteStride ?? width * size;
    const start = (bv.byteOffset ?? 0) + (a.byteOffset ?? 0);
    const needed = a.count === 0 ? 0 : (a.byteOffset ?? 0) + stride * (a.count - 1) + width * size;
    const buffer = buffers[bv.buffer];
    if (needed > bv.byteLength || (bv.byteOffset ?? 0) + bv.byteLength > buffer.length) {
      throw new MeshFormatError(name, `glTF accessor ${index} claims ${a.count} items, more than its buffer holds`);
    }
    const view = new DataView(buffer.buffer, buffer.byteOffset + start, needed - (a.byteOffset ?? 0));
    const out = new Float64Array(a.count * width);
    for (let i = 0; i < a.count; i++) {
      for (let k = 0; k < width; k++) {
        const at = i * stride + k * size;
        switch (a.componentType) {
          case 5126:
            out[i * width + k] = view.getFloat32(at, true);
            break;
          case 5125:
            out[i * width + k] = view.getUint32(at, true);
            break;
          case 5123:
            out[i * width + k] = view.getUint16(at, true);
            break;
          case 5121:
            out[i * width + k] = view.getUint8(at);
            break;
          case 5122:
            out[i * width + k] = view.getInt16(at, true);
            break;
          default:
            out[i * width + k] = view.getInt8(at);
        }
      }
    }
    return out;
  };

  const positions: number[] = [];
  const triangles: number[] = [];
  const visited = new Set<number>();
  const visit = (nodeIndex: number, parent: number[]): void => {
    const node = doc.nodes?.[nodeIndex];
    if (node === undefined || visited.has(nodeIndex)) return; // a cycle or a dangling index adds nothing
    visited.add(nodeIndex);
    const world = multiply(parent, nodeMatrix(node));
    for (const primitive of node.mesh === undefined ? [] : (doc.meshes?.[node.mesh]?.primitives ?? [])) {
      if ((primitive.mode ?? 4) !== 4 || primitive.attributes?.POSITION === undefined) continue;
      const p = readAccessor(primitive.attributes.POSITION, 3);
      const base = positions.length / 3;
      const count = p.length / 3;
      for (let i = 0; i < count; i++) {
        const x = p[i * 3],
          y = p[i * 3 + 1],
          z = p[i * 3 + 2];
        for (let r = 0; r < 3; r++) positions.push(world[r] * x + world[4 + r] * y + world[8 + r] * z + world[12 + r]);
      }
      const idx = primitive.indices === undefined ? null : readAccessor(primitive.indices, 1);
      const corners = idx === null ? count - (count % 3) : idx.length - (idx.length % 3);
      for (let i = 0; i < corners; i++) {
        const v = idx === null ? i : idx[i];
        if (v >= count) throw new MeshFormatError(name, `glTF index ${v} out of range for ${count} vertices`);
        triangles.push(base + v);
      }
    }
    for (const child of node.children ?? []) visit(child, world);
  };
  const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const scene = doc.scenes?.[doc.scene ?? 0];
  const roots = scene?.nodes ?? (doc.nodes ?? []).map((_, i) => i);
  for (const root of roots) visit(root, identity);
  if (triangles.length === 0) throw new MeshFormatError(name, 'glTF scene holds no triangle meshes');
  return finishMesh(name, positions, triangles, 'vertex');
}
