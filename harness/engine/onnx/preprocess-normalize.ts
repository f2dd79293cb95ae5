// CLIP normalisation of an RGB image into a CHW float32 tensor, with the float32 arithmetic of
// torchvision's ToTensor (uint8 -> float32, / 255) and Normalize ((x - mean) / std).

/** OpenAI CLIP mean and std (CogVLM2's EVA2-CLIP-E vision tower). */
export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

/**
 * The 3 × 256 float32 values a uint8 sample can become: fround(fround(fround(v / 255) - mean) / std).
 * Each step is one correctly rounded float32 operation, as torch does on CPU: a double result of
 * +, -, / on float32 operands rounded once to float32 equals the float32 operation (53 ≥ 2·24 + 2).
 */
export function clipLookup(mean: readonly number[] = CLIP_MEAN, std: readonly number[] = CLIP_STD): Float32Array {
  const lut = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const m = Math.fround(mean[c]);
    const s = Math.fround(std[c]);
    for (let v = 0; v < 256; v++) {
      const x = Math.fround(v / 255);
      lut[c * 256 + v] = Math.fround(Math.fround(x - m) / s);
    }
  }
  return lut;
}

const DEFAULT_LUT = clipLookup();

/**
 * HWC uint8 RGB -> CHW float32 [3, height, width], normalised with the CLIP mean/std
 * (torchvision `Normalize(mean, std)(ToTensor()(img))`, bit-identical).
 */
export function toClipTensor(rgb: Uint8Array, width: number, height: number, lut: Float32Array = DEFAULT_LUT): Float32Array {
  const n = width * height;
  if (rgb.length !== n * 3) throw new RangeError(`toClipTensor: expected ${width}×${height}×3 = ${n * 3} bytes, got ${rgb.length}`);
  if (lut.length !== 768) throw new RangeError(`toClipTensor: the lookup table must have 768 entries, got ${lut.length}`);
  const out = new Float32Array(3 * n);
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    out[i] = lut[rgb[p]];
    out[n + i] = lut[256 + rgb[p + 1]];
    out[2 * n + i] = lut[512 + rgb[p + 2]];
  }
  return out;
}
