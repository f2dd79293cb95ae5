// The Pillow-exact bicubic resampler on small cases: the fixed-point coefficients against
// Pillow's (transcription checked against Image.resize in tools/goldens/pillow_goldens.py), and
// random tiny images, extreme ratios and 1-pixel sides against Pillow's output bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bicubicCoefficients, bicubicFilter } from '../../harness/engine/onnx/resize-coefficients.js';
import { resizeBicubicLikePillow, type ResizeImplementation } from '../../harness/engine/onnx/resize.js';
import { wasmKernels } from '../../harness/engine/onnx/resize-wasm.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'images');

interface CoefficientCase {
  inSize: number;
  outSize: number;
  ksize: number;
  bounds: [number, number][];
  coeffs: number[];
}
interface ResizeCase {
  w: number;
  h: number;
  outW: number;
  outH: number;
  input: string;
  output: string;
}

const goldens = JSON.parse(readFileSync(join(DIR, 'goldens.json'), 'utf8')) as { coefficientCases: CoefficientCase[]; resizeCases: ResizeCase[] };
const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

describe('bicubicCoefficients', () => {
  it('uses the cubic kernel with a = -0.5', () => {
    expect(bicubicFilter(0)).toBe(1);
    expect(bicubicFilter(0.5)).toBe(0.5625);
    expect(bicubicFilter(-0.5)).toBe(0.5625);
    expect(Math.abs(bicubicFilter(1))).toBe(0); // -0, as in C
    expect(bicubicFilter(1.5)).toBe(-0.0625);
    expect(bicubicFilter(2)).toBe(0);
  });

  it('4 -> 2 by hand (shrink by 2: support 4, window centred on (i + 0.5) * 2, cut at the edges)', () => {
    const c = bicubicCoefficients(4, 2);
    expect(c.ksize).toBe(9);
    expect([...c.starts]).toEqual([0, 0]);
    expect([...c.counts]).toEqual([4, 4]);
    // output 0: centre 1, taps at (x - 1 + 0.5) / 2 = -0.25, 0.25, 0.75, 1.25 -> 0.8671875,
    // 0.8671875, 0.2265625, -0.0703125; sum 1.890625; w / sum * 2^22 rounded half away from 0
    const want = [0.8671875, 0.8671875, 0.2265625, -0.0703125].map((w) => {
      const v = (w / 1.890625) * 2 ** 22;
      return v < 0 ? Math.trunc(v - 0.5) : Math.trunc(v + 0.5);
    });
    expect(want).toEqual([1923834, 1923834, 502623, -155987]);
    expect([...c.weights.subarray(0, 9)]).toEqual([...want, 0, 0, 0, 0, 0]);
  });

  it.each(goldens.coefficientCases)('$inSize -> $outSize matches Pillow', (g) => {
    const c = bicubicCoefficients(g.inSize, g.outSize);
    expect(c.ksize).toBe(g.ksize);
    expect([...c.starts]).toEqual(g.bounds.map((b) => b[0]));
    expect([...c.counts]).toEqual(g.bounds.map((b) => b[1]));
    expect([...c.weights]).toEqual(g.coeffs);
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => bicubicCoefficients(0, 3)).toThrow(RangeError);
    expect(() => bicubicCoefficients(3, 1.5)).toThrow(/positive integers/);
  });
});

const IMPLEMENTATIONS: ResizeImplementation[] = ['wasm', 'js'];

describe('resizeBicubicLikePillow', () => {
  it('has its WebAssembly SIMD kernels available on Node 20', () => {
    expect(wasmKernels()).not.toBeNull();
  });

  it.each(IMPLEMENTATIONS)(`matches Pillow on ${goldens.resizeCases.length} small RGB cases (random, black/white, extreme ratios): %s`, (impl) => {
    const failures: string[] = [];
    for (const g of goldens.resizeCases) {
      const got = resizeBicubicLikePillow(b64(g.input), g.w, g.h, g.outW, g.outH, 3, impl);
      const want = b64(g.output);
      if (Buffer.compare(Buffer.from(got), Buffer.from(want)) !== 0) failures.push(`${g.w}×${g.h} -> ${g.outW}×${g.outH}`);
    }
    expect(failures).toEqual([]);
  });

  it('returns a copy for an unchanged size', () => {
    const img = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const out = resizeBicubicLikePillow(img, 2, 1, 2, 1);
    expect([...out]).toEqual([...img]);
    expect(out).not.toBe(img);
  });

  it.each(IMPLEMENTATIONS)('handles 1-channel images like Pillow mode L (same per-channel arithmetic): %s', (impl) => {
    // the red channel of an RGB case, resized as one channel, equals the red channel of the RGB result
    const g = goldens.resizeCases.find((c) => c.w > 3 && c.h > 3 && c.outW !== c.w && c.outH !== c.h);
    if (!g) throw new Error('no 2-D resize case in goldens.json');
    const rgb = b64(g.input);
    const red = rgb.filter((_, i) => i % 3 === 0);
    const want = b64(g.output).filter((_, i) => i % 3 === 0);
    expect([...resizeBicubicLikePillow(red, g.w, g.h, g.outW, g.outH, 1, impl)]).toEqual([...want]);
  });

  it('rejects a buffer of the wrong length and bad sizes with clear errors', () => {
    expect(() => resizeBicubicLikePillow(new Uint8Array(5), 2, 1, 4, 4)).toThrow(/expected 2×1×3 = 6 bytes, got 5/);
    expect(() => resizeBicubicLikePillow(new Uint8Array(6), 2, 1, 0, 4)).toThrow(/outW must be a positive integer/);
    expect(() => resizeBicubicLikePillow(new Uint8Array(0), 0, 0, 4, 4)).toThrow(/width must be a positive integer/);
    expect(() => resizeBicubicLikePillow(new Uint8Array(10), 2, 1, 4, 4, 5)).toThrow(/1 to 4 channels/);
  });
});
