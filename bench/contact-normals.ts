// Benchmark (issue 14): what smoothed contact normals (MeshIndex.smoothedNormal, Dex-Net's SDF-gradient-like normal)
// change in the analytic labels, against the hit triangles' normals: the share of table-parallel grasps whose label
// (robust ε > 0.002, collision-free) flips, on held-out procedural objects and on irregular (jittered) copies.
// Usage: tsx bench/contact-normals.ts [--json] [--objects n (default 12)] [--grasps n per object (default 30)]
//        [--samples k (robust draws, default 25)] [--radius m (default 0.002)] [--scale min:0.04|egad]
import { Random } from '../src/core/random.js';
import { deriveSeed } from '../src/core/seed.js';
import { ROBUST_EPSILON_THRESHOLD } from '../src/dataset/fields.js';
import { generateGraspableObjects } from '../src/dataset/graspable-objects.js';
import type { Mesh } from '../src/geometry/mesh.js';
import { DEFAULT_SCALE_RULE, parseScaleRule } from '../src/geometry/object-scale.js';
import { stablePoses } from '../src/geometry/stable-poses.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { flag, opt } from './args.js';

const json = flag('json');
const count = Number(opt('objects', '12'));
const perObject = Number(opt('grasps', '30'));
const samples = Number(opt('samples', '25'));
const radius = Number(opt('radius', '0.002'));
const scale = parseScaleRule(opt('scale', DEFAULT_SCALE_RULE), DEFAULT_GRIPPER.maxWidth);

function jittered(mesh: Mesh, amount: number, seed: number): Mesh {
  const rng = new Random(seed);
  const v = new Float32Array(mesh.vertices);
  for (let i = 0; i < v.length; i++) v[i] += rng.uniform(-amount, amount);
  return { vertices: v, triangles: mesh.triangles };
}

const objects = await generateGraspableObjects({ count, seed: 2027, holdout: true, scale });
const rows: Array<{ kind: string; grasps: number; flips: number; plainPositive: number; smoothPositive: number }> = [];
for (const kind of ['procedural', 'jittered ±0.4 mm'] as const) {
  let grasps = 0,
    flips = 0,
    plainPositive = 0,
    smoothPositive = 0;
  for (const [i, o] of objects.entries()) {
    const mesh = kind === 'procedural' ? o.mesh : jittered(o.mesh, 0.0004, i);
    const plain = new GraspableObject(mesh, DEFAULT_GRIPPER);
    const smooth = new GraspableObject(mesh, DEFAULT_GRIPPER, {
      contact: { normals: 'smoothed', smoothingRadius: radius },
    });
    for (const [p, pose] of stablePoses(mesh).slice(0, 2).entries()) {
      const table = plain.tableFromObject(pose);
      for (const [j, g] of plain.sampleGrasps(deriveSeed(i, p), { targetGrasps: perObject / 2 }, pose).entries()) {
        const seed = deriveSeed(i, 1000 * p + j);
        const options = { seed, noise: { samples }, tableFromObject: table, skipRobustWhenColliding: true };
        const a = plain.label(g, options),
          b = smooth.label(g, options);
        const pa = a.collisionFree && a.robustFerrariCanny > ROBUST_EPSILON_THRESHOLD;
        const pb = b.collisionFree && b.robustFerrariCanny > ROBUST_EPSILON_THRESHOLD;
        grasps++;
        if (pa !== pb) flips++;
        if (pa) plainPositive++;
        if (pb) smoothPositive++;
      }
    }
  }
  rows.push({ kind, grasps, flips, plainPositive, smoothPositive });
  if (!json)
    console.log(
      `${kind}: ${grasps} grasps, ${flips} labels flip (${((100 * flips) / grasps).toFixed(1)} %); positive ${plainPositive} with triangle normals, ${smoothPositive} smoothed (radius ${radius * 1000} mm)`,
    );
}
if (json) console.log(JSON.stringify({ radius, samples, objects: count, rows }));
