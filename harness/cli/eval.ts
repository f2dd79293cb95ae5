// `cogeval eval`: runs benchmarks against a model server or the in-process onnx engine (with no
// engine arguments: the bundled tiny demo model over the demo set), resumes interrupted runs,
// calls the judges, scores the run and prints the summary.
import type { CliIo } from './commands.js';
import type { Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { formatGradingRuns } from './score.js';
import { ConfigError, EXIT_FAILURE, InputError } from '../errors.js';
import { type BenchId, type JudgeMode } from '../metrics/types.js';
import { BENCH_IDS, benchmark } from '../benchmarks/registry.js';
import { resolveBench, resolveProfile } from '../metrics/registry.js';
import { parseProtocolId, protocolOffers, protocolSettings } from '../protocols/protocol.js';
import type { ProtocolId } from '../protocols/types.js';
import { COGVLM2_TEMPLATES, type Cogvlm2Template } from '../protocols/cogvlm2-template.js';
import { defaultEngineId, engineEntry, ENGINES, type EngineSettings } from '../engine/registry.js';
import { DEMO_BANNER, DEMO_MAX_NEW_TOKENS } from '../engine/onnx/demo-model.js';
import { EXECUTION_PROVIDERS } from '../engine/onnx/execution-provider.js';
import { buildReport } from '../report/build.js';
import { dirname, join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { SERVER_DIALECT_IDS } from '../engine/openai/dialects.js';
import type { Engine } from '../engine/types.js';
import { addDataOptions, dataSelectionFromArgs } from './data.js';
import { openBenchDataset } from '../datasets/catalog.js';
import { MODEL_FAMILIES, resolveModelArg } from '../run/models.js';
import { countReasons, formatReasons } from '../run/failure-reasons.js';
import { RANDOM_WEIGHTS_LABEL } from '../run/identity.js';
import { parseShard } from '../run/shard.js';
import { runEval } from '../run/runner.js';
import { scoreRun } from '../run/score-run.js';
import { JudgeCache, judgeTasks, runJudgeTasks } from '../run/judge.js';
import { benchRecords } from '../run/score-run.js';
import { latestPredictions } from '../run/store.js';
import { predictionLines, runPath, type RunScores, type Throughput } from '../run/run-format.js';

interface EvalArgs {
  model: string;
  bench: string;
  engine?: string;
  endpoint?: string;
  'model-dir'?: string;
  ep: string;
  threads: number;
  verbose?: boolean;
  server: string;
  'served-model'?: string;
  concurrency?: number;
  timeout: number;
  'stall-timeout': number;
  retries: number;
  'api-key-env'?: string;
  limit?: number;
  protocol: string;
  template?: string;
  decoding: string;
  'runs-dir': string;
  'run-id'?: string;
  'new-run': boolean;
  shard?: string;
  data?: string;
  'data-dir'?: string;
  judge?: string;
  'judge-endpoint'?: string;
  'judge-model'?: string;
  'judge-key-env'?: string;
  'judge-concurrency': number;
  'judge-runs'?: number;
  profile?: string[];
  json?: boolean;
  family?: string;
  'reported-row'?: string;
  report: boolean;
  out?: string;
}

/**
 * `--bench`: `all` is every benchmark with a prompt under the protocol (the dated protocols
 * predate VCR); a benchmark named explicitly without one is a ConfigError (exit 2).
 */
function parseBenches(value: string, protocol: ProtocolId, io: CliIo): BenchId[] {
  if (value === 'all') {
    const skipped = BENCH_IDS.filter((b) => !protocolOffers(protocol, b));
    if (skipped.length > 0) io.err(chalk.yellow(`--bench all under protocol ${protocol}: ${skipped.join(', ')} left out (no prompt under this protocol; its harness revision predates them)`));
    return BENCH_IDS.filter((b) => protocolOffers(protocol, b));
  }
  const list = [...new Set(value.split(',').map((b) => resolveBench(b)))];
  for (const b of list) protocolSettings(protocol, b);
  return list;
}

/** `--profile docvqa=pix2struct` (repeatable) → per-benchmark scorer profiles; `benches` limits which are allowed. */
export function parseProfiles(values: readonly string[] | undefined, benches: readonly BenchId[] = BENCH_IDS): Partial<Record<BenchId, string>> {
  const out: Partial<Record<BenchId, string>> = {};
  for (const v of values ?? []) {
    const m = /^([a-z-]+)=(.+)$/i.exec(v);
    if (!m) throw new InputError(`--profile takes BENCH=PROFILE (e.g. docvqa=pix2struct), got "${v}"`);
    const bench = resolveBench(m[1]);
    resolveProfile(bench, m[2]);
    if (!benches.includes(bench)) throw new InputError(`--profile ${v}: ${bench} is not among the benchmarks of this run`);
    out[bench] = m[2];
  }
  return out;
}

function fmtMs(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(0)} ms`;
}

export function formatThroughput(t: Throughput): string {
  const lat = t.latencyMs ? `latency p50/p90/p99 ${fmtMs(t.latencyMs.p50)}/${fmtMs(t.latencyMs.p90)}/${fmtMs(t.latencyMs.p99)}` : 'latency n/a';
  const ttft = t.ttftMs ? `, TTFT p50/p90/p99 ${fmtMs(t.ttftMs.p50)}/${fmtMs(t.ttftMs.p90)}/${fmtMs(t.ttftMs.p99)}` : '';
  // No token counted at all (no usage from the server and no tokenizer) is no measurement: n/a, never 0.
  const tokens = t.outputTokens > 0 ? `${t.outputTokensPerSecond.toFixed(1)} output tokens/s` : 'output tokens/s n/a: no token count';
  return `throughput: ${t.completed} samples in ${t.wallSeconds.toFixed(1)} s (${t.samplesPerSecond.toFixed(2)} samples/s, ${tokens}), ${lat}${ttft}, retries ${t.retries}, errors ${t.errors}`;
}

/** The end-of-run table: score, CI, reported score and the counts that explain it. */
export function formatRunScores(scores: RunScores, reported: Partial<Record<BenchId, number>> | undefined, label?: string): string[] {
  const header = ['bench', 'profile', 'score', '95% CI', 'reported', 'Δ', 'n', 'failed', 'missing', 'random', 'needs judge', 'judge failed'];
  const rows: string[][] = [];
  for (const [bench, s] of Object.entries(scores.benches)) {
    if (!s) continue;
    const p = s.primary;
    const dec = p.scale === 'percent' ? 1 : 0;
    const rep = reported?.[bench as BenchId];
    rows.push([
      label ? `${bench} (${label})` : bench,
      p.profile,
      p.display,
      Number.isFinite(p.ci.lo) ? `${p.ci.lo.toFixed(dec)}–${p.ci.hi.toFixed(dec)}` : 'n/a',
      rep === undefined ? '—' : rep.toFixed(dec),
      rep === undefined || !Number.isFinite(p.value) ? '—' : (p.value - rep >= 0 ? '+' : '') + (p.value - rep).toFixed(dec),
      String(p.n),
      String(s.samples.failed),
      String(s.samples.missing),
      String(p.counts.random_fallback),
      String(p.counts.needs_judge),
      String(p.counts.judge_failed),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const judges = Object.entries(scores.benches)
    .filter(([, s]) => s?.judgeModel)
    .map(([bench, s]) => `judge for ${bench}: ${s?.judgeModel} (profile ${s?.primary.profile})`);
  const gradingRuns = Object.values(scores.benches).flatMap((s) => (s?.primary.runs ? [formatGradingRuns(s.primary)] : []));
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ...judges, ...gradingRuns];
}

/** Run id of a demo run: distinct from any real model's run (whose id starts with the model name). */
function demoRunId(benches: readonly BenchId[], all: boolean, protocol: string, limit: number | undefined, shard: string | undefined): string {
  const b = all || benches.length === BENCH_IDS.length ? 'all' : benches.join('+');
  const l = limit !== undefined ? `-limit${limit}` : '';
  const sh = shard !== undefined ? `-shard${shard.replace('/', 'of')}` : '';
  return `demo-tiny-cogvlm2-${b}-${protocol.replace('@', '_')}${l}${sh}`;
}

/** Checks the numeric flags and the environment they name; throws InputError (exit 2) naming the flag. */
export function validateEvalArgs(args: EvalArgs, env: NodeJS.ProcessEnv): void {
  const wholeAtLeast = (flag: string, v: number | undefined, min: number, what: string): void => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InputError(`--${flag} takes ${what}, got ${String(v)}`);
  };
  wholeAtLeast('limit', args.limit, 1, 'a whole number of samples ≥ 1');
  wholeAtLeast('retries', args.retries, 0, 'a whole number ≥ 0');
  wholeAtLeast('concurrency', args.concurrency, 1, 'a whole number ≥ 1');
  wholeAtLeast('judge-concurrency', args['judge-concurrency'], 1, 'a whole number ≥ 1');
  if (typeof args.timeout !== 'number' || !Number.isFinite(args.timeout) || args.timeout <= 0) throw new InputError(`--timeout takes seconds > 0, got ${String(args.timeout)}`);
  if (args.judge === 'llm' && !args['judge-endpoint']) throw new InputError('--judge llm needs --judge-endpoint URL (an OpenAI-compatible judge server)');
  for (const flag of ['api-key-env', 'judge-key-env'] as const) {
    const name = args[flag];
    if (name !== undefined && (env[name] === undefined || env[name] === '')) {
      throw new InputError(`--${flag} ${name}: the environment variable ${name} is not set; export it (the key is read from the environment only) or drop --${flag}`);
    }
  }
  if (args.out !== undefined && existsSync(args.out) && !statSync(args.out).isDirectory()) throw new InputError(`--out ${args.out} is a file; pass a folder for the report`);
  if (existsSync(args['runs-dir']) && !statSync(args['runs-dir']).isDirectory()) throw new InputError(`--runs-dir ${args['runs-dir']} is a file, not a directory; pass another --runs-dir`);
}

export async function runEvalCommand(args: EvalArgs, io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  validateEvalArgs(args, env);
  const requested = resolveModelArg(args.model, { family: args.family, reportedRow: args['reported-row'] });
  const protocol = parseProtocolId(args.protocol);
  const benches = parseBenches(args.bench, protocol, io);
  const profiles = parseProfiles(args.profile, benches);
  if (args.template !== undefined && !(COGVLM2_TEMPLATES as readonly string[]).includes(args.template)) {
    throw new ConfigError(`unknown template "${args.template}"; valid templates: ${COGVLM2_TEMPLATES.join(', ')}`);
  }
  if (args.decoding !== 'greedy' && args.decoding !== 'reference') throw new ConfigError(`--decoding must be greedy or reference, got "${args.decoding}"`);
  const engineChoice = engineEntry(args.engine ?? defaultEngineId(args));
  const engineSettings: EngineSettings = {
    endpoint: args.endpoint,
    modelDir: args['model-dir'],
    ep: args.ep,
    threads: args.threads,
    server: args.server,
    servedModel: args['served-model'],
    concurrency: args.concurrency,
    timeoutSeconds: args.timeout,
    stallTimeoutSeconds: args['stall-timeout'],
    retries: args.retries,
    apiKeyEnv: args['api-key-env'],
    decoding: args.decoding,
    modelHfId: requested.hfId,
  };
  engineChoice.check(engineSettings);
  const shard = parseShard(args.shard);
  const judgeRuns = args['judge-runs'];
  if (judgeRuns !== undefined && (!Number.isInteger(judgeRuns) || judgeRuns < 1)) throw new ConfigError(`--judge-runs takes a whole number of grading runs (1 or more), got ${String(judgeRuns)}`);
  const judgeMode: JudgeMode = args.judge === 'none' || !args['judge-endpoint'] ? 'exact-matching' : 'llm';
  // The embedded default: no engine arguments → the bundled tiny model over the demo set.
  const demo = engineChoice.id === 'onnx' && args['model-dir'] === undefined;
  // The demo model is no CogVLM2 checkpoint: its runs are labelled as what they are, with no README row.
  const model = demo ? { ...requested, name: 'demo-tiny', hfId: 'cogeval tiny random-weight CogVLM2 (demo)', aliases: [], revision: null, reported: null } : requested;
  if (demo) {
    args.data ??= args['data-dir'] === undefined ? 'demo' : undefined;
    io.err(chalk.bold.red(`*** ${DEMO_BANNER} ***`));
    io.err(chalk.red(`(the embedded default: a tiny CogVLM2 on onnxruntime, answers capped at ${DEMO_MAX_NEW_TOKENS} tokens; pass --endpoint URL or --engine onnx --model-dir DIR to evaluate a real model)`));
  }
  const runId = args['run-id'] ?? (demo ? demoRunId(benches, args.bench === 'all', args.protocol, args.limit, args.shard) : undefined);

  const engine: Engine = await engineChoice.create(
    {
      ...engineSettings,
      modelHfId: model.hfId,
      maxNewTokensCap: demo ? DEMO_MAX_NEW_TOKENS : undefined,
      // The run's template (recorded in its config), not only the model directory's default.
      template: (args.template as Cogvlm2Template | undefined) ?? model.template,
    },
    { env, warn: (message) => io.err(chalk.yellow(`warning: ${message}`)) },
  );
  if (judgeMode === 'llm') {
    // Pre-flight of the judge, before any run directory exists.
    const { createOpenAIEngine } = await import('../engine/openai/engine.js');
    const probe = createOpenAIEngine({ endpoints: args['judge-endpoint'] as string, model: args['judge-model'] ?? 'probe', apiKeyEnv: args['judge-key-env'] ?? 'COGEVAL_JUDGE_API_KEY', retry: { maxAttempts: 1 } }, { env });
    try {
      await probe.listModels();
    } catch (err) {
      const message = (err as Error).message;
      // A judge API without a model list (404/405) answered: it is reachable. A refused key (401/403) is not usable.
      if (!/answered HTTP (404|405|501)\b/.test(message)) {
        await engine.close();
        throw new ConfigError(`the judge is not reachable: ${message.replace('check --endpoint', 'check --judge-endpoint')}`);
      }
    } finally {
      await probe.close();
    }
  }
  const controller = new AbortController();
  const onSignal = (): void => {
    io.err(
      chalk.yellow(
        'interrupted: no new requests are sent; the requests in flight are cancelled and recorded as failed (a server may still finish them; its answers are discarded). ' +
          'Every finished sample is kept; re-run the same command to resume.',
      ),
    );
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let lock: { release(): void } | undefined;
  try {
    const sel = dataSelectionFromArgs(args);
    const ctx = { env, cwd: process.cwd() };
    const outcome = await runEval({
      runsDir: args['runs-dir'],
      runId,
      newRun: args['new-run'],
      model,
      benches,
      protocol,
      template: args.template as Cogvlm2Template | undefined,
      decoding: args.decoding,
      engine,
      engineServer: engineChoice.server(engineSettings),
      // The runner applies CogVLM2's one-image policy itself and counts the items it affects.
      openDataset: (bench) => openBenchDataset(bench, sel, ctx, { imagePolicy: 'all' }),
      shard,
      limit: args.limit ?? null,
      log: (line) => io.err(line),
      signal: controller.signal,
      keepLock: true,
    });
    lock = outcome.lock;
    io.out(formatThroughput(outcome.throughput));

    const judgeFailures: { bench: string; reasons: string[] }[] = [];
    const alwaysJudged = benches.filter((b) => benchmark(b).judge.alwaysNeeded);
    if (judgeMode === 'llm' || alwaysJudged.length > 0) {
      if (args['judge-endpoint'] && args.judge !== 'none') {
        judgeFailures.push(...(await runJudges(outcome.runDir, benches, profiles, judgeMode, args, io, env)));
      } else {
        for (const b of alwaysJudged) {
          io.err(chalk.yellow(`${benchmark(b).title} needs an LLM judge: without --judge-endpoint its items are counted as "needs judge" and not scored.`));
        }
      }
    }
    const scores = scoreRun(outcome.runDir, { judgeMode, profiles, judgeModel: args['judge-model'], judgeRuns: args['judge-runs'] });
    const config = outcome.manifest.config;
    const random = config.identity?.randomWeights === true;
    io.out('');
    if (random) io.out(chalk.bold.red(`*** ${RANDOM_WEIGHTS_LABEL}: ${config.identity?.model} has random weights; its scores mean nothing and are compared with no reported score ***`));
    io.out(chalk.bold(`run ${outcome.manifest.id} (${outcome.runDir}); model ${config.model.hfId}${config.identity ? ` (served as ${config.identity.model})` : ''}; protocol ${protocol}; judge mode ${judgeMode}`));
    // A random-weight model's (and the demo's) scores are never compared with the README's.
    for (const line of formatRunScores(scores, demo || random ? undefined : model.reported?.scores, random ? RANDOM_WEIGHTS_LABEL : undefined)) io.out(line);
    for (const [bench, why] of Object.entries(scores.unscored ?? {})) io.err(chalk.yellow(`${bench}: not scored: ${why}`));
    if (outcome.failed > 0) {
      io.err(chalk.yellow(`${outcome.failed} of ${outcome.attempted} sample(s) failed this session (not scored; re-run the same command to retry them):`));
      for (const line of formatReasons(outcome.failureReasons)) io.err(line);
    }
    for (const j of judgeFailures) {
      io.err(chalk.yellow(`${j.bench} judge: ${j.reasons.length} failure(s) (excluded from the score, counted):`));
      for (const line of formatReasons(countReasons(j.reasons))) io.err(line);
    }
    const reportDir = args.out ?? join(dirname(args['runs-dir']), 'reports', outcome.manifest.id);
    if (demo || args.report) {
      const report = await buildReport({
        runDirs: [outcome.runDir],
        outDir: reportDir,
        title: demo ? `cogeval demo: ${DEMO_BANNER}` : undefined,
      });
      io.err(`report: ${report.files.html}, ${report.files.csv}, ${report.files.md}`);
      if (demo) io.err(chalk.bold.red(`*** ${DEMO_BANNER} ***`));
    }
    io.out(`run: ${outcome.runDir}`);
    if (!demo && !args.report) io.out(`report: npx cogeval report ${shellArg(outcome.runDir)} --out ${shellArg(reportDir)}`);
    if (outcome.attempted > 0 && outcome.failed === outcome.attempted && !controller.signal.aborted) {
      io.err(chalk.red(`every sample of this session failed (${outcome.failed}); nothing was predicted`));
      return EXIT_FAILURE;
    }
    if (controller.signal.aborted) return 130;
    return 0;
  } finally {
    lock?.release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.close();
  }
}

async function runJudges(
  runDir: string,
  benches: readonly BenchId[],
  profiles: Partial<Record<BenchId, string>>,
  judgeMode: JudgeMode,
  args: EvalArgs,
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<{ bench: string; reasons: string[] }[]> {
  const failures: { bench: string; reasons: string[] }[] = [];
  const { done } = latestPredictions(predictionLines(runDir));
  const cacheFile = runPath(runDir, 'judge');
  const cache = JudgeCache.load(cacheFile);
  // The judge is an OpenAI-compatible server whatever engine ran the model.
  const { createOpenAIEngine } = await import('../engine/openai/engine.js');
  for (const bench of benches) {
    const profile = resolveProfile(bench, profiles[bench]);
    const tasks = judgeTasks(bench, benchRecords(done.values(), bench), profile, judgeMode, args['judge-model'], args['judge-runs']);
    if (tasks.length === 0) continue;
    const model = args['judge-model'] ?? (tasks[0].next([]) as { model: string }).model;
    const judge = createOpenAIEngine(
      { endpoints: args['judge-endpoint'] as string, model, concurrency: args['judge-concurrency'], apiKeyEnv: args['judge-key-env'] ?? 'COGEVAL_JUDGE_API_KEY' },
      { env },
    );
    try {
      const r = await runJudgeTasks(bench, profile, tasks, cache, cacheFile, judge, args['judge-concurrency']);
      io.err(`${bench} judge (${model}, profile ${profile}): ${r.calls} call(s), ${r.cached} item(s) already judged, ${r.failures} failure(s)`);
      if (r.failureReasons.length > 0) failures.push({ bench, reasons: r.failureReasons });
    } finally {
      await judge.close();
    }
  }
  return failures;
}

/** A path as a shell word (quoted when it has characters a shell would split or expand). */
function shellArg(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

export function evalCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, EvalArgs> {
  return {
    command: 'eval',
    describe: 'Run benchmarks against a model server or the in-process onnx engine, resumably; judge, score and summarise the run',
    builder: (y: Argv) =>
      addDataOptions(
        y
          .option('model', { type: 'string', default: 'chat', describe: 'chat | chinese-chat | chat-int4 | chinese-chat-int4, a Hugging Face id, or a local fine-tune directory' })
          .option('family', { type: 'string', choices: [...MODEL_FAMILIES], describe: "a fine-tune's CogVLM2 family (template, stop ids); default: read from its config.json" })
          .option('reported-row', { type: 'string', describe: "compare with this model's README row (e.g. chat); a fine-tune is compared with none by default" })
          .option('bench', { type: 'string', default: 'all', describe: 'benchmarks: a comma-separated list or all' })
          .option('engine', { type: 'string', describe: ENGINES.map((e) => `${e.id} (${e.summary})`).join(' or ') })
          .option('model-dir', { type: 'string', describe: 'onnx engine: an exported model directory (cogeval export)' })
          .option('ep', { type: 'string', default: 'cpu', choices: [...EXECUTION_PROVIDERS], describe: 'onnx engine: onnxruntime execution provider (never falls back to another)' })
          .option('threads', { type: 'number', default: 0, describe: 'onnx engine: CPU threads per graph (0: onnxruntime decides)' })
          .option('verbose', { type: 'boolean', default: false, describe: "onnx engine: show onnxruntime's own warnings and errors (default: fatal ones only)" })
          .option('endpoint', { type: 'string', describe: 'server base URL(s), comma-separated: requests go to the one with the fewest outstanding' })
          .option('server', { type: 'string', default: 'openai', choices: [...SERVER_DIALECT_IDS], describe: 'what runs behind the endpoint (how images and prompts are sent)' })
          .option('served-model', { type: 'string', describe: "the server's model name (default: the one /v1/models lists)" })
          .option('concurrency', { type: 'number', describe: 'requests in flight across all endpoints (default 16; 1 with --server official-demo); --engine onnx: sequences decoded together (default 1)' })
          .option('timeout', { type: 'number', default: 600, describe: 'seconds per request attempt' })
          .option('stall-timeout', { type: 'number', default: 120, describe: 'seconds without a byte after which a request is cut and retried (a hung server); 0: never' })
          .option('retries', { type: 'number', default: 5, describe: 'retries per request on 429/5xx/network errors' })
          .option('api-key-env', { type: 'string', describe: 'name of the env var holding the server API key (default COGEVAL_API_KEY)' })
          .option('limit', { type: 'number', describe: 'only the first N samples of each benchmark' })
          .option('protocol', { type: 'string', default: 'cogvlm2', describe: 'prompts and generation limits: cogvlm2, lmms-eval, lmms-eval@2024-05, vlmevalkit, vlmevalkit@2024-05' })
          .option('template', { type: 'string', describe: 'CogVLM2 template with the cogvlm2 protocol: chat (default), vqa, base' })
          .option('decoding', { type: 'string', default: 'greedy', describe: 'greedy (reproducible) or reference (what the protocol\'s harness does, e.g. sampling)' })
          .option('runs-dir', { type: 'string', default: 'runs', describe: 'where run directories go' })
          .option('run-id', { type: 'string', describe: 'run directory name (default: model-benches-protocol)' })
          .option('new-run', { type: 'boolean', default: false, describe: 'start a new run even if one with this id exists' })
          .option('shard', { type: 'string', describe: 'i/n (1-based): run only the scoring units whose number mod n = i − 1 (a sample; for MMBench a whole circular group), for several machines; combine with cogeval merge' })
          .option('profile', { type: 'string', array: true, describe: 'scorer profile per benchmark, BENCH=PROFILE (repeatable); default each benchmark\'s default' })
          .option('judge', { type: 'string', choices: ['none', 'llm'], describe: 'none: score only what heuristics can (default without --judge-endpoint)' })
          .option('judge-endpoint', { type: 'string', describe: 'OpenAI-compatible judge server for MM-Vet grading and the MMBench fallback' })
          .option('judge-model', { type: 'string', describe: "judge model (default: each profile's reference judge, e.g. gpt-4-0613 for MM-Vet official)" })
          .option('judge-key-env', { type: 'string', describe: 'name of the env var holding the judge API key (default COGEVAL_JUDGE_API_KEY)' })
          .option('judge-concurrency', { type: 'number', default: 8, describe: 'judge calls in flight' })
          .option('judge-runs', { type: 'number', describe: 'MM-Vet: grade every item N times (the official evaluator\'s --num_run; its paper used 5); official reports the mean and the spread' })
          .option('report', { type: 'boolean', default: false, describe: 'write the report of this run at the end (to --out)' })
          .option('out', { type: 'string', describe: "the report's folder (default: reports/<run-id> beside --runs-dir)" })
          .example('$0 eval', 'the embedded demo: a tiny random-weight CogVLM2 over the bundled demo set (scores mean nothing)')
          .example('$0 eval --model chat --bench docvqa --endpoint http://gpu1:23333/v1 --server lmdeploy', 'DocVQA against lmdeploy')
          .example('$0 eval --model chinese-chat --bench all --endpoint http://a:8000/v1,http://b:8000/v1 --shard 1/2', 'half of everything on two replicas')
          .example('$0 eval --model ./my-finetune --family chat --bench docvqa --endpoint http://gpu1:8000/v1', 'a local fine-tune served by your server')
          .example('$0 eval --bench mmvet --endpoint http://gpu1:8000/v1 --judge-endpoint https://api.openai.com/v1 --judge-model gpt-4-0613', 'MM-Vet with a GPT-4 judge'),
      ) as unknown as Argv<EvalArgs>,
    handler: async (args) => {
      if (args.verbose) process.env.COGEVAL_VERBOSE = '1'; // read by the onnx engine (execution-provider.ts)
      setExit(await runEvalCommand(args, io));
    },
  };
}
