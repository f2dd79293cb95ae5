// Image checks: header inspection, the 100-megapixel refusal, corrupt and truncated bytes,
// PIL-like RGB decoding, and a dataset whose bad images fail their samples while the run goes on.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { bytesImage, fileImage } from '../../harness/datasets/image-refs.js';
import { ImageError, MAX_IMAGE_PIXELS, checkSampleImages, decodeRgb, inspectImage } from '../../harness/datasets/images.js';
import { openDataset } from '../../harness/datasets/open.js';
import { isSampleFailure, type Sample } from '../../harness/datasets/types.js';
import { bombPng, jpegImage, noisePng, pngImage, tempDir, writeParquet } from './fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir());
});
afterAll(async () => cleanup());

describe('inspectImage / decodeRgb', () => {
  it('reads size and format from the header', async () => {
    expect(await inspectImage(await pngImage(0, 30, 20), 'x.png')).toEqual({ width: 30, height: 20, format: 'png' });
    expect(await inspectImage(await jpegImage(1), 'x.jpg')).toMatchObject({ width: 21, height: 12, format: 'jpeg' });
  });

  it('refuses an image over 100 megapixels, giving its size', async () => {
    expect(MAX_IMAGE_PIXELS).toBe(100_000_000);
    const bomb = bombPng(10_001, 10_001);
    await expect(inspectImage(bomb, 'bomb.png')).rejects.toThrow(ImageError);
    await expect(inspectImage(bomb, 'bomb.png')).rejects.toThrow(/bomb\.png: .*100-megapixel|bomb\.png: .*larger than 100 megapixels/);
    // Exactly at the limit is allowed by the header check.
    await expect(inspectImage(bombPng(10_000, 10_000), 'edge.png')).resolves.toMatchObject({ width: 10_000, height: 10_000 });
  });

  it('refuses corrupt, empty and truncated bytes with a clear reason', async () => {
    await expect(inspectImage(Buffer.from('not an image at all'), 'junk')).rejects.toThrow(/junk: the bytes are not an image/);
    await expect(inspectImage(new Uint8Array(0), 'empty')).rejects.toThrow(/empty: the image has no bytes/);
    const png = await noisePng(64, 64);
    const half = png.subarray(0, Math.floor(png.length / 2));
    // The header survives a cut, so only a full decode notices.
    await expect(inspectImage(half, 'half.png')).resolves.toMatchObject({ width: 64 });
    await expect(decodeRgb(half, 'half.png')).rejects.toThrow(/half\.png: the image cannot be decoded .* corrupt or truncated/);
  });

  it('decodes to RGB, dropping alpha and expanding grey like PIL convert("RGB")', async () => {
    const rgba = await sharp({ create: { width: 2, height: 1, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } }).png().toBuffer();
    const rgb = await decodeRgb(rgba, 'rgba.png');
    expect({ w: rgb.width, h: rgb.height, data: [...rgb.data] }).toEqual({ w: 2, h: 1, data: [10, 20, 30, 10, 20, 30] });
    const grey = await sharp(Buffer.from([7, 200]), { raw: { width: 2, height: 1, channels: 1 } }).png().toBuffer();
    expect([...(await decodeRgb(grey, 'grey.png')).data]).toEqual([7, 7, 7, 200, 200, 200]);
  });
});

describe('checkSampleImages', () => {
  it('returns null for good images and the reason otherwise', async () => {
    const good = { images: [bytesImage(await pngImage(2), 'good.png')] };
    expect(await checkSampleImages(good)).toBeNull();
    expect(await checkSampleImages({ images: [bytesImage(bombPng(20_000, 6_000), 'big.png')] })).toMatch(/big\.png: the image is 20000×6000 = 120\.0 megapixels/);
    expect(await checkSampleImages({ images: [fileImage([join(root, 'missing.jpg')])] })).toMatch(/missing\.jpg: image file not found/);
    expect(await checkSampleImages({ images: [] })).toBe('the sample has no image');
  });
});

describe('a dataset with bad images', () => {
  it('streams every sample; the runner check fails the bad ones and the others go on', async () => {
    const good = await pngImage(3);
    const png = await noisePng(48, 48);
    const images = [good, Buffer.from('garbage bytes'), png.subarray(0, png.length - 200), bombPng(12_000, 12_000), good];
    const dir = join(root, 'bad-images');
    await writeParquet(
      join(dir, 'data', 'validation-00000-of-00001.parquet'),
      [
        { name: 'question_id', kind: 'int64' },
        { name: 'question', kind: 'string' },
        { name: 'answers', kind: 'strings' },
        { name: 'image', kind: 'image' },
      ],
      images.map((image, i) => ({ question_id: i, question: `q${i}?`, answers: ['a'], image })),
    );
    const ds = await openDataset({ bench: 'textvqa', source: 'hf', dataDir: dir });
    const verdicts: (string | null)[] = [];
    for await (const s of ds.samples()) {
      expect(isSampleFailure(s)).toBe(false);
      verdicts.push(await checkSampleImages(s as Sample));
    }
    expect(verdicts[0]).toBeNull();
    expect(verdicts[1]).toMatch(/row 1 column image: the bytes are not an image/);
    expect(verdicts[2]).toMatch(/row 2 column image: the image cannot be decoded .* truncated/);
    expect(verdicts[3]).toMatch(/row 3 column image: the image is 12000×12000 = 144\.0 megapixels, over the 100-megapixel limit/);
    expect(verdicts[4]).toBeNull();
  });
});
