// Data-command throughput: what `data pull`/`data verify` spend hashing (sha256 and md5 of a
// 256 MiB file), what `data ls` spends counting TSV records and reading parquet footers, and how
// long the demo set takes to generate. Medians of a few runs on temp files.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hashFile } from '../harness/util/hash.js';
import { parquetRowCount, tsvRecordCount } from '../harness/datasets/hub/counts.js';
import { makeDemoData } from '../tools/demo/make-demo-data.js';
import { demoRoot } from '../harness/datasets/catalog.js';

type BenchResult = { name: string; metric: string; value: number; unit: string; target?: string; note?: string };

const MIB = 1024 * 1024;

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** A pandas-like TSV: base64-ish image cells, some quoted cells with newlines. */
function tsvText(targetBytes: number): string {
  const cell = randomBytes(3000).toString('base64');
  const rows: string[] = ['index\tquestion\tanswer\timage'];
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const q = i % 5 === 0 ? `"line one\nline ""two"" ${i}"` : `question ${i}?`;
    const row = `${i}\t${q}\t['a${i}']\t${cell}`;
    rows.push(row);
    size += row.length + 1;
  }
  return rows.join('\n') + '\n';
}

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cogeval-bench-data-'));
  try {
    const big = join(dir, 'blob.bin');
    await writeFile(big, randomBytes(256 * MIB));
    const sha = await median(3, () => hashFile(big, 'sha256'));
    const md5 = await median(3, () => hashFile(big, 'md5'));
    const tsv = join(dir, 'x.tsv');
    const text = tsvText(128 * MIB);
    await writeFile(tsv, text);
    const tsvMs = await median(3, () => tsvRecordCount(tsv));
    const demoFile = join(demoRoot(), 'mmmu', 'data', 'validation-00000-of-00001.parquet');
    const footerMs = await median(21, () => parquetRowCount(demoFile));
    const demoMs = await median(3, () => makeDemoData(join(dir, 'demo')));
    const tsvMiB = Buffer.byteLength(text) / MIB;
    return [
      { name: 'data verify: sha256 of a shard', metric: 'MiB/s, median of 3 over a 256 MiB file (streamed in 1 MiB chunks)', value: Math.round(256 / (sha / 1000)), unit: 'MiB/s' },
      { name: 'data verify: md5 of a VLMEvalKit TSV', metric: 'MiB/s, median of 3 over a 256 MiB file', value: Math.round(256 / (md5 / 1000)), unit: 'MiB/s' },
      { name: 'data ls: TSV record count', metric: `MiB/s, median of 3 over a ${tsvMiB.toFixed(0)} MiB pandas-style TSV (quoted newlines)`, value: Math.round(tsvMiB / (tsvMs / 1000)), unit: 'MiB/s' },
      { name: 'data ls: parquet row count', metric: 'ms per file (footer only), median of 21', value: Number(footerMs.toFixed(2)), unit: 'ms' },
      { name: 'demo set generation', metric: '7 parquet files, 61 rows, median of 3', value: Math.round(demoMs), unit: 'ms' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
