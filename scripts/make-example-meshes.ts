// Regenerates the small example meshes in examples/meshes (metres, 4–10 cm, Dex-Net object scale).
// Run: npx tsx scripts/make-example-meshes.ts
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { saveMesh } from '../src/geometry/mesh-io/index.js';
import { boundingBoxExtents, isWatertight, meshVolume } from '../src/geometry/mesh-properties.js';
import { boxMesh, cylinderMesh, lBracketMesh } from '../src/geometry/primitives.js';
import type { Mesh } from '../src/geometry/mesh.js';

const outDir = fileURLToPath(new URL('../examples/meshes/', import.meta.url));

const examples: Array<{ file: string; mesh: Mesh; binary?: boolean }> = [
  { file: 'box.obj', mesh: boxMesh(0.03, 0.03, 0.06) },
  { file: 'cylinder.stl', mesh: cylinderMesh(0.02, 0.07, 48), binary: true },
  { file: 'bracket.ply', mesh: lBracketMesh(0.08, 0.05, 0.012, 0.04), binary: true },
];

for (const { file, mesh, binary } of examples) {
  // Refuse to ship a broken example: every later stage assumes closed, outward meshes.
  if (!isWatertight(mesh) || !(meshVolume(mesh) > 0))
    throw new Error(`${file}: generated mesh is not closed and outward`);
  const path = join(outDir, file);
  await saveMesh(path, mesh, { binary });
  const e = boundingBoxExtents(mesh)
    .map((x) => (x * 100).toFixed(1))
    .join(' × ');
  console.log(`${path}: ${mesh.triangles.length / 3} triangles, ${e} cm, ${(meshVolume(mesh) * 1e6).toFixed(2)} cm³`);
}
