// Pillow's bicubic resampling coefficients (precompute_coeffs + normalize_coeffs_8bpc in
// Pillow's src/libImaging/Resample.c), computed with the same double arithmetic, so that the
// integer weights are bit-identical to Pillow's.

/** Pillow's fixed-point precision for 8-bit images: 32 - 8 - 2 = 22 bits. */
export const PRECISION_BITS = 22;

/** The fixed-point weights of one axis: output pixel i reads `counts[i]` input pixels from `starts[i]`. */
export interface ResampleCoefficients {
  inSize: number;
  outSize: number;
  /** Weights stored per output pixel (Pillow's ksize: ceil(support) * 2 + 1). */
  ksize: number;
  /** First input pixel of each output pixel's window. */
  starts: Int32Array;
  /** Number of input pixels in each window (≤ ksize). */
  counts: Int32Array;
  /** outSize × ksize weights in 22-bit fixed point; unused slots are 0. */
  weights: Int32Array;
}

/** Pillow's bicubic_filter: the cubic convolution kernel with a = -0.5, support 2. */
export function bicubicFilter(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

const BICUBIC_SUPPORT = 2;

/**
 * The fixed-point bicubic weights for resizing one axis from `inSize` to `outSize` pixels, as
 * Pillow computes them for `Image.resize(size, BICUBIC)` without a box (box = whole image):
 * scale = in/out; the kernel is stretched by the scale when shrinking; each output pixel's
 * window is centred on (i + 0.5) · scale; weights are normalised to sum 1, then rounded half away
 * from zero to 22-bit fixed point.
 */
export function bicubicCoefficients(inSize: number, outSize: number): ResampleCoefficients {
  if (!Number.isInteger(inSize) || !Number.isInteger(outSize) || inSize < 1 || outSize < 1) {
    throw new RangeError(`bicubicCoefficients: sizes must be positive integers, got ${inSize} -> ${outSize}`);
  }
  // C: filterscale = scale = (double)(in1 - in0) / outSize, with in0 = 0.0f and in1 = (float)inSize.
  const scale = Math.fround(inSize) / outSize;
  const filterscale = scale < 1 ? 1 : scale;
  const support = BICUBIC_SUPPORT * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const starts = new Int32Array(outSize);
  const counts = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterscale;
  const one = 1 << PRECISION_BITS;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubicFilter((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    const base = xx * ksize;
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? k[x] / ww : k[x];
      weights[base + x] = w < 0 ? Math.trunc(-0.5 + w * one) : Math.trunc(0.5 + w * one);
    }
    starts[xx] = xmin;
    counts[xx] = xmax;
  }
  return { inSize, outSize, ksize, starts, counts, weights };
}
