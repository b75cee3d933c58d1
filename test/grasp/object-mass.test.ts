// How heavy a weighed label's object is: parsing the rule, writing it back, and the mass it gives a mesh.
import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import { boxMesh } from '../../src/geometry/primitives.js';
import { formatObjectMass, objectMassOf, parseObjectMass } from '../../src/grasp/object-mass.js';

describe('parseObjectMass', () => {
  it('reads a fixed mass in kg or a density, and writes them back', () => {
    expect(parseObjectMass('1')).toEqual({ kg: 1 });
    expect(parseObjectMass(' 0.25 ')).toEqual({ kg: 0.25 });
    expect(parseObjectMass('density:700')).toEqual({ density: 700 });
    for (const t of ['1', '0.25', 'density:700', 'density:1250.5'])
      expect(formatObjectMass(parseObjectMass(t))).toBe(t);
  });

  it('refuses anything else with the flag and what was expected', () => {
    for (const bad of ['', '0', '-1', '1000', 'NaN', 'heavy', 'density:', 'density:0.5', 'density:700kg', 'mass:1'])
      expect(() => parseObjectMass(bad)).toThrow(UserInputError);
    expect(() => parseObjectMass('density:7e5', '--object-mass')).toThrow(
      /^--object-mass: expected a mass in kg .* or density:<kg\/m³> .*, got "density:7e5"$/,
    );
  });
});

describe('objectMassOf', () => {
  it('gives a box its volume times the density, or the fixed mass whatever its size', () => {
    const box = boxMesh(0.04, 0.05, 0.1);
    expect(objectMassOf({ density: 700 }, box)).toBeCloseTo(700 * 0.04 * 0.05 * 0.1, 6);
    expect(objectMassOf({ density: 1000 }, box)).toBeCloseTo(0.2, 6);
    expect(objectMassOf({ kg: 1 }, box)).toBe(1);
    expect(objectMassOf({ kg: 1 }, boxMesh(0.01, 0.01, 0.01))).toBe(1);
  });
});
