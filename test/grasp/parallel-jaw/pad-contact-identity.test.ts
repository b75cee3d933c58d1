// The fast flat-pad closing must give every bit the plain one gave: labels are datasets' ground truth, and a dataset
// generated part with main@44359cd must resume with the current code byte for byte. Three oracles: a plain
// reference implementation below (three-mesh-bvh's shapecast with callbacks, every triangle clipped from scratch,
// Math.hypot), SHA-256 digests of main@44359cd's results on the same closings, and its robust labels.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MeshIndex } from '../../../src/geometry/bvh.js';
import { lBracketMesh, torusMesh } from '../../../src/geometry/primitives.js';
import type { Vec3 } from '../../../src/geometry/vector.js';
import { DEFAULT_GRIPPER } from '../../../src/grasp/gripper.js';
import { GraspableObject } from '../../../src/grasp/parallel-jaw/grasp-labels.js';
import { padContact, type PadFace } from '../../../src/grasp/parallel-jaw/pad-contact.js';
import { identityMeshes, identityPads, resultBits, tolerance, WIDTH } from './pad-contact-cases.js';

type Box = { min: { x: number; y: number; z: number }; max: { x: number; y: number; z: number } };

/** Sutherland–Hodgman clip of polygon `p` (n corners, pad coordinates) to the pad's box × travel [t0, t1]. */
function clip(p: number[], pad: PadFace, t0: number, t1: number): number[] {
  const bounds = [pad.halfWidth, pad.halfWidth, -pad.alongMin, pad.alongMax, -t0, t1];
  for (let plane = 0; plane < 6 && p.length > 0; plane++) {
    const axis = plane >> 1,
      sign = plane & 1 ? 1 : -1;
    const out: number[] = [];
    const n = p.length / 3;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const fi = sign * p[3 * i + axis] - bounds[plane],
        fj = sign * p[3 * j + axis] - bounds[plane];
      if (fi <= 0) out.push(p[3 * i], p[3 * i + 1], p[3 * i + 2]);
      if ((fi < 0 && fj > 0) || (fi > 0 && fj < 0)) {
        const w = fi / (fi - fj);
        for (let c = 0; c < 3; c++) out.push(p[3 * i + c] + w * (p[3 * j + c] - p[3 * i + c]));
      }
    }
    p = out;
  }
  return p;
}

/** The flat-pad model written plainly: the same arithmetic in the same order, none of the speed. */
function plainPadContact(index: MeshIndex, pad: PadFace, maxTravel: number, tol: number) {
  const { start: s, dir: d, across: u, along: v } = pad;
  const dot = (a: Vec3, x: number, y: number, z: number) => x * a[0] + y * a[1] + z * a[2];
  let bound = maxTravel;
  for (const b of [Math.min(pad.alongMax, Math.max(pad.alongMin, 0)), (pad.alongMin + pad.alongMax) / 2]) {
    const o = [0, 1, 2].map((c) => s[c] + 0 * u[c] + b * v[c]) as Vec3;
    const hit = index.raycast(o, d, 0, bound);
    if (hit && hit.normal[0] * d[0] + hit.normal[1] * d[1] + hit.normal[2] * d[2] < 0) bound = hit.distance;
  }
  const hand = dot(d, u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]);
  const inside = (t: number[]) =>
    [0, 3, 6].every((c) => !(Math.abs(t[c]) > pad.halfWidth || t[c + 1] < pad.alongMin || t[c + 1] > pad.alongMax));
  const found: { tri: number[]; normal: Vec3; facing: number; lowest: number }[] = [];
  let first = Infinity,
    firstBack = Infinity;
  const limit = () => Math.min(bound, first, firstBack) + tol;
  const boxTravel = (box: Box) => {
    const c = [
      (box.min.x + box.max.x) / 2 - s[0],
      (box.min.y + box.max.y) / 2 - s[1],
      (box.min.z + box.max.z) / 2 - s[2],
    ];
    const h = [(box.max.x - box.min.x) / 2, (box.max.y - box.min.y) / 2, (box.max.z - box.min.z) / 2];
    const span = (a: Vec3) => [
      dot(a, c[0], c[1], c[2]),
      h[0] * Math.abs(a[0]) + h[1] * Math.abs(a[1]) + h[2] * Math.abs(a[2]),
    ];
    const [au, ru] = span(u),
      [av, rv] = span(v),
      [ad, rd] = span(d);
    if (au - ru > pad.halfWidth || au + ru < -pad.halfWidth) return Infinity;
    if (av - rv > pad.alongMax || av + rv < pad.alongMin) return Infinity;
    return ad + rd < 0 ? Infinity : Math.max(0, ad - rd);
  };
  const corners = index.bvh.geometry.index!.array,
    xyz = index.mesh.vertices;
  index.bvh.shapecast({
    boundsTraverseOrder: boxTravel,
    intersectsBounds: (box) => boxTravel(box) <= limit(),
    intersectsRange: (offset, count) => {
      for (let k = offset; k < offset + count; k++) {
        const tri: number[] = [];
        for (let c = 0; c < 3; c++) {
          const i = 3 * corners[3 * k + c];
          const x = xyz[i] - s[0],
            y = xyz[i + 1] - s[1],
            z = xyz[i + 2] - s[2];
          tri.push(dot(u, x, y, z), dot(v, x, y, z), dot(d, x, y, z));
        }
        const lo = tri
          .slice(2)
          .filter((_, i) => i % 3 === 0)
          .reduce((a, t) => (t < a ? t : a), Infinity);
        if (lo > limit()) continue;
        let lowest = lo;
        if (!inside(tri) || lo < 0) {
          const p = clip(tri, pad, 0, Infinity);
          if (p.length === 0) continue;
          lowest = p.filter((_, i) => i % 3 === 2).reduce((a, t) => Math.min(a, t), Infinity);
        }
        const e = [3, 4, 5, 6, 7, 8].map((i) => tri[i] - tri[i % 3]);
        const pu = e[1] * e[5] - e[2] * e[4],
          pv = e[2] * e[3] - e[0] * e[5],
          pd = e[0] * e[4] - e[1] * e[3];
        const len = hand * Math.hypot(pu, pv, pd);
        if (!(Math.abs(len) > 0)) continue;
        const normal = [0, 1, 2].map((c) => (pu * u[c] + pv * v[c] + pd * d[c]) / len) as Vec3;
        found.push({ tri, normal, facing: pd / len, lowest });
        if (pd / len < 0) first = Math.min(first, lowest);
        else firstBack = Math.min(firstBack, lowest);
      }
      return false;
    },
  });
  if (firstBack < first - 1e-6) return 'starts inside the object';
  if (!(first <= maxTravel)) return 'misses the object';
  let onFace = false;
  const r = [0, 0, 0];
  let area = 0;
  const centre = [0, 0, 0];
  for (const f of found) {
    if (f.facing >= 0 || f.lowest > first + tol) continue;
    const touching = f.lowest <= first + 1e-6 ? clip(f.tri, pad, 0, first + 1e-6) : [];
    if (touching.length > 0) {
      for (let i = 0; i < touching.length && !onFace; i += 3)
        onFace =
          Math.abs(touching[i]) < pad.halfWidth - 1e-4 &&
          touching[i + 1] > pad.alongMin + 1e-4 &&
          touching[i + 1] < pad.alongMax - 1e-4;
      for (let c = 0; c < 3; c++) r[c] += -f.facing * f.normal[c];
    }
    const within = inside(f.tri) && Math.max(f.tri[2], f.tri[5], f.tri[8]) <= first + tol;
    const p = within ? f.tri : clip(f.tri, pad, 0, first + tol);
    for (let i = 3; i + 3 < p.length; i += 3) {
      const a = [0, 1, 2].map((c) => p[i + c] - p[c]),
        b = [0, 1, 2].map((c) => p[i + 3 + c] - p[c]);
      const w =
        -f.facing * (0.5 * Math.hypot(a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]));
      area += w;
      for (let c = 0; c < 3; c++) centre[c] += (w * (p[c] + p[i + c] + p[i + 3 + c])) / 3;
    }
  }
  if (!(area > 0)) return 'touches a knife edge with no defined normal';
  const [cx, cz, ct] = centre.map((x) => x / area);
  const point = [0, 1, 2].map((c) => s[c] + cx * u[c] + cz * v[c] + ct * d[c]) as Vec3;
  if (onFace) return { contact: { point, inwardNormal: [d[0], d[1], d[2]] as Vec3 }, travel: first };
  const rn = Math.hypot(r[0], r[1], r[2]);
  if (!(rn > 1e-9)) return 'touches a knife edge with no defined normal';
  return { contact: { point, inwardNormal: r.map((x) => -x / rn) as Vec3 }, travel: first };
}

// SHA-256 over main@44359cd's results (resultBits, one line per closing) for the grasps' pads on each mesh.
const MAIN_DIGESTS: Record<string, string> = {
  'torus 20k': '32f0c8a25cf36e4af3ee20be864380649f73ab1d6fb701f6c6961b39d7af9ec9',
  'L bracket': 'ebbbee3eea0d170db3798816a0837b161296e85316f1ed474e4df944342ea973',
  'jittered icosphere': 'bf25350f9637651cb15170f3b1fc52af62e52e9a2d0f7840e97ab2b786766873',
  'coarse jittered torus': '24ca6a1120c9b44a4bc89d187fffa4d4b326a1839a71864f38df6a19a1865746',
  box: '9d90f2bd088ccfa46c6597cf71ad25afbbef845247b70edefe7d949edd55e481',
};

describe('flat-pad contacts, bit for bit', () => {
  const meshes = identityMeshes();
  const kinds = new Set<string>();
  it.each(meshes.map((m, i) => [m.name, i] as const))(
    '%s: the plain computation’s and main@44359cd’s bits',
    (name, i) => {
      const { index, grasps } = meshes[i];
      const hash = createHash('sha256');
      identityPads(index, grasps, 100 + i).forEach((pad, k) => {
        const fast = resultBits(padContact(index, pad, WIDTH, tolerance(k)));
        const plain = resultBits(plainPadContact(index, pad, WIDTH, tolerance(k)));
        if (fast !== plain) expect.fail(`${name} closing ${k}: ${fast} ≠ plain ${plain}`);
        hash.update(fast + '\n');
        kinds.add(fast.length === 112 ? 'contact' : fast);
      });
      expect(hash.digest('hex')).toBe(MAIN_DIGESTS[name]);
    },
  );

  it('exercises every outcome: a contact, both failures to reach the surface, a patch of no area', () => {
    expect([...kinds].sort()).toEqual([
      'contact',
      'misses the object',
      'starts inside the object',
      'touches a knife edge with no defined normal',
    ]);
  });

  it('robust labels equal main@44359cd’s', () => {
    // Robust ε, ε and contact width of 6 sampled grasps (10 draws each) as float64 hex, from main@44359cd.
    const expected = [
      [
        '867aaaa4cf223f3f f7ac237d9899933f aa59511e32cca33f',
        '9a92f2c715ac753f 930b0d4cbf6d813f b5a19c78f795a43f',
        '84e2465c0e6d533f 0000000000000000 a10912acbff1a23f',
        '2d02cebdb01a613f 0000000000000000 2c46524c1a1aa33f',
        '18d0e7dbba818d3f 95f79dd376dd903f c16961f1ea9ea33f',
        '90d09f86998e693f 0000000000000000 c43ab596950ca33f',
      ],
      [
        '82505ac113ef6e3f 0000000000000000 682d747a767fa63f',
        '0b251cadf6dd893f efc11671c751963f 88556ca619a3a13f',
        'e126a6622e00733f 94fdca0f4b41873f b3e059daa6a6a33f',
        '26620796c6b8673f 1fc7b702b71a943f 7bef4ddd2e4f9f3f',
        'fb6587f11b93673f 0d0a59cc1037773f 443b24713fdda43f',
        '125e4516aa68423f f104cf522a0a553f ff6dfd38dc72a33f',
      ],
    ];
    const hex = (x: number) => Buffer.from(Float64Array.of(x).buffer).toString('hex');
    [torusMesh(0.03, 0.012, 100, 100), lBracketMesh()].forEach((mesh, m) => {
      const object = new GraspableObject(mesh, DEFAULT_GRIPPER);
      const labels = object.sampleGrasps(3, { targetGrasps: 6 }).map((g, i) => {
        const l = object.label(g, { seed: 40 + i, noise: { samples: 10 } });
        return [l.robustFerrariCanny, l.ferrariCanny, l.contactWidth].map(hex).join(' ');
      });
      expect(labels).toEqual(expected[m]);
    });
  });
});
