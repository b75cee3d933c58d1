// The ONNX opset every GQ-CNN graph declares.
import type { GqcnnArchitecture } from '../architecture.js';

/** Opset of every graph; 16 only where overlapping pools need ScatterElements(reduction=add). */
export function opsetFor(arch: GqcnnArchitecture): number {
  return arch.conv.some((l) => l.poolSize > l.poolStride) ? 16 : 13;
}
