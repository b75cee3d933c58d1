// Convex point sets as MuJoCo `.msh` files for its in-memory file system. MuJoCo keeps every processed mesh file
// (hull, inertia) in a cache keyed by the file's path, so a model that names the same file again skips that work:
// 500 pieces compiled in 1.1 s the first time and 0.1 s once cached, where vertex lists in the MJCF text cost the
// full time on every compile. The cache never looks at the content, so files are named by a hash of it.
import { createHash } from 'node:crypto';

export interface MeshFile {
  /** Absolute path in MuJoCo's file system, for `<mesh file="…">`. */
  path: string;
  /** The file's bytes: int32 vertex, normal, texcoord and face counts (only vertices here), then float32 xyz. */
  data: Uint8Array;
}

export const MESH_FILE_DIR = '/dexnet-meshes';

const files = new WeakMap<Float32Array, MeshFile>();

/** The `.msh` file of a point set (MuJoCo builds its convex hull), made once per array. */
export function meshFileOf(points: Float32Array): MeshFile {
  let file = files.get(points);
  if (!file) {
    const n = points.length / 3;
    const data = new Uint8Array(16 + 4 * points.length);
    const view = new DataView(data.buffer);
    view.setInt32(0, n, true);
    for (let i = 0; i < points.length; i++) view.setFloat32(16 + 4 * i, points[i], true);
    const hash = createHash('sha256').update(data).digest('hex').slice(0, 32);
    file = { path: `${MESH_FILE_DIR}/${hash}.msh`, data };
    files.set(points, file);
  }
  return file;
}
