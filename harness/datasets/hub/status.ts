// `data ls`: what is on disk per benchmark and source (revision, pinned or resolved, samples from
// parquet footers / TSV records, size) — never touching the network and never hashing big files.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchId } from '../../metrics/types.js';
import type { SourceId } from '../types.js';
import { benchDataConfig, locateBenchData, type DataChoice, type DataContext, type DataSelection } from '../catalog.js';
import { BENCH_IDS } from '../../benchmarks/registry.js';
import { hfHubCacheDir, lmuDataDir, lockFilePath } from './env.js';
import { DataMissingError } from './errors.js';
import { lookupHfCache } from './hf-lookup.js';
import { parquetRowCounts, tsvRecordCount } from './counts.js';
import { lockKey, readLock } from './lock.js';

export interface DataStatusRow {
  bench: BenchId;
  source: SourceId;
  status: 'present' | 'incomplete' | 'missing';
  /** Commit, MD5 or content id; null when nothing is known. */
  revision: string | null;
  /** pinned (the benchmark's data.json), locked (resolved by a pull, in the lock file), ref (refs/main only), md5, unverified (TSV not yet hashed), content (local copy). */
  revisionState: string | null;
  samples: number | null;
  expectedSamples: number | null;
  sizeBytes: number | null;
  location: string;
  detail?: string;
}

async function totalSize(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) n += (await stat(f)).size;
  return n;
}

async function hfRow(bench: BenchId, ctx: DataContext): Promise<DataStatusRow> {
  const cfg = benchDataConfig(bench, ctx.configDir);
  const cacheDir = hfHubCacheDir(ctx.env);
  const lock = await readLock(lockFilePath(ctx.env, ctx.cwd, ctx.lockFile));
  const found = await lookupHfCache(bench, cfg.hf, cacheDir, lock);
  const row: DataStatusRow = {
    bench,
    source: 'hf',
    status: 'missing',
    revision: found.commit ?? cfg.hf.revision,
    revisionState: found.revisionState ?? (cfg.hf.revision !== null ? 'pinned' : 'unresolved'),
    samples: null,
    expectedSamples: cfg.hf.rows,
    sizeBytes: null,
    location: found.snapshot ?? join(cacheDir, `datasets--${cfg.hf.repo.replace('/', '--')}`),
  };
  if (found.files.length === 0) return { ...row, detail: found.reason };
  const files = found.files.map((f) => f.file);
  const samples = await parquetRowCounts(files).catch(() => null);
  const sizeBytes = await totalSize(found.files.map((f) => f.target));
  return { ...row, status: found.complete ? 'present' : 'incomplete', samples, sizeBytes, detail: found.complete ? undefined : found.reason };
}

async function tsvRow(bench: BenchId, ctx: DataContext): Promise<DataStatusRow> {
  const cfg = benchDataConfig(bench, ctx.configDir);
  const file = join(lmuDataDir(ctx.env), cfg.vlmevalkit.file);
  const row: DataStatusRow = { bench, source: 'vlmevalkit', status: 'missing', revision: cfg.vlmevalkit.md5, revisionState: 'md5', samples: null, expectedSamples: cfg.vlmevalkit.rows, sizeBytes: null, location: file };
  if (!existsSync(file)) {
    return existsSync(`${file}.incomplete`) ? { ...row, status: 'incomplete', detail: 'partial download; data pull resumes it' } : row;
  }
  const st = await stat(file);
  const lock = await readLock(lockFilePath(ctx.env, ctx.cwd, ctx.lockFile));
  const entry = lock.entries[lockKey(bench, 'vlmevalkit')];
  if (entry?.source === 'vlmevalkit' && entry.size === st.size && entry.mtimeMs === st.mtimeMs) {
    const ok = entry.md5 === cfg.vlmevalkit.md5;
    return { ...row, status: ok ? 'present' : 'incomplete', revision: entry.md5, samples: entry.rows, sizeBytes: st.size, detail: ok ? undefined : `md5 ${entry.md5} differs from VLMEvalKit's ${cfg.vlmevalkit.md5}` };
  }
  const samples = await tsvRecordCount(file).catch(() => null);
  return { ...row, status: 'present', revisionState: 'unverified', samples, sizeBytes: st.size, detail: 'not hashed yet: run data verify or data pull to check its md5' };
}

async function locatedRow(bench: BenchId, sel: DataSelection, ctx: DataContext, source: SourceId): Promise<DataStatusRow> {
  const cfg = benchDataConfig(bench, ctx.configDir);
  try {
    const hit = await locateBenchData(bench, sel, ctx);
    const files = hit.kind === 'parquet' ? hit.files : [hit.file];
    const samples = hit.kind === 'parquet' ? await parquetRowCounts(hit.files) : await tsvRecordCount(hit.file);
    return {
      bench,
      source: hit.source,
      status: 'present',
      revision: hit.revision,
      revisionState: hit.revisionState,
      samples,
      expectedSamples: hit.source === 'demo' ? null : hit.kind === 'tsv' ? cfg.vlmevalkit.rows : cfg.hf.rows,
      sizeBytes: await totalSize(files),
      location: hit.location,
    };
  } catch (err) {
    if (!(err instanceof DataMissingError)) throw err;
    return { bench, source, status: 'missing', revision: null, revisionState: null, samples: null, expectedSamples: null, sizeBytes: null, location: sel.dataDir ?? '', detail: err.message };
  }
}

/** One row per benchmark and source: hf, vlmevalkit and demo, or only `data` / `dataDir` when given. */
export async function dataStatus(ctx: DataContext, opts: { benches?: BenchId[]; data?: DataChoice; dataDir?: string } = {}): Promise<DataStatusRow[]> {
  const benches = opts.benches ?? [...BENCH_IDS];
  const rows: DataStatusRow[] = [];
  for (const bench of benches) {
    if (opts.dataDir !== undefined) {
      rows.push(await locatedRow(bench, { dataDir: opts.dataDir, data: opts.data }, ctx, opts.data ?? 'hf'));
      continue;
    }
    if (opts.data === undefined || opts.data === 'hf') rows.push(await hfRow(bench, ctx));
    if (opts.data === undefined || opts.data === 'vlmevalkit') rows.push(await tsvRow(bench, ctx));
    if (opts.data === undefined || opts.data === 'demo') rows.push(await locatedRow(bench, { data: 'demo' }, ctx, 'demo'));
  }
  return rows;
}
