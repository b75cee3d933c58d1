// Benchmark: dataset generation throughput (labelled crops per second) over procedural objects with
// Dex-Net 2.0's settings, on 1 worker and on 2, plus the positive rate of the labels.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateGraspableObjects } from '../src/dataset/graspable-objects.js';
import { saveMesh } from '../src/geometry/mesh-io/index.js';

const json = process.argv.includes('--json');
// The compiled build (made by `npm install`), so worker threads run JavaScript as the CLI does instead of
// compiling TypeScript at start-up; the path is a variable so typechecking does not need dist/.
const compiled = new URL('../dist/dataset/generate.js', import.meta.url).href;
const { generateDataset } = (await import(compiled)) as typeof import('../src/dataset/generate.js');
const count = Number(process.argv.find((a) => a.startsWith('--objects='))?.slice(10) ?? 20);
const root = mkdtempSync(join(tmpdir(), 'dexnet-bench-generate-'));
const meshes = join(root, 'objects');

try {
  const objects = await generateGraspableObjects({ count, seed: 2026 });
  for (const o of objects) await saveMesh(join(meshes, `${o.id}.ply`), o.mesh);

  const run = async (workers: number) => {
    const s = await generateDataset(meshes, join(root, `w${workers}`), { seed: 1, workers });
    return {
      workers,
      datapoints: s.datapoints,
      seconds: s.seconds,
      datapointsPerSecond: s.datapoints / s.seconds,
      positiveRate: s.positiveRate,
    };
  };
  const one = await run(1);
  const two = await run(2);
  const result = {
    datapointsPerSecond: Number(two.datapointsPerSecond.toFixed(1)),
    workers: 2,
    positiveRate: Number(two.positiveRate.toFixed(3)),
    oneWorkerDatapointsPerSecond: Number(one.datapointsPerSecond.toFixed(1)),
    speedup: Number((two.datapointsPerSecond / one.datapointsPerSecond).toFixed(2)),
    objects: count,
    datapoints: two.datapoints,
    settings: { graspsPerObject: 100, imagesPerPose: 5, robustSamples: 25 },
    hoursForDexNet2: Number((6.7e6 / two.datapointsPerSecond / 3600).toFixed(1)),
  };
  console.log(
    `generate: ${result.datapointsPerSecond} labelled crops/s with 2 workers (${result.oneWorkerDatapointsPerSecond}/s with 1, ${result.speedup}× speed-up), ` +
      `${result.datapoints} datapoints from ${count} objects, ${(100 * result.positiveRate).toFixed(1)}% positive; ` +
      `Dex-Net 2.0's 6.7 M datapoints would take ${result.hoursForDexNet2} h here`,
  );
  if (json) console.log(JSON.stringify(result));
} finally {
  rmSync(root, { recursive: true, force: true });
}
