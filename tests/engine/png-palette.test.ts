// Palette PNGs whose pixels index past the end of PLTE: decoded as Pillow decodes them (a missing
// entry i is Pillow's default (i, i, i)), on PNGs written here; cross-checked against the machine's
// Pillow where COGEVAL_TEST_PYTHON (default /usr/bin/python3) has PIL.
import { spawnSync } from 'node:child_process';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toRgbLikePillow } from '../../harness/engine/onnx/preprocess.js';
import { padPaletteLikePillow } from '../../harness/engine/onnx/png-palette.js';
import { TEST_PYTHON, pythonHas } from '../support/python.js';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A one-row palette PNG: `row` is the filtered-out scanline payload (already packed for `bitDepth`). */
function palettePng(width: number, bitDepth: number, plte: number[], row: number[], trns?: number[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = 3;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', Uint8Array.from(plte)),
    ...(trns ? [chunk('tRNS', Uint8Array.from(trns))] : []),
    chunk('IDAT', deflateSync(Uint8Array.from([0, ...row]))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const TWO_ENTRIES = [10, 20, 30, 40, 50, 60];
const CASES: { name: string; png: Buffer; rgb: number[] }[] = [
  {
    name: '8-bit, indices 0–255 against a 2-entry PLTE',
    png: palettePng(6, 8, TWO_ENTRIES, [0, 1, 2, 3, 100, 255]),
    rgb: [10, 20, 30, 40, 50, 60, 2, 2, 2, 3, 3, 3, 100, 100, 100, 255, 255, 255],
  },
  {
    name: '4-bit, indices up to 15 against a 2-entry PLTE',
    png: palettePng(6, 4, TWO_ENTRIES, [0x01, 0x23, 0xfe]),
    rgb: [10, 20, 30, 40, 50, 60, 2, 2, 2, 3, 3, 3, 15, 15, 15, 14, 14, 14],
  },
  {
    name: '8-bit with tRNS (alpha dropped, as convert("RGB") does)',
    png: palettePng(3, 8, TWO_ENTRIES, [0, 1, 7], [0]),
    rgb: [10, 20, 30, 40, 50, 60, 7, 7, 7],
  },
];

describe('palette PNGs with pixels past the end of PLTE', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: missing entries are Pillow\'s grey ramp', async (_name, c) => {
    const rgb = await toRgbLikePillow(c.png, 'short-plte.png');
    expect([...rgb.data]).toEqual(c.rgb);
  });

  it('a complete palette and non-palette PNGs are passed through untouched', () => {
    const full = palettePng(2, 1, TWO_ENTRIES, [0b01000000]); // 1-bit: 2 entries is the whole palette
    expect(padPaletteLikePillow(full)).toBe(full);
    const truncated = CASES[0].png.subarray(0, 20);
    expect(padPaletteLikePillow(truncated)).toBe(truncated);
  });

  const hasPil = pythonHas(['PIL']);
  it.skipIf(!hasPil)(`equals what Pillow (${TEST_PYTHON}) decodes${hasPil ? '' : ' — SKIPPED: no PIL there'}`, { timeout: 120_000 }, async () => {
    const script = 'import sys, io, json, base64\nfrom PIL import Image\nprint(json.dumps([[v for px in Image.open(io.BytesIO(base64.b64decode(l))).convert("RGB").getdata() for v in px] for l in sys.stdin.read().split()]))';
    const r = spawnSync(TEST_PYTHON, ['-c', script], { input: CASES.map((c) => c.png.toString('base64')).join('\n'), encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const pillow = JSON.parse(r.stdout) as number[][];
    for (const [i, c] of CASES.entries()) expect([...(await toRgbLikePillow(c.png, c.name)).data], c.name).toEqual(pillow[i]);
  });
});
