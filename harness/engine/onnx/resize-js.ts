// The pure-JavaScript Pillow-exact bicubic resize (the reference and fallback of the WebAssembly
// kernels in resize-wasm.ts): a transcription of Pillow's ImagingResample for 8-bit images.
import { bicubicCoefficients, PRECISION_BITS, type ResampleCoefficients } from './resize-coefficients.js';

/** Pillow's rounding offset: accumulators start at 0.5 in fixed point. */
const HALF = 1 << (PRECISION_BITS - 1);

/**
 * Horizontal pass over input rows [rowFirst, rowFirst + rows): out has `rows` rows of
 * c.outSize pixels. Sums are clipped to 0..255 by the Uint8ClampedArray store of `s >> 22`
 * (Pillow's clip8: floor(s / 2^22) clamped).
 */
function horizontalPass(src: Uint8Array, width: number, channels: number, rowFirst: number, rows: number, c: ResampleCoefficients): Uint8ClampedArray {
  const outW = c.outSize;
  const out = new Uint8ClampedArray(rows * outW * channels);
  const { starts, counts, weights, ksize } = c;
  const inStride = width * channels;
  if (channels === 3) {
    let o = 0;
    for (let y = 0; y < rows; y++) {
      const rowBase = (y + rowFirst) * inStride;
      for (let xx = 0; xx < outW; xx++) {
        const n = counts[xx];
        const kb = xx * ksize;
        let p = rowBase + starts[xx] * 3;
        let s0 = HALF;
        let s1 = HALF;
        let s2 = HALF;
        for (let x = 0; x < n; x++) {
          const k = weights[kb + x];
          s0 += src[p] * k;
          s1 += src[p + 1] * k;
          s2 += src[p + 2] * k;
          p += 3;
        }
        out[o] = s0 >> PRECISION_BITS;
        out[o + 1] = s1 >> PRECISION_BITS;
        out[o + 2] = s2 >> PRECISION_BITS;
        o += 3;
      }
    }
    return out;
  }
  let o = 0;
  for (let y = 0; y < rows; y++) {
    const rowBase = (y + rowFirst) * inStride;
    for (let xx = 0; xx < outW; xx++) {
      const n = counts[xx];
      const kb = xx * ksize;
      const p0 = rowBase + starts[xx] * channels;
      for (let ch = 0; ch < channels; ch++) {
        let s = HALF;
        for (let x = 0, p = p0 + ch; x < n; x++, p += channels) s += src[p] * weights[kb + x];
        out[o++] = s >> PRECISION_BITS;
      }
    }
  }
  return out;
}

/**
 * Vertical pass: output row yy is the weighted sum of input rows starts[yy]-rowOffset … .
 * Accumulates whole rows at a time (sequential memory access); integer addition is
 * associative and the Int32Array wraps modulo 2^32, so the order does not change the result.
 */
function verticalPass(src: Uint8Array, rowLen: number, rowOffset: number, c: ResampleCoefficients): Uint8ClampedArray {
  const outH = c.outSize;
  const out = new Uint8ClampedArray(outH * rowLen);
  const acc = new Int32Array(rowLen);
  const { starts, counts, weights, ksize } = c;
  for (let yy = 0; yy < outH; yy++) {
    acc.fill(HALF);
    const n = counts[yy];
    const kb = yy * ksize;
    const first = starts[yy] - rowOffset;
    for (let y = 0; y < n; y++) {
      const k = weights[kb + y];
      const r = (first + y) * rowLen;
      for (let i = 0; i < rowLen; i++) acc[i] += src[r + i] * k;
    }
    const o = yy * rowLen;
    for (let i = 0; i < rowLen; i++) out[o + i] = acc[i] >> PRECISION_BITS;
  }
  return out;
}

/** Pillow-exact bicubic resize in plain JavaScript; arguments are checked by the caller (resize.ts). */
export function resizeBicubicJs(rgb: Uint8Array, width: number, height: number, outW: number, outH: number, channels: number): Uint8Array {
  const needHorizontal = outW !== width;
  const needVertical = outH !== height;
  const vert = bicubicCoefficients(height, outH);
  let tmp = rgb;
  let rowOffset = 0;
  if (needHorizontal) {
    const rowFirst = vert.starts[0];
    const rowLast = vert.starts[outH - 1] + vert.counts[outH - 1];
    const h = horizontalPass(rgb, width, channels, rowFirst, rowLast - rowFirst, bicubicCoefficients(width, outW));
    tmp = new Uint8Array(h.buffer, h.byteOffset, h.length);
    rowOffset = rowFirst;
  }
  if (!needVertical) return tmp;
  const out = verticalPass(tmp, outW * channels, rowOffset, vert);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
