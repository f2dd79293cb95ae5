// The benchmark data catalog: loads each benchmark module's data.json (HF repo, split, commit;
// VLMEvalKit TSV, URL, MD5; demo folder) and locates a benchmark's data on disk — in the HF cache,
// LMUData, the bundled demo set, or a --data-dir in any supported layout — with zero network calls.
import { isJsonObject, type JsonObject } from '../util/json-guards.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, InputError } from '../errors.js';
import { type BenchId } from '../metrics/types.js';
import { BENCH_IDS, benchmark } from '../benchmarks/registry.js';
import type { SourceId } from './types.js';
import type { CogevalDataset, ImagePolicy } from './dataset.js';
import { openDataset } from './open.js';
import { hfHubCacheDir, hfOffline, lmuDataDir, lockFilePath, type Env } from './hub/env.js';
import { DataMissingError } from './hub/errors.js';
import { cachedRepoName, listShards, repoFolder } from './hub/hf-cache.js';
import { hashFile, sha256Hex } from '../util/hash.js';
import { lookupHfCache, type RevisionState } from './hub/hf-lookup.js';
import { missingHfMessage, pullCommand } from './hub/hf-pull.js';
import { missingTsvMessage } from './hub/tsv-pull.js';
import { readLock } from './hub/lock.js';
import type { DemoDatasetSpec, HfDatasetSpec, TsvDatasetSpec } from './hub/specs.js';

export type { DemoDatasetSpec, HfDatasetSpec, TsvDatasetSpec } from './hub/specs.js';

export interface BenchDataConfig {
  bench: BenchId;
  title: string;
  hf: HfDatasetSpec;
  vlmevalkit: TsvDatasetSpec;
  demo: DemoDatasetSpec;
  notes: string[];
}

/** The repository root: the nearest folder above this module holding configs/reported.json (works from src and dist). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'configs', 'reported.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new ConfigError('cannot find configs/reported.json above the cogeval installation');
    dir = up;
  }
}

export function demoRoot(): string {
  return join(projectRoot(), 'data', 'demo');
}


function field<T>(obj: JsonObject, key: string, where: string, check: (v: unknown) => v is T, what: string): T {
  const v = obj[key];
  if (!check(v)) throw new ConfigError(`${where}: field "${key}" must be ${what}`);
  return v;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isNonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** Parses and validates one benchmark config; errors name the file and field. */
export function parseBenchConfig(raw: unknown, file: string): BenchDataConfig {
  if (!isJsonObject(raw)) throw new ConfigError(`${file}: must hold a JSON object`);
  const bench = field(raw, 'bench', file, (v): v is BenchId => typeof v === 'string' && (BENCH_IDS as readonly string[]).includes(v), `one of ${BENCH_IDS.join(', ')}`);
  const hfRaw = field(raw, 'hf', file, isJsonObject, 'an object');
  const w = `${file} (hf)`;
  const revision = hfRaw['revision'];
  if (revision !== null && !(typeof revision === 'string' && /^[0-9a-f]{40}$/.test(revision))) {
    throw new ConfigError(`${w}: field "revision" must be a 40-hex commit hash or null (never a branch name: offline reads need a commit)`);
  }
  const knownSha = hfRaw['knownSha256'] ?? {};
  if (!isJsonObject(knownSha) || !Object.values(knownSha).every((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v))) {
    throw new ConfigError(`${w}: field "knownSha256" must map paths to 64-hex SHA-256 digests`);
  }
  const hf: HfDatasetSpec = {
    repo: field(hfRaw, 'repo', w, (v): v is string => typeof v === 'string' && /^[\w.-]+\/[\w.-]+$/.test(v), 'an "org/name" repository id'),
    aliases: field(hfRaw, 'aliases', w, isStringList, 'a list of repository ids'),
    config: field(hfRaw, 'config', w, isNonEmpty, 'a non-empty string'),
    split: field(hfRaw, 'split', w, isNonEmpty, 'a non-empty string'),
    dir: field(hfRaw, 'dir', w, isString, 'a string (folder inside the repository)'),
    pattern: field(hfRaw, 'pattern', w, isNonEmpty, 'a file-name glob'),
    knownFiles: hfRaw['knownFiles'] === undefined ? [] : field(hfRaw, 'knownFiles', w, isStringList, 'a list of paths'),
    knownSha256: knownSha as Record<string, string>,
    revision: revision as string | null,
    revisionSource: field(hfRaw, 'revisionSource', w, isNonEmpty, 'a non-empty string saying where the commit comes from'),
    rows: field(hfRaw, 'rows', w, isCount, 'a positive integer'),
  };
  const tRaw = field(raw, 'vlmevalkit', file, isJsonObject, 'an object');
  const t = `${file} (vlmevalkit)`;
  const vlmevalkit: TsvDatasetSpec = {
    name: field(tRaw, 'name', t, isNonEmpty, 'a non-empty string'),
    file: field(tRaw, 'file', t, (v): v is string => typeof v === 'string' && /^[\w.-]+\.tsv$/.test(v), 'a .tsv file name'),
    url: field(tRaw, 'url', t, (v): v is string => typeof v === 'string' && /^https?:\/\//.test(v), 'an http(s) URL'),
    md5: field(tRaw, 'md5', t, (v): v is string => typeof v === 'string' && /^[0-9a-f]{32}$/.test(v), 'a 32-hex MD5'),
    source: field(tRaw, 'source', t, isNonEmpty, 'a non-empty string'),
    rows: field(tRaw, 'rows', t, isCount, 'a positive integer'),
  };
  const dRaw = field(raw, 'demo', file, isJsonObject, 'an object');
  const d = `${file} (demo)`;
  const demo: DemoDatasetSpec = {
    dir: field(dRaw, 'dir', d, isNonEmpty, 'a folder name under data/demo'),
    path: field(dRaw, 'path', d, isString, 'a folder inside the demo dataset'),
    pattern: field(dRaw, 'pattern', d, isNonEmpty, 'a file-name glob'),
  };
  return {
    bench,
    title: field(raw, 'title', file, isNonEmpty, 'a non-empty string'),
    hf,
    vlmevalkit,
    demo,
    notes: raw['notes'] === undefined ? [] : field(raw, 'notes', file, isStringList, 'a list of strings'),
  };
}

const cache = new Map<string, BenchDataConfig>();

/** Where a benchmark's data catalog lives in the repository, for messages. */
export function dataCatalogFile(bench: BenchId): string {
  return benchmark(bench).dataCatalogFile ?? `harness/benchmarks/${bench}/data.json`;
}

/** The data catalog of one benchmark: its module's data.json, or `<configDir>/<bench>.json` (tests). */
export function benchDataConfig(bench: BenchId, configDir?: string): BenchDataConfig {
  const file = configDir === undefined ? dataCatalogFile(bench) : join(configDir, `${bench}.json`);
  const hit = cache.get(file);
  if (hit !== undefined) return hit;
  let raw: unknown = benchmark(bench).dataCatalog;
  if (configDir !== undefined) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `not valid JSON (${(err as Error).message})`}`);
    }
  }
  const cfg = parseBenchConfig(raw, file);
  if (cfg.bench !== bench) throw new ConfigError(`${file}: field "bench" is "${cfg.bench}", expected "${bench}"`);
  cache.set(file, cfg);
  return cfg;
}

export function allBenchDataConfigs(configDir?: string): BenchDataConfig[] {
  return BENCH_IDS.map((b) => benchDataConfig(b, configDir));
}

// ---------------------------------------------------------------- locating data

/** `--data`: which distribution to read. */
export const DATA_CHOICES = ['hf', 'vlmevalkit', 'demo'] as const;
export type DataChoice = (typeof DATA_CHOICES)[number];

export interface DataSelection {
  /** Default `hf`; with `dataDir`, default: whatever layout the folder holds. */
  data?: DataChoice;
  /** A local copy in any supported layout (see locateInDir). */
  dataDir?: string;
}

export interface DataContext {
  env: Env;
  cwd: string;
  /** --lock; default $COGEVAL_LOCK or ./cogeval.lock.json. */
  lockFile?: string;
  /** For tests: a folder of `<bench>.json` data catalogs (instead of the modules' data.json) / demo root. */
  configDir?: string;
  demoDir?: string;
}

/** How `revision` was obtained. `content`: a hash of the files' bytes; `md5`: VLMEvalKit's recorded MD5. */
export type LocatedRevisionState = RevisionState | 'content' | 'md5';

interface LocatedBase {
  bench: BenchId;
  source: SourceId;
  /** e.g. `lmms-lab/DocVQA (DocVQA/validation) @ 539088ef8a8a [pinned] in ~/.cache/huggingface/hub`. */
  description: string;
  revision: string;
  revisionState: LocatedRevisionState;
  /** The folder or file the data was found in. */
  location: string;
}

/** Parquet shards in the HF layout (HF cache, a repository copy, or the demo set). */
export interface LocatedParquet extends LocatedBase {
  kind: 'parquet';
  /** Absolute paths, in shard order. */
  files: string[];
  repo?: string;
  config?: string;
  split?: string;
}

/** A VLMEvalKit TSV. */
export interface LocatedTsv extends LocatedBase {
  kind: 'tsv';
  file: string;
  name: string;
}

export type LocatedData = LocatedParquet | LocatedTsv;

const CONTENT_HASH_LIMIT = 256 * 1024 * 1024;

/**
 * A revision id for local copies: sha256 over each file's path and bytes when they total at most
 * 256 MiB, else over each file's path, size and parquet footer (schema, row groups, statistics).
 */
export async function contentRevision(files: { path: string; file: string }[]): Promise<string> {
  let total = 0;
  for (const f of files) total += (await stat(f.file)).size;
  const parts: string[] = [];
  for (const f of files) {
    if (total <= CONTENT_HASH_LIMIT) {
      parts.push(`${f.path}\0${await hashFile(f.file, 'sha256')}`);
    } else {
      const handle = await open(f.file, 'r');
      try {
        const { size } = await handle.stat();
        const tail = Buffer.alloc(8);
        await handle.read(tail, 0, 8, size - 8);
        const footerLength = Math.min(tail.readUInt32LE(0), size - 8);
        const footer = Buffer.alloc(footerLength);
        await handle.read(footer, 0, footerLength, size - 8 - footerLength);
        parts.push(`${f.path}\0${size}\0${sha256Hex(footer)}`);
      } finally {
        await handle.close();
      }
    }
  }
  return `${total <= CONTENT_HASH_LIMIT ? 'sha256' : 'footers'}:${sha256Hex(parts.join('\n')).slice(0, 16)}`;
}

function shortRev(rev: string): string {
  return /^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 12) : rev;
}

async function locateHfCache(cfg: BenchDataConfig, cacheDir: string, ctx: DataContext, pullHint: boolean): Promise<LocatedParquet> {
  const lock = await readLock(lockFilePath(ctx.env, ctx.cwd, ctx.lockFile));
  const found = await lookupHfCache(cfg.bench, cfg.hf, cacheDir, lock);
  if (!found.complete || found.commit === undefined || found.revisionState === undefined) {
    const offline = hfOffline(ctx.env);
    const why = pullHint
      ? offline
        ? `HF_HUB_OFFLINE=1 is set; on a machine with network run: ${pullCommand(cfg.bench, 'hf')} (then copy the cache), or use --data demo for the bundled demo set.`
        : `Fetch it with: ${pullCommand(cfg.bench, 'hf')} (or use --data demo for the bundled demo set).`
      : 'Point --data-dir at a folder that holds the data.';
    throw new DataMissingError(missingHfMessage(cfg.bench, cfg.hf, cacheDir, found, why));
  }
  const stateNote = found.revisionState === 'ref' ? 'from refs/main, not locked: run data pull to lock it' : found.revisionState;
  return {
    kind: 'parquet',
    bench: cfg.bench,
    source: 'hf',
    files: found.files.map((f) => f.file),
    repo: found.repo,
    config: cfg.hf.config,
    split: cfg.hf.split,
    revision: found.commit,
    revisionState: found.revisionState,
    location: found.snapshot ?? cacheDir,
    description: `${found.repo} (${cfg.hf.config}/${cfg.hf.split}) @ ${shortRev(found.commit)} [${stateNote}] in ${cacheDir}`,
  };
}

async function locateTsvFile(cfg: BenchDataConfig, file: string, ctx: DataContext): Promise<LocatedTsv> {
  const lock = await readLock(lockFilePath(ctx.env, ctx.cwd, ctx.lockFile));
  const entry = lock.entries[`${cfg.bench}/vlmevalkit`];
  const st = statSync(file);
  const checked = entry?.source === 'vlmevalkit' && entry.size === st.size && entry.mtimeMs === st.mtimeMs && entry.md5 === cfg.vlmevalkit.md5;
  // An unchecked TSV is identified by VLMEvalKit's MD5 only after `data verify`/`data pull` hashed it.
  const revision = checked ? entry.md5 : await hashFile(file, 'md5');
  return {
    kind: 'tsv',
    bench: cfg.bench,
    source: 'vlmevalkit',
    file,
    name: cfg.vlmevalkit.name,
    revision,
    revisionState: 'md5',
    location: file,
    description: `VLMEvalKit ${cfg.vlmevalkit.name} (${file}, md5 ${revision}${revision === cfg.vlmevalkit.md5 ? '' : `, EXPECTED ${cfg.vlmevalkit.md5}`})`,
  };
}

async function locateParquetFolder(cfg: BenchDataConfig, root: string, dir: string, pattern: string, source: SourceId, label: string): Promise<LocatedParquet | undefined> {
  const { files, dangling } = await listShards(root, dir, pattern);
  if (dangling.length > 0) throw new InputError(`${root}: broken link(s): ${dangling.join(', ')}`);
  if (files.length === 0) return undefined;
  const revision = await contentRevision(files);
  return {
    kind: 'parquet',
    bench: cfg.bench,
    source,
    files: files.map((f) => f.file),
    config: cfg.hf.config,
    split: cfg.hf.split,
    revision,
    revisionState: 'content',
    location: root,
    description: `${label} ${root} (${dir === '' ? '' : dir + '/'}${pattern}) [${revision}]`,
  };
}

/**
 * A local copy in any supported layout, tried in this order:
 * 1. an HF cache (DIR/datasets--org--name/…);
 * 2. a copy of the repository (DIR/<dir>/<pattern>, e.g. `huggingface-cli download --local-dir DIR`);
 * 3. DIR/<org>/<name>/… or DIR/<name>/… (several repositories side by side);
 * 4. the demo layout (DIR/<bench>/<dir>/<pattern>, as data/demo);
 * 5. a VLMEvalKit TSV (DIR/<NAME>.tsv, as LMUData).
 */
export async function locateInDir(cfg: BenchDataConfig, dirArg: string, ctx: DataContext, want?: DataChoice): Promise<LocatedData> {
  const dir = resolve(ctx.cwd, dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--data-dir ${dirArg}: no such folder`);
  const tried: string[] = [];
  if (want !== 'vlmevalkit') {
    const names = [cfg.hf.repo, ...cfg.hf.aliases];
    if ((await cachedRepoName(dir, names)) !== undefined) return locateHfCache(cfg, dir, ctx, false);
    tried.push(`${repoFolder(dir, cfg.hf.repo)}/ (HF cache)`);
    const candidates: [string, string][] = [[dir, 'repository copy']];
    for (const name of names) candidates.push([join(dir, ...name.split('/')), 'repository copy'], [join(dir, name.split('/')[1]), 'repository copy']);
    for (const [root, label] of candidates) {
      const hit = await locateParquetFolder(cfg, root, cfg.hf.dir, cfg.hf.pattern, 'hf', label);
      if (hit !== undefined) return hit;
      tried.push(join(root, cfg.hf.dir, cfg.hf.pattern));
    }
    const demoLike = await locateParquetFolder(cfg, join(dir, cfg.demo.dir), cfg.demo.path, cfg.demo.pattern, 'demo', 'demo-layout folder');
    if (demoLike !== undefined) return demoLike;
    tried.push(join(dir, cfg.demo.dir, cfg.demo.path, cfg.demo.pattern));
  }
  if (want !== 'hf' && want !== 'demo') {
    const tsv = join(dir, cfg.vlmevalkit.file);
    if (existsSync(tsv)) return locateTsvFile(cfg, tsv, ctx);
    tried.push(tsv);
  }
  throw new DataMissingError(`${cfg.bench}: no ${cfg.title} data in --data-dir ${dir}; looked for: ${tried.join('; ')}`);
}

/** Locates one benchmark's data for a command that reads it. Never touches the network. */
export async function locateBenchData(bench: BenchId, sel: DataSelection, ctx: DataContext): Promise<LocatedData> {
  const cfg = benchDataConfig(bench, ctx.configDir);
  if (sel.dataDir !== undefined) return locateInDir(cfg, sel.dataDir, ctx, sel.data);
  const data = sel.data ?? 'hf';
  if (data === 'demo') {
    const root = join(ctx.demoDir ?? demoRoot(), cfg.demo.dir);
    const hit = await locateParquetFolder(cfg, root, cfg.demo.path, cfg.demo.pattern, 'demo', 'bundled demo set');
    if (hit === undefined) {
      throw new DataMissingError(`${bench}: the bundled demo set is missing from ${root}; regenerate it with: npm run build && node dist/tools/demo/make-demo-data.js`);
    }
    return hit;
  }
  if (data === 'vlmevalkit') {
    const dir = lmuDataDir(ctx.env);
    const file = join(dir, cfg.vlmevalkit.file);
    if (!existsSync(file)) {
      const why = hfOffline(ctx.env)
        ? `HF_HUB_OFFLINE=1 is set; on a machine with network run: ${pullCommand(bench, 'vlmevalkit')} (then copy the file), or use --data demo.`
        : `Fetch it with: ${pullCommand(bench, 'vlmevalkit')} (or use --data demo for the bundled demo set).`;
      throw new DataMissingError(missingTsvMessage(bench, cfg.vlmevalkit, dir, why));
    }
    return locateTsvFile(cfg, file, ctx);
  }
  return locateHfCache(cfg, hfHubCacheDir(ctx.env), ctx, true);
}

export function parseDataChoice(value: string | undefined): DataChoice | undefined {
  if (value === undefined || value === '') return undefined;
  if ((DATA_CHOICES as readonly string[]).includes(value)) return value as DataChoice;
  throw new InputError(`--data ${value}: expected one of ${DATA_CHOICES.join(', ')} (a local folder goes to --data-dir)`);
}

// ---------------------------------------------------------------- opening

export interface OpenBenchOptions {
  /** Default `first` (CogVLM2 takes one image). */
  imagePolicy?: ImagePolicy;
}

/**
 * The entry point of every command that reads data: locates the benchmark's default split per
 * `--data` / `--data-dir` (no network), then opens it with the benchmark's adapter. `--data
 * official` reads the authors' release from `--data-dir` (the adapters know that layout).
 */
export async function openBenchDataset(bench: BenchId, sel: Omit<DataSelection, 'data'> & { data?: DataChoice | 'official' }, ctx: DataContext, opts: OpenBenchOptions = {}): Promise<CogevalDataset> {
  if (sel.data === 'official') {
    if (sel.dataDir === undefined) throw new InputError(`--data official reads the authors' release from a local folder: add --data-dir DIR`);
    return openDataset({ bench, source: 'official', dataDir: resolve(ctx.cwd, sel.dataDir), imagePolicy: opts.imagePolicy });
  }
  const located = await locateBenchData(bench, { data: sel.data, dataDir: sel.dataDir }, ctx);
  const dataset = await openDataset({
    bench,
    source: located.source,
    files: located.kind === 'parquet' ? located.files : [located.file],
    revision: located.revision,
    imagePolicy: opts.imagePolicy,
  });
  dataset.description = `${located.description}: ${dataset.description}`;
  return dataset;
}
