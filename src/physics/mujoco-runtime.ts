// The MuJoCo physics engine in Node: the official WebAssembly build (npm `mujoco-js`, MuJoCo 3.3.8), loaded once
// per process and shared by every physics judgement. Models are handed over as MJCF text through its in-memory
// file system, so nothing touches the disk or the network.
import loadMujocoModule, { type MainModule, type MjData, type MjModel } from 'mujoco-js';
import { MESH_FILE_DIR, type MeshFile } from './mesh-files.js';

export type Mujoco = MainModule;
export type { MjData, MjModel };

let loading: Promise<Mujoco> | undefined;

/**
 * The MuJoCo module, compiled on first use (~0.3 s: the .wasm is inlined in the package's JavaScript) and cached.
 * A failed load is not cached, so a later call tries again.
 */
export function loadMujoco(): Promise<Mujoco> {
  if (!loading) {
    // MuJoCo reports warnings (e.g. a diverging simulation) by printing them; the referee reads its warning counters
    // instead, so the prints would only litter the output of the command that runs it.
    loading = loadMujocoModule({ print: () => {}, printErr: () => {} }).catch((err: unknown) => {
      loading = undefined;
      throw new Error(
        `mujoco: the WebAssembly module failed to load: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  }
  return loading;
}

/** MuJoCo's version string, e.g. "3.3.8". */
export async function mujocoVersion(): Promise<string> {
  return (await loadMujoco()).mj_versionString();
}

const MODEL_DIR = '/dexnet';
const MODEL_PATH = `${MODEL_DIR}/model.xml`;

/**
 * Compiles an MJCF document, first putting the mesh files it names into MuJoCo's file system (each once per
 * process: their names say their content). The caller owns the returned model and must `delete()` it (it lives in
 * the WebAssembly heap, not the JavaScript one). Throws `mjcf: …` when MuJoCo rejects the document.
 */
export function compileMjcf(mujoco: Mujoco, xml: string, meshFiles: readonly MeshFile[] = []): MjModel {
  const fs = mujoco.FS;
  if (!fs.analyzePath(MODEL_DIR, false).exists) fs.mkdir(MODEL_DIR);
  if (meshFiles.length > 0 && !fs.analyzePath(MESH_FILE_DIR, false).exists) fs.mkdir(MESH_FILE_DIR);
  for (const file of meshFiles) if (!fs.analyzePath(file.path, false).exists) fs.writeFile(file.path, file.data);
  fs.writeFile(MODEL_PATH, xml);
  try {
    return mujoco.MjModel.loadFromXML(MODEL_PATH);
  } catch (err) {
    // The bindings surface MuJoCo's compiler error as a C++ exception whose text is not exposed; its name is.
    const what = err instanceof Error ? err.message || err.name : String(err);
    throw new Error(`mjcf: MuJoCo rejected the model (${what})`);
  } finally {
    fs.unlink(MODEL_PATH);
  }
}

/** Runs `body` with fresh simulation data for `model`, freeing both afterwards. */
export function withSimulation<T>(mujoco: Mujoco, model: MjModel, body: (data: MjData) => T): T {
  const data = new mujoco.MjData(model);
  try {
    return body(data);
  } finally {
    data.delete();
    model.delete();
  }
}
