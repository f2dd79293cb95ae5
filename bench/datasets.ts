// Dataset streaming benchmark: a synthetic 2,000-sample HF-style parquet (1344×1344 document PNGs,
// row groups of 100, snappy) streamed through the TextVQA adapter in a fresh child process —
// samples/s with image bytes fetched but not decoded, peak RSS — then the sharp RGB decode rate.
import { fork } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import sharp from 'sharp';

import type { BenchResult } from './result.js';

const CHILD_ENV = 'COGEVAL_BENCH_DATASETS_CHILD';
const SAMPLES = 2000;
const ROW_GROUP_ROWS = 100; // what the HF datasets library writes for image datasets
const SIDE = 1344;
const DECODE_IMAGES = 40;

interface ChildArgs {
  file: string;
  decodeImages: number;
}

interface ChildReport {
  samples: number;
  failures: number;
  imageBytes: number;
  streamMs: number;
  /** Highest RSS sampled while streaming (bytes). */
  sampledPeakRss: number;
  /** The OS's peak RSS of the process after streaming (bytes): includes Node, sharp and the stream. */
  maxRss: number;
  decodeMs: number;
  decoded: number;
}

/** A deterministic 1344×1344 page of pseudo-text: a realistic PNG size for a document (~240 KB). */
async function documentPng(seed = 7): Promise<Buffer> {
  let s = seed >>> 0;
  const rand = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const levels = [0, 60, 140, 255, 255, 255];
  const glyphs = Array.from({ length: 60 }, () => Array.from({ length: 7 * 11 }, () => levels[Math.floor(rand() * levels.length)]));
  const px = Buffer.alloc(SIDE * SIDE * 3, 255);
  for (let y = 80; y < SIDE - 80; y += 20) {
    let x = 90;
    while (x < SIDE - 110) {
      const word = 2 + Math.floor(rand() * 9);
      for (let c = 0; c < word && x < SIDE - 100; c++, x += 8) {
        const g = glyphs[Math.floor(rand() * glyphs.length)];
        for (let yy = 0; yy < 11; yy++) {
          for (let xx = 0; xx < 7; xx++) {
            const o = ((y + yy) * SIDE + x + xx) * 3;
            px[o] = px[o + 1] = px[o + 2] = g[yy * 7 + xx];
          }
        }
      }
      x += 8;
    }
  }
  return sharp(px, { raw: { width: SIDE, height: SIDE, channels: 3 } }).png().toBuffer();
}

/** The PNG with a tEXt chunk naming the row inserted before IEND: distinct bytes per row, so the
 * writer cannot dictionary-encode 2,000 copies of one image into one. */
function uniquePng(png: Buffer, row: number): Buffer {
  const body = Buffer.from(`tEXtrow\0${row}`, 'latin1');
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), 4 + body.length);
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]);
}

/** TextVQA's HF columns, row groups of 100, one distinct 1344×1344 PNG per row. */
function writeSyntheticParquet(file: string, png: Buffer): void {
  const writer = new ParquetWriter({
    writer: fileWriter(file),
    schema: [
      { name: 'root', num_children: 4 },
      { name: 'question_id', type: 'INT64', repetition_type: 'OPTIONAL' },
      { name: 'question', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'answers', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'image', repetition_type: 'OPTIONAL', num_children: 2 },
      { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ],
  });
  for (let start = 0; start < SAMPLES; start += ROW_GROUP_ROWS) {
    const ids = Array.from({ length: ROW_GROUP_ROWS }, (_, i) => start + i);
    writer.write({
      columnData: [
        { name: 'question_id', data: ids.map((i) => BigInt(i)) },
        { name: 'question', data: ids.map((i) => `what is written on line ${i % 60} of the page?`) },
        { name: 'answers', data: ids.map((i) => Array.from({ length: 10 }, (_, k) => `answer ${i}-${k % 3}`)) },
        { name: 'image', data: ids.map((i) => ({ bytes: uniquePng(png, i), path: `${i}.png` })) },
      ],
      rowGroupSize: ROW_GROUP_ROWS,
    });
  }
  writer.finish();
}

/** Runs in the forked child: stream, then decode. Imports the harness lazily (not in the parent). */
async function childMain(args: ChildArgs): Promise<ChildReport> {
  const { openParquetDataset } = await import('../harness/datasets/open.js');
  const { decodeRgb } = await import('../harness/datasets/images.js');
  const { isSampleFailure } = await import('../harness/datasets/types.js');
  const ds = await openParquetDataset({ bench: 'textvqa', files: [args.file], revision: 'bench' });
  let samples = 0;
  let failures = 0;
  let imageBytes = 0;
  let sampledPeakRss = process.memoryUsage().rss;
  const t0 = performance.now();
  for await (const s of ds.samples()) {
    if (isSampleFailure(s)) {
      failures += 1;
      continue;
    }
    imageBytes += (await s.images[0].bytes()).length;
    samples += 1;
    if (samples % 20 === 0) sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage().rss);
  }
  const streamMs = performance.now() - t0;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  let decoded = 0;
  const t1 = performance.now();
  for await (const s of ds.samples({ limit: args.decodeImages })) {
    if (isSampleFailure(s)) continue;
    const rgb = await decodeRgb(await s.images[0].bytes(), s.images[0].origin);
    if (rgb.width === SIDE) decoded += 1;
  }
  const decodeMs = performance.now() - t1;
  return { samples, failures, imageBytes, streamMs, sampledPeakRss, maxRss, decodeMs, decoded };
}

function runChild(args: ChildArgs): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, [CHILD_ENV]: JSON.stringify(args) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: ChildReport | undefined;
    child.on('message', (m) => {
      report = m as ChildReport;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (report !== undefined) resolve(report);
      else reject(new Error(`datasets bench child exited with code ${code} without a report`));
    });
  });
}

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cogeval-bench-datasets-'));
  try {
    const png = await documentPng();
    const file = join(dir, 'validation-00000-of-00001.parquet');
    writeSyntheticParquet(file, png);
    const fileMb = (await stat(file)).size / 1e6;
    const r = await runChild({ file, decodeImages: DECODE_IMAGES });
    if (r.samples !== SAMPLES || r.failures !== 0) throw new Error(`datasets bench: streamed ${r.samples} samples, ${r.failures} failures`);
    const setup = `${SAMPLES} samples, 1344×1344 PNG of ${(png.length / 1e3).toFixed(0)} KB, ${SAMPLES / ROW_GROUP_ROWS} row groups, snappy, ${fileMb.toFixed(0)} MB file`;
    const samplesPerSecond = Math.round((r.samples / r.streamMs) * 1000);
    const peakRssMb = Math.round(r.maxRss / 1e6);
    return [
      {
        name: 'datasets: stream HF parquet (bytes fetched, not decoded)',
        metric: 'throughput',
        value: samplesPerSecond,
        unit: 'samples/s',
        target: '≥ 300 samples/s',
        pass: samplesPerSecond >= 300,
        note: `${setup}; ${((r.imageBytes / 1e6 / r.streamMs) * 1000).toFixed(0)} MB/s of image bytes`,
      },
      {
        name: 'datasets: stream HF parquet (bytes fetched, not decoded)',
        metric: 'peak RSS',
        value: peakRssMb,
        unit: 'MB',
        target: '< 300 MB',
        pass: peakRssMb < 300,
        note: `fresh child process (Node + sharp loaded + stream); highest sampled RSS ${Math.round(r.sampledPeakRss / 1e6)} MB`,
      },
      {
        name: 'datasets: decode 1344×1344 PNG to RGB (sharp)',
        metric: 'throughput',
        value: Math.round((r.decoded / r.decodeMs) * 1000),
        unit: 'images/s',
        note: `${r.decoded} images one at a time, decodeRgb (header check + full decode)`,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.env[CHILD_ENV] !== undefined && process.send !== undefined) {
  const args = JSON.parse(process.env[CHILD_ENV]) as ChildArgs;
  childMain(args).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
