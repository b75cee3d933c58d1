// Sweet Home 3D catalogue properties (Java .properties in ISO-8859-1) and OBJ object splitting.
import { describe, expect, it } from 'vitest';
import { parseObjParts } from '../../../src/geometry/mesh-io/obj.js';
import { catalogPieces, parseProperties } from '../../../src/geometry/mesh-io/sh3f-catalog.js';

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('catalogue properties', () => {
  it('reads numbered pieces, escapes, continuations and the catalogue-wide licence', () => {
    const props = parseProperties(
      latin1(
        '# comment\nid=Cat\nlicense=CC-BY 3.0 \u00a9 2008 Someone\n\n' +
          'id#1=Maker#mug\nname#1=Mug \\u00e9l\\u00e9gant\ncategory#1=Kitchen\nmodel#1=/mugs/mug.obj\ncreator#1=A \\\n   Person\n' +
          'id#3=Maker#lamp\nname#3=Lamp\nmodel#3=/lamp.obj\nlicense#3=CC0\n' +
          'id#2=Maker#nomodel\nname#2=No model\n',
      ),
    );
    expect(catalogPieces(props)).toEqual([
      {
        index: 1,
        id: 'Maker#mug',
        name: 'Mug élégant',
        category: 'Kitchen',
        creator: 'A Person',
        licence: 'CC-BY 3.0 © 2008 Someone',
        model: 'mugs/mug.obj',
      },
      {
        index: 3,
        id: 'Maker#lamp',
        name: 'Lamp',
        category: undefined,
        creator: undefined,
        licence: 'CC0',
        model: 'lamp.obj',
      },
    ]);
  });
});

describe('OBJ parts', () => {
  const obj = new TextEncoder().encode(
    'v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\no first\ng a\nf 1 2 3\ng b\nf 1 3 4\no second\nf 1 2 4\nf 1 2\nf 2 3 4 1\n',
  );
  it("splits at 'o' by default, at 'g' too when asked, never with 'none'", () => {
    expect(parseObjParts(obj, 'x.obj', 'object', { lenient: true }).map((p) => [p.name, p.corners.length / 9])).toEqual(
      [
        ['first', 2],
        ['second', 3],
      ],
    );
    expect(parseObjParts(obj, 'x.obj', 'group', { lenient: true }).map((p) => [p.name, p.corners.length / 9])).toEqual([
      ['a', 1],
      ['b', 1],
      ['second', 3],
    ]);
    expect(parseObjParts(obj, 'x.obj', 'none', { lenient: true }).map((p) => p.corners.length / 9)).toEqual([5]);
  });
  it('refuses a two-corner face unless lenient', () => {
    expect(() => parseObjParts(obj, 'x.obj', 'none')).toThrow(/x\.obj: line 12: face needs at least 3 vertices/);
  });
  it('fan-triangulates a quad from its first corner, keeping positions', () => {
    const [part] = parseObjParts(
      new TextEncoder().encode('v 0 0 0\nv 2 0 0\nv 2 3 0\nv 0 3 0\nf 1 2 3 4\n'),
      'q.obj',
      'none',
    );
    expect(Array.from(part.corners)).toEqual([0, 0, 0, 2, 0, 0, 2, 3, 0, 0, 0, 0, 2, 3, 0, 0, 3, 0]);
  });
});
