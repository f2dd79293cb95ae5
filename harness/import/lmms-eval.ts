// Reads lmms-eval logs: `samples_*.jsonl` (one line per doc: `doc` — the dataset row without its
// images —, `target`, `resps`, `filtered_resps`, metric fields) mapped with cogeval's HF
// adapters, and `results*.json` for the score lmms-eval printed itself.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ADAPTERS } from '../datasets/adapters.js';
import { RowError } from '../datasets/errors.js';
import type { SourceRow } from '../datasets/sources/row.js';
import { InputError } from '../errors.js';
import { SCORERS } from '../metrics/registry.js';
import { benchmark } from '../benchmarks/registry.js';
import type { BenchId } from '../metrics/types.js';
import { requireFileKind } from './file-kind.js';
import { SOURCE_TITLES, type ImportedRow, type PrintedScore, type SourceRead } from './types.js';

export function isLmmsEvalResultsFile(file: string): boolean {
  return /^results.*\.json$/i.test(basename(file)) || /_results\.json$/i.test(basename(file));
}

/** The first text of a response field: a string, or the first string inside nested lists. */
function firstText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0) return firstText(v[0]);
  return undefined;
}

function printedScores(file: string, bench: BenchId): PrintedScore[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const results = (doc as { results?: unknown }).results;
  if (typeof results !== 'object' || results === null) throw new InputError(`${file}: no "results" object; an lmms-eval results file has {"results": {task: {"metric,filter": value}}}`);
  // The metric lmms-eval prints as the benchmark's score, and whether in percent (its module says).
  const printedMetric = benchmark(bench).importing.lmmsEvalPrinted;
  if (printedMetric === null) return [];
  const { metric, percent } = printedMetric;
  const out: PrintedScore[] = [];
  for (const [task, metrics] of Object.entries(results as Record<string, unknown>)) {
    if (!task.toLowerCase().includes(bench)) continue;
    if (typeof metrics !== 'object' || metrics === null) continue;
    const entry = Object.entries(metrics as Record<string, unknown>).find(([k, v]) => (k === metric || k.startsWith(`${metric},`)) && typeof v === 'number');
    if (!entry) continue;
    const v = entry[1] as number;
    const scale = SCORERS[bench].scale === 'points1000' ? 1000 : 100;
    out.push({ bench, profile: 'lmms-eval', value: percent ? v : v * scale, label: `${basename(file)} ${task} "${entry[0]}"` });
  }
  return out;
}

export function readLmmsEval(files: readonly string[], bench: BenchId): SourceRead {
  const adapter = ADAPTERS[bench];
  const answerColumns = new Set([...(adapter.hf.answerColumns ?? []), 'answer', 'answers']);
  const read: SourceRead = { source: 'lmms-eval', bench, files: [...files], label: '', rows: [], printed: [], problems: [], notes: [] };
  const logs: string[] = [];
  for (const file of files) {
    if (isLmmsEvalResultsFile(file)) {
      requireFileKind(file, ['json'], 'an lmms-eval results JSON file');
      read.printed.push(...printedScores(file, bench));
      continue;
    }
    requireFileKind(file, ['json', 'text'], 'an lmms-eval samples log (JSON Lines)');
    logs.push(basename(file));
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((raw, i) => {
      if (raw.trim() === '') return;
      const where = `${file}:${i + 1}`;
      let obj: unknown;
      try {
        obj = JSON.parse(raw);
      } catch (err) {
        read.problems.push(`${where}: not valid JSON (${(err as Error).message})`);
        return;
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
        read.problems.push(`${where}: a samples line must be a JSON object`);
        return;
      }
      const line = obj as Record<string, unknown>;
      const prediction = firstText(line['resps']) ?? firstText(line['filtered_resps']);
      if (prediction === undefined) {
        read.problems.push(`${where}: field "resps": no model output (expected "resps" [["…"]] or "filtered_resps" ["…"])`);
        return;
      }
      const doc = line['doc'];
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
        read.problems.push(`${where}: field "doc": missing; lmms-eval logs the dataset row as "doc" (it is needed for the item id)`);
        return;
      }
      const srcRow: SourceRow = { file, row: i, where, cells: doc as Record<string, unknown>, images: {} };
      try {
        let row: ImportedRow;
        try {
          const parts = adapter.toSample(srcRow, 'hf', { split: adapter.defaultSplit, config: undefined, hasAnswers: true }, i);
          row = { id: parts.id, prediction, references: parts.references, question: parts.question, where };
        } catch (err) {
          // A doc without its answer (a test split, a trimmed log): the references are joined from --data.
          if (!(err instanceof RowError) || !answerColumns.has(err.column)) throw err;
          const id = adapter.idOf(srcRow, 'hf', i);
          if (id === undefined) throw err;
          row = { id, prediction, references: null, where };
        }
        read.rows.push(row);
      } catch (err) {
        if (err instanceof RowError) read.problems.push(`${where}: field "doc.${err.column}": ${err.message}`);
        else throw err;
      }
    });
  }
  if (logs.length === 0) throw new InputError(`no lmms-eval samples log among ${files.join(', ')} (only results files); pass the samples_*.jsonl written with --log_samples`);
  read.label = `${SOURCE_TITLES['lmms-eval']} ${logs.join(', ')}`;
  return read;
}
