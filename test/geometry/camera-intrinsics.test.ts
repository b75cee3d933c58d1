import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  centeredIntrinsics,
  cropIntrinsics,
  deprojectPixel,
  intrinsicsMatrix,
  intrinsicsToJson,
  parseIntrinsics,
  projectPoint,
  readIntrinsics,
  resizeIntrinsics,
  writeIntrinsics,
  type CameraIntrinsics,
} from '../../src/geometry/camera-intrinsics.js';

const K: CameraIntrinsics = {
  fx: 525.25,
  fy: 524.5,
  cx: 319.5,
  cy: 239.5,
  skew: 0.25,
  width: 640,
  height: 480,
  frame: 'primesense_overhead',
};
const GQCNN_TEXT =
  '{"_cy": 239.5, "_cx": 319.5, "_fy": 525.0, "_height": 480, "_fx": 525.0, "_width": 640, "_skew": 0.0, "_K": 0, "_frame": "primesense_overhead"}';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'intr-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('.intr io', () => {
  it('reads gqcnn’s own file text', () => {
    const k = parseIntrinsics(GQCNN_TEXT, 'primesense.intr');
    expect(k).toEqual({
      fx: 525,
      fy: 525,
      cx: 319.5,
      cy: 239.5,
      skew: 0,
      width: 640,
      height: 480,
      frame: 'primesense_overhead',
    });
    // The default camera of the tests and examples is that same PrimeSense.
    expect(centeredIntrinsics(640, 480, { frame: 'primesense_overhead' })).toEqual(k);
  });

  it('round-trips through text and through a file (atomic write leaves no temp file)', async () => {
    expect(parseIntrinsics(intrinsicsToJson(K))).toEqual(K);
    const path = join(dir, 'sub', 'cam.intr');
    await writeIntrinsics(path, K);
    expect(await readIntrinsics(path)).toEqual(K);
    expect(await readdir(join(dir, 'sub'))).toEqual(['cam.intr']);
    const json = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(json).sort()).toEqual([
      '_K',
      '_cx',
      '_cy',
      '_frame',
      '_fx',
      '_fy',
      '_height',
      '_skew',
      '_width',
    ]);
  });

  it('defaults a missing skew to 0 and a missing frame to "camera"', () => {
    const k = parseIntrinsics('{"_fx":500,"_fy":500,"_cx":1,"_cy":2,"_height":10,"_width":20}');
    expect(k.skew).toBe(0);
    expect(k.frame).toBe('camera');
  });

  const base = JSON.parse(GQCNN_TEXT) as Record<string, unknown>;
  const bad: Array<[string, unknown, RegExp]> = [
    ['_fx', 0, /_fx must be > 0/],
    ['_fx', -3, /_fx must be > 0/],
    ['_fy', 0, /_fy must be > 0/],
    ['_fx', 'x', /_fx must be a finite number/],
    ['_fy', null, /_fy must be a finite number/],
    ['_cx', '1', /_cx must be a finite number/],
    ['_cy', [1], /_cy must be a finite number/],
    ['_skew', true, /_skew must be a finite number/],
    ['_height', 0, /_height must be a positive integer/],
    ['_height', 10.5, /_height must be a positive integer/],
    ['_width', -640, /_width must be a positive integer/],
    ['_width', 'wide', /_width must be a finite number/],
    ['_frame', 3, /_frame must be a non-empty string/],
    ['_frame', '', /_frame must be a non-empty string/],
  ];
  for (const [field, value, message] of bad) {
    it(`rejects ${field} = ${JSON.stringify(value)} naming the file and the field`, () => {
      const text = JSON.stringify({ ...base, [field]: value });
      expect(() => parseIntrinsics(text, 'cam.intr')).toThrow(message);
      expect(() => parseIntrinsics(text, 'cam.intr')).toThrow(/^cam\.intr: /);
    });
  }
  for (const field of ['_fx', '_fy', '_cx', '_cy', '_height', '_width']) {
    it(`rejects a file without ${field}`, () => {
      const o = { ...base };
      delete o[field];
      expect(() => parseIntrinsics(JSON.stringify(o), 'cam.intr')).toThrow(`cam.intr: missing field ${field}`);
    });
  }
  it('rejects non-JSON, non-objects and unreadable files with the path', async () => {
    expect(() => parseIntrinsics('{', 'a.intr')).toThrow(/a\.intr: not valid JSON/);
    expect(() => parseIntrinsics('[1,2]', 'a.intr')).toThrow(/a\.intr: expected a JSON object/);
    // NaN cannot appear in JSON, but a huge literal overflows to Infinity.
    expect(() => parseIntrinsics(JSON.stringify(base).replace('"_fy":525', '"_fy":1e999'), 'a.intr')).toThrow(
      /must be a finite number/,
    );
    const missing = join(dir, 'nope.intr');
    await expect(readIntrinsics(missing)).rejects.toThrow(missing);
    const broken = join(dir, 'broken.intr');
    await writeFile(broken, '{"_fx": 1');
    await expect(readIntrinsics(broken)).rejects.toThrow(`${broken}: not valid JSON`);
  });
});

describe('intrinsics helpers', () => {
  it('projection and deprojection are inverse, and K matches projectPoint', () => {
    const p: [number, number, number] = [0.03, -0.02, 0.7];
    const [x, y] = projectPoint(K, p);
    const q = deprojectPixel(K, x, y, p[2]);
    q.forEach((v, i) => expect(v).toBeCloseTo(p[i], 12));
    const m = intrinsicsMatrix(K);
    const h = [m[0] * p[0] + m[1] * p[1] + m[2] * p[2], m[3] * p[0] + m[4] * p[1] + m[5] * p[2], p[2]];
    expect(h[0] / h[2]).toBeCloseTo(x, 10);
    expect(h[1] / h[2]).toBeCloseTo(y, 10);
  });

  it('a crop shifts the principal point so points keep their pixel minus the offset', () => {
    const c = cropIntrinsics(K, { top: 40, left: 100, width: 96, height: 64 });
    expect([c.width, c.height]).toEqual([96, 64]);
    const p: [number, number, number] = [0.01, 0.02, 0.6];
    const [x, y] = projectPoint(K, p),
      [xc, yc] = projectPoint(c, p);
    expect(xc).toBeCloseTo(x - 100, 10);
    expect(yc).toBeCloseTo(y - 40, 10);
    expect(() => cropIntrinsics(K, { top: 0, left: 0, width: 0, height: 4 })).toThrow(/crop width/);
  });

  it('a resize by s maps pixel u to (u + 0.5)s − 0.5 and scales focal lengths (gqcnn’s resize)', () => {
    const r = resizeIntrinsics(K, 0.5);
    expect([r.width, r.height]).toEqual([320, 240]);
    expect(r.fx).toBeCloseTo(K.fx / 2, 12);
    expect(r.cx).toBeCloseTo(159.5, 12);
    expect(r.cy).toBeCloseTo(119.5, 12);
    const p: [number, number, number] = [0.05, -0.04, 0.8];
    const [x, y] = projectPoint(K, p),
      [xr, yr] = projectPoint(r, p);
    expect(xr).toBeCloseTo((x + 0.5) * 0.5 - 0.5, 10);
    expect(yr).toBeCloseTo((y + 0.5) * 0.5 - 0.5, 10);
    expect(() => resizeIntrinsics(K, 0)).toThrow(/scale/);
  });
});
