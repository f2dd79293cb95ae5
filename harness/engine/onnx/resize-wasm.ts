// Runs the Pillow-exact resampler on the WebAssembly SIMD kernels of resize-wasm-module.ts: lays
// out coefficients and image buffers in the module's memory (grown as needed, reused between
// calls), then runs the horizontal and vertical passes exactly as Pillow's ImagingResample does.
import { bicubicCoefficients, type ResampleCoefficients } from './resize-coefficients.js';
import { resizeWasmBytes } from './resize-wasm-module.js';

import type { WasmApi, WasmMemory } from '../../util/wasm-encode.js';
interface Kernels {
  memory: WasmMemory;
  hpass: (src: number, stride: number, rows: number, dst: number, outW: number, starts: number, counts: number, weights: number, kbytes: number, channels: number) => void;
  vpass: (src: number, rowLen: number, outH: number, dst: number, starts: number, counts: number, weights: number, kbytes: number) => void;
}

/** Bytes after each image buffer that the kernels may read or write past its end. */
const SLACK = 16;
const PAGE = 65536;
/** Memory above this is given back after a call (the instance is dropped and re-made when next needed). */
const KEEP_BYTES = 256 * 2 ** 20;

let kernels: Kernels | null | undefined;

/** The instantiated kernels, or null where WebAssembly SIMD is unavailable (then resize.ts uses JavaScript). */
export function wasmKernels(): Kernels | null {
  if (kernels !== undefined) return kernels;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return (kernels = null);
  try {
    const e = new wasm.Instance(new wasm.Module(resizeWasmBytes())).exports;
    if (!(e.mem instanceof wasm.Memory) || typeof e.hpass !== 'function' || typeof e.vpass !== 'function') throw new Error('missing exports');
    kernels = { memory: e.mem, hpass: e.hpass as Kernels['hpass'], vpass: e.vpass as Kernels['vpass'] };
  } catch {
    kernels = null;
  }
  return kernels;
}

/** A bump allocator over the module memory for one call (16-byte aligned regions). */
class Layout {
  size = 0;
  alloc(bytes: number): number {
    const at = this.size;
    this.size = at + Math.ceil((bytes + SLACK) / 16) * 16;
    return at;
  }
}

interface PlacedCoefficients {
  starts: number;
  counts: number;
  weights: number;
  kbytes: number;
}

function placeCoefficients(layout: Layout, c: ResampleCoefficients): PlacedCoefficients & { c: ResampleCoefficients } {
  return { c, starts: layout.alloc(c.outSize * 4), counts: layout.alloc(c.outSize * 4), weights: layout.alloc(c.weights.length * 4), kbytes: c.ksize * 4 };
}

function writeCoefficients(buffer: ArrayBuffer, at: PlacedCoefficients, c: ResampleCoefficients, startScale: number, startShift: number): void {
  const starts = new Int32Array(buffer, at.starts, c.outSize);
  for (let i = 0; i < c.outSize; i++) starts[i] = (c.starts[i] - startShift) * startScale;
  new Int32Array(buffer, at.counts, c.outSize).set(c.counts);
  new Int32Array(buffer, at.weights, c.weights.length).set(c.weights);
}

/**
 * Pillow-exact bicubic resize on the WebAssembly kernels; arguments are checked by the caller
 * (resize.ts). Returns null when the module memory cannot grow enough (the caller then uses the
 * JavaScript path).
 */
export function resizeBicubicWasm(k: Kernels, rgb: Uint8Array, width: number, height: number, outW: number, outH: number, channels: number): Uint8Array | null {
  if (channels > 4) throw new RangeError(`resizeBicubicWasm: at most 4 channels, got ${channels}`);
  const needHorizontal = outW !== width;
  const needVertical = outH !== height;
  const vert = bicubicCoefficients(height, outH);
  const horiz = needHorizontal ? bicubicCoefficients(width, outW) : undefined;
  const rowFirst = needHorizontal ? vert.starts[0] : 0;
  const rowLast = needHorizontal ? vert.starts[outH - 1] + vert.counts[outH - 1] : height;
  const tmpRows = rowLast - rowFirst;

  const layout = new Layout();
  const vc = placeCoefficients(layout, vert);
  const hc = horiz ? placeCoefficients(layout, horiz) : undefined;
  const src = layout.alloc(rgb.length);
  const tmp = needHorizontal ? layout.alloc(outW * tmpRows * channels) : src;
  const dst = needVertical ? layout.alloc(outW * outH * channels) : tmp;
  const have = k.memory.buffer.byteLength;
  if (layout.size > have) {
    try {
      k.memory.grow(Math.ceil((layout.size - have) / PAGE));
    } catch {
      return null; // beyond what a 32-bit WebAssembly memory (or the engine) allows
    }
  }
  const buffer = k.memory.buffer; // after grow: the old ArrayBuffer is detached

  new Uint8Array(buffer, src, rgb.length).set(rgb);
  const stride = width * channels;
  if (hc && horiz) {
    writeCoefficients(buffer, hc, horiz, channels, 0);
    k.hpass(src + rowFirst * stride, stride, tmpRows, tmp, outW, hc.starts, hc.counts, hc.weights, hc.kbytes, channels);
  }
  if (needVertical) {
    const rowLen = outW * channels;
    writeCoefficients(buffer, vc, vert, rowLen, rowFirst);
    k.vpass(tmp, rowLen, outH, dst, vc.starts, vc.counts, vc.weights, vc.kbytes);
  }
  const out = new Uint8Array(buffer, dst, outW * outH * channels).slice();
  if (buffer.byteLength > KEEP_BYTES && kernels === k) kernels = undefined;
  return out;
}
