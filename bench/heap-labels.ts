// Benchmark: labelled heap crops per second (`generate --scene heap`, Poisson(5) heaps of 10 procedural meshes, PhoXi
// images, 5 images × 200 candidates a heap) on 1 worker and on 2, for the jaws and for suction, with each gripper's
// positive rate; against the single-object generator on the same meshes in the same run (the ratio), and the share
// of the time the heap drops alone take (the same heaps made by `dexnet heaps`' code).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateGraspableObjects } from '../src/dataset/graspable-objects.js';
import { saveMesh } from '../src/geometry/mesh-io/index.js';

const json = process.argv.includes('--json');
const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
// The compiled build, so worker threads run JavaScript as the CLI does (see bench/generate.ts).
const compiled = (path: string) => new URL(`../dist/${path}`, import.meta.url).href;
const { generateDataset } = (await import(
  compiled('dataset/generate.js')
)) as typeof import('../src/dataset/generate.js');
const { generateHeaps } = (await import(
  compiled('physics/heap-set.js')
)) as typeof import('../src/physics/heap-set.js');
const heaps = arg('heaps', 12);
const root = mkdtempSync(join(tmpdir(), 'dexnet-bench-heap-labels-'));
const meshes = join(root, 'objects');

try {
  const objects = await generateGraspableObjects({ count: 10, seed: 2026 });
  for (const o of objects) await saveMesh(join(meshes, `${o.id}.ply`), o.mesh);
  let run = 0;
  const rate = async (workers: number, options: Parameters<typeof generateDataset>[2]) => {
    const s = await generateDataset(meshes, join(root, `run${run++}`), { seed: 1, workers, ...options });
    return {
      perSecond: s.datapoints / s.seconds,
      positiveRate: s.positiveRate,
      datapoints: s.datapoints,
      seconds: s.seconds,
    };
  };
  const scene = { kind: 'heap' as const, heaps };
  const single = await rate(2, {});
  const jaws1 = await rate(1, { scene });
  const jaws2 = await rate(2, { scene });
  const suction2 = await rate(2, { scene, gripper: 'suction' });
  const drops = await generateHeaps(
    objects.map((o) => join(meshes, `${o.id}.ply`)),
    join(root, 'drops'),
    { seed: 1, count: heaps, workers: 2 },
  );
  const r1 = (v: number) => Number(v.toFixed(1));
  const result = {
    jawCropsPerSecond: r1(jaws2.perSecond),
    workers: 2,
    jawOneWorkerCropsPerSecond: r1(jaws1.perSecond),
    jawPositiveRate: Number(jaws2.positiveRate.toFixed(3)),
    suctionCropsPerSecond: r1(suction2.perSecond),
    suctionPositiveRate: Number(suction2.positiveRate.toFixed(3)),
    singleObjectCropsPerSecond: r1(single.perSecond),
    jawRatioToSingleObject: Number((jaws2.perSecond / single.perSecond).toFixed(2)),
    suctionRatioToSingleObject: Number((suction2.perSecond / single.perSecond).toFixed(2)),
    dropShareOfJawRun: Number((drops.seconds / jaws2.seconds).toFixed(2)),
    heaps,
    jawCrops: jaws2.datapoints,
    suctionCrops: suction2.datapoints,
    loadAverage: Number(loadavg()[0].toFixed(1)),
  };
  console.log(
    `heap labels: ${result.jawCropsPerSecond} jaw crops/s with 2 workers (${result.jawOneWorkerCropsPerSecond}/s with 1), ` +
      `${(100 * result.jawPositiveRate).toFixed(1)}% positive; suction ${result.suctionCropsPerSecond}/s, ` +
      `${(100 * result.suctionPositiveRate).toFixed(1)}% positive; single-object generator ${result.singleObjectCropsPerSecond}/s ` +
      `in the same run (ratio ${result.jawRatioToSingleObject} jaws, ${result.suctionRatioToSingleObject} suction); ` +
      `the ${heaps} heap drops alone take ${(100 * result.dropShareOfJawRun).toFixed(0)}% of the jaw run's time; ` +
      `load average ${result.loadAverage}`,
  );
  if (json) console.log(JSON.stringify(result));
} finally {
  rmSync(root, { recursive: true, force: true });
}
