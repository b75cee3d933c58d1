// `dexnet poses <mesh>`: the stable resting poses of an object on a table and their probabilities.
import type { Command } from 'commander';
import { fmt, numberOption } from './output.js';

export function registerPoses(program: Command): void {
  program
    .command('poses')
    .description('stable resting poses of a mesh (OBJ/STL/PLY) on a table, with quasi-static probabilities')
    .argument('<mesh>', 'mesh file in metres (.obj, .stl, .ply)')
    .option(
      '--min-probability <p>',
      'drop poses less likely than p (Dex-Net uses 0.01); when none reaches p (a ball), the most probable is kept',
      numberOption('--min-probability', 0, 1),
      0,
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (meshPath: string, opts: { minProbability: number; json?: boolean }) => {
      // Loaded when the command runs so that other commands start without three.js.
      const [{ loadCheckedMesh }, { stablePoses }] = await Promise.all([
        import('../geometry/mesh-checks.js'),
        import('../geometry/stable-poses.js'),
      ]);
      const mesh = await loadCheckedMesh(meshPath);
      const poses = stablePoses(mesh, { minProbability: opts.minProbability });
      const rows = poses.map((p, i) => ({
        id: i,
        probability: p.probability,
        rotation: [p.rotation.slice(0, 3), p.rotation.slice(3, 6), p.rotation.slice(6, 9)],
        facetNormal: p.facetNormal,
        comHeight: p.comHeight,
      }));
      if (opts.json) {
        process.stdout.write(JSON.stringify({ mesh: meshPath, poses: rows }, null, 2) + '\n');
        return;
      }
      console.log(`${poses.length} stable poses of ${meshPath}`);
      console.log(' id  probability  facet normal (object frame)      COM height (m)');
      for (const r of rows)
        console.log(
          `${String(r.id).padStart(3)}  ${fmt(r.probability).padStart(11)}  [${r.facetNormal.map((v) => fmt(v, 3).padStart(6)).join(', ')}]   ${fmt(r.comHeight)}`,
        );
    });
}
