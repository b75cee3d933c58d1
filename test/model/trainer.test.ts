// End-to-end sanity of the training loop: the compact default learns a toy task whose label
// depends on both the image and the pose, with gqcnn's optimizer and schedule.
import { describe, expect, it } from 'vitest';
import { GQCNN_COMPACT } from '../../src/model/architecture.js';
import { MomentumSGD, gqcnnStepDecay } from '../../src/model/optimizer.js';
import { GqcnnTrainer, toOneHot } from '../../src/model/trainer.js';
import { randomArray } from './tiny.js';

/** Success when a centred bright bar is present and the (normalised) depth is below 0.5. */
function toyBatch(n: number, seed: number) {
  const im = randomArray(n * 1024, seed, 0.3);
  const pose = randomArray(n, seed + 1);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const bar = (i + seed) % 2 === 0;
    if (bar) for (let r = 12; r < 20; r++) for (let c = 4; c < 28; c++) im[i * 1024 + r * 32 + c]! += 1.5;
    labels[i] = bar && pose[i]! < 0.5 ? 1 : 0;
  }
  return { im, pose, labels };
}

describe('GqcnnTrainer', () => {
  it('learns a toy task with momentum SGD and step decay, and evaluate() reports it', async () => {
    const batch = 32;
    const optimizer = new MomentumSGD({
      learningRate: gqcnnStepDecay({ batchSize: batch, trainSize: 640, baseLearningRate: 0.02 }),
    });
    const t = await GqcnnTrainer.create({ arch: GQCNN_COMPACT, seed: 3, optimizer, l2: 5e-4 });
    const before = toyBatch(256, 999);
    const e0 = await t.evaluate(before.im, before.pose, before.labels, 256, 100);
    let loss = 0;
    for (let s = 0; s < 150; s++) {
      const b = toyBatch(batch, s);
      loss = await t.step(b.im, b.pose, b.labels, batch);
    }
    const e1 = await t.evaluate(before.im, before.pose, before.labels, 256, 100);
    await t.release();
    expect(optimizer.iteration).toBe(150);
    expect(optimizer.learningRate()).toBeLessThan(0.02);
    expect(Number.isFinite(loss)).toBe(true);
    expect(e1.loss).toBeLessThan(e0.loss);
    expect(e1.errorRate).toBeLessThan(0.1);
    expect(e1.pSuccess.length).toBe(256);
  });

  it('converts class labels to one-hot and rejects bad ones', () => {
    expect(Array.from(toOneHot(Uint8Array.of(1, 0), 2))).toEqual([0, 1, 1, 0]);
    const soft = Float32Array.of(0.2, 0.8);
    expect(toOneHot(soft, 1)).toBe(soft);
    expect(() => toOneHot(Uint8Array.of(2), 1)).toThrow(/labels\[0\] = 2/);
  });
});
