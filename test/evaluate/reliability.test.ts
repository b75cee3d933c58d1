// The reliability diagram against hand-computed bins and calibration error, in the summary and the HTML report.
import { describe, expect, it } from 'vitest';
import { summarizeTrials, type TrialRecord } from '../../src/evaluate/evaluation-report.js';
import { renderReportHtml } from '../../src/evaluate/report-html.js';
import { reliabilityDiagram } from '../../src/evaluate/reliability.js';

function record(trial: number, q: number | null, analytic: boolean): TrialRecord {
  return {
    trial,
    object: 'o',
    poseIndex: 0,
    policy: 'cem',
    grasp: q === null ? null : { center: { x: 1, y: 2 }, angle: 0, depth: 0.7, width: 0.05, q },
    planMs: 1,
    analytic: {
      success: analytic,
      robustEpsilon: analytic ? 0.004 : 0,
      robustEpsilonRaw: 0,
      forceClosure: analytic,
      collisionFree: true,
    },
    physics: { success: false, reason: 'not simulated', liftedHeight: 0, simSeconds: 0, wallMs: 0 },
  };
}

describe('reliabilityDiagram', () => {
  it('bins q into tenths (1 in the last bin) and computes rates, mean q and the calibration error', () => {
    const d = reliabilityDiagram(
      [
        { q: 0.9, success: true },
        { q: 0.95, success: true },
        { q: 1, success: false },
        { q: 0.92, success: true },
        { q: 0.3, success: true },
        { q: 0.35, success: false },
        { q: 0.1, success: false },
      ],
      'analytic',
    );
    expect(d.n).toBe(7);
    expect(d.bins).toHaveLength(10);
    expect(d.bins[9]).toMatchObject({ n: 4, successes: 3, successRate: 0.75 });
    expect(d.bins[9].meanQ).toBeCloseTo((0.9 + 0.95 + 1 + 0.92) / 4, 12);
    expect(d.bins[3]).toMatchObject({ n: 2, successes: 1, successRate: 0.5 });
    expect(d.bins[1]).toMatchObject({ n: 1, successes: 0, successRate: 0 });
    expect(d.bins[0]).toMatchObject({ n: 0, successRate: null, meanQ: null });
    const ece = (4 / 7) * Math.abs(0.75 - 0.9425) + (2 / 7) * Math.abs(0.5 - 0.325) + (1 / 7) * 0.1;
    expect(d.expectedCalibrationError).toBeCloseTo(ece, 12);
  });

  it('is perfectly calibrated when every bin succeeds at its mean q, and refuses q outside [0, 1]', () => {
    const pairs = [...Array(8)].map((_, i) => (i < 4 ? { q: 0.25, success: i === 0 } : { q: 0.75, success: i !== 7 }));
    expect(reliabilityDiagram(pairs, 'analytic').expectedCalibrationError).toBeCloseTo(0, 12);
    expect(reliabilityDiagram([], 'analytic').expectedCalibrationError).toBeNull();
    expect(() => reliabilityDiagram([{ q: 1.2, success: true }], 'analytic')).toThrow(/q must be in \[0, 1\]/);
  });
});

describe('reliability in the evaluation report', () => {
  it('counts planned grasps only (a trial without a grasp predicts nothing), and draws the chart in the HTML', () => {
    const records = [record(0, 0.9, true), record(1, 0.9, false), record(2, 0.2, false), record(3, null, false)];
    const report = summarizeTrials(records);
    const d = report.policies[0].reliability;
    expect(d.n).toBe(3);
    expect(d.bins[9]).toMatchObject({ n: 2, successes: 1 });
    expect(d.bins[2]).toMatchObject({ n: 1, successes: 0 });
    const html = renderReportHtml(report, new Map());
    expect(html).toContain('<svg');
    expect(html).toContain('Calibration of q (analytic referee)');
    // One bar per non-empty bin, each with its count.
    expect(html.match(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="#9ecae1"/g)).toHaveLength(2);
    const ece = d.expectedCalibrationError!.toFixed(3);
    expect(html).toMatch(new RegExp(`Expected calibration error ${ece} over 3\\s+grasps`));
  });
});
