// The sensor's depth scale in a trial scene, measured against the table — what places a planned image grasp on the
// object (render/grasp-projection's imageGraspInObject) the way a calibrated cell would.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import type { Camera } from '../render/depth-renderer.js';

/**
 * The sensor's depth scale error measured against the table plane z = 0: the median over table pixels (outside the
 * segmask, every `step`-th row and column) of reported / true depth. A calibrated cell knows its camera pose and so
 * the plane's true depth at each pixel; Dex-Net's per-image Gamma multiplier is exactly such a scale error.
 */
export function tableDepthScale(depth: DepthImage, segmask: Mask | null, camera: Camera, step = 4): number {
  const k: CameraIntrinsics = camera.intrinsics;
  const R = camera.pose.rotation,
    oz = camera.pose.translation[2];
  const ratios: number[] = [];
  for (let y = 0; y < depth.height; y += step) {
    for (let x = 0; x < depth.width; x += step) {
      const i = y * depth.width + x;
      const z = depth.data[i]!;
      if (!(z > 0) || (segmask && segmask.data[i] !== 0)) continue;
      // Pixel ray with camera-frame z = 1; its world z-component decides where it meets the table.
      const ry = (y - k.cy) / k.fy;
      const rx = (x - k.cx - k.skew * ry) / k.fx;
      const wz = R[6] * rx + R[7] * ry + R[8];
      if (!(wz < 0)) continue;
      ratios.push(z / (-oz / wz));
    }
  }
  if (ratios.length === 0) throw new Error('no table pixels to measure the depth scale against');
  ratios.sort((a, b) => a - b);
  return ratios[ratios.length >> 1]!;
}
