// Benchmark (issue 14): how faithful and how costly the physics referee's convex pieces are, per object — the worst
// distance a piece's hull reaches out of the mesh, the piece count, the build time, and the median wall time of a
// MuJoCo judgement of the object's own table-parallel grasps in its likeliest pose.
// Objects: procedural ones at Dex-Net's scale (every family), deliberately concave primitives (an L, a U, a torus,
// a mug) and irregular versions (vertices jittered by up to ±0.4 mm, as a scan or a coarse remesh leaves them); or,
// with --folders, the meshes of object folders (a folder's manifest.json, as `dexnet import` and `dexnet objects`
// write it, names them and their split; without one, every mesh file in it).
// Usage: tsx bench/convex-pieces.ts [--json] [--objects n per family (default 2)] [--trials n per object (default 3;
//        0: no physics)] [--budget n (maxPieces)] [--overhang m (maxOverhang)]
//        [--folders dir,dir… [--split held-out|train]] [--baseline-ref commit (default: the pieces before MeshDistance)]
// Each object is also run through the previous version's pieces and physics (extracted from git), and the ratios of
// build and trial time against it are printed beside the figures.
import { Random } from '../src/core/random.js';
import { deriveSeed } from '../src/core/seed.js';
import { FAMILIES, generateShape, objectSeed, RedrawError } from '../src/geometry/procedural/index.js';
import type { Mesh } from '../src/geometry/mesh.js';
import { lBracketMesh, torusMesh, uChannelMesh } from '../src/geometry/primitives.js';
import { stablePoses } from '../src/geometry/stable-poses.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { RigidTransform } from '../src/geometry/rigid-transform.js';
import { convexPieces, type ConvexPieceOptions } from '../src/physics/convex-pieces.js';
import { judgeGraspPhysics } from '../src/physics/lift-and-shake.js';
import { loadMujoco } from '../src/physics/mujoco-runtime.js';
import { piecesProtrusion } from '../src/physics/piece-fidelity.js';
import { flag, opt } from './args.js';
import { importAt } from './previous-version.js';
import { foldersObjects } from './mesh-folders.js';

/** The last commit before the MeshDistance pieces (session 7's main): the baseline of the ratios. */
const BASELINE_REF = '0ee45d6';

const json = flag('json');
const perFamily = Number(opt('objects', '2'));
const trials = Number(opt('trials', '3'));
const pieceOptions: Partial<ConvexPieceOptions> = {};
if (opt('budget', '')) pieceOptions.maxPieces = Number(opt('budget', ''));
if (opt('overhang', '')) pieceOptions.maxOverhang = Number(opt('overhang', ''));

/** Vertices moved by up to ±`amount` (m) per coordinate: an irregular surface with the same topology. */
function jittered(mesh: Mesh, amount: number, seed: number): Mesh {
  const rng = new Random(seed);
  const v = new Float32Array(mesh.vertices);
  for (let i = 0; i < v.length; i++) v[i] += rng.uniform(-amount, amount);
  return { vertices: v, triangles: mesh.triangles };
}

const folders = opt('folders', '');
const objects: Array<{ name: string; mesh: Mesh }> = [];
if (folders) objects.push(...(await foldersObjects(folders, opt('split', ''))));
else {
  objects.push(
    { name: 'L bracket 8×5 cm', mesh: lBracketMesh() },
    { name: 'U channel 7×5 cm', mesh: uChannelMesh() },
    { name: 'torus r 3 cm', mesh: torusMesh(0.03, 0.012, 48, 24) },
  );
  for (const family of FAMILIES) {
    let found = 0;
    for (let i = 0; found < perFamily && i < 20; i++) {
      try {
        const mesh = await generateShape(family, objectSeed(14, i));
        objects.push({ name: `${family} ${i}`, mesh });
        if (found === 0) objects.push({ name: `${family} ${i} jittered`, mesh: jittered(mesh, 0.0004, i) });
        found++;
      } catch (err) {
        if (!(err instanceof RedrawError)) throw err;
      }
    }
  }
}

const baselineRef = opt('baseline-ref', BASELINE_REF);
const before = {
  pieces: await importAt<typeof import('../src/physics/convex-pieces.js')>(baselineRef, 'src/physics/convex-pieces.ts'),
  physics: await importAt<typeof import('../src/physics/lift-and-shake.js')>(
    baselineRef,
    'src/physics/lift-and-shake.ts',
  ),
  runtime: await importAt<typeof import('../src/physics/mujoco-runtime.js')>(
    baselineRef,
    'src/physics/mujoco-runtime.ts',
  ),
};
await loadMujoco();
await before.runtime.loadMujoco();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const rows = [];
for (const { name, mesh } of objects) {
  const t0 = performance.now();
  const pieces = convexPieces(mesh, pieceOptions);
  const buildMs = performance.now() - t0;
  const t1 = performance.now();
  const piecesBefore = before.pieces.convexPieces(mesh);
  const buildBeforeMs = performance.now() - t1;
  // Both versions' pieces measured by the same (current, exact) distance.
  const worst = piecesProtrusion(mesh, pieces).worst;
  const worstBefore = piecesProtrusion(mesh, piecesBefore).worst;
  // Physics cost: the object's own grasps in its likeliest pose (the pieces are cached per mesh after the first).
  const object = new GraspableObject(mesh, DEFAULT_GRIPPER);
  const pose = stablePoses(mesh)[0]!;
  const table = object.tableFromObject(pose);
  const objectToWorld = new RigidTransform(table.rotation, table.translation, 'object', 'world');
  const grasps = trials > 0 ? object.sampleGrasps(deriveSeed(7, 1), { targetGrasps: trials }, pose) : [];
  const times: number[] = [];
  const timesBefore: number[] = [];
  for (const [i, g] of grasps.entries()) {
    const trial = { mesh, objectToWorld, grasp: object.bestApproach(g, table).grasp, friction: 0.5, seed: i };
    times.push((await judgeGraspPhysics(trial)).wallMs);
    timesBefore.push((await before.physics.judgeGraspPhysics(trial)).wallMs);
  }
  const row = {
    name,
    triangles: mesh.triangles.length / 3,
    pieces: pieces.length,
    piecesBefore: piecesBefore.length,
    worstMm: 1000 * worst,
    worstBeforeMm: 1000 * worstBefore,
    buildMs,
    buildBeforeMs,
    physicsMs: median(times),
    physicsBeforeMs: median(timesBefore),
  };
  rows.push(row);
  if (!json)
    console.log(
      `${name.slice(0, 40).padEnd(40)} ${String(row.triangles).padStart(6)} tris  pieces ${row.pieces} (was ${row.piecesBefore})  worst ${row.worstMm.toFixed(2)} mm (was ${row.worstBeforeMm.toFixed(2)})  build ${row.buildMs.toFixed(0)} ms (was ${row.buildBeforeMs.toFixed(0)})  physics ${row.physicsMs.toFixed(0)} ms/trial (was ${row.physicsBeforeMs.toFixed(0)})`,
    );
}
const summary = {
  objects: rows.length,
  within2mm: rows.filter((r) => r.worstMm <= 2).length,
  worstMm: Math.max(...rows.map((r) => r.worstMm)),
  medianWorstMm: median(rows.map((r) => r.worstMm)),
  medianPieces: median(rows.map((r) => r.pieces)),
  medianPhysicsMs: median(rows.map((r) => r.physicsMs).filter(Number.isFinite)),
  medianBuildMs: median(rows.map((r) => r.buildMs)),
  maxBuildMs: Math.max(...rows.map((r) => r.buildMs)),
  before: {
    within2mm: rows.filter((r) => r.worstBeforeMm <= 2).length,
    worstMm: Math.max(...rows.map((r) => r.worstBeforeMm)),
    medianWorstMm: median(rows.map((r) => r.worstBeforeMm)),
    medianPieces: median(rows.map((r) => r.piecesBefore)),
    medianPhysicsMs: median(rows.map((r) => r.physicsBeforeMs).filter(Number.isFinite)),
    medianBuildMs: median(rows.map((r) => r.buildBeforeMs)),
  },
  /** Median over objects of (trial time now) / (trial time before), and of build time. */
  physicsRatio: median(rows.map((r) => r.physicsMs / r.physicsBeforeMs).filter(Number.isFinite)),
  buildRatio: median(rows.map((r) => r.buildMs / r.buildBeforeMs)),
};
console.log(
  `${summary.objects} objects: ${summary.within2mm} within 2 mm; worst protrusion ${summary.worstMm.toFixed(2)} mm, median ${summary.medianWorstMm.toFixed(2)} mm; median ${summary.medianPieces} pieces; median physics ${summary.medianPhysicsMs.toFixed(0)} ms/trial; build median ${summary.medianBuildMs.toFixed(0)} ms, max ${summary.maxBuildMs.toFixed(0)} ms`,
);
const b = summary.before;
console.log(
  `previous version (${baselineRef}): ${b.within2mm} within 2 mm; worst ${b.worstMm.toFixed(2)} mm, median ${b.medianWorstMm.toFixed(2)} mm; median ${b.medianPieces} pieces; median physics ${b.medianPhysicsMs.toFixed(0)} ms/trial; build median ${b.medianBuildMs.toFixed(0)} ms — ratio now/before: physics ${summary.physicsRatio.toFixed(2)}×, build ${summary.buildRatio.toFixed(2)}×`,
);
if (json) console.log(JSON.stringify({ summary, rows }));
