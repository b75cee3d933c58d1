// Depth images and masks: row-major float32 metres (0 = missing) and uint8 masks, the types every stage shares.

export interface DepthImage {
  readonly width: number;
  readonly height: number;
  /** Row-major, `data[row * width + col]`, metres; 0 means no reading. */
  readonly data: Float32Array;
}

export interface Mask {
  readonly width: number;
  readonly height: number;
  /** Row-major, non-zero = inside. */
  readonly data: Uint8Array;
}

export function createDepthImage(width: number, height: number, data?: Float32Array): DepthImage {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0))
    throw new Error(`depth image size must be positive integers, got ${width}×${height}`);
  const d = data ?? new Float32Array(width * height);
  if (d.length !== width * height)
    throw new Error(`depth data has ${d.length} values, expected ${width}×${height} = ${width * height}`);
  return { width, height, data: d };
}

export function createMask(width: number, height: number, data?: Uint8Array): Mask {
  const d = data ?? new Uint8Array(width * height);
  if (d.length !== width * height)
    throw new Error(`mask data has ${d.length} values, expected ${width}×${height} = ${width * height}`);
  return { width, height, data: d };
}
