// configs/reported.json: the CogVLM2 README benchmark table (every row and column, missing cells
// null), which benchmarks it reports comparably to what cogeval measures, loaded and validated.
import { isJsonObject } from '../util/json-guards.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { projectRoot } from '../datasets/catalog.js';
import { type BenchId } from '../metrics/types.js';
import { BENCHMARKS, BENCH_IDS } from '../benchmarks/registry.js';

export interface ReportedColumn {
  key: string;
  title: string;
  kind: 'flag' | 'text' | 'score';
  scale?: 'percent' | 'points1000';
  /** The cogeval benchmark this column reports, or null (a column cogeval does not measure, e.g. VCR). */
  bench?: BenchId | null;
}

export interface ReportedBenchmark {
  /** Which split the table reports, as far as it is known. */
  reportedSplit: string;
  /** Whether a cogeval measurement is the same quantity as the table's number. */
  comparable: boolean;
  note: string;
}

export interface ReportedRow {
  name: string;
  openSource: boolean | null;
  llmSize: string | null;
  /** cogeval model names (configs/models) this row reports. */
  models: string[];
  aliases: string[];
  /** Column key → value on the table's scale; null = the README's "-". */
  scores: Record<string, number | null>;
  /** Columns printed in bold in the README (best in column). */
  best: string[];
}

export interface ReportedTable {
  file: string;
  title: string;
  source: { document: string; repository: string; commit: string; transcribedIn: string; note: string };
  columns: ReportedColumn[];
  benchmarks: Partial<Record<BenchId, ReportedBenchmark>>;
  rows: ReportedRow[];
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBench = (v: unknown): v is BenchId => typeof v === 'string' && (BENCH_IDS as readonly string[]).includes(v);

function need<T>(v: unknown, check: (x: unknown) => x is T, where: string, what: string): T {
  if (!check(v)) throw new ConfigError(`${where} must be ${what}`);
  return v;
}

export function defaultReportedPath(): string {
  return join(projectRoot(), 'configs', 'reported.json');
}

/** Validates a parsed reported.json; errors name the file and the field. */
export function parseReportedTable(raw: unknown, file: string): ReportedTable {
  if (!isJsonObject(raw)) throw new ConfigError(`${file}: must hold a JSON object`);
  if (raw['format'] !== 'cogeval-reported') throw new ConfigError(`${file}: field "format" must be "cogeval-reported"`);
  const src = need(raw['source'], isJsonObject, `${file}: field "source"`, 'an object');
  const source = {
    document: need(src['document'], isString, `${file}: source.document`, 'a string'),
    repository: need(src['repository'], isString, `${file}: source.repository`, 'a string'),
    commit: need(src['commit'], isString, `${file}: source.commit`, 'a string'),
    transcribedIn: need(src['transcribedIn'], isString, `${file}: source.transcribedIn`, 'a string'),
    note: need(src['note'], isString, `${file}: source.note`, 'a string'),
  };
  const columnsRaw = need(raw['columns'], Array.isArray, `${file}: field "columns"`, 'a list');
  const columns: ReportedColumn[] = columnsRaw.map((c: unknown, i: number) => {
    const w = `${file}: columns[${i}]`;
    if (!isJsonObject(c)) throw new ConfigError(`${w} must be an object`);
    const kind = need(c['kind'], (v): v is ReportedColumn['kind'] => v === 'flag' || v === 'text' || v === 'score', `${w}.kind`, 'flag, text or score');
    const col: ReportedColumn = { key: need(c['key'], isString, `${w}.key`, 'a string'), title: need(c['title'], isString, `${w}.title`, 'a string'), kind };
    if (kind === 'score') {
      col.scale = need(c['scale'], (v): v is 'percent' | 'points1000' => v === 'percent' || v === 'points1000', `${w}.scale`, 'percent or points1000');
      // A column without a benchmark is linked to the module that names it as its reportedKey.
      col.bench =
        c['bench'] === null ? (BENCHMARKS.find((m) => m.reportedKey === col.key)?.id ?? null) : need(c['bench'], isBench, `${w}.bench`, `null or one of ${BENCH_IDS.join(', ')}`);
    }
    return col;
  });
  const scoreKeys = new Set(columns.filter((c) => c.kind === 'score').map((c) => c.key));
  const benchmarksRaw = need(raw['benchmarks'], isJsonObject, `${file}: field "benchmarks"`, 'an object');
  const benchmarks: Partial<Record<BenchId, ReportedBenchmark>> = {};
  for (const [bench, b] of Object.entries(benchmarksRaw)) {
    const w = `${file}: benchmarks.${bench}`;
    if (!isBench(bench)) throw new ConfigError(`${w}: unknown benchmark; valid: ${BENCH_IDS.join(', ')}`);
    if (!isJsonObject(b)) throw new ConfigError(`${w} must be an object`);
    benchmarks[bench] = {
      reportedSplit: need(b['reportedSplit'], isString, `${w}.reportedSplit`, 'a string'),
      comparable: need(b['comparable'], (v): v is boolean => typeof v === 'boolean', `${w}.comparable`, 'true or false'),
      note: need(b['note'], isString, `${w}.note`, 'a string'),
    };
  }
  const rowsRaw = need(raw['rows'], Array.isArray, `${file}: field "rows"`, 'a list');
  const rows: ReportedRow[] = rowsRaw.map((r: unknown, i: number) => {
    const w = `${file}: rows[${i}]`;
    if (!isJsonObject(r)) throw new ConfigError(`${w} must be an object`);
    const scoresRaw = need(r['scores'], isJsonObject, `${w}.scores`, 'an object');
    const scores: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(scoresRaw)) {
      if (!scoreKeys.has(k)) throw new ConfigError(`${w}.scores.${k}: not a score column (columns: ${[...scoreKeys].join(', ')})`);
      scores[k] = v === null ? null : need(v, (x): x is number => typeof x === 'number' && Number.isFinite(x), `${w}.scores.${k}`, 'a number or null');
    }
    const strings = (key: string): string[] => (r[key] === undefined ? [] : need(r[key], (v): v is string[] => Array.isArray(v) && v.every(isString), `${w}.${key}`, 'a list of strings'));
    const best = strings('best');
    for (const b of best) if (!scoreKeys.has(b)) throw new ConfigError(`${w}.best: "${b}" is not a score column`);
    return {
      name: need(r['name'], isString, `${w}.name`, 'a string'),
      openSource: r['openSource'] === null || r['openSource'] === undefined ? null : need(r['openSource'], (v): v is boolean => typeof v === 'boolean', `${w}.openSource`, 'true, false or null'),
      llmSize: r['llmSize'] === null || r['llmSize'] === undefined ? null : need(r['llmSize'], isString, `${w}.llmSize`, 'a string or null'),
      models: strings('models'),
      aliases: strings('aliases'),
      scores,
      best,
    };
  });
  return { file, title: need(raw['title'], isString, `${file}: field "title"`, 'a string'), source, columns, benchmarks, rows };
}

/** Reads and validates configs/reported.json (or another file in its format). */
export function loadReportedTable(path: string = defaultReportedPath()): ReportedTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the reported scores ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path} is not valid JSON (${(err as Error).message})`);
  }
  return parseReportedTable(raw, path);
}

/** The row that reports a cogeval model (by registry name or Hugging Face id), if any. */
export function reportedRowFor(table: ReportedTable, model: { name: string; hfId?: string }): ReportedRow | undefined {
  const keys = [model.name, model.hfId].filter(isString).map((s) => s.toLowerCase());
  return table.rows.find((r) => [...r.models, ...r.aliases].some((a) => keys.includes(a.toLowerCase())));
}
