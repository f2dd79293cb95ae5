// Pillow parity of the onnx engine's image preprocessing on the committed test images: RGB
// decoding (PIL convert('RGB')), the 1344×1344 bicubic resize and the CLIP tensor must hash to
// the goldens computed with Pillow (tools/goldens/pillow_goldens.py).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COGVLM2_IMAGE_SIZE,
  ImagePreprocessError,
  preprocessForCogvlm2,
  resizeBicubicLikePillow,
  resizeForCogvlm2,
  toClipTensor,
  toRgbLikePillow,
} from '../../harness/engine/onnx/preprocess.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'images');

interface ImageGolden {
  file: string;
  format: string;
  pilMode: string;
  width: number;
  height: number;
  rgbSha256: string;
  resizedSha256: string;
  tensorSha256: string;
  tensorChannelSums: number[];
}

const goldens = JSON.parse(readFileSync(join(DIR, 'goldens.json'), 'utf8')) as { size: number; images: ImageGolden[] };

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const bytesOf = (f: Float32Array): Uint8Array => new Uint8Array(f.buffer, f.byteOffset, f.byteLength);

describe('preprocessing goldens', () => {
  it('cover the image kinds the issue asks for (at least 12 images)', () => {
    expect(goldens.size).toBe(COGVLM2_IMAGE_SIZE);
    expect(goldens.images.length).toBeGreaterThanOrEqual(12);
    const modes = new Set(goldens.images.map((g) => g.pilMode));
    for (const m of ['RGB', 'RGBA', 'P', 'L', 'LA', '1', 'I', 'CMYK']) expect(modes, m).toContain(m);
    const up = goldens.images.filter((g) => g.width < 1344 && g.height < 1344);
    const down = goldens.images.filter((g) => g.width > 1344 && g.height > 1344);
    const thin = goldens.images.filter((g) => g.width === 1 || g.height === 1);
    expect(up.length).toBeGreaterThan(0);
    expect(down.length).toBeGreaterThan(0);
    expect(thin.length).toBeGreaterThanOrEqual(2);
    // float32 bytes are hashed little-endian, as numpy '<f4' writes them
    expect(endianness()).toBe('LE');
  });
});

describe.each(goldens.images)('$file ($pilMode $width×$height)', (g) => {
  it('is bit-identical to PIL convert(RGB), resize((1344, 1344), BICUBIC) and ToTensor+Normalize', async () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, g.file)));
    const rgb = await toRgbLikePillow(bytes, g.file);
    expect([rgb.width, rgb.height]).toEqual([g.width, g.height]);
    expect(rgb.data.length).toBe(g.width * g.height * 3);
    expect(sha256(rgb.data), 'RGB bytes differ from PIL convert(RGB)').toBe(g.rgbSha256);

    const resized = resizeForCogvlm2(rgb);
    expect(sha256(resized.data), 'resized bytes differ from Pillow BICUBIC').toBe(g.resizedSha256);
    const js = resizeBicubicLikePillow(rgb.data, rgb.width, rgb.height, 1344, 1344, 3, 'js');
    expect(sha256(js), 'the JavaScript resize path differs from Pillow BICUBIC').toBe(g.resizedSha256);

    const tensor = toClipTensor(resized.data, resized.width, resized.height);
    expect(tensor.length).toBe(3 * 1344 * 1344);
    const n = 1344 * 1344;
    const sums = [0, 1, 2].map((c) => tensor.subarray(c * n, (c + 1) * n).reduce((a, v) => a + v, 0));
    // diagnostic only (summation order differs from numpy's): the hash below is the real check
    for (let c = 0; c < 3; c++) expect(Math.abs(sums[c] - g.tensorChannelSums[c])).toBeLessThan(1e-6 * Math.max(1, Math.abs(g.tensorChannelSums[c])));
    expect(sha256(bytesOf(tensor)), 'tensor differs from torchvision ToTensor+Normalize').toBe(g.tensorSha256);
  });
});

describe('preprocessForCogvlm2', () => {
  it('chains decode, resize and normalise into the golden tensor', async () => {
    const g = goldens.images.find((x) => x.file.startsWith('jpeg420_'));
    if (!g) throw new Error('goldens.json lacks the baseline 4:2:0 JPEG');
    const tensor = await preprocessForCogvlm2(new Uint8Array(readFileSync(join(DIR, g.file))), g.file);
    expect(sha256(bytesOf(tensor))).toBe(g.tensorSha256);
  });

  it('rejects formats whose PIL equivalence is not verified, naming the origin and what to do', async () => {
    const gif = new Uint8Array([...Buffer.from('GIF89a'), 1, 0, 1, 0, 0, 0, 0, 0x3b]);
    const err = await toRgbLikePillow(gif, 'sample 17 image 0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagePreprocessError);
    expect((err as Error).message).toMatch(/^sample 17 image 0: GIF images are not supported.*convert the image losslessly to PNG/);
    await expect(toRgbLikePillow(new Uint8Array([1, 2, 3, 4]), 'x.bin')).rejects.toThrow(/x\.bin: unrecognised/);
  });

  it('fails on truncated PNG and JPEG files instead of returning a partial image (PIL raises too)', async () => {
    for (const file of ['up_rgb_300x200.png', 'jpeg420_333x251.jpg']) {
      const whole = readFileSync(join(DIR, file));
      const cut = new Uint8Array(whole.subarray(0, Math.floor(whole.length / 2)));
      const err = await toRgbLikePillow(cut, file).catch((e: unknown) => e);
      expect(err, file).toBeInstanceOf(ImagePreprocessError);
      expect((err as Error).message).toMatch(new RegExp(`^${file.replace('.', '\\.')}: cannot decode this (PNG|JPEG) image .*damaged or truncated`));
    }
  });

  it('rejects a PNG whose first chunk is not IHDR', async () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, 'up_rgb_300x200.png')));
    bytes.set([0x61, 0x62, 0x63, 0x64], 12);
    await expect(toRgbLikePillow(bytes, 'bad.png')).rejects.toThrow(/bad\.png: PNG without an IHDR chunk/);
  });
});
