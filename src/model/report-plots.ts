// The training report's figures as PNGs in the model folder: loss and error curves, ROC, precision–recall.
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { ClassificationMetrics, Curve } from './metrics.js';
import type { EpochRecord } from './train.js';

interface Series {
  label: string;
  color: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** A line chart with axes, ticks and a legend; `range` fixes the axes (else fitted to the data). */
export function lineChart(
  title: string,
  xLabel: string,
  yLabel: string,
  series: Series[],
  range?: { x: [number, number]; y: [number, number] },
  legend: 'top' | 'bottom' = 'top',
): Uint8Array {
  const W = 640,
    H = 440,
    L = 70,
    R = 20,
    T = 40,
    B = 55;
  const canvas = createCanvas(W, H);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, W, H);
  const all = (pick: (s: Series) => ArrayLike<number>) =>
    series.flatMap((s) => Array.from(pick(s))).filter(Number.isFinite);
  const xs = all((s) => s.x),
    ys = all((s) => s.y);
  let [x0, x1] = range?.x ?? [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = range?.y ?? [Math.min(...ys), Math.max(...ys)];
  if (!(x1 > x0)) {
    x0 -= 0.5;
    x1 += 0.5;
  }
  if (!(y1 > y0)) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  if (!range) {
    const pad = (y1 - y0) * 0.05;
    y0 -= pad;
    y1 += pad;
  }
  const px = (x: number) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const py = (y: number) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  g.strokeStyle = '#dddddd';
  g.fillStyle = '#333333';
  g.font = '12px sans-serif';
  for (let k = 0; k <= 5; k++) {
    const xv = x0 + ((x1 - x0) * k) / 5,
      yv = y0 + ((y1 - y0) * k) / 5;
    g.beginPath();
    g.moveTo(px(xv), T);
    g.lineTo(px(xv), H - B);
    g.stroke();
    g.beginPath();
    g.moveTo(L, py(yv));
    g.lineTo(W - R, py(yv));
    g.stroke();
    g.textAlign = 'center';
    g.fillText(fmtTick(xv), px(xv), H - B + 16);
    g.textAlign = 'right';
    g.fillText(fmtTick(yv), L - 6, py(yv) + 4);
    g.textAlign = 'left';
  }
  g.strokeStyle = '#333333';
  g.strokeRect(L, T, W - L - R, H - T - B);
  g.font = 'bold 15px sans-serif';
  g.fillText(title, L, 24);
  g.font = '13px sans-serif';
  g.textAlign = 'center';
  g.fillText(xLabel, L + (W - L - R) / 2, H - 14);
  g.textAlign = 'left';
  g.save();
  g.translate(16, (H + T - B) / 2);
  g.rotate(-Math.PI / 2);
  g.textAlign = 'center';
  g.fillText(yLabel, 0, 0);
  g.restore();
  series.forEach((s, k) => {
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.beginPath();
    let started = false;
    for (let i = 0; i < s.x.length; i++) {
      if (!Number.isFinite(s.y[i]) || !Number.isFinite(s.x[i])) continue;
      if (started) g.lineTo(px(s.x[i]), py(s.y[i]));
      else {
        g.moveTo(px(s.x[i]), py(s.y[i]));
        started = true;
      }
    }
    g.stroke();
    const ly = legend === 'top' ? T + 10 + 18 * k : H - B - 12 - 18 * (series.length - 1 - k);
    g.fillStyle = s.color;
    g.fillRect(W - R - 170, ly, 14, 4);
    g.fillStyle = '#333333';
    g.fillText(s.label, W - R - 150, ly + 6);
  });
  return new Uint8Array(canvas.toBuffer('image/png'));
}

const fmtTick = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

/** loss.png, error.png, roc.png and precision-recall.png in `dir`. */
export async function writeTrainingPlots(
  dir: string,
  history: EpochRecord[],
  roc: Curve,
  pr: Curve,
  m: ClassificationMetrics,
): Promise<void> {
  const epochs = history.map((h) => h.epoch);
  await writeFileAtomic(
    join(dir, 'loss.png'),
    lineChart('Cross-entropy loss', 'epoch', 'loss', [
      { label: 'training', color: '#1f77b4', x: epochs, y: history.map((h) => h.trainLoss) },
      { label: 'validation', color: '#d62728', x: epochs, y: history.map((h) => h.valLoss) },
    ]),
  );
  await writeFileAtomic(
    join(dir, 'error.png'),
    lineChart('Error rate', 'epoch', 'error rate', [
      { label: 'training', color: '#1f77b4', x: epochs, y: history.map((h) => h.trainErrorRate) },
      { label: 'validation', color: '#d62728', x: epochs, y: history.map((h) => h.valErrorRate) },
      {
        label: 'majority class',
        color: '#999999',
        x: [epochs[0] ?? 0, epochs[epochs.length - 1] ?? 1],
        y: [m.majorityErrorRate, m.majorityErrorRate],
      },
    ]),
  );
  const unit: { x: [number, number]; y: [number, number] } = { x: [0, 1], y: [0, 1] };
  await writeFileAtomic(
    join(dir, 'roc.png'),
    lineChart(
      `ROC (AUC ${m.rocAuc.toFixed(3)})`,
      'false-positive rate',
      'true-positive rate',
      [
        { label: 'GQ-CNN', color: '#2ca02c', x: roc.x, y: roc.y },
        { label: 'chance', color: '#999999', x: [0, 1], y: [0, 1] },
      ],
      unit,
      'bottom',
    ),
  );
  await writeFileAtomic(
    join(dir, 'precision-recall.png'),
    lineChart(
      `Precision–recall (AP ${m.averagePrecision.toFixed(3)})`,
      'recall',
      'precision',
      [{ label: 'GQ-CNN', color: '#9467bd', x: pr.x, y: pr.y }],
      unit,
    ),
  );
}
