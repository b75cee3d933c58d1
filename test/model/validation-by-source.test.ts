// Validation by object source: datapoints are attributed to the procedural or real object they came from, following
// the training folder's links to the folders (and manifests) that hold the meshes.
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/dataset/generate.js';
import { sourcesOfMeshes } from '../../src/dataset/mesh-sources.js';
import { TensorDatasetReader } from '../../src/dataset/tensor-dataset.js';
import { validationBySource } from '../../src/model/validation-by-source.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('by-source');

/** A training folder of links: box.obj from a `dexnet objects`-style folder, the other two from a folder without one. */
function linkedMeshes(root: string): string {
  const procedural = join(root, 'procedural'),
    real = join(root, 'real'),
    training = join(root, 'training');
  for (const d of [procedural, real, training]) mkdirSync(d);
  copyFileSync('examples/meshes/box.obj', join(procedural, 'box.obj'));
  writeFileSync(join(procedural, 'manifest.json'), JSON.stringify({ families: ['superquadric'], objects: [] }));
  for (const f of ['cylinder.stl', 'bracket.ply']) copyFileSync(join('examples/meshes', f), join(real, f));
  symlinkSync(join(procedural, 'box.obj'), join(training, 'a-box.obj'));
  symlinkSync(join(real, 'cylinder.stl'), join(training, 'b-cylinder.stl'));
  symlinkSync(join(real, 'bracket.ply'), join(training, 'c-bracket.ply'));
  return training;
}

describe('validationBySource', () => {
  it('follows links to the manifest of the folder that holds each mesh', async () => {
    const training = linkedMeshes(tempDir());
    const names = ['a-box.obj', 'b-cylinder.stl', 'c-bracket.ply', 'missing.obj'];
    expect(await sourcesOfMeshes(names.map((n) => join(training, n)))).toEqual(['procedural', 'real', 'real', 'real']);
  });

  it('splits the validation datapoints by source, each group scored on its own', async () => {
    const root = tempDir();
    const dataset = join(root, 'ds');
    await generateDataset(linkedMeshes(root), dataset, {
      seed: 2,
      workers: 1,
      graspsPerObject: 10,
      imagesPerPose: 1,
      robustSamples: 2,
    });
    const reader = await TensorDatasetReader.open(dataset);
    const objLabels = await reader.readWholeField('obj_labels');
    const n = objLabels.length;
    // Every datapoint, scored right on the procedural box (object 0) and wrong on the real objects.
    const indices = Uint32Array.from({ length: n }, (_, i) => i);
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 2);
    const scores = Float32Array.from(labels, (l, i) => (objLabels[i] === 0 ? l : 1 - l));
    const bySource = await validationBySource(dataset, indices, scores, labels);
    const boxCount = Array.from(objLabels).filter((o) => o === 0).length;
    expect(boxCount).toBeGreaterThan(0);
    expect(bySource.procedural).toMatchObject({ n: boxCount, objects: 1, accuracy: 1 });
    expect(bySource.real).toMatchObject({ n: n - boxCount, objects: 2, accuracy: 0 });
  }, 60_000);
});
