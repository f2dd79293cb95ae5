// The sample browser's data: every scored unit of every run (question, prediction, references,
// outcome, categories, thumbnail), compacted with a shared string table so that twenty runs over
// the same items cost little more than one. Pure; the HTML embeds it as inert JSON.
import { BENCHMARKS, benchmark } from '../benchmarks/registry.js';
import { asText } from '../benchmarks/common.js';
import type { BenchId } from '../metrics/types.js';
import type { LoadedRun, ReportSample } from './load-runs.js';

export const OUTCOMES = ['correct', 'partial', 'wrong', 'excluded', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** [id, outcome, value, status, question, prediction, gold, options, categories[], detail, thumb]: strings are string-table indices (-1 none). */
export type CompactSample = [number, number, number | null, number, number, number, number, number, number[], number, number];

export interface SamplesView {
  strings: string[];
  thumbs: string[];
  outcomes: readonly Outcome[];
  /** Each benchmark's display name (its module's title), for the browser's benchmark menu. */
  titles: Record<string, string>;
  runs: { id: string; benches: Partial<Record<BenchId, CompactSample[]>> }[];
}

export interface SampleLimits {
  question: number;
  prediction: number;
  references: number;
  detail: number;
}

export const DEFAULT_SAMPLE_LIMITS: SampleLimits = { question: 1500, prediction: 3000, references: 1500, detail: 600 };

/** Thumbnails by `thumbnailKey(bench, revision, id)` → data: URI. */
export type ThumbnailMap = ReadonlyMap<string, string>;

export function thumbnailKey(bench: BenchId, revision: string, id: string): string {
  return `${bench}\u0000${revision}\u0000${id}`;
}

export function outcomeOf(s: Pick<ReportSample, 'value' | 'status'>): Outcome {
  if (s.status === 'failed') return 'failed';
  if (s.value === null) return 'excluded';
  if (s.value >= 1 - 1e-9) return 'correct';
  if (s.value <= 1e-9) return 'wrong';
  return 'partial';
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${(text.length - max).toLocaleString('en')} more characters]`;
}

/** The gold answer(s) and the options of a sample's references, as text (the benchmark module's referenceText). */
export function referenceText(bench: BenchId, refs: Record<string, unknown> | undefined): { gold: string; options: string } {
  if (!refs) return { gold: '', options: '' };
  return benchmark(bench).referenceText(refs);
}

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  add(s: string | undefined): number {
    if (s === undefined || s === '') return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

function categoryLabels(cats: Record<string, string | string[]>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(cats)) for (const label of Array.isArray(v) ? v : [v]) out.push(`${k}: ${label}`);
  return out;
}

function detailText(s: ReportSample): string {
  if (s.status === 'failed') return s.error ? `failed (${s.error.kind}): ${s.error.message}` : 'failed: no prediction';
  return s.detail && Object.keys(s.detail).length > 0 ? JSON.stringify(s.detail) : '';
}

/** Builds the browser's data for the given runs (in the report's run order). */
export function buildSamplesView(runs: readonly LoadedRun[], thumbs: ThumbnailMap, limits: SampleLimits = DEFAULT_SAMPLE_LIMITS): SamplesView {
  const table = new StringTable();
  const thumbList: string[] = [];
  const thumbIndex = new Map<string, number>();
  const titles = Object.fromEntries(BENCHMARKS.map((m) => [m.id, m.title]));
  const view: SamplesView = { strings: table.strings, thumbs: thumbList, outcomes: OUTCOMES, titles, runs: [] };
  for (const run of runs) {
    const benches: Partial<Record<BenchId, CompactSample[]>> = {};
    for (const s of run.samples) {
      const list = (benches[s.bench] ??= []);
      const revision = run.manifest.config.datasets?.[s.bench]?.revision ?? '';
      const key = thumbnailKey(s.bench, revision, s.id);
      let t = -1;
      const uri = thumbs.get(key);
      if (uri !== undefined) {
        t = thumbIndex.get(key) ?? -1;
        if (t === -1) {
          t = thumbList.length;
          thumbList.push(uri);
          thumbIndex.set(key, t);
        }
      }
      const refs = referenceText(s.bench, s.references);
      list.push([
        table.add(s.id),
        OUTCOMES.indexOf(outcomeOf(s)),
        s.value,
        table.add(s.status),
        table.add(clip(s.question ?? asText(s.references?.['question']), limits.question)),
        table.add(s.prediction === undefined ? undefined : clip(s.prediction, limits.prediction)),
        table.add(clip(refs.gold, limits.references)),
        table.add(clip(refs.options, limits.references)),
        categoryLabels(s.categories).map((c) => table.add(c)),
        table.add(clip(detailText(s), limits.detail)),
        t,
      ]);
    }
    view.runs.push({ id: run.id, benches });
  }
  return view;
}
