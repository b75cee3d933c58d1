// Bounding-volume hierarchy over a mesh (three-mesh-bvh): first-hit ray casts, closest points, box overlap.
import { Box3, BufferAttribute, BufferGeometry, DoubleSide, Matrix4, Ray, Sphere, Vector3 } from 'three';
import { MeshBVH } from 'three-mesh-bvh';
import type { Mesh } from './mesh.js';
import { triangleCross } from './mesh-properties.js';
import type { Mat3, Vec3 } from './vector.js';

export interface RayHit {
  /** Distance along the (unit) ray direction. */
  distance: number;
  point: Vec3;
  /** Outward unit normal of the hit triangle (from its winding, not the ray). */
  normal: Vec3;
  triangle: number;
}

export interface ClosestPoint {
  point: Vec3;
  distance: number;
  triangle: number;
}

/** A mesh with its BVH. Build once per mesh and share it across every query on that mesh. */
export class MeshIndex {
  readonly bvh: MeshBVH;
  private readonly positions: Float32Array;
  private readonly index: ArrayLike<number>;
  private readonly ray = new Ray();
  private readonly v = new Vector3();
  private readonly box = new Box3();
  private readonly boxToMesh = new Matrix4();
  private readonly sphere = new Sphere();
  private readonly closest = new Vector3();
  private readonly normal = new Vector3();
  private readonly cross = new Float64Array(3);

  constructor(readonly mesh: Mesh) {
    const geometry = new BufferGeometry();
    this.positions = mesh.vertices;
    geometry.setAttribute('position', new BufferAttribute(mesh.vertices, 3));
    // The BVH reorders the index buffer it is given, so hand it a copy and read triangles back from it.
    geometry.setIndex(new BufferAttribute(new Uint32Array(mesh.triangles), 1));
    this.bvh = new MeshBVH(geometry, { targetLeafSize: 8 });
    this.index = geometry.index!.array;
  }

  /** First surface hit along a ray (either side of a triangle counts), within [near, far]. */
  raycast(origin: Vec3, direction: Vec3, near = 0, far = Infinity): RayHit | null {
    this.ray.origin.set(origin[0], origin[1], origin[2]);
    this.ray.direction.set(direction[0], direction[1], direction[2]).normalize();
    const hit = this.bvh.raycastFirst(this.ray, DoubleSide, near, far);
    if (!hit || hit.faceIndex == null) return null;
    return {
      distance: hit.distance,
      point: [hit.point.x, hit.point.y, hit.point.z],
      normal: this.triangleNormal(hit.faceIndex),
      triangle: hit.faceIndex,
    };
  }

  /**
   * Distance to the first surface hit along a unit ray, Infinity on a miss: the allocation-light form of
   * `raycast` for hot loops that only need depths (the suction seal casts 25 rays per Monte-Carlo draw).
   */
  rayDistance(
    ox: number,
    oy: number,
    oz: number,
    dx: number,
    dy: number,
    dz: number,
    near = 0,
    far = Infinity,
  ): number {
    this.ray.origin.set(ox, oy, oz);
    this.ray.direction.set(dx, dy, dz);
    const hit = this.bvh.raycastFirst(this.ray, DoubleSide, near, far);
    return hit ? hit.distance : Infinity;
  }

  /** Closest surface point to `p`, or null when none lies within `maxDistance`. */
  closestPoint(p: Vec3, maxDistance = Infinity): ClosestPoint | null {
    this.v.set(p[0], p[1], p[2]);
    const target = { point: new Vector3(), distance: 0, faceIndex: 0 };
    const res = this.bvh.closestPointToPoint(this.v, target, 0, maxDistance);
    if (!res) return null;
    return { point: [res.point.x, res.point.y, res.point.z], distance: res.distance, triangle: res.faceIndex };
  }

  /**
   * Whether an oriented box overlaps any triangle of the mesh. The box spans [min, max] in its own frame,
   * placed in the mesh frame by `rotation`, `translation` (box frame → mesh frame).
   */
  intersectsBox(min: Vec3, max: Vec3, rotation: Mat3, translation: Vec3): boolean {
    this.box.min.set(min[0], min[1], min[2]);
    this.box.max.set(max[0], max[1], max[2]);
    const r = rotation,
      t = translation;
    this.boxToMesh.set(r[0], r[1], r[2], t[0], r[3], r[4], r[5], t[1], r[6], r[7], r[8], t[2], 0, 0, 0, 1);
    return this.bvh.intersectsBox(this.box, this.boxToMesh);
  }

  /**
   * An SDF-gradient-like surface normal at surface point `p`: the average of the normals of the triangles within
   * `radius`, each weighted by its area and by (1 − d/radius) for its distance d from `p`, over triangles facing
   * the same side as `reference` (so the far wall of a thin part does not cancel it). Dex-Net reads contact normals
   * off a signed distance field whose gradient is smoothed over its grid cells; a single triangle's normal on a
   * coarse or irregular mesh swings by tens of degrees between neighbours. Null when no triangle qualifies.
   */
  smoothedNormal(p: Vec3, radius: number, reference: Vec3): Vec3 | null {
    const sphere = this.sphere.set(this.v.set(p[0], p[1], p[2]), radius);
    const closest = this.closest;
    let nx = 0,
      ny = 0,
      nz = 0;
    const normal = this.normal;
    this.bvh.shapecast({
      intersectsBounds: (box) => box.intersectsSphere(sphere),
      intersectsTriangle: (tri) => {
        tri.closestPointToPoint(sphere.center, closest);
        const d = closest.distanceTo(sphere.center);
        if (d >= radius) return false;
        tri.getNormal(normal);
        if (normal.x * reference[0] + normal.y * reference[1] + normal.z * reference[2] <= 0) return false;
        const w = tri.getArea() * (1 - d / radius);
        nx += w * normal.x;
        ny += w * normal.y;
        nz += w * normal.z;
        return false;
      },
    });
    const len = Math.hypot(nx, ny, nz);
    return len > 0 ? [nx / len, ny / len, nz / len] : null;
  }

  /** Outward unit normal of a triangle as stored in the BVH's (reordered) index. */
  triangleNormal(tri: number): Vec3 {
    const p = this.positions,
      idx = this.index;
    const a = idx[tri * 3] * 3,
      b = idx[tri * 3 + 1] * 3,
      c = idx[tri * 3 + 2] * 3;
    const [nx, ny, nz] = triangleCross(p, a, b, c, this.cross);
    const n = Math.hypot(nx, ny, nz) || 1;
    return [nx / n, ny / n, nz / n];
  }
}
