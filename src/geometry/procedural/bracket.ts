// Machined brackets (L, T, U, Z and I sections from rectangles) drilled with holes along the
// extrusion: a held-out family of thin-walled industrial parts.
import type { Random } from '../../core/random.js';
import type { CsgScope, Manifold } from './csg.js';

export type BracketSection = 'L' | 'T' | 'U' | 'Z' | 'I';
const SECTIONS: readonly BracketSection[] = ['L', 'T', 'U', 'Z', 'I'];

/** An axis-aligned rectangle [x0, y0, x1, y1] of the cross-section. */
type Rect = [number, number, number, number];

function sectionRects(kind: BracketSection, w: number, h: number, t: number): Rect[] {
  switch (kind) {
    case 'L':
      return [
        [0, 0, w, t],
        [0, 0, t, h],
      ];
    case 'T':
      return [
        [0, h - t, w, h],
        [(w - t) / 2, 0, (w + t) / 2, h],
      ];
    case 'U':
      return [
        [0, 0, w, t],
        [0, 0, t, h],
        [w - t, 0, w, h],
      ];
    case 'Z':
      return [
        [0, h - t, w / 2 + t / 2, h],
        [w / 2 - t / 2, 0, w / 2 + t / 2, h],
        [w / 2 - t / 2, 0, w, t],
      ];
    case 'I':
      return [
        [0, 0, w, t],
        [0, h - t, w, h],
        [(w - t) / 2, 0, (w + t) / 2, h],
      ];
  }
}

export interface BracketOptions {
  section?: BracketSection;
}

export function bracket(rng: Random, scope: CsgScope, options: BracketOptions = {}): Manifold {
  const kind = options.section ?? SECTIONS[rng.int(SECTIONS.length)];
  const w = rng.uniform(0.6, 1),
    h = rng.uniform(0.5, 1);
  const t = Math.min(w, h) * rng.uniform(0.12, 0.3);
  const depth = rng.uniform(0.3, 1);
  const rects = sectionRects(kind, w, h, t);
  // Overlapping rectangles merge under the positive fill rule; the section is then extruded along z.
  const contours = rects.map(([x0, y0, x1, y1]): Array<[number, number]> => [
    [x0 - w / 2, y0 - h / 2],
    [x1 - w / 2, y0 - h / 2],
    [x1 - w / 2, y1 - h / 2],
    [x0 - w / 2, y1 - h / 2],
  ]);
  const section = scope.keep(new scope.wasm.CrossSection(contours, 'Positive'));
  let solid = scope.keep(scope.Manifold.extrude(section, depth, 0, 0, [1, 1], true));
  // Holes across a member's thickness (through its flat face), at random spots along it.
  const holes = rng.int(3);
  for (let i = 0; i < holes; i++) {
    const [x0, y0, x1, y1] = rects[rng.int(rects.length)];
    const horizontal = x1 - x0 >= y1 - y0;
    const along = horizontal ? x1 - x0 : y1 - y0;
    const r = Math.min(depth, along) * rng.uniform(0.1, 0.22);
    const pos = rng.uniform(0.2, 0.8) * along + (horizontal ? x0 : y0);
    const cz = rng.uniform(-1, 1) * Math.max(0, depth / 2 - 1.5 * r);
    const cutter = scope.cylinder(4 * t, r, r, 24);
    const placed = horizontal
      ? scope.place(cutter, [90, 0, 0], [pos - w / 2, (y0 + y1) / 2 - h / 2, cz])
      : scope.place(cutter, [0, 90, 0], [(x0 + x1) / 2 - w / 2, pos - h / 2, cz]);
    solid = scope.subtract(solid, placed);
  }
  return scope.largestPiece(solid);
}
