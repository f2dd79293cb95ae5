// Image bytes -> 8-bit RGB exactly as PIL's `Image.open(f).convert('RGB')` (Pillow 9.4) produces
// them: sharp (libvips) decodes, and Pillow's own mode rules and conversion formulas are applied
// to the raw decoded samples (alpha dropped, not blended; palette looked up; gray replicated;
// 16-bit RGB/LA high byte; 16-bit gray clipped at 255; CMYK by Pillow's cmyk2rgb; ICC profiles and
// EXIF orientation ignored). Formats verified byte-identical: PNG, JPEG, WebP.
import sharp from 'sharp';
import { padPaletteLikePillow } from './png-palette.js';

/** An image that cannot be turned into Pillow-identical RGB; the message says why and what to do. */
export class ImagePreprocessError extends Error {
  constructor(
    message: string,
    readonly origin: string,
  ) {
    super(`${origin}: ${message}`);
    this.name = 'ImagePreprocessError';
  }
}

/** Interleaved 8-bit RGB, rows top to bottom (HWC), `data.length === width * height * 3`. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

type Format = 'png' | 'jpeg' | 'webp';

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[offset + i] !== prefix[i]) return false;
  return true;
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format from magic bytes, or a description of the unsupported one. */
function sniff(bytes: Uint8Array): Format | { unsupported: string } {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, ascii('GIF8'))) return { unsupported: 'GIF' };
  if (startsWith(bytes, ascii('BM'))) return { unsupported: 'BMP' };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return { unsupported: 'TIFF' };
  if (startsWith(bytes, ascii('ftyp'), 4)) return { unsupported: 'HEIF/AVIF' };
  return { unsupported: 'unrecognised (not PNG, JPEG or WebP magic bytes)' };
}

/** PNG IHDR bit depth and colour type: they decide Pillow's mode (sharp's metadata does not suffice: it turns tRNS into alpha). */
function pngHeader(bytes: Uint8Array, origin: string): { bitDepth: number; colorType: number } {
  // signature (8) + length (4) + "IHDR" (4) + width (4) + height (4) + depth (1) + colour type (1)
  if (bytes.length < 26 || !startsWith(bytes, ascii('IHDR'), 12)) {
    throw new ImagePreprocessError('PNG without an IHDR chunk at the start: the file is damaged; re-download it', origin);
  }
  return { bitDepth: bytes[24], colorType: bytes[25] };
}

/** sharp options: ICC profiles ignored (PIL does no colour management), warnings tolerated as libjpeg/PIL do, truncation fatal as in PIL. */
const SHARP_INPUT = { ignoreIcc: true, failOn: 'truncated' } as const;

interface Raw8 {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

async function raw8(bytes: Uint8Array, colourspace: 'srgb' | 'b-w' | 'cmyk'): Promise<Raw8> {
  let pipeline = sharp(bytes, SHARP_INPUT);
  if (colourspace === 'cmyk') pipeline = pipeline.pipelineColourspace('cmyk'); // no ICC CMYK->sRGB transform
  const { data, info } = await pipeline.toColourspace(colourspace).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels };
}

interface Raw16 {
  data: Uint16Array;
  width: number;
  height: number;
  channels: number;
}

async function raw16(bytes: Uint8Array, colourspace: 'rgb16' | 'grey16'): Promise<Raw16> {
  const { data, info } = await sharp(bytes, SHARP_INPUT).toColourspace(colourspace).raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  // Native-endian uint16 samples; copy when the Buffer is not 2-byte aligned.
  const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data);
  return { data: new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.length / 2), width: info.width, height: info.height, channels: info.channels };
}

function checkSize(r: { data: { length: number }; width: number; height: number; channels: number }, origin: string): void {
  if (r.data.length !== r.width * r.height * r.channels) {
    throw new ImagePreprocessError(`decoder returned ${r.data.length} samples for ${r.width}×${r.height}×${r.channels}`, origin);
  }
}

/** The first three channels (RGB of RGB/RGBA): Pillow drops alpha without blending. */
function firstThree(r: Raw8): Uint8Array {
  if (r.channels === 3) return r.data;
  const n = r.width * r.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0, p = 0; i < n; i++, p += r.channels) {
    out[i * 3] = r.data[p];
    out[i * 3 + 1] = r.data[p + 1];
    out[i * 3 + 2] = r.data[p + 2];
  }
  return out;
}

/** Channel 0 replicated into R, G and B, after `map` (identity, high byte, clip to 255). */
function grayToRgb(data: ArrayLike<number>, n: number, channels: number, map: (v: number) => number): Uint8Array {
  const out = new Uint8Array(n * 3);
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    const v = map(data[p]);
    out[i * 3] = v;
    out[i * 3 + 1] = v;
    out[i * 3 + 2] = v;
  }
  return out;
}

/** Pillow's cmyk2rgb (Convert.c): nk = 255 - k; each of R, G, B = nk - MULDIV255(c, nk). */
function cmykToRgb(r: Raw8): Uint8Array {
  const n = r.width * r.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0, p = 0; i < n; i++, p += r.channels) {
    const nk = 255 - r.data[p + 3];
    for (let c = 0; c < 3; c++) {
      const t = r.data[p + c] * nk + 128;
      out[i * 3 + c] = nk - (((t >> 8) + t) >> 8);
    }
  }
  return out;
}

/**
 * Decodes image bytes to RGB exactly as `PIL.Image.open(f).convert('RGB')` (Pillow 9.4, Debian
 * bookworm's python3-pil) does. `origin` (a file name or sample id) prefixes every error message.
 * Throws ImagePreprocessError for formats whose PIL equivalence is not verified (GIF, BMP, TIFF,
 * HEIF, …) and for damaged or truncated files — never a silently different image.
 */
export async function toRgbLikePillow(bytes: Uint8Array, origin = 'image'): Promise<RgbImage> {
  const format = sniff(bytes);
  if (typeof format !== 'string') {
    throw new ImagePreprocessError(
      `${format.unsupported} images are not supported by the Pillow-exact preprocessing (verified byte-identical to PIL: PNG, JPEG, WebP); ` +
        `convert the image losslessly to PNG with PIL (Image.open(f).convert('RGB').save('x.png')) and use that`,
      origin,
    );
  }
  try {
    return await decode(bytes, format, origin);
  } catch (err) {
    if (err instanceof ImagePreprocessError) throw err;
    const why = err instanceof Error ? err.message.trim().split('\n')[0] : String(err);
    throw new ImagePreprocessError(`cannot decode this ${format.toUpperCase()} image (${why}); the file is damaged or truncated: re-download it`, origin);
  }
}

async function decode(bytes: Uint8Array, format: Format, origin: string): Promise<RgbImage> {
  if (format === 'png') {
    const { bitDepth, colorType } = pngHeader(bytes, origin);
    if (bitDepth === 16) {
      if (colorType === 0) {
        // PIL opens 16-bit gray as mode I; I -> RGB clips each value to 0..255 (so most pixels
        // become white). A tRNS colour does not change that (sharp would add an alpha band).
        const r = await raw16(bytes, 'grey16');
        checkSize(r, origin);
        return { data: grayToRgb(r.data, r.width * r.height, r.channels, (v) => (v > 255 ? 255 : v)), width: r.width, height: r.height };
      }
      if (colorType === 4) {
        // PIL unpacks 16-bit gray+alpha with rawmode LA;16B: the high byte of each sample.
        const r = await raw16(bytes, 'grey16');
        checkSize(r, origin);
        return { data: grayToRgb(r.data, r.width * r.height, r.channels, (v) => v >>> 8), width: r.width, height: r.height };
      }
      if (colorType === 2 || colorType === 6) {
        // PIL unpacks 16-bit RGB(A) with rawmode RGB;16B / RGBA;16B: the high byte of each sample.
        const r = await raw16(bytes, 'rgb16');
        checkSize(r, origin);
        const n = r.width * r.height;
        const out = new Uint8Array(n * 3);
        for (let i = 0, p = 0; i < n; i++, p += r.channels) {
          out[i * 3] = r.data[p] >>> 8;
          out[i * 3 + 1] = r.data[p + 1] >>> 8;
          out[i * 3 + 2] = r.data[p + 2] >>> 8;
        }
        return { data: out, width: r.width, height: r.height };
      }
      throw new ImagePreprocessError(`PNG with bit depth 16 and colour type ${colorType} is invalid; re-encode the image`, origin);
    }
    if (colorType === 0 || colorType === 4) {
      // 1/2/4/8-bit gray (PIL modes 1, L, LA): libspng scales low bit depths to 0..255 as PIL does.
      const r = await raw8(bytes, 'b-w');
      checkSize(r, origin);
      return { data: grayToRgb(r.data, r.width * r.height, r.channels, (v) => v), width: r.width, height: r.height };
    }
    // RGB, RGBA, palette (looked up, tRNS -> alpha, dropped; entries missing from PLTE as Pillow has them)
    const r = await raw8(colorType === 3 ? padPaletteLikePillow(bytes) : bytes, 'srgb');
    checkSize(r, origin);
    return { data: firstThree(r), width: r.width, height: r.height };
  }
  const meta = await sharp(bytes, SHARP_INPUT).metadata();
  if (format === 'jpeg' && meta.space === 'cmyk') {
    // PIL decodes 4-component JPEGs as CMYK with rawmode CMYK;I (Adobe inversion); libvips
    // inverts the same way (checked with and without the Adobe APP14 marker); then cmyk2rgb.
    const r = await raw8(bytes, 'cmyk');
    checkSize(r, origin);
    if (r.channels !== 4) throw new ImagePreprocessError(`CMYK JPEG decoded to ${r.channels} channels instead of 4`, origin);
    return { data: cmykToRgb(r), width: r.width, height: r.height };
  }
  if (meta.space === 'b-w') {
    const r = await raw8(bytes, 'b-w');
    checkSize(r, origin);
    return { data: grayToRgb(r.data, r.width * r.height, r.channels, (v) => v), width: r.width, height: r.height };
  }
  if (meta.space === 'srgb') {
    const r = await raw8(bytes, 'srgb');
    checkSize(r, origin);
    return { data: firstThree(r), width: r.width, height: r.height };
  }
  throw new ImagePreprocessError(
    `${format.toUpperCase()} in colour space ${meta.space ?? 'unknown'} is not supported by the Pillow-exact preprocessing; convert it to an 8-bit RGB PNG with PIL`,
    origin,
  );
}
