// Benchmark (issue 14): how faithful and how costly the physics referee's convex pieces are, per object — the worst
// distance a piece's hull reaches out of the mesh, the piece count, the build time, and the median wall time of a
// MuJoCo judgement of the object's own table-parallel grasps in its likeliest pose.
// Objects: procedural ones at Dex-Net's scale (every family), deliberately concave primitives (an L, a U, a torus,
// a mug) and irregular versions (vertices jittered by up to ±0.4 mm, as a scan or a coarse remesh leaves them).
// Usage: tsx bench/convex-pieces.ts [--json] [--objects n per family (default 2)] [--trials n per object (default 3)]
//        [--budget n (maxPieces)] [--overhang m (maxOverhang)]
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

const objects: Array<{ name: string; mesh: Mesh }> = [
  { name: 'L bracket 8×5 cm', mesh: lBracketMesh() },
  { name: 'U channel 7×5 cm', mesh: uChannelMesh() },
  { name: 'torus r 3 cm', mesh: torusMesh(0.03, 0.012, 48, 24) },
];
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

await loadMujoco();
const rows = [];
for (const { name, mesh } of objects) {
  const t0 = performance.now();
  const pieces = convexPieces(mesh, pieceOptions);
  const buildMs = performance.now() - t0;
  const { worst } = piecesProtrusion(mesh, pieces);
  // Physics cost: the object's own grasps in its likeliest pose (the pieces are cached per mesh after the first).
  const object = new GraspableObject(mesh, DEFAULT_GRIPPER);
  const pose = stablePoses(mesh)[0]!;
  const table = object.tableFromObject(pose);
  const objectToWorld = new RigidTransform(table.rotation, table.translation, 'object', 'world');
  const grasps = object.sampleGrasps(deriveSeed(7, 1), { targetGrasps: trials }, pose);
  const times: number[] = [];
  for (const [i, g] of grasps.entries()) {
    const verdict = await judgeGraspPhysics({
      mesh,
      objectToWorld,
      grasp: object.bestApproach(g, table).grasp,
      friction: 0.5,
      seed: i,
    });
    times.push(verdict.wallMs);
  }
  times.sort((a, b) => a - b);
  const row = {
    name,
    triangles: mesh.triangles.length / 3,
    pieces: pieces.length,
    worstMm: 1000 * worst,
    buildMs,
    physicsMs: times[Math.floor(times.length / 2)] ?? NaN,
  };
  rows.push(row);
  if (!json)
    console.log(
      `${name.padEnd(28)} ${String(row.triangles).padStart(6)} tris  ${String(row.pieces).padStart(3)} pieces  worst ${row.worstMm.toFixed(2).padStart(6)} mm  build ${row.buildMs.toFixed(0).padStart(5)} ms  physics ${row.physicsMs.toFixed(0)} ms/trial`,
    );
}
const worst = Math.max(...rows.map((r) => r.worstMm));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = {
  objects: rows.length,
  worstMm: worst,
  over2mm: rows.filter((r) => r.worstMm > 2).length,
  medianPhysicsMs: median(rows.map((r) => r.physicsMs).filter(Number.isFinite)),
  meanBuildMs: rows.reduce((s, r) => s + r.buildMs, 0) / rows.length,
};
console.log(
  `${summary.objects} objects: worst protrusion ${worst.toFixed(2)} mm, ${summary.over2mm} over 2 mm; median physics ${summary.medianPhysicsMs.toFixed(0)} ms/trial; mean build ${summary.meanBuildMs.toFixed(0)} ms`,
);
if (json) console.log(JSON.stringify({ summary, rows }));
