// CogVLM2's image preprocessing, bit-identical to the reference Python pipeline:
// PIL open + convert('RGB') -> torchvision Resize((1344, 1344), BICUBIC) (Pillow's resampler,
// aspect ratio not kept) -> ToTensor -> Normalize(CLIP mean, std); output CHW float32.
import { toRgbLikePillow, type RgbImage } from './preprocess-decode.js';
import { toClipTensor } from './preprocess-normalize.js';
import { resizeBicubicLikePillow } from './resize.js';

export { ImagePreprocessError, toRgbLikePillow, type RgbImage } from './preprocess-decode.js';
export { CLIP_MEAN, CLIP_STD, clipLookup, toClipTensor } from './preprocess-normalize.js';
export { resizeBicubicLikePillow } from './resize.js';

/** CogVLM2's vision input side (config.json vision_config.image_size). */
export const COGVLM2_IMAGE_SIZE = 1344;

/** RGB -> size × size with Pillow's bicubic resampler (torchvision Resize((size, size), BICUBIC) on a PIL image). */
export function resizeForCogvlm2(rgb: RgbImage, size = COGVLM2_IMAGE_SIZE): RgbImage {
  return { data: resizeBicubicLikePillow(rgb.data, rgb.width, rgb.height, size, size), width: size, height: size };
}

/**
 * Image bytes (PNG, JPEG, WebP) -> the CHW float32 tensor [3, size, size] that CogVLM2's
 * `build_conversation_input_ids` computes from `Image.open(f).convert('RGB')`. Throws
 * ImagePreprocessError (message starts with `origin`) for unsupported or damaged images.
 */
export async function preprocessForCogvlm2(bytes: Uint8Array, origin = 'image', size = COGVLM2_IMAGE_SIZE): Promise<Float32Array> {
  const resized = resizeForCogvlm2(await toRgbLikePillow(bytes, origin), size);
  return toClipTensor(resized.data, resized.width, resized.height);
}
