// Palette PNGs whose pixels index past the end of their PLTE chunk (out of spec, but Pillow opens
// them): Pillow starts every palette as the grey ramp (entry i = (i, i, i), ImagingPaletteNew) and
// overwrites only the entries PLTE gives, so a missing entry i decodes to (i, i, i). libvips would
// give black; padding PLTE with the same ramp before decoding makes both agree.
import { crc32 } from 'node:zlib';

const SIGNATURE_LENGTH = 8;

interface Chunk {
  type: string;
  start: number; // offset of the length field
  dataStart: number;
  dataEnd: number; // offset of the CRC
}

function chunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let p = SIGNATURE_LENGTH; p + 12 <= png.length; ) {
    const length = view.getUint32(p);
    const type = String.fromCharCode(png[p + 4], png[p + 5], png[p + 6], png[p + 7]);
    const dataStart = p + 8;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > png.length) break; // truncated: left to the decoder to report
    out.push({ type, start: p, dataStart, dataEnd });
    if (type === 'IEND') break;
    p = dataEnd + 4;
  }
  return out;
}

/**
 * `png` with its PLTE padded to 2^bitDepth entries with Pillow's default (grey ramp) entries, or
 * `png` itself when it is not a palette PNG or its palette is already complete.
 */
export function padPaletteLikePillow(png: Uint8Array): Uint8Array {
  const list = chunks(png);
  const ihdr = list[0];
  if (ihdr?.type !== 'IHDR' || ihdr.dataEnd - ihdr.dataStart < 13) return png;
  const bitDepth = png[ihdr.dataStart + 8];
  const colorType = png[ihdr.dataStart + 9];
  if (colorType !== 3) return png;
  const plte = list.find((c) => c.type === 'PLTE');
  if (!plte) return png;
  const given = Math.floor((plte.dataEnd - plte.dataStart) / 3);
  const full = Math.min(256, 2 ** bitDepth);
  if (given >= full) return png;
  const data = new Uint8Array(full * 3);
  data.set(png.subarray(plte.dataStart, plte.dataStart + given * 3));
  for (let i = given; i < full; i++) data.fill(i, i * 3, i * 3 + 3);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set([0x50, 0x4c, 0x54, 0x45], 4); // "PLTE"
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  const out = new Uint8Array(png.length - (plte.dataEnd + 4 - plte.start) + chunk.length);
  out.set(png.subarray(0, plte.start));
  out.set(chunk, plte.start);
  out.set(png.subarray(plte.dataEnd + 4), plte.start + chunk.length);
  return out;
}
