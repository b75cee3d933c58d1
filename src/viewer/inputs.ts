// Reading what the user drops: depth (.npy or 16-bit PNG, with the library's own decoders), segmask and .intr,
// for display. The server validates everything again when planning.
import type { DepthImage, Mask } from '../image/depth-image.js';
import { decodeNpy } from '../image/npy.js';
import { readDepthPng16, readMaskPng, readPng } from '../image/png.js';

export interface Camera {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  width: number;
  height: number;
}

export type Dropped =
  | { kind: 'depth'; file: File; depth: DepthImage }
  | { kind: 'segmask'; file: File; mask: Mask }
  | { kind: 'intrinsics'; file: File; camera: Camera };

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;

/** What a file is, from its content: a .npy or 16-bit PNG is depth, another PNG a mask, JSON intrinsics. */
export async function readDropped(file: File, depthScale: number): Promise<Dropped> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes[0] === 0x93 && String.fromCharCode(...bytes.subarray(1, 6)) === 'NUMPY') {
    const arr = decodeNpy(bytes, file.name);
    if ((arr.dtype !== 'float32' && arr.dtype !== 'float64') || arr.shape.length < 2)
      throw new Error(`${file.name}: expected float depth of shape (H, W)`);
    const [height, width] = arr.shape;
    return {
      kind: 'depth',
      file,
      depth: { width, height, data: Float32Array.from(arr.data as Float32Array, (v) => (Number.isFinite(v) ? v : 0)) },
    };
  }
  if (isPng(bytes)) {
    const png = readPng(bytes, file.name);
    if (png.bitDepth === 16 && png.channels === 1)
      return { kind: 'depth', file, depth: readDepthPng16(bytes, file.name, depthScale) };
    return { kind: 'segmask', file, mask: readMaskPng(bytes, file.name) };
  }
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    throw new Error(`${file.name}: not a depth image (.npy, 16-bit PNG), mask (PNG) or intrinsics (.intr JSON)`);
  }
  const n = (k: string) => (typeof o[k] === 'number' ? (o[k] as number) : NaN);
  const camera = { fx: n('_fx'), fy: n('_fy'), cx: n('_cx'), cy: n('_cy'), width: n('_width'), height: n('_height') };
  if (Object.values(camera).some((v) => !Number.isFinite(v)))
    throw new Error(`${file.name}: intrinsics need _fx, _fy, _cx, _cy, _width and _height`);
  return { kind: 'intrinsics', file, camera };
}
