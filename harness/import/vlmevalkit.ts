// Reads VLMEvalKit prediction sheets ({model}_{dataset}.xlsx|.csv|.tsv: the dataset's TSV columns
// plus `prediction`), its judge sheets (the same plus the judge's `score`/`log` columns), the
// score files it prints ({model}_{dataset}_acc.csv, …_score.csv) and the MMBench upload-sheet
// layout LLaVA and others publish (index, question, options, answer?, prediction; circular
// copies at index + k·10⁶). Rows are mapped with cogeval's own VLMEvalKit-TSV adapters.
import { basename } from 'node:path';
import { ADAPTERS } from '../datasets/adapters.js';
import { benchmark } from '../benchmarks/registry.js';
import { RowError } from '../datasets/errors.js';
import type { SourceRow } from '../datasets/sources/row.js';
import { InputError } from '../errors.js';
import type { BenchId } from '../metrics/types.js';
import { readSheetFile, type Sheet } from './sheet.js';
import { SOURCE_TITLES, type HarnessSource, type ImportedRow, type PrintedScore, type SourceRead } from './types.js';

/** A score file VLMEvalKit prints next to its sheets (not a prediction sheet). */
export function isVlmevalkitScoreFile(file: string): boolean {
  return /_(acc|score)\.(csv|xlsx|tsv)$/i.test(basename(file));
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/**
 * The overall score of a VLMEvalKit score file: `_acc` sheets (MMBench, MMMU: a row per split,
 * an `Overall` column, fractions or percent) and `_score` sheets (MM-Vet: `Category`/`acc` rows).
 */
function printedFromScoreSheet(sheet: Sheet, bench: BenchId): PrintedScore | undefined {
  const name = basename(sheet.file);
  if (sheet.columns.includes('Overall')) {
    const row = sheet.rows.find((r) => ['dev', 'validation', 'val'].includes(String(r.cells['split'] ?? '').toLowerCase())) ?? sheet.rows[0];
    const v = row ? num(row.cells['Overall']) : undefined;
    if (v === undefined) return undefined;
    return { bench, profile: 'vlmevalkit', value: v <= 1 ? v * 100 : v, label: `${name} Overall${row.cells['split'] ? ` (${String(row.cells['split'])})` : ''}` };
  }
  if (sheet.columns.includes('Category') && sheet.columns.includes('acc')) {
    const row = sheet.rows.find((r) => r.cells['Category'] === 'Overall');
    const v = row ? num(row.cells['acc']) : undefined;
    if (v === undefined) return undefined;
    return { bench, profile: 'vlmevalkit', value: v, label: `${name} Overall acc` };
  }
  return undefined;
}

/** The judge's grade column of an MM-Vet judge sheet, as the reply the vlmevalkit profile reads. */
function judgeReply(cells: Sheet['rows'][number]['cells']): string | undefined {
  const score = cells['score'];
  if (score === null || score === undefined) return undefined;
  return typeof score === 'number' ? score.toFixed(1) : String(score);
}

/** Reads one or more sheets of one benchmark. `source` is `vlmevalkit` or `llava` (upload sheet). */
export async function readVlmevalkitSheets(files: readonly string[], bench: BenchId, source: Extract<HarnessSource, 'vlmevalkit' | 'llava'>): Promise<SourceRead> {
  const adapter = ADAPTERS[bench];
  const importing = benchmark(bench).importing;
  const read: SourceRead = { source, bench, files: [...files], label: '', rows: [], printed: [], problems: [], notes: [] };
  const sheetNames: string[] = [];
  let emptyPredictions = 0;
  let judged = 0;
  // VLMEvalKit writes its judge's and intermediate sheets next to the prediction sheet, named
  // `{model}_{dataset}_<suffix>` (e.g. `_openai_result.xlsx`, `_gpt-4-turbo.xlsx`): the rows come
  // from the prediction sheet; an MM-Vet judge sheet contributes its grades.
  const stems = files.filter((f) => !isVlmevalkitScoreFile(f)).map((f) => basename(f).replace(/\.(xlsx|csv|tsv)$/i, ''));
  const derivedFrom = (file: string): string | undefined => {
    const stem = basename(file).replace(/\.(xlsx|csv|tsv)$/i, '');
    return stems.find((s) => s !== stem && stem.startsWith(`${s}_`));
  };
  const grades = new Map<string, string>();
  for (const file of files) {
    if (isVlmevalkitScoreFile(file) || derivedFrom(file) === undefined) continue;
    const sheet = await readSheetFile(file);
    if (importing.vlmevalkitJudgeSheet && sheet.columns.includes('score')) {
      for (const r of sheet.rows) {
        const reply = judgeReply(r.cells);
        const id = r.cells['index'];
        if (reply !== undefined && id !== null && id !== undefined) grades.set(String(id), reply);
      }
      read.notes.push(`${basename(file)}: VLMEvalKit judge sheet, its grades ("score") read as the judge's replies`);
    } else read.notes.push(`${basename(file)}: a VLMEvalKit judge/intermediate sheet of ${derivedFrom(file)}; its rows are not predictions and were not read`);
  }
  for (const file of files) {
    if (!isVlmevalkitScoreFile(file) && derivedFrom(file) !== undefined) continue;
    const sheet = await readSheetFile(file);
    if (isVlmevalkitScoreFile(file)) {
      const printed = printedFromScoreSheet(sheet, bench);
      if (printed) read.printed.push(printed);
      else read.notes.push(`${file}: no overall score found (expected an "Overall" column or a "Category"/"acc" sheet)`);
      continue;
    }
    if (!sheet.columns.includes('prediction')) {
      throw new InputError(`${file} has no "prediction" column (columns: ${sheet.columns.join(', ')}); a VLMEvalKit prediction sheet holds the dataset's columns plus "prediction"`);
    }
    sheetNames.push(basename(file));
    const answerColumns = adapter.tsv.answerColumns ?? ['answer'];
    const hasAnswers = answerColumns.every((c) => sheet.columns.includes(c));
    const isJudgeSheet = importing.vlmevalkitJudgeSheet && sheet.columns.includes('score');
    for (const [i, r] of sheet.rows.entries()) {
      const where = `${file} row ${r.row}`;
      const srcRow: SourceRow = { file, row: i, where, cells: r.cells, images: {} };
      try {
        const rawPrediction = r.cells['prediction'];
        // pandas writes an empty output as an empty cell, which it reads back as NaN.
        if (rawPrediction === null || rawPrediction === undefined) emptyPredictions++;
        const prediction = rawPrediction === null || rawPrediction === undefined ? '' : String(rawPrediction);
        let id: string;
        let references: Record<string, unknown> | null = null;
        let question: string | undefined;
        if (hasAnswers) {
          const parts = adapter.toSample(srcRow, 'vlmevalkit', { split: adapter.defaultSplit, config: undefined, hasAnswers: true }, i);
          const hfId = parts.extra['mmmu_id'];
          id = typeof hfId === 'string' ? hfId : parts.id;
          references = parts.references;
          question = parts.question;
        } else {
          const known = adapter.idOf(srcRow, 'vlmevalkit', i);
          if (known === undefined) throw new RowError('index', 'column "index" is empty');
          id = typeof r.cells['id'] === 'string' && importing.vlmevalkitIdColumn ? (r.cells['id'] as string) : known;
        }
        const row: ImportedRow = { id, prediction, references, where, ...(question !== undefined ? { question } : {}) };
        const fromJudgeSheet = grades.get(String(r.cells['index']));
        if (fromJudgeSheet !== undefined && !isJudgeSheet) {
          row.extra = { judge_outputs: [fromJudgeSheet] };
          judged++;
        } else if (isJudgeSheet) {
          const reply = judgeReply(r.cells);
          if (reply !== undefined) {
            row.extra = { judge_outputs: [reply] };
            judged++;
          }
        }
        read.rows.push(row);
      } catch (err) {
        if (err instanceof RowError) read.problems.push(`${where}: column "${err.column}": ${err.message}`);
        else throw err;
      }
    }
  }
  if (sheetNames.length === 0) throw new InputError(`no prediction sheet among ${files.join(', ')} (only score files)`);
  read.label = `${SOURCE_TITLES[source]} ${sheetNames.join(', ')}`;
  if (emptyPredictions > 0) read.notes.push(`${emptyPredictions} prediction cell(s) are empty/NaN (pandas writes an empty output so); read as empty outputs`);
  if (judged > 0) read.notes.push(`${judged} MM-Vet grade(s) from VLMEvalKit's judge sheet ("score" column), read as the judge's replies`);
  return read;
}
