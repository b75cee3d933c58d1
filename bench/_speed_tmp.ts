import { torusMesh } from '../src/geometry/primitives.js';
import { GraspableObject } from '../src/grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER } from '../src/grasp/gripper.js';
import { deriveSeed } from '../src/core/seed.js';
const mesh = torusMesh(0.03, 0.012, 100, 100);
for (const model of ['rays', 'pad', 'rays', 'pad'] as const) {
  const object = new GraspableObject(mesh, DEFAULT_GRIPPER, { contact: { model } });
  const grasps = object.sampleGrasps(1, { targetGrasps: 100 });
  for (let i = 0; i < 10; i++) object.label(grasps[i], { seed: i, noise: { samples: 25 } });
  const t0 = performance.now();
  let pos = 0;
  for (let i = 0; i < grasps.length; i++) if (object.label(grasps[i], { seed: deriveSeed(1, i), noise: { samples: 25 } }).robustFerrariCanny > 0.002) pos++;
  const s = (performance.now() - t0) / 1000;
  console.log(model, (grasps.length / s).toFixed(1), 'labels/s', pos, '/', grasps.length, 'positive');
}
