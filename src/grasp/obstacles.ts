// What else stands around a grasped object (its neighbours in a heap, the bin's walls): meshes with their poses
// relative to the grasped object, so either gripper's approach can be checked against them in their own frames.
import type { MeshIndex } from '../geometry/bvh.js';
import { mat3Mul, type Mat3, type Vec3 } from '../geometry/vector.js';
import type { RigidTransform } from '../geometry/rigid-transform.js';

export interface Obstacle {
  /** The obstacle's mesh in its own frame. */
  index: MeshIndex;
  /** Grasped object's frame → the obstacle's mesh frame. */
  fromObject: RigidTransform;
  /** What a collision report calls it ('object 3', 'bin walls'). */
  name: string;
}

/** A scene member placed in the world: a mesh and its mesh → world pose. */
export interface PlacedMesh {
  index: MeshIndex;
  toWorld: RigidTransform;
  name: string;
}

/** Every member of `scene` but `target`, as obstacles seen from `target`'s frame. */
export function obstaclesAround(scene: readonly PlacedMesh[], target: number): Obstacle[] {
  const objectToWorld = scene[target]!.toWorld;
  return scene.flatMap((o, i) =>
    i === target ? [] : [{ index: o.index, fromObject: o.toWorld.inverse().compose(objectToWorld), name: o.name }],
  );
}

/**
 * The first obstacle that an oriented box meets, or null: the box spans [min, max] in its own frame, which
 * `rotation`, `translation` place in the grasped object's frame.
 */
export function boxHitsObstacle(
  obstacles: readonly Obstacle[],
  min: Vec3,
  max: Vec3,
  rotation: Mat3,
  translation: Vec3,
): Obstacle | null {
  for (const o of obstacles) {
    const r = o.fromObject;
    // Box → obstacle = (object → obstacle) ∘ (box → object).
    const R = mat3Mul(r.rotation, rotation);
    const t = r.applyToPoint(translation);
    if (o.index.intersectsBox(min, max, R, t)) return o;
  }
  return null;
}
