// Reads MM-Vet's evaluator inputs: the model outputs ({id: answer}, results/<model>.json), the
// grade cache ({id: {model: [...], content: [...], score: [...]}}, one entry per grading run),
// the benchmark metadata mm-vet.json ({id: {imagename, question, answer, capability}}) and the
// cap-score CSV the evaluator prints (its `total` is the score it reported).
import { isJsonObject, type JsonObject } from '../../util/json-guards.js';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError } from '../../errors.js';
import { requireFileKind } from '../../import/file-kind.js';
import { readSheetFile } from '../../import/sheet.js';
import type { SourceRead } from '../../import/types.js';
import { isMmvetCapScoreFile } from './import-files.js';



/** Reads the files; `title` names the source to users. */
export async function readMmvet(files: readonly string[], title: string): Promise<SourceRead> {
  const read: SourceRead = { source: 'mmvet', bench: 'mmvet', files: [...files], label: '', rows: [], printed: [], problems: [], notes: [] };
  let outputs: { file: string; map: JsonObject } | undefined;
  let grades: { file: string; map: JsonObject } | undefined;
  let meta: { file: string; map: JsonObject } | undefined;
  for (const file of files) {
    if (extname(file).toLowerCase() === '.csv') {
      if (!isMmvetCapScoreFile(file)) throw new InputError(`${file}: the only CSV cogeval reads from MM-Vet's evaluator is its "<model>_<judge>-cap-score-<N>runs.csv"`);
      const sheet = await readSheetFile(file);
      const total = sheet.rows[0]?.cells['total'];
      const value = typeof total === 'number' ? total : Number(total);
      if (Number.isFinite(value)) read.printed.push({ bench: 'mmvet', profile: 'official', value, label: `${basename(file)} total` });
      continue;
    }
    requireFileKind(file, ['json'], 'a JSON file of MM-Vet\'s evaluator');
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new InputError(`${file} is not valid JSON (${(err as Error).message})`);
    }
    if (!isJsonObject(doc)) throw new InputError(`${file}: expected a JSON object keyed by MM-Vet id ("v1_0": …)`);
    const values = Object.values(doc);
    if (values.every((v) => typeof v === 'string')) outputs = { file, map: doc };
    else if (values.every((v) => isJsonObject(v) && Array.isArray(v['score']))) grades = { file, map: doc };
    else if (values.every((v) => isJsonObject(v) && 'question' in v && 'answer' in v)) meta = { file, map: doc };
    else throw new InputError(`${file} is none of MM-Vet's evaluator files: outputs {id: answer}, grade cache {id: {model, content, score}}, mm-vet.json {id: {question, answer, capability}}`);
  }
  if (!outputs) throw new InputError(`no MM-Vet model outputs among ${files.join(', ')}: pass results/<model>.json ({"v1_0": "answer", …})`);
  const runCounts = new Set<number>();
  for (const [id, pred] of Object.entries(outputs.map)) {
    const where = `${outputs.file}["${id}"]`;
    const m = meta?.map[id];
    let references: Record<string, unknown> | null = null;
    if (isJsonObject(m)) references = { question: m['question'], answer: m['answer'], capability: m['capability'] };
    else if (meta) read.problems.push(`${where}: id not in ${meta.file}`);
    const row = { id, prediction: pred as string, references, where, ...(isJsonObject(m) && typeof m['question'] === 'string' ? { question: m['question'] } : {}) };
    const g = grades?.map[id];
    if (isJsonObject(g)) {
      const scores = g['score'] as unknown[];
      runCounts.add(scores.length);
      Object.assign(row, { extra: { judge_scores: scores } });
    }
    read.rows.push(row);
  }
  if (meta) {
    const missing = Object.keys(meta.map).filter((id) => !(id in outputs.map));
    if (missing.length > 0) read.problems.push(`${meta.file}: ${missing.length} item(s) have no output in ${outputs.file} (first: ${missing.slice(0, 5).join(', ')})`);
  }
  if (grades) {
    read.notes.push(`grade cache ${basename(grades.file)}: ${[...runCounts].join('/')} grading run(s) per item, used by the official profile (mean of the unrounded runs, and their spread)`);
    if (runCounts.size > 1) read.notes.push('items hold different numbers of grading runs: the official evaluator would grade the missing runs first; the spread is not reported');
  }
  read.label = `${title} ${[outputs.file, grades?.file, meta?.file].filter((f): f is string => f !== undefined).map((f) => basename(f)).join(' + ')}`;
  return read;
}
