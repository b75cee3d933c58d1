// A tool added to a heap meets each object's 1 mm pieces, not the heap's coarse ones (those reach out of the surface
// by up to 1 cm, so a finger met surfaces that are not there: 12 of 15 "collisions on approach" in 6 bin-clearing
// episodes were a fingertip within 1 mm of its goal on a coarse piece).
import { describe, expect, it } from 'vitest';
import { torusMesh } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { convexPieces } from '../../src/physics/convex-pieces.js';
import { HEAP_PIECE_OPTIONS, heapSceneParts } from '../../src/physics/heap-scene.js';
import { jawSweep } from '../../src/physics/mjcf.js';
import { DEFAULT_GRIPPER } from '../../src/grasp/gripper.js';
import { piecesProtrusion } from '../../src/physics/piece-fidelity.js';

// A torus lying flat (5 cm across, 1.2 cm thick) at the bin's centre; the jaws come straight down over its rim.
const torus = torusMesh(0.019, 0.006, 48, 16);
const pose = new RigidTransform(undefined, [0, 0, 0.006], 'object', 'world');
const down = new RigidTransform([1, 0, 0, 0, -1, 0, 0, 0, -1], [0.019, 0, 0.006], 'tool', 'world');
const base = { bin: { halfX: 0.15, halfY: 0.15, wallHeight: 0.1, wallThickness: 0.01 }, friction: 0.5, density: 500 };
const geoms = (bodies: string) => [...bodies.matchAll(/<geom name="(object0_[a-z]+)\d*"[^>]*contype="(\d+)"/g)];

describe('heapSceneParts with a tool', () => {
  it('gives the tool the 1 mm pieces near its path; the coarse pieces then meet only other objects', () => {
    const alone = heapSceneParts([torus], [pose], base);
    const withTool = heapSceneParts([torus], [pose], {
      ...base,
      tool: { toolToWorld: down, ...jawSweep(DEFAULT_GRIPPER, 0.025, 0.1) },
    });
    // Without a tool, the coarse pieces face any tool (bit 8) and objects (bit 4).
    const before = geoms(alone.bodies).filter(([, name]) => name === 'object0_piece');
    expect(before.length).toBeGreaterThan(1);
    for (const [, , contype] of before) expect(Number(contype)).toBe(12);
    const after = geoms(withTool.bodies);
    const tool = after.filter(([, name]) => name === 'object0_tool');
    const coarse = after.filter(([, name]) => name === 'object0_piece');
    expect(tool.length).toBeGreaterThan(0);
    for (const [, , contype] of tool) expect(Number(contype)).toBe(8);
    for (const [, , contype] of coarse) expect(Number(contype) & 8).toBe(0);
  });

  it('the pieces the tool meets stay within 1 mm of the surface where the coarse ones do not', () => {
    const coarse = piecesProtrusion(torus, convexPieces(torus, HEAP_PIECE_OPTIONS)).worst;
    const fine = piecesProtrusion(torus, convexPieces(torus)).worst;
    expect(coarse).toBeGreaterThan(0.0015);
    expect(fine).toBeLessThanOrEqual(0.001 + 1e-6);
  });
});
