// Presets, shape inference, parameter counts, validation messages, seeded init and the schedules.
import { describe, expect, it } from 'vitest';
import {
  GQCNN_2_0,
  GQCNN_4_0_PJ,
  GQCNN_COMPACT,
  convGeometry,
  countParameters,
  GQCNN_3_0,
  GQCNN_COMPACT_SUCTION,
  flatSize,
  getPreset,
  initParameters,
  totalStride,
  validateArchitecture,
  windowGeometry,
} from '../../src/model/architecture.js';
import { MomentumSGD, gqcnnStepDecay } from '../../src/model/optimizer.js';

describe('architecture', () => {
  it('GQCNN-2.0 has 5,442,914 parameters (docs/dex-net-facts.md §4: 5.44 M) and an 8×8×64 last map', () => {
    expect(countParameters(GQCNN_2_0)).toBe(5_442_914);
    expect(flatSize(GQCNN_2_0)).toBe(4096);
    expect(totalStride(GQCNN_2_0)).toBe(4);
  });
  it('GQCNN-3.0 has 5,557,954 parameters (docs/dex-net-facts.md §4: 5.56 M): 2.0 with a 2-input pose stream into 128 units', () => {
    // 2.0 + pose.W (2×128 + 128 − 16 − 16) + merge1.Wpose ((128 − 16) × 1024)
    expect(countParameters(GQCNN_3_0)).toBe(5_442_914 + (2 * 128 + 128 - 32) + 112 * 1024);
    expect(countParameters(GQCNN_3_0)).toBe(5_557_954);
    expect(GQCNN_COMPACT_SUCTION.poseDim).toBe(2);
    for (const a of [GQCNN_3_0, GQCNN_COMPACT_SUCTION]) expect(validateArchitecture(structuredClone(a))).toBeTruthy();
  });
  it('GQCNN-4.0-PJ has 631,410 parameters (docs/dex-net-facts.md §4: 0.63 M) and a 17×17 last map', () => {
    expect(countParameters(GQCNN_4_0_PJ)).toBe(631_410);
    const g = convGeometry(GQCNN_4_0_PJ);
    expect([g[3]!.outH, g[3]!.outW]).toEqual([17, 17]);
  });
  it('the compact default is small and VALID-padded', () => {
    expect(countParameters(GQCNN_COMPACT)).toBe(171_490);
    expect(GQCNN_COMPACT.conv.every((l) => l.padding === 'VALID')).toBe(true);
    for (const a of [GQCNN_2_0, GQCNN_4_0_PJ, GQCNN_COMPACT])
      expect(validateArchitecture(structuredClone(a))).toBeTruthy();
  });
  it('follows TensorFlow SAME/VALID geometry', () => {
    expect(windowGeometry(32, 7, 1, 'SAME')).toEqual({ out: 32, padBegin: 3, padEnd: 3 });
    expect(windowGeometry(5, 2, 2, 'SAME')).toEqual({ out: 3, padBegin: 0, padEnd: 1 });
    expect(windowGeometry(6, 2, 1, 'SAME')).toEqual({ out: 6, padBegin: 0, padEnd: 1 });
    expect(windowGeometry(96, 9, 1, 'VALID')).toEqual({ out: 88, padBegin: 0, padEnd: 0 });
  });
  it('names every problem in an invalid architecture', () => {
    const bad = structuredClone(GQCNN_2_0) as unknown as Record<string, unknown>;
    (bad.conv as Record<string, unknown>[])[1]!.norm = 'groupnorm';
    (bad.conv as Record<string, unknown>[])[2]!.filterSize = 0;
    bad.fc = [];
    bad.outputs = 3;
    let msg = '';
    try {
      validateArchitecture(bad, 'arch.json');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('arch.json');
    expect(msg).toContain('conv[1].norm must be "none", "lrn" or "batchnorm", got "groupnorm"');
    expect(msg).toContain('conv[2].filterSize');
    expect(msg).toContain('fc must be');
    expect(msg).toContain('outputs must be 2');
    const tiny = { ...structuredClone(GQCNN_4_0_PJ), imHeight: 20 };
    expect(() => validateArchitecture(tiny)).toThrow(/too small/);
    expect(() => getPreset('nope')).toThrow(/GQCNN-2.0/);
  });
  it('initialises deterministically from the seed with He scale', () => {
    const a = initParameters(GQCNN_COMPACT, 42);
    const b = initParameters(GQCNN_COMPACT, 42);
    const c = initParameters(GQCNN_COMPACT, 43);
    expect(a.get('fc1.W')).toEqual(b.get('fc1.W'));
    expect(a.get('fc1.W')).not.toEqual(c.get('fc1.W'));
    expect(a.get('fc1.b')!.every((v) => v === 0)).toBe(true);
    const w = a.get('fc1.W')!;
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    const he = Math.sqrt(2 / flatSize(GQCNN_COMPACT));
    expect(std / he).toBeGreaterThan(0.8); // truncation at 2σ shrinks the std to ≈ 0.88σ
    expect(std / he).toBeLessThan(0.95);
  });
});

describe('optimizer schedules', () => {
  it('gqcnn step decay: ×0.95 every 0.66 epoch, staircase', () => {
    const lr = gqcnnStepDecay({ batchSize: 64, trainSize: 6400 }); // 100 steps per epoch
    expect(lr(0)).toBeCloseTo(0.01, 12);
    expect(lr(65)).toBeCloseTo(0.01, 12); // 4160 samples < 4224
    expect(lr(66)).toBeCloseTo(0.0095, 12);
    expect(lr(132)).toBeCloseTo(0.01 * 0.95 ** 2, 12);
  });
  it('momentum SGD follows v ← 0.9v + g, w ← w − lr·v and survives a state round trip', () => {
    const p = new Map([['w', Float32Array.of(1, 2)]]);
    const g = new Map([['w', Float32Array.of(0.5, -1)]]);
    const o = new MomentumSGD({ learningRate: 0.1 });
    o.step(p, g);
    o.step(p, g);
    expect(p.get('w')![0]).toBeCloseTo(1 - 0.1 * 0.5 - 0.1 * (0.45 + 0.5), 6);
    const o2 = new MomentumSGD({ learningRate: 0.1 });
    o2.loadState(o.state());
    const p2 = new Map([['w', Float32Array.from(p.get('w')!)]]);
    o.step(p, g);
    o2.step(p2, g);
    expect(p2.get('w')).toEqual(p.get('w'));
    expect(o2.iteration).toBe(3);
  });
});
