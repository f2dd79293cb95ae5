// `cogeval import`: reads another harness's result files (lmms-eval, VLMEvalKit, the MMMU and
// MM-Vet authors' scripts, MMBench upload sheets), joins missing ground truth from the dataset
// by id, checks every record against the scorer's schema and writes a normal run directory
// (run.json marked `imported`, with the source files' names and sha256), then scores it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { openBenchDataset, parseDataChoice, type DataContext } from '../datasets/catalog.js';
import { isSampleFailure } from '../datasets/types.js';
import { InputError } from '../errors.js';
import { SCORERS, resolveBench } from '../metrics/registry.js';
import { RecordError } from '../metrics/scorer.js';
import { type BenchId } from '../metrics/types.js';
import { BENCHMARKS, BENCH_IDS, benchmark } from '../benchmarks/registry.js';
import type { ProtocolId } from '../protocols/types.js';
import { fingerprint, harnessProvenance, type RunConfig } from '../run/config.js';
import { scoreRun } from '../run/score-run.js';
import { JsonlAppender, ensureDir } from '../run/store.js';
import { RUN_FORMAT_VERSION, runPath, type PredictionLine, type RunManifest, type RunScores } from '../run/run-format.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { sha256FileSync } from '../util/hash.js';
import { fileKindName, sniffFileKind } from './file-kind.js';
import { isLmmsEvalResultsFile, readLmmsEval } from './lmms-eval.js';
import { readVlmevalkitSheets } from './vlmevalkit.js';
import type { ImportProvenance, ImportSource, ImportedRow, SourceRead } from './types.js';

export interface ImportRequest {
  inputs: readonly string[];
  bench: string;
  from?: string;
  modelName?: string;
  out: string;
  data?: string;
  dataDir?: string;
  skipInvalid?: boolean;
  ctx: DataContext;
}

export interface ImportOutcome {
  dir: string;
  read: SourceRead;
  provenance: ImportProvenance;
  records: number;
  scores: RunScores;
}

const SHEET_EXTS = new Set(['.xlsx', '.csv', '.tsv']);
const IMPORT_EXTS = new Set([...SHEET_EXTS, '.json', '.jsonl']);

/** Files named on the command line; a folder contributes its result files (recursively, sorted). */
export function expandInputs(inputs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (IMPORT_EXTS.has(extname(name).toLowerCase()) && !/^(parsed_output)\.json$/i.test(name)) out.push(p);
    }
  };
  for (const input of inputs) {
    if (!existsSync(input)) throw new InputError(`${input} does not exist`);
    if (statSync(input).isDirectory()) walk(input);
    else out.push(input);
  }
  if (out.length === 0) throw new InputError(`no result files (.xlsx, .csv, .tsv, .json, .jsonl) in ${inputs.join(', ')}`);
  return out;
}

/**
 * A folder of another harness's outputs often holds several benchmarks (lmms-eval logs per task,
 * VLMEvalKit sheets per dataset): a file whose name names another benchmark and not this one is
 * left out. Names that name none are kept.
 */
export function filesOfBench(files: readonly string[], bench: BenchId): { mine: string[]; others: string[] } {
  const mine: string[] = [];
  const others: string[] = [];
  for (const f of files) {
    const name = basename(f).toLowerCase().replace(/[-_ ]/g, '');
    const named = BENCH_IDS.filter((b) => name.includes(b));
    if (named.length > 0 && !named.includes(bench)) others.push(f);
    else mine.push(f);
  }
  if (mine.length === 0) throw new InputError(`none of ${files.map((f) => basename(f)).join(', ')} is named for ${bench}`);
  return { mine, others };
}

/** Every `--from` name: lmms-eval, VLMEvalKit, the benchmark authors' own outputs (from the modules), llava. */
export function importSources(): string[] {
  const authors = BENCHMARKS.flatMap((m) => (m.importing.authorsOutput ? [m.importing.authorsOutput.source] : []));
  return ['lmms-eval', 'vlmevalkit', ...authors, 'llava'];
}

/** The source a set of files comes from, when --from is auto. */
export function detectSource(files: readonly string[], bench: BenchId): ImportSource {
  for (const f of files) {
    const kind = sniffFileKind(f);
    if (kind !== 'json' && kind !== 'text' && kind !== 'xlsx') {
      throw new InputError(`${f} is ${fileKindName(kind)}, not a result file cogeval can import (lmms-eval samples .jsonl / results .json, VLMEvalKit .xlsx/.csv/.tsv sheets, MMMU or MM-Vet JSON)`);
    }
  }
  const exts = files.map((f) => extname(f).toLowerCase());
  const authors = benchmark(bench).importing.authorsOutput;
  if (files.some((f, i) => SHEET_EXTS.has(exts[i]) && !(authors?.ownsSheetFile(f) ?? false))) return 'vlmevalkit';
  if (exts.includes('.jsonl') || files.some(isLmmsEvalResultsFile)) return 'lmms-eval';
  if (authors) return authors.source;
  throw new InputError(`cannot tell which harness wrote ${files.map((f) => basename(f)).join(', ')}; name it with --from ${importSources().join('|')}`);
}

async function readSource(source: ImportSource, files: readonly string[], bench: BenchId): Promise<SourceRead> {
  switch (source) {
    case 'lmms-eval':
      return readLmmsEval(files, bench);
    case 'vlmevalkit':
    case 'llava':
      return readVlmevalkitSheets(files, bench, source);
  }
  const authors = benchmark(bench).importing.authorsOutput;
  if (authors?.source === source) return authors.read(files);
  const owner = BENCHMARKS.find((m) => m.importing.authorsOutput?.source === source);
  if (owner?.importing.authorsOutput) {
    throw new InputError(`--from ${source} reads the ${owner.importing.authorsOutput.title}; use it with --bench ${owner.id}, not ${bench}`);
  }
  throw new InputError(`unknown --from "${source}"; valid: ${importSources().join(', ')}, auto`);
}

/** The ground truth of every sample of the dataset --data names, by id. */
async function datasetReferences(bench: BenchId, req: ImportRequest): Promise<{ description: string; byId: Map<string, { references: Record<string, unknown>; question: string }> }> {
  const dataset = await openBenchDataset(bench, { data: req.data === 'official' ? 'official' : parseDataChoice(req.data), dataDir: req.dataDir }, req.ctx);
  const byId = new Map<string, { references: Record<string, unknown>; question: string }>();
  for await (const s of dataset.samples()) {
    if (isSampleFailure(s)) continue;
    const hfId = s.extra['mmmu_id'];
    byId.set(typeof hfId === 'string' ? hfId : s.id, { references: s.references, question: s.question });
  }
  return { description: dataset.description, byId };
}

/** Why run.json's protocol is a label here: an imported run was prompted by another harness; cogeval never builds prompts from it. */
function importedProtocol(source: ImportSource): ProtocolId {
  return `imported:${source}` as ProtocolId;
}

export async function importRun(req: ImportRequest): Promise<ImportOutcome> {
  const bench = resolveBench(req.bench);
  const from = req.from ?? 'auto';
  if (from !== 'auto' && !importSources().includes(from)) {
    throw new InputError(`unknown --from "${from}"; valid: ${importSources().join(', ')}, auto`);
  }
  const outDir = resolve(req.ctx.cwd, req.out);
  if (existsSync(outDir) && readdirSync(outDir).length > 0) throw new InputError(`${req.out} exists and is not empty; import into a new run directory`);
  const files = expandInputs(req.inputs.map((i) => resolve(req.ctx.cwd, i)));
  const { mine, others } = filesOfBench(files, bench);
  const source = from === 'auto' ? detectSource(mine, bench) : (from as ImportSource);
  const read = await readSource(source, mine, bench);
  if (others.length > 0) read.notes.push(`not read (named for another benchmark): ${others.map((f) => basename(f)).join(', ')}`);
  const problems = [...read.problems];

  // Ground truth the files lack comes from the dataset, joined by id; every unmatched id is reported.
  let joined: ImportProvenance['joined'];
  const needJoin = read.rows.filter((r) => r.references === null);
  let kept: ImportedRow[] = read.rows.filter((r) => r.references !== null);
  if (needJoin.length > 0) {
    if (req.data === undefined && req.dataDir === undefined) {
      throw new InputError(
        `${needJoin.length} of ${read.rows.length} row(s) in ${read.label} carry no ground truth (first: ${needJoin[0].where}); pass --data hf|vlmevalkit|demo (or --data-dir DIR) to join it by id from the dataset`,
      );
    }
    const data = await datasetReferences(bench, req);
    const unmatched: string[] = [];
    for (const row of needJoin) {
      const hit = data.byId.get(row.id);
      if (!hit) {
        unmatched.push(row.id);
        problems.push(`${row.where}: id ${JSON.stringify(row.id)} is not in ${data.description}`);
        continue;
      }
      kept.push({ ...row, references: hit.references, question: row.question ?? hit.question });
    }
    joined = { dataset: data.description, rows: needJoin.length - unmatched.length, unmatched };
  }
  const order = new Map(read.rows.map((r, i) => [r.where, i]));
  kept = kept.sort((a, b) => (order.get(a.where) ?? 0) - (order.get(b.where) ?? 0));

  // Every record is checked against the scorer's schema before anything is written.
  const scorer = SCORERS[bench];
  const seen = new Map<string, string>();
  const records: { row: ImportedRow; rec: Record<string, unknown> }[] = [];
  for (const row of kept) {
    const rec = { id: row.id, ...row.references, ...row.extra, prediction: row.prediction };
    const first = seen.get(row.id);
    if (first !== undefined) {
      problems.push(`${row.where}: duplicate id ${JSON.stringify(row.id)} (first at ${first})`);
      continue;
    }
    seen.set(row.id, row.where);
    try {
      scorer.parseRecord(rec);
      records.push({ row, rec });
    } catch (err) {
      if (err instanceof RecordError) problems.push(`${row.where}: field "${err.field}": ${err.message}`);
      else throw err;
    }
  }
  if (problems.length > 0 && !req.skipInvalid) {
    throw new ImportProblems(problems, records.length);
  }
  if (records.length === 0) throw new InputError(`no importable rows in ${read.label}`);

  ensureDir(outDir);
  const now = new Date().toISOString();
  const provenance: ImportProvenance = {
    source,
    label: read.label,
    files: files.map((f) => ({ name: basename(f), path: f, sha256: sha256FileSync(f), bytes: statSync(f).size })),
    printed: read.printed,
    ...(joined ? { joined } : {}),
    skipped: problems,
    notes: read.notes,
    importedAt: now,
  };
  const modelName = req.modelName ?? 'imported';
  const config: RunConfig = {
    model: { name: modelName, hfId: modelName, revision: null, variant: 'imported', servedModel: '' },
    benches: [bench],
    protocol: importedProtocol(source),
    template: '',
    decoding: '',
    generation: {},
    promptTemplateHash: '',
    datasets: { [bench]: { source: `imported:${source}`, description: read.label, revision: provenance.files.map((f) => f.sha256.slice(0, 16)).join('+'), count: records.length } },
    engine: { kind: 'imported', server: source },
    shard: null,
    limit: null,
  };
  const manifest: RunManifest & { imported: ImportProvenance } = {
    formatVersion: RUN_FORMAT_VERSION,
    id: basename(outDir),
    fingerprint: fingerprint(config),
    config,
    harness: harnessProvenance(),
    engine: { kind: 'imported', source },
    createdAt: now,
    updatedAt: now,
    sessions: [],
    multiImageItems: {},
    imported: provenance,
  };
  writeJsonAtomic(runPath(outDir, 'manifest'), manifest);
  const preds = new JsonlAppender(runPath(outDir, 'predictions'));
  try {
    records.forEach(({ row, rec }, index) => {
      const { id: _id, prediction: _p, ...references } = rec;
      const line: PredictionLine = { bench, id: row.id, index, promptHash: '', prediction: row.prediction, references, ...(row.question !== undefined ? { question: row.question } : {}), at: Date.now() };
      preds.append(line);
    });
  } finally {
    preds.close();
  }
  const scores = scoreRun(outDir);
  return { dir: outDir, read, provenance, records: records.length, scores };
}

/** Rows that cannot be imported: every one is listed (file, row, field), nothing is written. */
export class ImportProblems extends InputError {
  constructor(
    readonly problems: readonly string[],
    readonly valid: number,
  ) {
    super(`${problems.length} row(s) cannot be imported; nothing was written. Fix them, or pass --skip-invalid to import the ${valid} valid row(s).`);
  }
}
