// Binary classification metrics for the training report: error rate, precision, recall, ROC
// (with AUC) and precision–recall (with average precision), on P(success) scores and 0/1 labels.

export interface ClassificationMetrics {
  n: number;
  positives: number;
  /** Error rate of always predicting the majority class of these labels. */
  majorityErrorRate: number;
  threshold: number;
  errorRate: number;
  accuracy: number;
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  averagePrecision: number;
  rocAuc: number;
}

export interface Curve {
  /** ROC: false-positive rate; PR: recall. */
  x: Float64Array;
  /** ROC: true-positive rate; PR: precision. */
  y: Float64Array;
  thresholds: Float64Array;
}

function checkInputs(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) throw new Error(`metrics: ${scores.length} scores but ${labels.length} labels`);
  for (let i = 0; i < labels.length; i++)
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`metrics: labels[${i}] = ${labels[i]}; expected 0 or 1`);
}

/** Indices by descending score, and the cumulative TP/FP counts at each distinct threshold. */
function sweep(scores: ArrayLike<number>, labels: ArrayLike<number>) {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const tps: number[] = [];
  const fps: number[] = [];
  const thr: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i] === 1) tp++;
    else fp++;
    // tied scores form one threshold: emit only after the last of them
    if (k === order.length - 1 || scores[order[k + 1]!]! !== scores[i]!) {
      tps.push(tp);
      fps.push(fp);
      thr.push(scores[i]!);
    }
  }
  return { tps, fps, thr, P: tp, N: fp };
}

/** ROC curve from (0, 0) through every distinct threshold to (1, 1). */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): Curve {
  checkInputs(scores, labels);
  const { tps, fps, thr, P, N } = sweep(scores, labels);
  const x = new Float64Array(tps.length + 1);
  const y = new Float64Array(tps.length + 1);
  const t = new Float64Array(tps.length + 1);
  t[0] = Infinity;
  for (let k = 0; k < tps.length; k++) {
    x[k + 1] = N ? fps[k]! / N : 0;
    y[k + 1] = P ? tps[k]! / P : 0;
    t[k + 1] = thr[k]!;
  }
  return { x, y, thresholds: t };
}

/** Area under the ROC curve (trapezoids; ties count one half). NaN with a single class. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const c = rocCurve(scores, labels);
  const { P, N } = sweep(scores, labels);
  if (P === 0 || N === 0) return NaN;
  let a = 0;
  for (let k = 1; k < c.x.length; k++) a += ((c.x[k]! - c.x[k - 1]!) * (c.y[k]! + c.y[k - 1]!)) / 2;
  return a;
}

/** Precision–recall points at every distinct threshold, by increasing recall. */
export function precisionRecallCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): Curve {
  checkInputs(scores, labels);
  const { tps, fps, thr, P } = sweep(scores, labels);
  const x = new Float64Array(tps.length);
  const y = new Float64Array(tps.length);
  const t = new Float64Array(tps.length);
  for (let k = 0; k < tps.length; k++) {
    x[k] = P ? tps[k]! / P : 0;
    y[k] = tps[k]! / (tps[k]! + fps[k]!);
    t[k] = thr[k]!;
  }
  return { x, y, thresholds: t };
}

/** AP = Σ (R_k − R_{k−1})·P_k over distinct thresholds (no interpolation). NaN without positives. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const c = precisionRecallCurve(scores, labels);
  if (c.x.length === 0 || c.x[c.x.length - 1] === 0) return NaN;
  let ap = 0;
  let prevR = 0;
  for (let k = 0; k < c.x.length; k++) {
    ap += (c.x[k]! - prevR) * c.y[k]!;
    prevR = c.x[k]!;
  }
  return ap;
}

/** Every figure of the training report at one decision threshold (default 0.5). */
export function classificationMetrics(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold = 0.5,
): ClassificationMetrics {
  checkInputs(scores, labels);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const pred = scores[i]! >= threshold;
    if (labels[i] === 1) {
      if (pred) tp++;
      else fn++;
    } else if (pred) fp++;
    else tn++;
  }
  const n = scores.length;
  const positives = tp + fn;
  return {
    n,
    positives,
    majorityErrorRate: n ? Math.min(positives, n - positives) / n : 0,
    threshold,
    errorRate: n ? (fp + fn) / n : 0,
    accuracy: n ? (tp + tn) / n : 0,
    precision: tp + fp ? tp / (tp + fp) : NaN,
    recall: positives ? tp / positives : NaN,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
    averagePrecision: averagePrecision(scores, labels),
    rocAuc: rocAuc(scores, labels),
  };
}
