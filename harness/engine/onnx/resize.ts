// Pillow-exact bicubic resize of 8-bit interleaved images: bit-identical to Pillow's
// `Image.resize((outW, outH), Image.BICUBIC)` (ImagingResample in src/libImaging/Resample.c).
// Runs on WebAssembly SIMD kernels (resize-wasm.ts), or in plain JavaScript (resize-js.ts) where
// WebAssembly SIMD is unavailable; both give the same bytes.
import { resizeBicubicJs } from './resize-js.js';
import { resizeBicubicWasm, wasmKernels } from './resize-wasm.js';

export type ResizeImplementation = 'auto' | 'wasm' | 'js';

function checkArgs(rgb: Uint8Array, width: number, height: number, outW: number, outH: number, channels: number): void {
  const sizes = [['width', width], ['height', height], ['outW', outW], ['outH', outH], ['channels', channels]] as const;
  for (const [name, v] of sizes) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`resizeBicubicLikePillow: ${name} must be a positive integer, got ${v}`);
  }
  if (channels > 4) throw new RangeError(`resizeBicubicLikePillow: 1 to 4 channels are supported, got ${channels}`);
  if (rgb.length !== width * height * channels) {
    throw new RangeError(`resizeBicubicLikePillow: expected ${width}×${height}×${channels} = ${width * height * channels} bytes, got ${rgb.length}`);
  }
}

/**
 * Resizes an interleaved 8-bit image (HWC, `channels` bytes per pixel, 3 = RGB) with Pillow's
 * bicubic resampler. Bit-identical to `img.resize((outW, outH), Image.BICUBIC)` for a PIL image of
 * mode RGB (channels 3) or L (channels 1): separable, horizontal pass first over only the input rows
 * the vertical pass reads, 8-bit clipping between the passes, a pass skipped when its axis keeps its
 * size. The aspect ratio is not kept (it is whatever outW/outH say). Returns a new array.
 * `implementation` forces one code path ('wasm' throws where WebAssembly SIMD is unavailable).
 */
export function resizeBicubicLikePillow(
  rgb: Uint8Array,
  width: number,
  height: number,
  outW: number,
  outH: number,
  channels = 3,
  implementation: ResizeImplementation = 'auto',
): Uint8Array {
  checkArgs(rgb, width, height, outW, outH, channels);
  if (width === outW && height === outH) return rgb.slice();
  if (implementation === 'js') return resizeBicubicJs(rgb, width, height, outW, outH, channels);
  const k = wasmKernels();
  const out = k ? resizeBicubicWasm(k, rgb, width, height, outW, outH, channels) : null;
  if (out) return out;
  if (implementation === 'wasm') {
    throw new Error(`resizeBicubicLikePillow: ${k ? `the WebAssembly memory cannot hold a ${width}×${height} image` : 'WebAssembly SIMD is not available in this runtime'}`);
  }
  return resizeBicubicJs(rgb, width, height, outW, outH, channels);
}
