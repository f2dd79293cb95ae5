// `data verify`: re-hashes every file present and compares it with what is recorded — the lock
// file's sha256 from the pull, the blob's content address in the HF cache, checksums published
// in the benchmark modules' data.json, VLMEvalKit's MD5, the demo set's manifest — all offline.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchId } from '../../metrics/types.js';
import { BENCH_IDS } from '../../benchmarks/registry.js';
import type { SourceId } from '../types.js';
import { benchDataConfig, dataCatalogFile, demoRoot, type DataChoice, type DataContext } from '../catalog.js';
import { hfHubCacheDir, lmuDataDir, lockFilePath } from './env.js';
import { hashFile } from '../../util/hash.js';
import { algorithmOfContentAddress } from './hash.js';
import { blobContentAddress, listShards } from './hf-cache.js';
import { lookupHfCache } from './hf-lookup.js';
import { readLock } from './lock.js';

export interface VerifyRow {
  bench: BenchId;
  source: SourceId;
  /** The file checked (absolute), or the folder where data was looked for. */
  file: string;
  status: 'ok' | 'failed' | 'unverifiable' | 'missing';
  detail: string;
}

/** The demo set's manifest: data/demo/manifest.json, { files: { "<bench>/<path>": sha256 } }. */
export const DEMO_MANIFEST = 'manifest.json';

async function verifyHf(bench: BenchId, ctx: DataContext): Promise<VerifyRow[]> {
  const cfg = benchDataConfig(bench, ctx.configDir);
  const cacheDir = hfHubCacheDir(ctx.env);
  const lock = await readLock(lockFilePath(ctx.env, ctx.cwd, ctx.lockFile));
  const found = await lookupHfCache(bench, cfg.hf, cacheDir, lock);
  if (found.files.length === 0 && found.dangling.length === 0) return [{ bench, source: 'hf', file: found.snapshot ?? cacheDir, status: 'missing', detail: found.reason ?? 'not in the cache' }];
  const rows: VerifyRow[] = found.dangling.map((p) => ({ bench, source: 'hf' as const, file: p, status: 'failed' as const, detail: 'broken link: its blob is gone' }));
  const locked = new Map((found.lockEntry !== undefined && found.lockEntry.revision === found.commit ? found.lockEntry.files : []).map((f) => [f.path, f]));
  for (const f of found.files) {
    const checks: { what: string; algorithm: 'sha256' | 'git-sha1'; value: string }[] = [];
    const rec = locked.get(f.path);
    if (rec !== undefined) checks.push({ what: 'the lock file', algorithm: 'sha256', value: rec.sha256 });
    const address = blobContentAddress(f.target);
    const alg = address !== undefined ? algorithmOfContentAddress(address) : undefined;
    if (address !== undefined && alg !== undefined && alg !== 'md5') checks.push({ what: 'its blob name', algorithm: alg, value: address });
    const known = cfg.hf.knownSha256[f.path];
    if (known !== undefined) checks.push({ what: dataCatalogFile(bench), algorithm: 'sha256', value: known });
    if (rec !== undefined && rec.size !== f.size) {
      rows.push({ bench, source: 'hf', file: f.file, status: 'failed', detail: `size ${f.size} differs from the recorded ${rec.size}` });
      continue;
    }
    if (checks.length === 0) {
      rows.push({ bench, source: 'hf', file: f.file, status: 'unverifiable', detail: 'no checksum known (no lock entry, blob not content-addressed); run data pull to record one' });
      continue;
    }
    const digests = new Map<string, string>();
    const bad: string[] = [];
    for (const c of checks) {
      const got = digests.get(c.algorithm) ?? (await hashFile(f.target, c.algorithm));
      digests.set(c.algorithm, got);
      if (got !== c.value) bad.push(`${c.algorithm} ${got} differs from ${c.value} (${c.what})`);
    }
    rows.push(
      bad.length === 0
        ? { bench, source: 'hf', file: f.file, status: 'ok', detail: `${[...digests.keys()].join(' + ')} matches ${checks.map((c) => c.what).join(', ')}` }
        : { bench, source: 'hf', file: f.file, status: 'failed', detail: bad.join('; ') },
    );
  }
  return rows;
}

async function verifyTsv(bench: BenchId, ctx: DataContext): Promise<VerifyRow[]> {
  const cfg = benchDataConfig(bench, ctx.configDir);
  const file = join(lmuDataDir(ctx.env), cfg.vlmevalkit.file);
  if (!existsSync(file)) return [{ bench, source: 'vlmevalkit', file, status: 'missing', detail: 'not downloaded' }];
  const md5 = await hashFile(file, 'md5');
  return [
    md5 === cfg.vlmevalkit.md5
      ? { bench, source: 'vlmevalkit', file, status: 'ok', detail: `md5 ${md5} matches VLMEvalKit's DATASET_MD5` }
      : { bench, source: 'vlmevalkit', file, status: 'failed', detail: `md5 ${md5} differs from VLMEvalKit's ${cfg.vlmevalkit.md5}` },
  ];
}

async function verifyDemo(bench: BenchId, ctx: DataContext): Promise<VerifyRow[]> {
  const cfg = benchDataConfig(bench, ctx.configDir);
  const root = ctx.demoDir ?? demoRoot();
  const manifestFile = join(root, DEMO_MANIFEST);
  const benchRoot = join(root, cfg.demo.dir);
  const { files } = await listShards(benchRoot, cfg.demo.path, cfg.demo.pattern);
  if (files.length === 0) return [{ bench, source: 'demo', file: benchRoot, status: 'missing', detail: 'demo set not generated' }];
  let manifest: Record<string, string> = {};
  try {
    const parsed = JSON.parse(readFileSync(manifestFile, 'utf8')) as { files?: Record<string, string> };
    manifest = parsed.files ?? {};
  } catch {
    return files.map((f) => ({ bench, source: 'demo' as const, file: f.file, status: 'unverifiable' as const, detail: `no readable ${manifestFile}` }));
  }
  const rows: VerifyRow[] = [];
  for (const f of files) {
    const key = `${cfg.demo.dir}/${f.path}`;
    const expected = manifest[key];
    const got = await hashFile(f.file, 'sha256');
    if (expected === undefined) rows.push({ bench, source: 'demo', file: f.file, status: 'failed', detail: `not listed in ${manifestFile}` });
    else if (expected !== got) rows.push({ bench, source: 'demo', file: f.file, status: 'failed', detail: `sha256 ${got} differs from the manifest's ${expected}` });
    else rows.push({ bench, source: 'demo', file: f.file, status: 'ok', detail: 'sha256 matches data/demo/manifest.json' });
  }
  return rows;
}

export async function verifyData(ctx: DataContext, opts: { benches?: BenchId[]; data?: DataChoice } = {}): Promise<VerifyRow[]> {
  const rows: VerifyRow[] = [];
  for (const bench of opts.benches ?? [...BENCH_IDS]) {
    if (opts.data === undefined || opts.data === 'hf') rows.push(...(await verifyHf(bench, ctx)));
    if (opts.data === undefined || opts.data === 'vlmevalkit') rows.push(...(await verifyTsv(bench, ctx)));
    if (opts.data === undefined || opts.data === 'demo') rows.push(...(await verifyDemo(bench, ctx)));
  }
  return rows;
}
