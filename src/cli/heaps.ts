// `dexnet heaps <meshes-dir> --out <dir>`: heaps of objects dropped into a bin in MuJoCo (Dex-Net 2.1), one JSON
// record per heap; resumable, deterministic for any number of workers; `--render` adds depth images of each heap.
import { Option, type Command } from 'commander';
import type { ScaleRule } from '../geometry/object-scale.js';
import { formatObjectCount, type ObjectCount } from '../physics/heap-contents.js';
import type { HeapSetSummary } from '../physics/heap-set.js';
import { hasStructuredLight, heapCameraIntrinsics, type HeapCameraName } from '../render/heap-cameras.js';
import { cameraOption, numberOption, objectsOption, progressBar, scaleOption, workersOption } from './output.js';

interface HeapsFlags {
  out: string;
  count: number;
  objects: ObjectCount;
  maxObjects: number;
  seed: number;
  workers: number;
  scale: ScaleRule;
  render?: boolean;
  camera: HeapCameraName;
  json?: boolean;
}

export function registerHeaps(program: Command): void {
  program
    .command('heaps')
    .description('drop heaps of objects into a bin in MuJoCo and record where they rest; resumable, deterministic')
    .argument('<meshes-dir>', 'folder of .obj/.stl/.ply meshes in metres (e.g. from `dexnet objects`)')
    .requiredOption('--out <dir>', 'output folder (re-run the same command to resume; a larger --count adds heaps)')
    .option('--count <n>', 'number of heaps', numberOption('--count', 1, 10_000_000, true), 100)
    .addOption(
      new Option('--objects <spec>', 'objects per heap: poisson:<mean> (Dex-Net 2.1) or a whole number')
        .argParser(objectsOption)
        .default({ kind: 'poisson', lambda: 5 }, 'poisson:5'),
    )
    .option('--max-objects <n>', 'most objects in one heap', numberOption('--max-objects', 1, 255, true), 20)
    .option('--seed <s>', 'random seed', numberOption('--seed', 0, 2 ** 32 - 1, true), 0)
    .addOption(workersOption())
    .addOption(
      new Option('--scale <rule>', 'resize each mesh first: none, min:<m>, max:<m> or egad')
        .argParser(scaleOption)
        .default({ kind: 'none' }, 'none'),
    )
    .option('--render', 'also write each heap as seen from above: depth .npy, segmask PNG and a preview PNG in images/')
    .option(
      '--camera <name>',
      'camera for --render: phoxi (516×386, f 552.5, with its missing pixels) or primesense (640×480, f 525, ideal)',
      cameraOption,
      'phoxi',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (meshesDir: string, flags: HeapsFlags) => {
      // Loaded when the command runs so that other commands start without MuJoCo and the pool.
      const { listMeshes } = await import('../dataset/generate.js');
      const { generateHeaps } = await import('../physics/heap-set.js');
      const meshes = await listMeshes(meshesDir);
      // Heaps already made by an earlier run count as done from the first report on.
      let bar: ReturnType<typeof progressBar> | undefined;
      let shown = 0;
      const summary = await generateHeaps(meshes, flags.out, {
        count: flags.count,
        objects: flags.objects,
        maxObjects: flags.maxObjects,
        seed: flags.seed,
        scale: flags.scale,
        workers: flags.workers,
        onHeap: (_s, done, total) => {
          bar ??= progressBar(total, 'heaps');
          bar.tick(done - shown);
          shown = done;
        },
      });
      bar?.stop();
      let images = 0;
      if (flags.render) {
        const { renderHeapSet } = await import('../render/heap-set-images.js');
        const render = progressBar(flags.count, 'images');
        const written = await renderHeapSet(flags.out, flags.count, {
          intrinsics: heapCameraIntrinsics(flags.camera),
          structuredLight: hasStructuredLight(flags.camera) ? {} : undefined,
          onHeap: () => render.tick(),
        });
        render.stop();
        images = written.length / 3;
      }
      printSummary(summary, flags, images);
    });
}

function printSummary(s: HeapSetSummary, flags: HeapsFlags, images: number): void {
  if (flags.json) {
    const { heaps: _perHeap, ...rest } = s;
    process.stdout.write(JSON.stringify({ ...rest, images }, null, 2) + '\n');
    return;
  }
  const removed = Object.entries(s.removed)
    .map(([why, n]) => `${n} ${why}`)
    .join(', ');
  console.log(
    `heaps ${s.outDir}: ${s.count} heaps (${s.made} made now, ${s.seconds.toFixed(1)} s${s.made ? `, ${(s.made / Math.max(s.seconds, 1e-9)).toFixed(2)} heaps/s` : ''}) of ${formatObjectCount(flags.objects)} objects: ` +
      `${s.kept}/${s.objects} objects in the bins${removed ? ` (removed: ${removed})` : ''}, ${s.settled}/${s.count} settled` +
      `${s.failed ? `, ${s.failed} failed` : ''}${images ? `; ${images} images in ${s.outDir}/images` : ''}`,
  );
}
