// `cogeval score`: reads a predictions JSONL (prediction + references per line), scores it under
// one profile or all of them, and formats the result (the "scorer sensitivity" view).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Argv, CommandModule } from 'yargs';
import { fileKindName, sniffFileKind } from '../import/file-kind.js';
import { EXIT_BAD_INPUT, InputError } from '../errors.js';
import type { CliIo } from './commands.js';
import { PLAIN, paint, type Paint } from './paint.js';
import { benchScore, type BenchScore } from '../metrics/aggregate.js';
import { benchNamed, idsInWords, profileOf, resolveJudgeMode } from '../metrics/resolve.js';
import { SCORER_BENCH_IDS, SCORER_LOADERS } from '../benchmarks/scorer-loaders.js';
import { RecordError } from '../metrics/scorer.js';
import type { BenchId, ProfileId } from '../metrics/types.js';

export interface ScoreRequest {
  bench: string;
  predictions: string;
  profile?: string;
  judgeMode?: string;
  seed?: number;
  skipInvalid?: boolean;
}

export interface ScoreResult {
  bench: BenchId;
  file: string;
  items: number;
  lineErrors: string[];
  defaultProfile: ProfileId;
  scores: BenchScore[];
  json: Record<string, unknown>;
}

/** Parses every line of a predictions file; bad lines are collected, never silently dropped. */
export function readPredictionRecords(
  file: string,
  parse: (rec: Record<string, unknown>) => unknown,
): { items: unknown[]; errors: string[] } {
  const kind = existsSync(file) ? sniffFileKind(file) : 'text';
  if (kind !== 'text' && kind !== 'json' && kind !== 'empty') {
    const advice = kind === 'xlsx' || kind === 'xls' ? '; `cogeval import FILE --bench B --from vlmevalkit` reads prediction sheets' : '';
    throw new InputError(`${file} is ${fileKindName(kind)}, not a JSON Lines predictions file${advice}`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read predictions file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const items: unknown[] = [];
  const errors: string[] = [];
  const seen = new Map<string, number>();
  if (text.trimStart().startsWith('[')) {
    throw new InputError(`${file} holds one JSON array, not JSON Lines (one object per line); \`cogeval import\` reads other harnesses' JSON files`);
  }
  const lines = text.split('\n');
  lines.forEach((raw, idx) => {
    const where = `${file}:${idx + 1}`;
    if (raw.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (err) {
      errors.push(`${where}: not valid JSON (${(err as Error).message})`);
      return;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      errors.push(`${where}: a predictions line must be a JSON object`);
      return;
    }
    const rec = obj as Record<string, unknown>;
    try {
      const item = parse(rec);
      const id = rec['id'] ?? rec['index'] ?? rec['question_id'];
      if (id !== undefined) {
        const key = String(id);
        const first = seen.get(key);
        if (first !== undefined) {
          errors.push(`${where}: duplicate id ${JSON.stringify(key)} (first on line ${first})`);
          return;
        }
        seen.set(key, idx + 1);
      }
      items.push(item);
    } catch (err) {
      if (err instanceof RecordError) errors.push(`${where}: field "${err.field}": ${err.message}`);
      else throw err;
    }
  });
  return { items, errors };
}

/** Scores a predictions file; loads only the named benchmark's scorer (start-up time). */
export async function runScore(req: ScoreRequest): Promise<ScoreResult> {
  const bench = benchNamed(SCORER_BENCH_IDS, req.bench);
  const scorer = await SCORER_LOADERS[bench]();
  const judgeMode = resolveJudgeMode(req.judgeMode);
  const profiles: ProfileId[] = req.profile === 'all' ? [...scorer.profiles] : [profileOf(bench, scorer, req.profile)];
  const { items, errors } = readPredictionRecords(req.predictions, (rec) => scorer.parseRecord(rec));
  const result: ScoreResult = {
    bench,
    file: req.predictions,
    items: items.length,
    lineErrors: errors,
    defaultProfile: scorer.defaultProfile,
    scores: [],
    json: {},
  };
  if (items.length === 0 && errors.length === 0) {
    throw new InputError(`predictions file ${req.predictions} holds no predictions (it is empty); nothing to score`);
  }
  if (errors.length > 0 && !req.skipInvalid) {
    result.lineErrors.push(
      `${errors.length} bad line(s) in ${req.predictions}; nothing was scored. Fix them, or pass --skip-invalid to score the ${items.length} valid line(s).`,
    );
    return result;
  }
  if (items.length === 0) {
    result.lineErrors.push(`no valid predictions in ${req.predictions}; nothing to score`);
    return result;
  }
  for (const profile of profiles) {
    const units = scorer.scoreItems(items, profile, { judgeMode, seed: req.seed });
    result.scores.push(benchScore(scorer, units, profile, judgeMode));
  }
  result.json = {
    bench,
    file: req.predictions,
    items: items.length,
    skippedInvalidLines: errors.length,
    defaultProfile: scorer.defaultProfile,
    judgeMode,
    scores: result.scores,
  };
  return result;
}

function pad(s: string, n: number, right = false): string {
  const len = [...s].length;
  if (len >= n) return s;
  return right ? ' '.repeat(n - len) + s : s + ' '.repeat(n - len);
}

function fmt(v: number, scale: 'percent' | 'points1000'): string {
  if (!Number.isFinite(v)) return 'n/a';
  return scale === 'percent' ? v.toFixed(1) : v.toFixed(0);
}

/** The spread line of a score from several grading runs (MM-Vet official, like its evaluator's std and runs columns). */
export function formatGradingRuns(s: BenchScore): string {
  const runs = s.runs;
  if (!runs) return '';
  return `${s.bench} ${s.profile}: ${runs.values.length} grading runs ${runs.values.map((v) => v.toFixed(1)).join(', ')}; score = mean of the unrounded runs; std ${runs.std.toFixed(1)}`;
}

/** Renders a plain-text table: one row per profile (the scorer-sensitivity view), then breakdowns. */
export function formatScoreReport(result: ScoreResult, opts: { breakdown: boolean; paint?: Paint }): string[] {
  const chalk = opts.paint ?? PLAIN;
  const lines: string[] = [];
  const first = result.scores[0];
  const unit = first.scale === 'percent' ? '%' : 'points of 1000';
  lines.push(chalk.bold(`${result.bench}: ${result.items} items from ${result.file} (${unit}; judge mode ${first.judgeMode})`));
  if (result.lineErrors.length > 0) lines.push(chalk.yellow(`skipped ${result.lineErrors.length} invalid line(s), listed above`));
  const header = ['profile', 'score', '95% CI', 'n', 'random', 'needs judge', 'judge failed', 'n/a'];
  const rows = result.scores.map((s) => [
    s.profile + (s.profile === result.defaultProfile ? ' *' : ''),
    s.display,
    `${fmt(s.ci.lo, s.scale)}–${fmt(s.ci.hi, s.scale)}`,
    String(s.n),
    String(s.counts.random_fallback),
    String(s.counts.needs_judge),
    String(s.counts.judge_failed),
    String(s.counts.not_applicable),
  ]);
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]].length)));
  lines.push(header.map((h, i) => pad(h, widths[i], i > 0)).join('  '));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) lines.push(r.map((c, i) => pad(c, widths[i], i > 0)).join('  '));
  lines.push(chalk.dim('* default profile. CI: Wilson score interval (0/1 items) or seeded percentile bootstrap (graded items).'));
  for (const s of result.scores) if (s.runs) lines.push(formatGradingRuns(s));
  if (opts.breakdown && result.scores.length === 1) {
    for (const [key, byValue] of Object.entries(first.byCategory)) {
      lines.push('');
      lines.push(chalk.bold(`by ${key}`));
      const entries = Object.entries(byValue).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const w = Math.max(...entries.map(([k]) => [...k].length), key.length);
      for (const [label, s] of entries) {
        lines.push(`${pad(label, w)}  ${pad(fmt(s.value, first.scale), 6, true)}  (${fmt(s.ci.lo, first.scale)}–${fmt(s.ci.hi, first.scale)}, n=${s.n})`);
      }
    }
  }
  return lines;
}

interface ScoreArgs {
  bench: string;
  predictions: string;
  profile?: string;
  'judge-mode': string;
  seed?: number;
  'skip-invalid': boolean;
  breakdown: boolean;
  json?: string;
}

const JUDGE_MODES = ['exact-matching', 'llm'];

/** The options of `cogeval score`, declared once for yargs (help, errors) and the fast parser below. */
const SCORE_OPTIONS = {
  bench: { type: 'string', demandOption: true, describe: idsInWords(SCORER_BENCH_IDS) },
  predictions: { type: 'string', demandOption: true, describe: 'predictions JSONL (schema in README)' },
  profile: { type: 'string', describe: 'scorer profile, or "all" for the scorer-sensitivity table' },
  'judge-mode': { type: 'string', choices: JUDGE_MODES, default: 'exact-matching', describe: 'MMMU/MMBench: use cached judge replies (llm) or not' },
  seed: { type: 'number', describe: 'seed for random fallbacks (default: the profile\'s own)' },
  'skip-invalid': { type: 'boolean', default: false, describe: 'score the valid lines even when some lines are bad (they are listed and counted)' },
  breakdown: { type: 'boolean', default: true, describe: 'print per-category scores' },
  json: { type: 'string', describe: 'also write the scores as JSON to this file' },
} as const;

/**
 * `cogeval score …` parsed without yargs (Node's own util.parseArgs), so that scoring a file does
 * not pay for loading yargs and for the help text yargs lays out after every command. Only the plain
 * case is taken: every option long, known, given once, with a valid value, and no other word.
 * Anything else (--help, a typo, a missing option or value, a camelCase spelling) gives undefined and
 * is parsed by yargs, which reports problems as it does for every command.
 */
export function parseScoreArgsFast(argv: readonly string[]): ScoreArgs | undefined {
  if (argv[0] !== 'score') return undefined;
  const options = Object.fromEntries(
    Object.entries(SCORE_OPTIONS).map(([name, o]) => [name, { type: o.type === 'boolean' ? ('boolean' as const) : ('string' as const) }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(1), options, strict: true, allowPositionals: false, allowNegative: true, tokens: true });
  } catch {
    return undefined;
  }
  const given = parsed.tokens.filter((t) => t.kind === 'option').map((t) => t.name);
  if (new Set(given).size !== given.length || parsed.tokens.some((t) => t.kind !== 'option')) return undefined;
  const v = parsed.values;
  const str = (name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
  const bool = (name: string, dflt: boolean): boolean => (typeof v[name] === 'boolean' ? (v[name] as boolean) : dflt);
  const bench = str('bench');
  const predictions = str('predictions');
  const judgeMode = str('judge-mode') ?? SCORE_OPTIONS['judge-mode'].default;
  const seed = str('seed');
  for (const name of ['bench', 'predictions', 'profile', 'judge-mode', 'seed', 'json']) if (v[name] !== undefined && str(name) === undefined) return undefined;
  if (bench === undefined || predictions === undefined || !JUDGE_MODES.includes(judgeMode)) return undefined;
  // yargs reads a number option with Number(); whole decimal numbers read the same either way.
  if (seed !== undefined && !/^[0-9]{1,15}$/.test(seed)) return undefined;
  return {
    bench,
    predictions,
    profile: str('profile'),
    'judge-mode': judgeMode,
    seed: seed === undefined ? undefined : Number(seed),
    'skip-invalid': bool('skip-invalid', SCORE_OPTIONS['skip-invalid'].default),
    breakdown: bool('breakdown', SCORE_OPTIONS.breakdown.default),
    json: str('json'),
  };
}

/** Runs `cogeval score` with parsed arguments (from yargs or the fast parser). */
async function scoreHandler(args: ScoreArgs, io: CliIo, setExit: (code: number) => void): Promise<void> {
  const result = await runScore({
    bench: args.bench,
    predictions: args.predictions,
    profile: args.profile,
    judgeMode: args['judge-mode'],
    seed: args.seed,
    skipInvalid: args['skip-invalid'],
  });
  const chalk = await paint();
  for (const e of result.lineErrors) io.err(chalk.red(`error: ${e}`));
  if (result.scores.length === 0) {
    setExit(EXIT_BAD_INPUT);
    return;
  }
  for (const line of formatScoreReport(result, { breakdown: args.breakdown, paint: chalk })) io.out(line);
  if (args.json) writeFileSync(args.json, JSON.stringify(result.json, null, 2) + '\n');
  setExit(0);
}

/** `cogeval score` without yargs when the fast parser takes `argv`: true when it ran. */
export async function scoreFast(argv: readonly string[], io: CliIo, setExit: (code: number) => void): Promise<boolean> {
  const args = parseScoreArgsFast(argv);
  if (args === undefined) return false;
  await scoreHandler(args, io, setExit);
  return true;
}

export function scoreCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, ScoreArgs> {
  return {
    command: 'score',
    describe: 'Score a predictions JSONL file (prediction + references per line) under one or every profile',
    builder: (y: Argv) =>
      y
        .options(SCORE_OPTIONS)
        .example('$0 score --bench docvqa --predictions preds.jsonl', 'score under the default profile')
        .example('$0 score --bench mmmu --predictions preds.jsonl --profile all --json mmmu.json', 'scorer-sensitivity table') as unknown as Argv<ScoreArgs>,
    handler: (args) => scoreHandler(args, io, setExit),
  };
}
