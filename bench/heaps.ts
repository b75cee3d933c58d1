// Benchmark: heaps dropped per second (Dex-Net 2.1's Poisson(5) heaps of procedural objects into the default bin) on
// 1 worker and on 2. Each run starts cold (threads load MuJoCo and make each mesh's pieces once, shared through the
// run folder), so besides the whole run's rate it gives the steady rate over the second half of the heaps.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateGraspableObjects } from '../src/dataset/graspable-objects.js';
import { saveMesh } from '../src/geometry/mesh-io/index.js';

const json = process.argv.includes('--json');
const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
// The compiled build (made by `npm install`), so worker threads run JavaScript as the CLI does instead of compiling
// TypeScript at start-up; the path is a variable so typechecking does not need dist/.
const compiled = new URL('../dist/physics/heap-set.js', import.meta.url).href;
const { generateHeaps } = (await import(compiled)) as typeof import('../src/physics/heap-set.js');
const objectCount = arg('objects', 10);
const heaps = arg('heaps', 80);
const root = mkdtempSync(join(tmpdir(), 'dexnet-bench-heaps-'));

try {
  const objects = await generateGraspableObjects({ count: objectCount, seed: 2026 });
  const meshes: string[] = [];
  for (const o of objects) {
    const path = join(root, 'objects', `${o.id}.ply`);
    await saveMesh(path, o.mesh);
    meshes.push(path);
  }
  const run = async (workers: number) => {
    const start = performance.now();
    const finished: number[] = [];
    const s = await generateHeaps(meshes, join(root, `w${workers}`), {
      seed: 1,
      workers,
      count: heaps,
      onHeap: () => finished.push((performance.now() - start) / 1000),
    });
    const half = Math.floor(heaps / 2);
    const steady = (heaps - half) / (finished[heaps - 1] - finished[half - 1]);
    return { heapsPerSecond: s.count / s.seconds, steady, firstHeap: finished[0], s };
  };
  const one = await run(1);
  const two = await run(2);
  const result = {
    heapsPerSecond: Number(two.heapsPerSecond.toFixed(2)),
    workers: 2,
    oneWorkerHeapsPerSecond: Number(one.heapsPerSecond.toFixed(2)),
    speedup: Number((two.heapsPerSecond / one.heapsPerSecond).toFixed(2)),
    steadyHeapsPerSecond: Number(two.steady.toFixed(2)),
    steadyOneWorkerHeapsPerSecond: Number(one.steady.toFixed(2)),
    secondsToFirstHeap: Number(two.firstHeap.toFixed(1)),
    heaps,
    objects: objectCount,
    objectsPerHeap: Number((two.s.objects / two.s.count).toFixed(2)),
    keptShare: Number((two.s.kept / two.s.objects).toFixed(3)),
    settledShare: Number((two.s.settled / two.s.count).toFixed(3)),
    loadAverage: Number(loadavg()[0].toFixed(1)),
  };
  console.log(
    `heaps: ${result.heapsPerSecond} heaps/s with 2 workers (${result.oneWorkerHeapsPerSecond}/s with 1, ${result.speedup}× speed-up; ` +
      `steady over the second half ${result.steadyHeapsPerSecond}/s against ${result.steadyOneWorkerHeapsPerSecond}/s, first heap after ${result.secondsToFirstHeap} s), ` +
      `${heaps} heaps of ${result.objectsPerHeap} objects on average from ` +
      `${objectCount} procedural meshes, ${(100 * result.keptShare).toFixed(1)}% of objects kept, ${(100 * result.settledShare).toFixed(0)}% of heaps settled; ` +
      `load average ${result.loadAverage} on this machine`,
  );
  if (json) console.log(JSON.stringify(result));
} finally {
  rmSync(root, { recursive: true, force: true });
}
