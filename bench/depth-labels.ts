// Benchmark: how the dataset's labels depend on the depth offset — a datapoint's grasp depth minus the object's top
// between the jaws in its own crop — for the 3-D sampler's grasps and for the image sampler's (planner) candidates.
// Usage: tsx bench/depth-labels.ts --meshes <dir> [--objects 15] [--images-per-pose 2] [--planner-grasps 20] [--json]
import { listMeshes } from '../src/dataset/generate.js';
import { loadCheckedMesh } from '../src/geometry/mesh-checks.js';
import { CROP_SIZE, ROBUST_EPSILON_THRESHOLD } from '../src/dataset/fields.js';
import { DEFAULT_DATAPOINT_OPTIONS, objectDatapoints } from '../src/dataset/object-datapoints.js';
import type { ObjectDatapoints } from '../src/dataset/object-datapoints.js';
import { deriveSeed } from '../src/core/seed.js';
import { flag, opt } from './args.js';

const meshes = (await listMeshes(opt('meshes', 'objects'))).slice(0, Number(opt('objects', '15')));
const seed = Number(opt('seed', '1'));
const base = { ...DEFAULT_DATAPOINT_OPTIONS, imagesPerPose: Number(opt('images-per-pose', '2')) };
const plannerGrasps = Number(opt('planner-grasps', '20'));
// Offset bins (mm): the jaws closing above the object, at its top edge, and deeper.
const EDGES = [-Infinity, 0, 3, 5, 10, 15, 20, 30, 40, Infinity];
type Counts = { n: number[]; pos: number[] };
const fresh = (): Counts => ({ n: EDGES.slice(1).map(() => 0), pos: EDGES.slice(1).map(() => 0) });
const table = { '3-D sampler': fresh(), 'image sampler': fresh() };
const offsetsBySource = { '3-D sampler': [] as number[], 'image sampler': [] as number[] };

/** The grasp depth minus the highest object pixel on the crop's centre rows between the jaws (m); NaN if none. */
function depthOffset(d: ObjectDatapoints, i: number): number {
  const pose = d.fields.hand_poses!;
  const depth = pose[i * 7 + 2]!,
    widthPx = pose[i * 7 + 6]!;
  const crop = d.fields.depth_ims_tf_table!,
    mask = d.fields.obj_masks!;
  const half = ((widthPx / 2) * CROP_SIZE) / base.cropSize;
  const c = (CROP_SIZE - 1) / 2;
  let top = Infinity;
  for (const row of [Math.floor(c), Math.ceil(c)])
    for (let col = Math.max(0, Math.ceil(c - half)); col <= Math.min(CROP_SIZE - 1, Math.floor(c + half)); col++) {
      const p = i * CROP_SIZE * CROP_SIZE + row * CROP_SIZE + col;
      if (mask[p] && crop[p]! < top) top = crop[p]!;
    }
  return Number.isFinite(top) ? depth - top : NaN;
}

const start = performance.now();
for (const [o, path] of meshes.entries()) {
  const mesh = await loadCheckedMesh(path);
  const s = deriveSeed(seed, o);
  // The planner grasps have their own seed stream, so the run without them gives exactly the 3-D sampler's rows.
  const plain = objectDatapoints(mesh, o, s, { ...base, plannerGrasps: 0 });
  const all = objectDatapoints(mesh, o, s, { ...base, plannerGrasps });
  const key = (d: ObjectDatapoints, i: number) => Array.from(d.fields.hand_poses!.subarray(i * 7, i * 7 + 4)).join(',');
  const fromSampler3d = new Set(Array.from({ length: plain.count }, (_, i) => key(plain, i)));
  for (let i = 0; i < all.count; i++) {
    const source = fromSampler3d.has(key(all, i)) ? '3-D sampler' : 'image sampler';
    const off = depthOffset(all, i);
    if (!Number.isFinite(off)) continue;
    offsetsBySource[source].push(off);
    const b = EDGES.findIndex((e, j) => j > 0 && 1000 * off < e) - 1;
    table[source].n[b]++;
    if (all.fields.robust_ferrari_canny![i]! > ROBUST_EPSILON_THRESHOLD) table[source].pos[b]++;
  }
}

const median = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[v.length >> 1]! : NaN);
const rows = Object.entries(table).map(([source, t]) => ({
  source,
  datapoints: t.n.reduce((a, b) => a + b, 0),
  medianOffsetMm: +(1000 * median(offsetsBySource[source as keyof typeof offsetsBySource])).toFixed(1),
  bins: EDGES.slice(1).map((e, j) => ({
    offsetMm: `${EDGES[j]}…${e}`,
    n: t.n[j],
    positiveRate: t.n[j] ? +(t.pos[j]! / t.n[j]!).toFixed(3) : null,
  })),
}));
const seconds = (performance.now() - start) / 1000;
if (flag('json')) console.log(JSON.stringify({ meshes: meshes.length, seconds, rows }, null, 2));
else {
  console.log(`${meshes.length} objects, ${((performance.now() - start) / 1000).toFixed(0)} s`);
  for (const r of rows) {
    console.log(`${r.source}: ${r.datapoints} datapoints, median offset ${r.medianOffsetMm} mm`);
    for (const b of r.bins)
      console.log(`  ${b.offsetMm.padEnd(12)} mm  n ${String(b.n).padStart(6)}  positive ${b.positiveRate ?? '–'}`);
  }
}
