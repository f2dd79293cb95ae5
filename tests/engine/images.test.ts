// Image format sniffing on real encoder output, and lossless data URIs.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { imageDataUri, sniffImageMime } from '../../harness/engine/openai/image-mime.js';

async function encoded(format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff'): Promise<Uint8Array> {
  const raw = Buffer.alloc(8 * 6 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 256;
  return new Uint8Array(await sharp(raw, { raw: { width: 8, height: 6, channels: 3 } }).toFormat(format).toBuffer());
}

/** A 2x1 24-bit BMP written by hand (sharp cannot write BMP). */
function bmp(): Uint8Array {
  const b = Buffer.alloc(62);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(62, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(2, 18);
  b.writeInt32LE(1, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(8, 34);
  return new Uint8Array(b);
}

describe('sniffImageMime', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
    ['gif', 'image/gif'],
    ['tiff', 'image/tiff'],
  ] as const)('recognises %s written by sharp', async (format, mime) => {
    expect(sniffImageMime(await encoded(format))).toBe(mime);
  });

  it('recognises BMP and rejects other bytes', () => {
    expect(sniffImageMime(bmp())).toBe('image/bmp');
    expect(sniffImageMime(new TextEncoder().encode('<html>not an image</html>'))).toBeUndefined();
    expect(sniffImageMime(new Uint8Array([0xff, 0xd8]))).toBeUndefined();
    expect(sniffImageMime(new Uint8Array(0))).toBeUndefined();
  });
});

describe('imageDataUri', () => {
  it('carries the original bytes unchanged, also for a view into a larger buffer', async () => {
    const png = await encoded('png');
    const padded = new Uint8Array(png.length + 10);
    padded.set(png, 5);
    const view = padded.subarray(5, 5 + png.length);
    const uri = imageDataUri(view, 'image/png');
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    expect(Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64').equals(Buffer.from(png))).toBe(true);
  });
});
