// Wavefront OBJ: one pass over the text gives positions and fan-triangulated faces per object (`o`, and `g` when
// asked), checked line by line so a bad file fails naming the line.
import type { Mesh } from '../mesh.js';
import { clip, MeshFormatError } from './errors.js';
import { encodeText, formatVertices } from './float-text.js';
import { decodeText, finishMesh, looksBinary } from './reader-support.js';

/** One object of an OBJ file: its name (from `o`/`g`, or the file's) and its triangles as a soup. */
export interface ObjPart {
  name: string;
  /** xyz of three corners per triangle. */
  corners: Float64Array;
}

/** Growable float64 list (OBJ files do not say how many vertices they hold). */
class Float64List {
  data = new Float64Array(1024);
  length = 0;
  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
    this.data[this.length++] = c;
  }
}

/**
 * Reads an OBJ file into parts. `split: 'object'` starts a part at each `o` line, `'group'` also at each `g` line
 * (exporters use `g` for material groups of one piece, so that is opt-in), `'none'` gives one part.
 * Empty parts are left out; a file without any face is an error. `lenient` skips faces of fewer than three
 * corners instead of refusing the file (for import, which repairs what it can).
 */
export function parseObjParts(
  bytes: Uint8Array,
  name: string,
  split: 'object' | 'group' | 'none',
  options: { lenient?: boolean } = {},
): ObjPart[] {
  if (looksBinary(bytes)) {
    throw new MeshFormatError(name, 'contains binary (control) bytes; expected a text OBJ file');
  }
  let text = decodeText(bytes);
  if (text.includes('\r\n')) text = text.replace(/\r\n/g, '\n');
  if (text.includes('\\\n')) text = text.replace(/\\\n/g, '');
  const lines = text.split('\n');
  const vertices = new Float64List();
  const parts: Array<{ name: string; corners: Float64List }> = [];
  let current: { name: string; corners: Float64List } | null = null;
  let faceCount = 0;
  let pendingName = name;
  const corner: number[] = [];
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line.length === 0 || line[0] === '#') continue;
    const first = line[0];
    if (first === 'v') {
      const data = line.split(/\s+/);
      if (data[0] !== 'v') continue; // vn, vt, vp
      const xyz = [0, 0, 0];
      for (let k = 1; k <= 3; k++) {
        const value = parseFloat(data[k]);
        if (data[k] === undefined || Number.isNaN(value)) {
          throw new MeshFormatError(
            name,
            `line ${li + 1}: vertex needs three numeric coordinates, got '${clip(line)}'`,
          );
        }
        if (!Number.isFinite(Math.fround(value))) {
          throw new MeshFormatError(
            name,
            `line ${li + 1}: vertex has a non-finite coordinate '${data[k]}'; expected finite float32 numbers`,
          );
        }
        xyz[k - 1] = value;
      }
      vertices.push3(xyz[0], xyz[1], xyz[2]);
    } else if ((first === 'o' || first === 'g') && (line.length === 1 || /\s/.test(line[1]))) {
      const label = line.slice(1).trim();
      if (split === 'object' ? first === 'o' : split === 'group') {
        current = null;
        pendingName = label === '' ? name : label;
      }
    } else if (first === 'f' && (line.length === 1 || /\s/.test(line[1]))) {
      const refs = line
        .slice(1)
        .trim()
        .split(/\s+/)
        .filter((s) => s.length > 0);
      if (refs.length < 3) {
        if (options.lenient === true) continue; // exporters write two-corner faces for edges; they have no area
        throw new MeshFormatError(name, `line ${li + 1}: face needs at least 3 vertices, got '${clip(line)}'`);
      }
      const vertexCount = vertices.length / 3;
      corner.length = 0;
      for (const ref of refs) {
        const head = ref.split('/')[0];
        if (!/^[+-]?\d+$/.test(head)) {
          throw new MeshFormatError(name, `line ${li + 1}: face vertex '${clip(ref)}' is not an integer index`);
        }
        const index = parseInt(head, 10);
        if (index === 0 || index > vertexCount || index < -vertexCount) {
          throw new MeshFormatError(
            name,
            `line ${li + 1}: face vertex index ${index} out of range ` +
              `(${vertexCount} vertices defined so far; OBJ indices start at 1)`,
          );
        }
        corner.push(index > 0 ? index - 1 : vertexCount + index);
      }
      if (current === null) {
        current = { name: pendingName, corners: new Float64List() };
        parts.push(current);
      }
      const v = vertices.data;
      // Fan triangulation, as three's OBJLoader and most exporters' readers do.
      for (let k = 1; k + 1 < corner.length; k++) {
        for (const c of [corner[0], corner[k], corner[k + 1]])
          current.corners.push3(v[c * 3], v[c * 3 + 1], v[c * 3 + 2]);
      }
      faceCount++;
    }
    // Line ('l') and point ('p') elements carry no surface; materials and smoothing groups do not change shape.
  }
  if (faceCount === 0) {
    throw new MeshFormatError(
      name,
      `no faces ('f' lines) found (${vertices.length / 3} vertices); expected a triangle mesh`,
    );
  }
  return parts.map((p) => ({ name: p.name, corners: p.corners.data.slice(0, p.corners.length) }));
}

/** Reads an OBJ file as one mesh: every object and group together, since the file is one rigid body. */
export function parseObj(bytes: Uint8Array, name: string): Mesh {
  const parts = parseObjParts(bytes, name, 'none');
  return finishMesh(name, parts[0].corners, null, 'corner');
}

/** Wavefront OBJ text: one `v` line per vertex and one 1-based `f` line per triangle. */
export function writeObj(mesh: Mesh): Uint8Array {
  const { vertices: v, triangles: t } = mesh;
  const chunks: string[] = [`# dexnet-ts mesh: ${v.length / 3} vertices, ${t.length / 3} triangles\n`];
  for (const line of formatVertices(v)) chunks.push(`v ${line}\n`);
  for (let i = 0; i < t.length; i += 3) chunks.push(`f ${t[i] + 1} ${t[i + 1] + 1} ${t[i + 2] + 1}\n`);
  return encodeText(chunks);
}
