// Benchmark: mean time of one exact Ferrari–Canny ε for two soft contacts (20 wrenches) on realistic grasps.
import { pathToFileURL } from 'node:url';
import type { Contact } from '../src/grasp/parallel-jaw/contact.js';
import { normalize, type Vec3 } from '../src/geometry/vector.js';
import { ferrariCanny } from '../src/grasp/parallel-jaw/ferrari-canny.js';
import { Random } from '../src/core/random.js';

/** Seeded uniform [0, 1) draws from the project's generator. */
const uniformSource = (seed: number): (() => number) => {
  const rng = new Random(seed);
  return () => rng.next();
};

/**
 * Two contacts ~5 cm apart on a random axis through a point near the centre of mass, with inward normals
 * tilted off the axis by up to ~25° (most inside the μ = 0.5 cone, some outside), approach along the axis.
 */
export function realisticGrasps(count: number, seed = 1): { contacts: [Contact, Contact]; com: Vec3 }[] {
  const rnd = uniformSource(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const out: { contacts: [Contact, Contact]; com: Vec3 }[] = [];
  for (let i = 0; i < count; i++) {
    const axis = normalize([gauss(), gauss(), gauss()]);
    const centre: Vec3 = [0.01 * gauss(), 0.01 * gauss(), 0.01 * gauss()];
    const half = 0.02 + 0.01 * rnd();
    const tilt = 0.25;
    const n1 = normalize([axis[0] + tilt * gauss(), axis[1] + tilt * gauss(), axis[2] + tilt * gauss()]);
    const n2 = normalize([-axis[0] + tilt * gauss(), -axis[1] + tilt * gauss(), -axis[2] + tilt * gauss()]);
    const c1: Contact = {
      point: [centre[0] - half * axis[0], centre[1] - half * axis[1], centre[2] - half * axis[2]],
      inwardNormal: n1,
      approachDirection: axis,
    };
    const c2: Contact = {
      point: [centre[0] + half * axis[0], centre[1] + half * axis[1], centre[2] + half * axis[2]],
      inwardNormal: n2,
      approachDirection: [-axis[0], -axis[1], -axis[2]],
    };
    out.push({ contacts: [c1, c2], com: [0, 0, 0] });
  }
  return out;
}

/** Mean microseconds per ε over realistic grasps that are in force closure (the ones that need the full search). */
export function measureEpsilonMicros(grasps = 2000, repeats = 5): number {
  const all = realisticGrasps(grasps, 7);
  const closed = all.filter((g) => ferrariCanny(g.contacts, g.com) > 0);
  let sink = 0;
  for (const g of closed) sink += ferrariCanny(g.contacts, g.com); // warm-up for the JIT
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < repeats; r++) for (const g of closed) sink += ferrariCanny(g.contacts, g.com);
  const t1 = process.hrtime.bigint();
  if (!Number.isFinite(sink)) throw new Error('non-finite ε');
  return Number(t1 - t0) / 1000 / (repeats * closed.length);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const grasps = realisticGrasps(2000, 7);
  const positive = grasps.filter((g) => ferrariCanny(g.contacts, g.com) > 0).length;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < 3; r++) for (const g of grasps) ferrariCanny(g.contacts, g.com);
  const all = Number(process.hrtime.bigint() - t0) / 1000 / (3 * grasps.length);
  console.log(`grasps in closure: ${positive}/${grasps.length}`);
  console.log(
    `exact Ferrari–Canny ε (20 wrenches), grasps in closure: ${measureEpsilonMicros().toFixed(1)} µs per grasp`,
  );
  console.log(`all grasps, including slipping ones that exit early: ${all.toFixed(1)} µs per grasp`);
}
