// The depth cameras a heap is seen with, by name: what `dexnet heaps --render` and heap datasets offer.
import { centeredIntrinsics, PHOXI_INTRINSICS, type CameraIntrinsics } from '../geometry/camera-intrinsics.js';

export const HEAP_CAMERAS = ['phoxi', 'primesense'] as const;
export type HeapCameraName = (typeof HEAP_CAMERAS)[number];

/** phoxi: 516×386, f 552.5 (its missing pixels come from the structured-light model); primesense: 640×480, f 525. */
export function heapCameraIntrinsics(name: HeapCameraName): CameraIntrinsics {
  return name === 'phoxi' ? PHOXI_INTRINSICS : centeredIntrinsics(640, 480);
}

/** Whether the camera is a structured-light sensor whose missing pixels the renderer models. */
export const hasStructuredLight = (name: HeapCameraName): boolean => name === 'phoxi';
