// The MuJoCo scene of a heap: the table plane as the bin's floor, the bin's four walls, and one free body per object
// (its hull meets the floor and the walls — exact against planes — and, when it is not convex, its convex pieces
// meet the other objects, so a mug's cavity can hold another object as the real one would).
import type { Mesh } from '../geometry/mesh.js';
import type { RigidTransform } from '../geometry/rigid-transform.js';
import { binWalls, type Bin } from './bin.js';
import type { MeshFile } from './mesh-files.js';
import type { ConvexPieceOptions } from './convex-pieces.js';
import {
  COLLIDES,
  frictionAttribute,
  freeObjectParts,
  objectGeometry,
  piecesNearToolBox,
  sceneHeader,
  vec,
  type PointSet,
  type SceneEnvironment,
  type ToolBox,
} from './mjcf.js';

export interface HeapSceneOptions {
  bin: Bin;
  /** Coulomb friction between objects, and between objects and the bin. */
  friction: number;
  /** Object density (kg/m³). */
  density: number;
  /** Simulation step (s) and constraint solver iterations per step. */
  timestep: number;
  solverIterations: number;
  /**
   * MuJoCo's contact time constant (s). The grasp trials' two steps (4 ms) keep a squeezed pad from sinking in, but
   * left a revolved object rocking ±0.9 mm on a hull edge for seconds; MuJoCo's default 0.02 s lets it settle and
   * still holds a resting object within ~0.1 mm of the surface.
   */
  contactTimeConstant: number;
}

/**
 * Convex pieces for object-to-object contact, coarser than the grasp trials' (1 mm, up to 640 pieces): MuJoCo's
 * model building here grows with the square of the geom count (1,000 geoms 0.3 s, 4,000 geoms 4 s, measured on
 * mujoco-js 3.3.8), and flat faces cut into polygons gave extrusions and drilled blocks 118–198 pieces each. These
 * options give ≤ 48 pieces whose hulls reach ≤ 2 mm out of most procedural objects (up to ~1 cm at drilled holes,
 * which are partly plugged); contacts with the floor and walls use the exact hull.
 */
export const HEAP_PIECE_OPTIONS: Readonly<Partial<ConvexPieceOptions>> = Object.freeze({
  maxPieces: 48,
  maxOverhang: 0.002,
  flatFaceShare: 2,
});

/** The mass properties, hull and heap pieces of a mesh (computed once per mesh). */
export const heapObjectGeometry = (mesh: Mesh) => objectGeometry(mesh, HEAP_PIECE_OPTIONS);

/** Body name of the heap's object i (its geoms are `<name>_hull`, `<name>_piece<k>`). */
export const heapBodyName = (i: number) => `object${i}`;

/**
 * Collision classes of the heap's objects: a non-convex object's pieces meet each other object's pieces and convex
 * hulls (bit 4), its hull only the bin (bit 1); a convex object's hull meets both. Pieces and convex hulls also face
 * a tool (bit 8, COLLIDES.gripper), except where the scene has a tool: then the tool meets finer pieces (tool).
 */
const HEAP_COLLIDES = Object.freeze({
  hull: COLLIDES.objectHull,
  piece: 'contype="12" conaffinity="4"',
  pieceWithTool: 'contype="4" conaffinity="4"',
  convex: 'contype="12" conaffinity="5"',
  tool: COLLIDES.objectPiece,
});

/** A tool in the heap's scene: its frame placed in the world at the grasp, and the box it sweeps in that frame. */
export interface HeapTool extends ToolBox {
  toolToWorld: RigidTransform;
}

export interface HeapScene {
  xml: string;
  /** The mesh files the MJCF names (hand both to compileMjcf). */
  files: MeshFile[];
}

const HEAP_NOSLIP_ITERATIONS = 1;

/** MJCF of the heap with object i placed by `poses[i]`; bodies are listed in object order. */
export function heapSceneMjcf(
  meshes: readonly Mesh[],
  poses: readonly RigidTransform[],
  o: HeapSceneOptions,
): HeapScene {
  const parts = heapSceneParts(meshes, poses, o);
  // One noslip pass: without it objects resting on a slope of the heap creep down it at about the rest limit (5 mm/s
  // seen for seconds) and fall once restarted from their poses; with it the creep is under 0.3 mm/s.
  const xml = `<mujoco model="dexnet-heap">
  ${sceneHeader({ ...o, noslipIterations: HEAP_NOSLIP_ITERATIONS })}
  <asset>
    ${parts.assets}
  </asset>
  <worldbody>
    ${parts.bodies}
  </worldbody>
</mujoco>
`;
  return { xml, files: parts.files };
}

/** The heap as a scene environment (a tool can be added to it, e.g. jawSceneXml's), with the mesh files it names. */
export interface HeapSceneParts extends SceneEnvironment {
  files: MeshFile[];
}

/** The `<mesh>` assets and the bodies of the heap: the floor, the bin's walls and the objects, in object order. */
export function heapSceneParts(
  meshes: readonly Mesh[],
  poses: readonly RigidTransform[],
  o: Pick<HeapSceneOptions, 'bin' | 'friction' | 'density'> & { tool?: HeapTool },
): HeapSceneParts {
  if (meshes.length !== poses.length) throw new Error(`heapScene: ${meshes.length} meshes but ${poses.length} poses`);
  const contactFriction = frictionAttribute(o.friction);
  const files: MeshFile[] = [];
  const tool = o.tool;
  const objects = meshes.map((mesh, i) =>
    freeObjectParts(heapBodyName(i), mesh, poses[i], {
      density: o.density,
      pieceOptions: HEAP_PIECE_OPTIONS,
      contactFriction,
      selectPieces: (pieces) => pieces.map((_, k) => k),
      collides: tool ? { ...HEAP_COLLIDES, piece: HEAP_COLLIDES.pieceWithTool } : HEAP_COLLIDES,
      files,
      ...(tool && {
        toolPieces: {
          select: (pieces: readonly PointSet[]) =>
            piecesNearToolBox(pieces, poses[i]!.inverse().compose(tool.toolToWorld), tool),
          collides: HEAP_COLLIDES.tool,
        },
      }),
    }),
  );
  const env = `${COLLIDES.table} condim="3" friction="${contactFriction}"`;
  const walls = binWalls(o.bin).map(
    (w, i) => `<geom name="wall${i}" type="box" pos="${vec(w.center)}" size="${vec(w.halfSize)}" ${env}/>`,
  );
  const bodies = `<geom name="table" type="plane" size="0 0 1" ${env}/>
    ${walls.join('\n    ')}
    ${objects.map((b) => b.body).join('\n    ')}`;
  return { assets: objects.map((b) => b.assets).join('\n    '), bodies, contactFriction, files };
}
