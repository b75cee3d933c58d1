// `dexnet generate <meshes-dir> --out <dataset-dir>`: a Dex-Net grasp dataset from a folder of meshes, of single
// objects on a table (default) or of heaps in a bin (`--scene heap`, Dex-Net 4.0's labels in clutter).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserInputError } from '../core/errors.js';
import type { ObjectCount } from '../physics/heap-contents.js';
import type { HeapCameraName } from '../render/heap-cameras.js';
import { progress } from './progress.js';
import type { GenerateOptions, GenerateSummary } from '../dataset/generate.js';
import type { ScaleRule } from '../geometry/object-scale.js';
import {
  cameraOption,
  choiceOption,
  numberOption,
  objectMassOption,
  objectsOption,
  scaleOption,
  workersOption,
} from './output.js';
import {
  CROP_SIZE,
  datasetLayout,
  DEFAULT_CROP_WINDOW,
  DEFAULT_MAX_APPROACH_ANGLE,
  type GripperKind,
} from '../dataset/fields.js';
import { DEFAULT_OBJECT_DENSITY, formatObjectMass, type ObjectMass } from '../grasp/object-mass.js';

/** What suction labels weigh objects by unless told otherwise: the MuJoCo referee's density. */
const REFEREE_OBJECT_MASS: ObjectMass = { density: DEFAULT_OBJECT_DENSITY };

const GRIPPERS: readonly GripperKind[] = ['parallel-jaw', 'suction'];
function gripperOption(value: string): GripperKind {
  if (!(GRIPPERS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`--gripper must be one of ${GRIPPERS.join(', ')}, got "${value}"`);
  return value as GripperKind;
}

interface GenerateFlags {
  out: string;
  seed: number;
  graspsPerObject: number;
  imagesPerPose: number;
  samples: number;
  workers: number;
  noise: boolean;
  cropWindow: number;
  maxTableAngle: number;
  plannerGrasps: number;
  gripper: GripperKind;
  maxApproachAngle: number;
  objectMass: ObjectMass;
  queue?: string;
  json?: boolean;
  scale: ScaleRule;
  scene: 'object' | 'heap';
  heaps: number;
  objects: ObjectCount;
  maxObjects: number;
  imagesPerHeap: number;
  graspsPerImage: number;
  camera: HeapCameraName;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate a grasp dataset (gqcnn TensorDataset) from a folder of meshes; resumable, deterministic')
    .argument('<meshes-dir>', 'folder of .obj/.stl/.ply meshes in metres (e.g. from `dexnet objects`)')
    .requiredOption('--out <dataset-dir>', 'output dataset folder (re-run the same command to resume)')
    .option('--seed <s>', 'random seed', numberOption('--seed', 0, 2 ** 32 - 1, true), 0)
    .option(
      '--grasps-per-object <n>',
      'grasps sampled per object, shared over its stable poses',
      numberOption('--grasps-per-object', 1, 10_000, true),
      100,
    )
    .option(
      '--images-per-pose <k>',
      'rendered images per stable pose',
      numberOption('--images-per-pose', 1, 1000, true),
      5,
    )
    .option('--samples <k>', 'Monte-Carlo draws per robust ε label', numberOption('--samples', 1, 10_000, true), 25)
    .addOption(workersOption())
    .option(
      '--max-table-angle <deg>',
      'largest tilt of a grasp axis out of the table plane (Dex-Net: 5; 0 = exactly table-parallel, what a planner returns)',
      numberOption('--max-table-angle', 0, 90),
      0,
    )
    .option(
      '--planner-grasps <n>',
      "also label n of the image sampler's candidates per image, read back onto the object as a plan is (0: none)",
      numberOption('--planner-grasps', 0, 1000, true),
      0,
    )
    .addOption(
      new Option(
        '--scale <rule>',
        'resize each mesh first: none (as the files are, e.g. sized by `dexnet objects`/`import`), min:<m> (smallest extent, Dex-Net: min:0.04), max:<m> or egad',
      )
        .argParser(scaleOption)
        .default({ kind: 'none' }, 'none'),
    )
    .option(
      '--gripper <kind>',
      'parallel-jaw (Dex-Net 2.0 datapoints) or suction (Dex-Net 3.0: seal and wrench-resistance labels)',
      gripperOption,
      'parallel-jaw',
    )
    .option(
      '--max-approach-angle <deg>',
      "suction: largest angle between a candidate's approach and the optical axis (the planner's image sampler)",
      numberOption('--max-approach-angle', 0, 90),
      (DEFAULT_MAX_APPROACH_ANGLE * 180) / Math.PI,
    )
    .addOption(
      new Option(
        '--object-mass <mass>',
        "suction: the object's mass the labels load: density:<kg/m³> (its solid volume at that density) or one mass in kg for every object (Dex-Net 3.0: 1)",
      )
        .argParser(objectMassOption)
        .default(REFEREE_OBJECT_MASS, `${formatObjectMass(REFEREE_OBJECT_MASS)}, the MuJoCo referee's`),
    )
    .option(
      '--scene <kind>',
      'object (one object on a table, Dex-Net 2.0/3.0) or heap (heaps dropped into a bin, labels in clutter: Dex-Net 4.0)',
      choiceOption('--scene', ['object', 'heap'] as const),
      'object',
    )
    .option('--heaps <n>', 'heap scene: number of heaps', numberOption('--heaps', 1, 10_000_000, true), 100)
    .addOption(
      new Option('--objects <spec>', 'heap scene: objects per heap, poisson:<mean> (Dex-Net 2.1) or a whole number')
        .argParser(objectsOption)
        .default({ kind: 'poisson', lambda: 5 }, 'poisson:5'),
    )
    .option(
      '--max-objects <n>',
      'heap scene: most objects in one heap',
      numberOption('--max-objects', 1, 255, true),
      20,
    )
    .option(
      '--images-per-heap <k>',
      'heap scene: images of each heap, each from its own camera above the bin',
      numberOption('--images-per-heap', 1, 1000, true),
      5,
    )
    .option(
      '--grasps-per-image <n>',
      "heap scene: the image sampler's candidates labelled per image",
      numberOption('--grasps-per-image', 1, 10_000, true),
      200,
    )
    .option(
      '--camera <name>',
      'heap scene: phoxi (516×386, with its missing pixels) or primesense (640×480, ideal)',
      cameraOption,
      'phoxi',
    )
    .option('--no-noise', 'render without the sensor noise model')
    .option(
      '--crop-window <px>',
      'image pixels the 32×32 crop is cut from (Dex-Net: 96); a model trained on the dataset records it and plans with it',
      numberOption('--crop-window', CROP_SIZE, 512, true),
      DEFAULT_CROP_WINDOW,
    )
    .option(
      '--queue <redis-url>',
      'distribute one job per object on a Redis queue (run `dexnet worker` on each machine)',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (meshesDir: string, flags: GenerateFlags) => {
      const heap = flags.scene === 'heap';
      if (heap && flags.queue)
        throw new UserInputError('--queue makes single-object datasets only; drop --queue or --scene heap', {
          field: '--queue',
        });
      if (heap && flags.objects.kind === 'fixed' && flags.objects.count > flags.maxObjects)
        throw new UserInputError(`--objects ${flags.objects.count} is more than --max-objects ${flags.maxObjects}`, {
          field: '--objects',
        });
      const unit = heap ? 'heaps' : 'objects';
      const bar = progress(
        `${unit} [{bar}] {value}/{total} | {datapoints} datapoints | {rate} dp/s | ETA {eta_formatted}`,
      );
      const start = Date.now();
      let datapoints = 0;
      let started = false;
      const options: GenerateOptions = {
        seed: flags.seed,
        workers: flags.workers,
        graspsPerObject: flags.graspsPerObject,
        imagesPerPose: flags.imagesPerPose,
        robustSamples: flags.samples,
        noise: flags.noise,
        cropSize: flags.cropWindow,
        maxTableAngle: (flags.maxTableAngle * Math.PI) / 180,
        plannerGrasps: flags.plannerGrasps,
        scale: flags.scale,
        // Suction settings enter the plan only for suction, so jaw plans (and their resumes) read as before.
        ...(flags.gripper === 'suction'
          ? {
              gripper: 'suction' as const,
              maxOpticalAxisAngle: (flags.maxApproachAngle * Math.PI) / 180,
              // Heap labels weigh objects by the scene's gravityHold instead.
              ...(heap ? {} : { objectMass: flags.objectMass }),
            }
          : {}),
        ...(heap
          ? {
              scene: {
                kind: 'heap' as const,
                heaps: flags.heaps,
                objects: flags.objects,
                maxObjects: flags.maxObjects,
                imagesPerHeap: flags.imagesPerHeap,
                graspsPerImage: flags.graspsPerImage,
                camera: flags.camera,
              },
            }
          : {}),
        onObject: (r, done, total) => {
          datapoints += r.datapoints;
          // A resumed run starts counting at the objects already done.
          if (!started) bar.start(total, done - 1, { datapoints: 0, rate: '0' });
          started = true;
          bar.update(done, { datapoints, rate: (datapoints / Math.max(1e-3, (Date.now() - start) / 1000)).toFixed(0) });
        },
      };
      // Loaded when the command runs so that other commands start without bullmq and the renderer.
      const summary = flags.queue
        ? await (
            await import('../dataset/queue.js')
          ).generateDatasetOnQueue(meshesDir, flags.out, { ...options, queue: flags.queue })
        : await (await import('../dataset/generate.js')).generateDataset(meshesDir, flags.out, options);
      bar.stop();
      printSummary(summary, flags.gripper, flags.json === true, unit);
    });
}

function printSummary(s: GenerateSummary, gripper: GripperKind, json: boolean, unit: string): void {
  const layout = datasetLayout(gripper);
  if (json) {
    process.stdout.write(JSON.stringify(s, null, 2) + '\n');
    return;
  }
  console.log(
    `dataset ${s.outDir}: ${s.datapoints} datapoints from ${s.objects - s.skipped.length}/${s.objects} ${unit}, ` +
      `${(100 * s.positiveRate).toFixed(1)}% positive (${layout.labelField} > ${layout.positiveThreshold}), ${s.seconds.toFixed(1)} s (${(s.datapoints / Math.max(s.seconds, 1e-9)).toFixed(0)} datapoints/s)`,
  );
  for (const r of s.perObject) {
    if (r.skipped) console.log(`  skipped ${r.meshPath}: ${r.skipped}`);
    else
      console.log(
        `  ${r.meshPath}: ${r.datapoints} datapoints, ${r.datapoints ? ((100 * r.positives) / r.datapoints).toFixed(1) : '0.0'}% positive, ` +
          (unit === 'heaps' ? `${r.objects ?? 0} objects in the bin` : `${r.poses} poses`) +
          `, ${r.images} images`,
      );
  }
}
