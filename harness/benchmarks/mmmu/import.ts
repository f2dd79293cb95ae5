// Reads the MMMU authors' evaluation inputs: per-subject `output.json` (a JSON array of {id,
// question_type, answer, all_choices, index2ans, response}, for main_parse_and_eval.py) with the
// `result.json` it writes, and the eval-only layout `total_val_output.json` ({id: final answer})
// + `answer_dict_val.json` ({id: {question_type, ground_truth}}), whose letters are compared
// directly as main_eval_only.py does.
import { isJsonObject, type JsonObject } from '../../util/json-guards.js';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { InputError } from '../../errors.js';
import { subjectFromId } from './scorer.js';
import { requireFileKind } from '../../import/file-kind.js';
import type { ImportedRow, SourceRead } from '../../import/types.js';


function readJsonFile(file: string): unknown {
  requireFileKind(file, ['json'], 'a JSON file of the MMMU authors\' layout');
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file} is not valid JSON (${(err as Error).message})`);
  }
}

/** `short-answer` (some published outputs) is what the authors' scripts treat as open: anything not multiple-choice. */
function questionType(v: unknown): 'multiple-choice' | 'open' | undefined {
  if (v === 'multiple-choice') return 'multiple-choice';
  if (typeof v === 'string' && v !== '') return 'open';
  return undefined;
}

function gold(v: unknown): string | string[] | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x): x is string => typeof x === 'string')) return v;
  return undefined;
}

class FieldProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function outputRow(entry: unknown, file: string, i: number): ImportedRow {
  const where = `${file}[${i}]`;
  if (!isJsonObject(entry)) throw new FieldProblem('(entry)', 'each entry of output.json must be an object');
  const id = entry['id'];
  if (typeof id !== 'string' || id === '') throw new FieldProblem('id', 'must be the MMMU id, e.g. "validation_Art_12"');
  const response = entry['response'];
  if (typeof response !== 'string') throw new FieldProblem('response', 'must be the model\'s response (a string)');
  const type = questionType(entry['question_type']);
  if (type === undefined) throw new FieldProblem('question_type', 'must be "multiple-choice" or an open type ("open", "short-answer")');
  const answer = gold(entry['answer']);
  const subject = subjectFromId(id) ?? basename(dirname(file));
  let options: string[] = [];
  if (type === 'multiple-choice') {
    const choices = entry['all_choices'];
    const index2ans = entry['index2ans'];
    if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c): c is string => typeof c === 'string')) {
      throw new FieldProblem('all_choices', 'a multiple-choice entry needs its letters, e.g. ["A", "B", "C", "D"]');
    }
    if (!isJsonObject(index2ans)) throw new FieldProblem('index2ans', 'a multiple-choice entry needs {letter: option text}');
    options = choices.map((letter) => {
      const text = index2ans[letter];
      if (typeof text !== 'string') throw new FieldProblem(`index2ans.${letter}`, 'missing option text for this letter');
      return text;
    });
  }
  const references = answer === undefined ? null : { question_type: type, answer, options, subject };
  return { id, prediction: response, references, where };
}

/** A per-subject result.json: {"acc": x, "num_example": n}. */
function isResultJson(v: unknown): v is { acc: number; num_example: number } {
  return isJsonObject(v) && typeof v['acc'] === 'number' && typeof v['num_example'] === 'number';
}

/** Reads the files; `title` names the source to users. */
export function readMmmu(files: readonly string[], title: string): SourceRead {
  const read: SourceRead = { source: 'mmmu', bench: 'mmmu', files: [...files], label: '', rows: [], printed: [], problems: [], notes: [] };
  const names: string[] = [];
  let evalOnly: { file: string; preds: JsonObject } | undefined;
  let answers: { file: string; dict: JsonObject } | undefined;
  let accSum = 0;
  let accN = 0;
  for (const file of files) {
    const doc = readJsonFile(file);
    if (Array.isArray(doc)) {
      names.push(`${basename(dirname(file))}/${basename(file)}`);
      doc.forEach((entry, i) => {
        try {
          read.rows.push(outputRow(entry, file, i));
        } catch (err) {
          if (err instanceof FieldProblem) read.problems.push(`${file}[${i}]: field "${err.field}": ${err.message}`);
          else throw err;
        }
      });
    } else if (isResultJson(doc)) {
      accSum += doc.acc * doc.num_example;
      accN += doc.num_example;
    } else if (isJsonObject(doc) && Object.values(doc).every((v) => isJsonObject(v) && 'ground_truth' in v)) {
      answers = { file, dict: doc };
    } else if (isJsonObject(doc) && Object.values(doc).every((v) => typeof v === 'string')) {
      evalOnly = { file, preds: doc };
      names.push(basename(file));
    } else {
      throw new InputError(`${file} is not one of the MMMU authors' files: a per-subject output.json (a JSON array), result.json, total_val_output.json ({id: answer}) or answer_dict_val.json ({id: {question_type, ground_truth}})`);
    }
  }
  if (evalOnly) {
    for (const [id, pred] of Object.entries(evalOnly.preds)) {
      const where = `${evalOnly.file}["${id}"]`;
      const truth = answers?.dict[id];
      if (answers && !isJsonObject(truth)) {
        read.problems.push(`${where}: id not in ${answers.file}`);
        continue;
      }
      let references: Record<string, unknown> | null = null;
      if (isJsonObject(truth)) {
        const type = questionType(truth['question_type']);
        const g = gold(truth['ground_truth']);
        if (type === undefined || g === undefined) {
          read.problems.push(`${answers?.file}["${id}"]: field "${type === undefined ? 'question_type' : 'ground_truth'}": missing or not a string / list of strings`);
          continue;
        }
        references = { question_type: type, answer: g };
      }
      read.rows.push({ id, prediction: pred as string, references, extra: { parsed: true }, where });
    }
    read.notes.push('eval-only layout: multiple-choice letters are compared with the gold directly (main_eval_only.py); VLMEvalKit\'s profile cannot read them');
  } else if (answers) {
    read.notes.push(`${answers.file} is used only with total_val_output.json`);
  }
  if (accN > 0) read.printed.push({ bench: 'mmmu', profile: 'official', value: (accSum / accN) * 100, label: `result.json files (${accN} items)` });
  if (names.length === 0) throw new InputError(`no MMMU predictions among ${files.join(', ')}: pass output.json files (or their folders) or total_val_output.json`);
  read.label = `${title} ${names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')}`;
  return read;
}
