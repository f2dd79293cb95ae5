// `cogeval report` end to end: finds and loads the runs, builds the leaderboard model, makes the
// thumbnails, renders HTML, CSV, Markdown and the terminal table, and writes the three files.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ChalkInstance } from 'chalk';
import { InputError } from '../errors.js';
import { benchDataConfig, openBenchDataset, type DataContext, type DataSelection } from '../datasets/catalog.js';
import type { BenchDataset } from '../datasets/types.js';
import { type BenchId } from '../metrics/types.js';
import { BENCH_IDS } from '../benchmarks/registry.js';
import type { DatasetProvenance } from '../run/config.js';
import { VERSION } from '../version.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { findRunDirs, loadRuns } from './load-runs.js';
import { renderMarkdown } from './markdown.js';
import { buildLeaderboard, type Leaderboard } from './model.js';
import { loadReportedTable } from './reported.js';
import { buildSamplesView } from './samples-view.js';
import { renderTerminal } from './terminal.js';
import { collectThumbnails } from './thumbnails.js';

export const REPORT_FILES = { html: 'leaderboard.html', csv: 'leaderboard.csv', md: 'leaderboard.md' } as const;

/** Default total size of the embedded thumbnails. */
export const DEFAULT_THUMBNAIL_BUDGET_BYTES = 3_000_000;

export interface ReportOptions {
  /** Run directories to report; when empty, every run under `runsDir`. */
  runDirs?: readonly string[];
  runsDir?: string;
  outDir: string;
  /** configs/reported.json or another file in its format. */
  reportedPath?: string;
  /** 0 disables thumbnails. */
  thumbnailBudgetBytes?: number;
  /** Where to find the runs' data for thumbnails (default: each run's own provenance). */
  data?: Omit<DataSelection, 'data'> & { data?: DataSelection['data'] | 'official' };
  ctx?: DataContext;
  /** Replaces how data is opened for thumbnails (tests, benchmarks). */
  openDataset?: (bench: BenchId, provenance: DatasetProvenance) => Promise<BenchDataset>;
  title?: string;
  now?: Date;
  chalk?: ChalkInstance;
}

export interface ReportOutput {
  board: Leaderboard;
  files: { html: string; csv: string; md: string };
  htmlBytes: number;
  terminal: string[];
  notes: string[];
  thumbnails: { made: number; bytes: number; without: number };
}

/** How to re-open a run's data from its provenance (no network: the catalog never downloads). */
export function provenanceSelection(prov: DatasetProvenance): DataSelection {
  switch (prov.source) {
    case 'demo':
      return { data: 'demo' };
    case 'hf':
      return { data: 'hf' };
    case 'vlmevalkit':
      return { data: 'vlmevalkit' };
    default:
      if (prov.source.startsWith('imported:')) throw new InputError('an imported run holds no images; pass --data hf|vlmevalkit|demo (or --data-dir DIR) to get thumbnails');
      throw new InputError(`the run read ${prov.source} data from a local folder; pass --data ${prov.source} --data-dir DIR to get thumbnails`);
  }
}

function measuredSplits(): Partial<Record<BenchId, string>> {
  const out: Partial<Record<BenchId, string>> = {};
  for (const b of BENCH_IDS) {
    try {
      out[b] = benchDataConfig(b).title;
    } catch {
      // a missing benchmark config only loses the "cogeval measures" label
    }
  }
  return out;
}

export async function buildReport(opts: ReportOptions): Promise<ReportOutput> {
  const dirs = opts.runDirs && opts.runDirs.length > 0 ? [...opts.runDirs] : findRunDirs(opts.runsDir ?? 'runs');
  if (dirs.length === 0) throw new InputError(`no runs in ${opts.runsDir ?? 'runs'}: run cogeval eval first, or name run directories`);
  const { runs, skipped } = loadRuns(dirs);
  if (runs.length === 0) throw new InputError(`none of the runs could be read:\n  ${skipped.map((s) => s.reason).join('\n  ')}`);
  const table = loadReportedTable(opts.reportedPath);
  const board = buildLeaderboard(runs, table, { title: opts.title, generatedAt: (opts.now ?? new Date()).toISOString(), measuredSplits: measuredSplits(), skipped });

  const budget = opts.thumbnailBudgetBytes ?? DEFAULT_THUMBNAIL_BUDGET_BYTES;
  const ctx: DataContext = opts.ctx ?? { env: process.env, cwd: process.cwd() };
  const open =
    opts.openDataset ??
    ((bench: BenchId, prov: DatasetProvenance) => openBenchDataset(bench, opts.data && (opts.data.data !== undefined || opts.data.dataDir !== undefined) ? opts.data : provenanceSelection(prov), ctx));
  const thumbs = budget > 0 ? await collectThumbnails(runs, { budgetBytes: budget, openDataset: open }) : { thumbs: new Map<string, string>(), notes: ['thumbnails are turned off (--thumbnail-budget 0)'], made: 0, bytes: 0, without: 0 };
  const samples = buildSamplesView(runs, thumbs.thumbs);

  const html = renderHtml({ board, samples, notes: thumbs.notes, version: VERSION });
  const outDir = resolve(opts.outDir);
  mkdirSync(outDir, { recursive: true });
  const files = { html: join(outDir, REPORT_FILES.html), csv: join(outDir, REPORT_FILES.csv), md: join(outDir, REPORT_FILES.md) };
  writeFileAtomic(files.html, html);
  writeFileAtomic(files.csv, renderCsv(board));
  writeFileAtomic(files.md, renderMarkdown(board));
  return {
    board,
    files,
    htmlBytes: Buffer.byteLength(html),
    terminal: renderTerminal(board, opts.chalk),
    notes: [...skipped.map((s) => `skipped ${s.dir}: ${s.reason}`), ...runs.flatMap((r) => r.problems.map((p) => `${r.id}: ${p}`)), ...thumbs.notes],
    thumbnails: { made: thumbs.made, bytes: thumbs.bytes, without: thumbs.without },
  };
}
