// Opening a benchmark's data: resolve split/config, find the files of a local copy in any
// supported layout (HF parquet shards, VLMEvalKit TSV, the official layout) or take explicit
// files, open the source and wrap it as a streaming dataset.
import { basename, relative, sep } from 'node:path';
import { ConfigError } from '../errors.js';
import { resolveBench } from '../metrics/registry.js';
import type { BenchId } from '../metrics/types.js';
import type { BenchAdapter, SourceFormat } from './adapter.js';
import { ADAPTERS } from './adapters.js';
import { benchmark } from '../benchmarks/registry.js';
import { makeDataset, type CogevalDataset, type ImagePolicy } from './dataset.js';
import { DataError } from './errors.js';
import { findFiles, isDirectory } from './find.js';
import { hashFiles } from './hash.js';
import { openParquetSource } from './sources/hf-parquet.js';
import { officialSource } from './sources/official.js';
import type { RowSource } from './sources/row.js';
import { openTsvSource } from './sources/vlmevalkit-tsv.js';
import { SOURCE_IDS, type SourceId } from './types.js';

export interface OpenDatasetOptions {
  bench: BenchId | string;
  source: SourceId;
  /** cogeval split (default: the benchmark's default split); `val` means `validation`. */
  split?: string;
  /** MMBench language: `en` (default) or `cn`. */
  config?: string;
  /** Root of a local copy; searched for the source's files. */
  dataDir?: string;
  /** Explicit files instead of a search: parquet shards, one TSV, or the official JSON file(s). */
  files?: readonly string[];
  /** Revision to record (an HF commit); default: sha256 of the files' bytes. */
  revision?: string;
  /** hf/demo: the repository the files come from, for the description (default: the adapter's). */
  repo?: string;
  /** Default `first` (CogVLM2 takes one image). */
  imagePolicy?: ImagePolicy;
}

export interface OpenParquetOptions {
  bench: BenchId | string;
  split?: string;
  config?: string;
  /** The parquet shards in dataset order (e.g. paths inside an HF cache snapshot). */
  files: readonly string[];
  /** The HF repository the files come from, for the description (default: the adapter's). */
  repo?: string;
  /** The pinned 40-hex commit the files belong to; default: sha256 of the files' bytes. */
  revision?: string;
  /** `hf` (default) or `demo` (the bundled demo set, same format). */
  source?: Extract<SourceId, 'hf' | 'demo'>;
  imagePolicy?: ImagePolicy;
}

/** The HF dataset identity a benchmark split is read from (for `data pull` and descriptions). */
export interface HfIdentity {
  repo: string;
  /** Repositories with the same columns that are accepted too (MMMU/MMMU). */
  alsoRepos: readonly string[];
  /** The HF config; undefined for the default config. */
  config: string | undefined;
  /** The HF split name. */
  split: string;
}

const SPLIT_ALIASES: Readonly<Record<string, string>> = { val: 'validation', valid: 'validation', dev_val: 'validation' };

function adapterFor(bench: BenchId | string): BenchAdapter {
  return ADAPTERS[resolveBench(bench)];
}

/** The canonical split name; a ConfigError lists the valid ones. */
export function resolveSplit(bench: BenchId | string, split?: string): string {
  const adapter = adapterFor(bench);
  if (split === undefined || split === '') return adapter.defaultSplit;
  const name = split.trim().toLowerCase();
  const canonical = SPLIT_ALIASES[name] ?? name;
  if (adapter.splits.includes(canonical)) return canonical;
  throw new ConfigError(`${benchmark(adapter.bench).title} has no split "${split}"; valid splits: ${adapter.splits.join(', ')}`);
}

/** The canonical config (MMBench en/cn), or undefined for benchmarks without configs. */
export function resolveConfig(bench: BenchId | string, config?: string): string | undefined {
  const adapter = adapterFor(bench);
  if (adapter.configs === undefined) {
    if (config !== undefined && config !== '') throw new ConfigError(`${benchmark(adapter.bench).title} has no configs; drop --config "${config}"`);
    return undefined;
  }
  if (config === undefined || config === '') return adapter.defaultConfig;
  const name = config.trim().toLowerCase();
  if (adapter.configs.includes(name)) return name;
  throw new ConfigError(`${benchmark(adapter.bench).title} has no config "${config}"; valid configs: ${adapter.configs.join(', ')}`);
}

export function hfIdentity(bench: BenchId | string, split?: string, config?: string): HfIdentity {
  const adapter = adapterFor(bench);
  const s = resolveSplit(bench, split);
  const c = resolveConfig(bench, config);
  return { repo: adapter.hf.repo, alsoRepos: adapter.hf.alsoRepos ?? [], config: adapter.hf.hfConfig(c), split: adapter.hf.hfSplit(s) };
}

/** Whether a split has public answers (DocVQA test and MMBench test do not). */
export function splitHasAnswers(bench: BenchId | string, split?: string): boolean {
  return adapterFor(bench).hasAnswers(resolveSplit(bench, split));
}

/** Refuses to score a dataset without public answers, saying why. */
export function assertScorable(dataset: CogevalDataset): void {
  if (dataset.hasAnswers) return;
  const hidden = benchmark(dataset.bench).hiddenAnswers;
  const where = hidden ? `submit them to ${hidden.scoredBy}, or use the ${hidden.useSplit} split` : 'score them where the answers are kept';
  throw new ConfigError(
    `${dataset.description}: the ${dataset.split} split has no public answers, so it cannot be scored locally; ` + `write predictions and ${where}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Finding files

/** Whether a path (relative, `/`-separated) is a parquet shard of `split`. */
function isSplitShard(rel: string, split: string): boolean {
  if (!rel.endsWith('.parquet')) return false;
  const segments = rel.split('/');
  const name = segments[segments.length - 1];
  if (name === `${split}.parquet` || name.startsWith(`${split}-`)) return true;
  return segments.slice(0, -1).includes(split); // refs/convert/parquet: <config>/<split>/0000.parquet
}

function hasSegment(rel: string, name: string): boolean {
  const lower = name.toLowerCase();
  return rel
    .split('/')
    .slice(0, -1)
    .some((s) => s.toLowerCase() === lower);
}

async function findParquet(adapter: BenchAdapter, dir: string, split: string, config: string | undefined): Promise<string[]> {
  const hfSplit = adapter.hf.hfSplit(split);
  const all = await findFiles(dir, (rel) => isSplitShard(rel, hfSplit), 4);
  const rel = (path: string): string => relative(dir, path).split(sep).join('/');
  const hfConfig = adapter.hf.hfConfig(config);
  if (hfConfig === undefined) return all;
  const inConfig = all.filter((p) => hasSegment(rel(p), hfConfig));
  if (inConfig.length > 0) return inConfig;
  const others = (adapter.hf.siblingConfigs ?? []).filter((c) => c.toLowerCase() !== hfConfig.toLowerCase());
  return all.filter((p) => !others.some((o) => hasSegment(rel(p), o)));
}

async function findTsv(names: readonly string[], dir: string): Promise<string | undefined> {
  const wanted = names.flatMap((n) => [`${n}.tsv`, `${n}_local.tsv`]);
  const found = await findFiles(dir, (rel) => wanted.includes(rel.slice(rel.lastIndexOf('/') + 1)), 2);
  for (const name of wanted) {
    const hit = found.find((f) => basename(f) === name);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function layoutsAccepted(adapter: BenchAdapter, split: string, config: string | undefined): string {
  const hf = hfIdentity(adapter.bench, split, config);
  const hfText = `hf: ${hf.repo}${hf.config ? ` config ${hf.config}` : ''} parquet shards named ${hf.split}-*.parquet (any folder depth ≤ 4, e.g. an HF snapshot)`;
  const tsvText = `vlmevalkit: ${adapter.tsv.names(split, config).map((n) => `${n}.tsv`).join(' / ')} (VLMEvalKit's LMUData folder)`;
  const officialText = `official: ${adapter.official.describe}`;
  return [hfText, tsvText, officialText].join('; ');
}

function notFound(adapter: BenchAdapter, source: SourceId, dir: string, split: string, config: string | undefined, what: string): DataError {
  return new DataError(
    `no ${benchmark(adapter.bench).title} ${split}${config ? ` (${config})` : ''} data for source "${source}" under ${dir}: ${what}. ` +
      `Accepted layouts — ${layoutsAccepted(adapter, split, config)}`,
    dir,
  );
}

// ---------------------------------------------------------------------------------------------
// Opening

interface Located {
  format: SourceFormat;
  files: string[];
  description: string;
  source: RowSource;
}

async function openParquet(adapter: BenchAdapter, files: readonly string[], split: string, config: string | undefined, repo: string): Promise<Located> {
  const hasAnswers = adapter.hasAnswers(split);
  const required = [...adapter.hf.required, ...(hasAnswers ? (adapter.hf.answerColumns ?? []) : [])];
  const source = await openParquetSource({ files, required, optional: adapter.hf.optional, imageColumns: adapter.hf.imageColumns });
  const hfConfig = adapter.hf.hfConfig(config);
  const names = files.map((f) => basename(f));
  const listed = names.length <= 4 ? names.join(', ') : `${names.slice(0, 2).join(', ')}, … ${names[names.length - 1]}`;
  const description = `${repo}${hfConfig ? ` config ${hfConfig}` : ''} split ${adapter.hf.hfSplit(split)} (${files.length} parquet file${files.length === 1 ? '' : 's'}: ${listed})`;
  return { format: 'hf', files: [...files], description, source };
}

async function openTsv(adapter: BenchAdapter, file: string, split: string, label: string): Promise<Located> {
  const hasAnswers = adapter.hasAnswers(split);
  const required = [...adapter.tsv.required, ...(hasAnswers ? (adapter.tsv.answerColumns ?? []) : [])];
  const filter = adapter.tsv.filter?.(split);
  const source = await openTsvSource({ file, required, ...(filter ? { filter } : {}) });
  const description = `${label} ${file}${filter ? ` (rows with ${filter.column} = ${filter.value})` : ''}`;
  return { format: 'vlmevalkit', files: [file], description, source };
}

function checkFiles(files: readonly string[], ext: string, source: SourceId): void {
  if (files.length === 0) throw new DataError(`source "${source}": the list of files is empty`);
  for (const f of files) {
    if (!f.toLowerCase().endsWith(ext)) throw new DataError(`${f}: source "${source}" expects ${ext} files`, f);
  }
}

async function locate(adapter: BenchAdapter, opts: OpenDatasetOptions, split: string, config: string | undefined): Promise<Located> {
  const { source, dataDir } = opts;
  const files = opts.files;
  if (files === undefined) {
    if (dataDir === undefined) throw new ConfigError(`source "${source}" needs --data-dir DIR (a local copy) or explicit files`);
    if (!(await isDirectory(dataDir))) throw new DataError(`${dataDir}: the data directory does not exist or is not a directory`, dataDir);
  }
  const dir = dataDir ?? '';
  const parquetLayout = source === 'hf' || source === 'demo' || (source === 'official' && adapter.official.kind === 'parquet');
  if (parquetLayout) {
    let shards: string[];
    if (files !== undefined) {
      checkFiles(files, '.parquet', source);
      shards = [...files];
    } else {
      shards = await findParquet(adapter, dir, split, config);
      if (shards.length === 0) throw notFound(adapter, source, dir, split, config, `no ${adapter.hf.hfSplit(split)}-*.parquet shard found`);
    }
    const repo = opts.repo ?? (source === 'official' && adapter.hf.alsoRepos?.length ? adapter.hf.alsoRepos[0] : adapter.hf.repo);
    const located = await openParquet(adapter, shards, split, config, repo);
    if (source === 'official') located.description = `official (${adapter.official.describe}): ${located.description}`;
    return located;
  }
  if (source === 'vlmevalkit') {
    let file: string | undefined;
    if (files !== undefined) {
      checkFiles(files, '.tsv', source);
      if (files.length !== 1) throw new DataError(`source "vlmevalkit" reads one TSV file, got ${files.length}`);
      file = files[0];
    } else {
      file = await findTsv(adapter.tsv.names(split, config), dir);
      if (file === undefined) throw notFound(adapter, source, dir, split, config, `no ${adapter.tsv.names(split, config).join(' / ')}.tsv found`);
    }
    return openTsv(adapter, file, split, 'VLMEvalKit');
  }
  // official, JSON or TSV
  const layout = adapter.official;
  if (layout.kind === 'tsv') {
    let file: string | undefined;
    if (files !== undefined) {
      checkFiles(files, '.tsv', source);
      file = files[0];
    } else {
      const patterns = layout.patterns(split, config);
      const found = await findFiles(dir, (rel) => patterns.some((p) => p.test(rel.slice(rel.lastIndexOf('/') + 1))), 2);
      file = found[found.length - 1]; // the latest dated release
      if (file === undefined) throw notFound(adapter, source, dir, split, config, 'no official release TSV found');
    }
    return openTsv(adapter, file, split, 'official');
  }
  if (layout.kind !== 'json') throw new Error('unreachable: parquet layouts are handled above');
  let jsonFiles: string[] | undefined;
  if (files !== undefined) {
    checkFiles(files, '.json', source);
    jsonFiles = [...files];
  } else {
    jsonFiles = await layout.find(dir, split);
    if (jsonFiles === undefined) throw notFound(adapter, source, dir, split, config, 'the official files were not found');
  }
  const parts = await layout.load(jsonFiles, split);
  return {
    format: 'official',
    files: jsonFiles,
    description: `official ${benchmark(adapter.bench).title} ${jsonFiles.join(' + ')}`,
    source: officialSource(parts),
  };
}

/**
 * Opens a benchmark split from a local copy (`dataDir`, searched for the source's layout) or from
 * explicit files. Missing files or columns are DataErrors naming them and the accepted layouts.
 */
export async function openDataset(opts: OpenDatasetOptions): Promise<CogevalDataset> {
  if (!(SOURCE_IDS as readonly string[]).includes(opts.source)) {
    throw new ConfigError(`unknown data source "${opts.source}"; valid sources: ${SOURCE_IDS.join(', ')}`);
  }
  const adapter = adapterFor(opts.bench);
  const split = resolveSplit(adapter.bench, opts.split);
  const config = resolveConfig(adapter.bench, opts.config);
  const located = await locate(adapter, opts, split, config);
  const revision = opts.revision ?? (await hashFiles(located.files));
  return makeDataset({
    adapter,
    source: located.source,
    sourceId: opts.source,
    format: located.format,
    split,
    config,
    description: located.description,
    revision,
    imagePolicy: opts.imagePolicy ?? 'first',
  });
}

/** Opens explicit parquet shards (e.g. resolved in the HF cache at a pinned commit). */
export function openParquetDataset(opts: OpenParquetOptions): Promise<CogevalDataset> {
  const { source, ...rest } = opts;
  return openDataset({ ...rest, source: source ?? 'hf' });
}
