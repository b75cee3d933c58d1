// `dexnet grasps <mesh>`: sample antipodal grasps and label each with force closure, ε, robust ε, collision.
import type { Command } from 'commander';
import type { LabelledGrasp } from '../grasp/parallel-jaw/grasp-labels.js';
import { fmt, numberOption, progressBar } from './output.js';

interface GraspsOptions {
  count: number;
  seed: number;
  samples: number;
  tableParallel?: boolean;
  json?: boolean;
}

export function registerGrasps(program: Command): void {
  program
    .command('grasps')
    .description('sample antipodal parallel-jaw grasps on a mesh and rank them by robust Ferrari–Canny ε')
    .argument('<mesh>', 'mesh file in metres (.obj, .stl, .ply)')
    .option('--count <n>', 'grasps to sample', numberOption('--count', 1, 10_000, true), 50)
    .option('--seed <s>', 'random seed (same seed, same grasps)', numberOption('--seed', 0, 2 ** 32 - 1, true), 0)
    .option('--samples <k>', 'Monte-Carlo draws per robust ε', numberOption('--samples', 1, 10_000, true), 25)
    .option('--table-parallel', 'only grasps whose axis is within 5° of the table under the most likely stable pose')
    .option('--json', 'print JSON instead of a table')
    .action(async (meshPath: string, opts: GraspsOptions) => {
      // Loaded when the command runs so that other commands start without three.js and the BVH.
      const [
        { loadCheckedMesh },
        { stablePoses },
        { GraspableObject },
        { deriveSeed },
        { DEFAULT_GRIPPER },
        { approachDirection },
      ] = await Promise.all([
        import('../geometry/mesh-checks.js'),
        import('../geometry/stable-poses.js'),
        import('../grasp/parallel-jaw/grasp-labels.js'),
        import('../core/seed.js'),
        import('../grasp/gripper.js'),
        import('../grasp/parallel-jaw/parallel-jaw-grasp.js'),
      ]);
      const mesh = await loadCheckedMesh(meshPath);
      const object = new GraspableObject(mesh, DEFAULT_GRIPPER);
      const pose = stablePoses(mesh)[0];
      const table = object.tableFromObject(pose);
      const grasps = object.sampleGrasps(
        opts.seed,
        { targetGrasps: opts.count },
        opts.tableParallel ? pose : undefined,
      );
      const bar = progressBar(grasps.length, 'labelling grasps');
      const labelled: LabelledGrasp[] = grasps.map((g, i) => {
        const { grasp } = object.bestApproach(g, table);
        const l = object.label(grasp, {
          seed: deriveSeed(opts.seed, i),
          noise: { samples: opts.samples },
          tableFromObject: table,
        });
        bar.tick();
        return l;
      });
      bar.stop();
      labelled.sort((a, b) => b.robustFerrariCanny - a.robustFerrariCanny);
      const rows = labelled.map((l) => ({
        center: l.grasp.center,
        axis: l.grasp.axis,
        approach: approachDirection(l.grasp),
        width: l.contactWidth,
        openingWidth: l.grasp.width,
        forceClosure: l.forceClosure,
        ferrariCanny: l.ferrariCanny,
        robustFerrariCanny: l.robustFerrariCanny,
        collisionFree: l.collisionFree,
      }));
      if (opts.json) {
        process.stdout.write(
          JSON.stringify(
            {
              mesh: meshPath,
              seed: opts.seed,
              samples: opts.samples,
              stablePoseProbability: pose.probability,
              grasps: rows,
            },
            null,
            2,
          ) + '\n',
        );
        return;
      }
      console.log(
        `${rows.length} grasps on ${meshPath} (seed ${opts.seed}, ${opts.samples} draws per robust ε), best first`,
      );
      console.log(
        '   centre (mm)                axis                       width(mm)  FC   ε        robust ε  collision-free',
      );
      for (const r of rows)
        console.log(
          `  [${r.center.map((v) => (v * 1000).toFixed(1).padStart(6)).join(',')}]  [${r.axis.map((v) => fmt(v, 3).padStart(6)).join(',')}]  ${(r.width * 1000).toFixed(1).padStart(8)}  ${r.forceClosure ? 'yes' : 'no '}  ${fmt(r.ferrariCanny).padStart(7)}  ${fmt(r.robustFerrariCanny).padStart(7)}   ${r.collisionFree ? 'yes' : 'no'}`,
        );
    });
}
