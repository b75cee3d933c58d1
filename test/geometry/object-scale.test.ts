import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import { formatScaleRule, parseScaleRule, scaleFactor } from '../../src/geometry/object-scale.js';

describe('object scale rules', () => {
  it('min:0.04 sets the smallest extent to 4 cm and leaves the largest free (Dex-Net)', () => {
    const f = scaleFactor([0.2, 0.1, 0.02], parseScaleRule('min:0.04', 0.05));
    expect(0.02 * f).toBeCloseTo(0.04, 12);
    expect(0.2 * f).toBeCloseTo(0.4, 12);
  });

  it('max sets the largest extent', () => {
    expect(0.2 * scaleFactor([0.2, 0.1, 0.02], parseScaleRule('max:0.1', 0.05))).toBeCloseTo(0.1, 12);
  });

  it('egad: largest extent = opening, smallest capped at 0.8 × opening', () => {
    const rule = parseScaleRule('egad', 0.05);
    // elongated: largest extent decides
    expect(0.3 * scaleFactor([0.3, 0.1, 0.05], rule)).toBeCloseTo(0.05, 12);
    // a cube would have its smallest extent at the opening: the cap brings it to 0.8 × opening
    const f = scaleFactor([0.1, 0.1, 0.1], rule);
    expect(0.1 * f).toBeCloseTo(0.04, 12);
  });

  it('none keeps the size; the rule round-trips as text', () => {
    expect(scaleFactor([1, 2, 3], parseScaleRule('none', 0.05))).toBe(1);
    for (const t of ['min:0.04', 'max:0.1', 'egad', 'none']) expect(formatScaleRule(parseScaleRule(t, 0.05))).toBe(t);
  });

  it('refuses what is not a rule, naming the flag', () => {
    for (const bad of ['', 'min', 'min:', 'min:-1', 'min:abc', 'max:5', 'avg:0.04', 'min:NaN']) {
      expect(() => parseScaleRule(bad, 0.05)).toThrow(UserInputError);
      expect(() => parseScaleRule(bad, 0.05)).toThrow(/--scale/);
    }
  });
});
