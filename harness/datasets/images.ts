// Image checks and decoding with sharp: header inspection with a 100-megapixel cap
// (decompression bombs), full-decode validation (corrupt or truncated bytes), raw RGB for engines,
// and the per-sample check the runner calls before sending a sample to a model.
import sharp, { type Metadata } from 'sharp';
import { errorMessage } from './errors.js';
import type { ImageRef, Sample } from './types.js';

/** Images above this many pixels are refused (decompression-bomb guard). */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** An image that cannot be used; `origin` says where its bytes came from. */
export class ImageError extends Error {
  constructor(
    readonly origin: string,
    message: string,
  ) {
    super(`${origin}: ${message}`);
    this.name = 'ImageError';
  }
}

export interface ImageInfo {
  width: number;
  height: number;
  /** sharp's format name: png, jpeg, webp, gif, tiff, … */
  format: string;
}

export interface RgbImage {
  /** width × height × 3 bytes, row-major RGB. */
  data: Buffer;
  width: number;
  height: number;
}

// failOn 'error': abort on truncated or corrupt pixel data (as PIL raises "image file is
// truncated"), tolerate libvips warnings that PIL ignores too.
const SHARP_OPTIONS = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' } as const;

function describeSharpError(err: unknown): string {
  const message = errorMessage(err);
  if (/exceeds pixel limit/i.test(message)) {
    return `the image is larger than ${MAX_IMAGE_PIXELS / 1e6} megapixels and is refused (decompression-bomb guard)`;
  }
  if (/unsupported image format/i.test(message)) return 'the bytes are not an image in a supported format (corrupt data or not an image)';
  if (/empty/i.test(message)) return 'the image has no bytes';
  return `the image cannot be decoded (${message}); the bytes are corrupt or truncated`;
}

/** Reads the header only: size and format, refusing images over MAX_IMAGE_PIXELS. */
export async function inspectImage(bytes: Uint8Array, origin: string): Promise<ImageInfo> {
  if (bytes.length === 0) throw new ImageError(origin, 'the image has no bytes');
  let meta: Metadata;
  try {
    // Header only (nothing is decoded), without sharp's limit so the message can give the size.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageError(origin, describeSharpError(err));
  }
  const { width, height, format } = meta;
  if (width === undefined || height === undefined || width <= 0 || height <= 0) {
    throw new ImageError(origin, 'the image header gives no size; the bytes are corrupt');
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ImageError(
      origin,
      `the image is ${width}×${height} = ${((width * height) / 1e6).toFixed(1)} megapixels, over the ${MAX_IMAGE_PIXELS / 1e6}-megapixel limit (decompression-bomb guard)`,
    );
  }
  return { width, height, format: String(format) };
}

/**
 * Decodes to raw 8-bit RGB like PIL's `convert('RGB')` (alpha dropped, not blended; grey and
 * palette expanded), refusing bombs and corrupt or truncated data (docs/cogvlm2.md §4).
 */
export async function decodeRgb(bytes: Uint8Array, origin: string): Promise<RgbImage> {
  await inspectImage(bytes, origin);
  try {
    const { data, info } = await sharp(bytes, SHARP_OPTIONS).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw new ImageError(origin, describeSharpError(err));
  }
}

/**
 * Checks one image: readable bytes, a size under the cap and, unless `decode` is false, a full
 * decode (catches truncated files, which a header read does not). Returns the reason or null.
 */
export async function checkImage(ref: ImageRef, opts: { decode?: boolean } = {}): Promise<string | null> {
  let bytes: Uint8Array;
  try {
    bytes = await ref.bytes();
  } catch (err) {
    const message = errorMessage(err);
    return message.startsWith(ref.origin) ? message : `${ref.origin}: ${message}`;
  }
  try {
    if (opts.decode === false) await inspectImage(bytes, ref.origin);
    else await decodeRgb(bytes, ref.origin);
    return null;
  } catch (err) {
    return errorMessage(err);
  }
}

/**
 * The runner's check before a sample is sent to a model: the reason its images cannot be used
 * (missing file, corrupt or truncated bytes, over 100 megapixels), or null when they are fine.
 * A sample with a reason is reported as failed and never scored.
 */
export async function checkSampleImages(sample: Pick<Sample, 'images'>, opts: { decode?: boolean } = {}): Promise<string | null> {
  if (sample.images.length === 0) return 'the sample has no image';
  for (const ref of sample.images) {
    const reason = await checkImage(ref, opts);
    if (reason !== null) return reason;
  }
  return null;
}
