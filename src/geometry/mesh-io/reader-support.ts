// What every mesh reader shares: byte sniffing, silencing three's console reports, and the final checks that turn
// parsed arrays into a welded Mesh or one clear error.
import type { BufferGeometry } from 'three';
import type { Mesh } from '../mesh.js';
import { MeshFormatError } from './errors.js';
import { weldVertices } from './weld.js';

export const decodeText = (bytes: Uint8Array): string => new TextDecoder('utf-8').decode(bytes);

/** True when the bytes hold NUL or other control bytes that never occur in a text mesh file. */
export function looksBinary(bytes: Uint8Array): boolean {
  // A single trailing NUL occurs in real files (three tolerates it too).
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0 ? bytes.length - 1 : bytes.length;
  const limit = Math.min(end, 1 << 16);
  for (let i = 0; i < limit; i++) {
    const b = bytes[i];
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) return true;
  }
  return false;
}

/**
 * Runs one of three's loaders with the console captured: they report some problems there instead of throwing, and
 * those must become our errors (or be dropped) instead of noise on the user's terminal.
 */
export function quietly<T>(fn: () => T): { value: T; messages: string[] } {
  const messages: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const collect = (...args: unknown[]): void => {
    messages.push(args.map(String).join(' '));
  };
  console.log = collect;
  console.warn = collect;
  console.error = collect;
  try {
    return { value: fn(), messages };
  } finally {
    console.log = saved.log;
    console.warn = saved.warn;
    console.error = saved.error;
  }
}

/** A private, exactly sized ArrayBuffer (three's binary loaders read from offset 0 of the buffer). */
export function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return copy;
}

/** Positions (and index, when indexed) of a three geometry. */
export function geometryArrays(geometry: BufferGeometry): {
  positions: ArrayLike<number>;
  indices: ArrayLike<number> | null;
} {
  const position = geometry.getAttribute('position');
  if (position === undefined) return { positions: new Float32Array(0), indices: null };
  const positions = position.array as ArrayLike<number>;
  const index = geometry.getIndex();
  return { positions, indices: index === null ? null : (index.array as ArrayLike<number>) };
}

/**
 * Rejects non-finite coordinates and out-of-range indices, then welds. `what` names a position's unit in errors:
 * 'corner' for triangle soups (three corners per triangle), 'vertex' for indexed meshes.
 */
export function finishMesh(
  name: string,
  positions: ArrayLike<number>,
  indices: ArrayLike<number> | null,
  what: 'corner' | 'vertex',
): Mesh {
  const n = Math.floor(positions.length / 3);
  for (let i = 0; i < n * 3; i++) {
    // Checked in float32 because that is what the mesh stores: 1e39 is finite as a double only.
    if (!Number.isFinite(Math.fround(positions[i]))) {
      const where = what === 'corner' ? `triangle ${Math.floor(i / 9)}` : `${what} ${Math.floor(i / 3)}`;
      throw new MeshFormatError(
        name,
        `${where} has a non-finite coordinate (${positions[i]}); expected finite float32 numbers`,
      );
    }
  }
  if (indices !== null) {
    for (let i = 0; i < indices.length; i++) {
      const v = indices[i];
      if (!(Number.isInteger(v) && v >= 0 && v < n)) {
        throw new MeshFormatError(
          name,
          `triangle ${Math.floor(i / 3)} uses vertex index ${v}, out of range for ${n} vertices`,
        );
      }
    }
  }
  const mesh = weldVertices(positions, indices);
  if (mesh.triangles.length === 0) throw new MeshFormatError(name, 'no triangles with three distinct vertices');
  return mesh;
}
