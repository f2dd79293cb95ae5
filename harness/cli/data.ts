// `cogeval data pull|ls|verify`: fetches benchmark data into the Hugging Face cache or LMUData,
// lists what is on disk, and re-checks checksums; plus the --data / --data-dir options every
// command that reads data shares.
import type { CliIo } from './commands.js';
import type { Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, InputError } from '../errors.js';
import { type BenchId } from '../metrics/types.js';
import { BENCH_IDS } from '../benchmarks/registry.js';
import { resolveBench } from '../metrics/registry.js';
import { benchDataConfig, DATA_CHOICES, parseDataChoice, type DataChoice, type DataContext, type DataSelection } from '../datasets/catalog.js';
import { hfEndpoint, hfHubCacheDir, hfOffline, hfToken, lmuDataDir, lockFilePath, type Env } from '../datasets/hub/env.js';
import { DataFetchError, DataIntegrityError } from '../datasets/hub/errors.js';
import { pullHf } from '../datasets/hub/hf-pull.js';
import { pullTsv } from '../datasets/hub/tsv-pull.js';
import { defaultProgress, formatBytes, type PullProgress } from '../datasets/hub/progress.js';
import { dataStatus, type DataStatusRow } from '../datasets/hub/status.js';
import { verifyData, type VerifyRow } from '../datasets/hub/verify.js';

/** What the data commands take from their surroundings; tests inject fetch, env and cwd. */
export interface DataDeps {
  env: Env;
  cwd: string;
  fetch?: typeof fetch;
  /** Defaults to a bar on a TTY, plain lines on stderr otherwise. */
  progress?: PullProgress;
}

/** Adds `--data` and `--data-dir` to a command that reads benchmark data. */
export function addDataOptions<T>(y: Argv<T>): Argv<T & { data: string | undefined; 'data-dir': string | undefined }> {
  return y
    .option('data', { type: 'string', describe: `which data: ${DATA_CHOICES.join(', ')} (demo = the bundled demo set; default hf)` })
    .option('data-dir', { type: 'string', describe: 'a local copy in any supported layout (HF cache, repository copy, demo layout, LMUData TSVs)' });
}

/** The data selection of parsed `--data` / `--data-dir` values. */
export function dataSelectionFromArgs(args: { data?: string; 'data-dir'?: string }): DataSelection {
  return { data: parseDataChoice(args.data), dataDir: args['data-dir'] };
}

function parseBenches(value: string | undefined, required: boolean): BenchId[] {
  if (value === undefined || value === '' || value === 'all') {
    if (required && value === undefined) throw new InputError(`--bench is required: one of ${BENCH_IDS.join(', ')}, a comma-separated list, or all`);
    return [...BENCH_IDS];
  }
  return value.split(',').map((b) => resolveBench(b));
}

export interface PullRequest {
  benches: BenchId[];
  source: 'hf' | 'vlmevalkit';
  jobs: number;
  update: boolean;
  lock?: string;
}

/** Runs `data pull`; returns the exit code (0 all present/downloaded and verified, 1 a download or check failed, 2 bad input or data missing offline). */
export async function runDataPull(req: PullRequest, io: CliIo, deps: DataDeps): Promise<number> {
  const lockFile = lockFilePath(deps.env, deps.cwd, req.lock);
  const progress = deps.progress ?? defaultProgress(io.err, deps.env);
  const offline = hfOffline(deps.env);
  let code = EXIT_OK;
  for (const bench of req.benches) {
    const cfg = benchDataConfig(bench);
    try {
      if (req.source === 'hf') {
        const r = await pullHf({
          bench,
          spec: cfg.hf,
          cacheDir: hfHubCacheDir(deps.env),
          lockFile,
          hubUrl: hfEndpoint(deps.env),
          fetch: deps.fetch,
          accessToken: hfToken(deps.env),
          offline,
          concurrency: req.jobs,
          update: req.update,
          progress,
        });
        for (const w of r.warnings) io.err(chalk.yellow(`warning: ${w}`));
        for (const e of r.errors) io.err(chalk.red(`error: ${e}`));
        const counts = ['verified', 'downloaded', 'failed'].map((s) => `${r.files.filter((f) => f.status === s).length} ${s}`).join(', ');
        const state = r.pinned ? 'pinned' : 'locked';
        io.out(`${bench} hf: ${r.repo}@${r.revision} (${state}), ${r.files.length} file(s): ${counts}; ${r.errors.length === 0 ? `${r.rows} samples` : 'INCOMPLETE'}${r.networkUsed ? '' : ' (no network used)'}`);
        if (r.errors.length > 0) code = Math.max(code, EXIT_FAILURE);
      } else {
        const r = await pullTsv({ bench, spec: cfg.vlmevalkit, dir: lmuDataDir(deps.env), lockFile, fetch: deps.fetch, offline, progress });
        for (const w of r.warnings) io.err(chalk.yellow(`warning: ${w}`));
        io.out(`${bench} vlmevalkit: ${r.file} (${r.status}, md5 ${r.md5}), ${r.rows} samples, ${formatBytes(r.size)}${r.networkUsed ? '' : ' (no network used)'}`);
      }
    } catch (err) {
      // A failed download or a corrupt file is a failed pull (exit 1, retry); checked first, as
      // both are InputErrors, which every other command turns into exit 2 (errors.ts).
      if (err instanceof DataFetchError || err instanceof DataIntegrityError) {
        io.err(chalk.red(`error: ${err.message}`));
        code = code === EXIT_BAD_INPUT ? code : EXIT_FAILURE;
      } else if (err instanceof InputError) {
        io.err(chalk.red(`error: ${err.message}`));
        code = Math.max(code, EXIT_BAD_INPUT);
      } else {
        throw err;
      }
    }
  }
  return code;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('  ');
  return [chalk.bold(line(header)), ...rows.map(line)];
}

export function formatStatus(rows: DataStatusRow[]): string[] {
  const body = rows.map((r) => [
    r.bench,
    r.source,
    r.status,
    `${r.revision === null ? '-' : /^[0-9a-f]{40}$/.test(r.revision) ? r.revision.slice(0, 12) : r.revision}${r.revisionState !== null ? ` (${r.revisionState})` : ''}`,
    r.samples === null ? '-' : `${r.samples}${r.expectedSamples !== null && r.samples !== r.expectedSamples ? ` of ${r.expectedSamples}` : ''}`,
    r.sizeBytes === null ? '-' : formatBytes(r.sizeBytes),
    r.location,
  ]);
  return table(['bench', 'source', 'status', 'revision', 'samples', 'size', 'location'], body);
}

export async function runDataLs(opts: { benches: BenchId[]; data?: DataChoice; dataDir?: string; json?: boolean; lock?: string }, io: CliIo, deps: DataDeps): Promise<number> {
  const ctx: DataContext = { env: deps.env, cwd: deps.cwd, lockFile: opts.lock };
  const rows = await dataStatus(ctx, { benches: opts.benches, data: opts.data, dataDir: opts.dataDir });
  if (opts.json) {
    io.out(JSON.stringify({ hfCache: hfHubCacheDir(deps.env), lmuData: lmuDataDir(deps.env), lockFile: lockFilePath(deps.env, deps.cwd, opts.lock), offline: hfOffline(deps.env), rows }, null, 2));
    return EXIT_OK;
  }
  io.out(`HF cache: ${hfHubCacheDir(deps.env)}   LMUData: ${lmuDataDir(deps.env)}   lock: ${lockFilePath(deps.env, deps.cwd, opts.lock)}${hfOffline(deps.env) ? '   (HF_HUB_OFFLINE)' : ''}`);
  for (const line of formatStatus(rows)) io.out(line);
  for (const r of rows) if (r.detail !== undefined && r.status !== 'missing') io.err(chalk.yellow(`note: ${r.bench} ${r.source}: ${r.detail}`));
  return EXIT_OK;
}

export function formatVerify(rows: VerifyRow[]): string[] {
  return rows.map((r) => {
    const tag = r.status === 'ok' ? chalk.green('ok') : r.status === 'failed' ? chalk.red('FAILED') : r.status === 'missing' ? chalk.dim('missing') : chalk.yellow('unverifiable');
    return `${tag}  ${r.bench} ${r.source}  ${r.file}: ${r.detail}`;
  });
}

export async function runDataVerify(opts: { benches: BenchId[]; data?: DataChoice; json?: boolean; lock?: string }, io: CliIo, deps: DataDeps): Promise<number> {
  const rows = await verifyData({ env: deps.env, cwd: deps.cwd, lockFile: opts.lock }, { benches: opts.benches, data: opts.data });
  const failed = rows.filter((r) => r.status === 'failed').length;
  const ok = rows.filter((r) => r.status === 'ok').length;
  if (opts.json) io.out(JSON.stringify({ rows, ok, failed }, null, 2));
  else {
    for (const line of formatVerify(rows.filter((r) => r.status !== 'missing'))) io.out(line);
    io.out(`${ok} file(s) verified, ${failed} failed, ${rows.filter((r) => r.status === 'unverifiable').length} unverifiable; ${rows.filter((r) => r.status === 'missing').length} benchmark source(s) not present`);
  }
  return failed > 0 ? EXIT_FAILURE : EXIT_OK;
}

interface DataArgs {
  bench?: string;
  source?: string;
  data?: string;
  'data-dir'?: string;
  json?: boolean;
  jobs?: number;
  update?: boolean;
  lock?: string;
}

/** The `data` command for main.ts: `.command(dataCommand(io, (code) => { exitCode = code; }))`. */
export function dataCommand(io: CliIo, setExit: (code: number) => void, deps?: Partial<DataDeps>): CommandModule<object, DataArgs> {
  const d = (): DataDeps => ({ env: deps?.env ?? process.env, cwd: deps?.cwd ?? process.cwd(), fetch: deps?.fetch, progress: deps?.progress });
  const lockOpt = { type: 'string', describe: 'lock file recording resolved commits and checksums (default $COGEVAL_LOCK or ./cogeval.lock.json)' } as const;
  return {
    command: 'data',
    describe: 'Download benchmark data (HF cache / LMUData), list what is present, verify checksums',
    builder: (y: Argv) =>
      y
        .command(
          'pull',
          'Download a benchmark into the Hugging Face cache (or LMUData); skips files already present and verified',
          (yy) =>
            yy
              .option('bench', { type: 'string', describe: `${BENCH_IDS.join(', ')}, a comma-separated list, or all` })
              .option('source', { type: 'string', choices: ['hf', 'vlmevalkit'], default: 'hf', describe: 'hf: lmms-eval\'s parquet datasets; vlmevalkit: VLMEvalKit\'s TSVs' })
              .option('jobs', { type: 'number', default: 4, describe: 'files downloaded at once' })
              .option('update', { type: 'boolean', default: false, describe: 'for datasets without a pinned commit: re-resolve \'main\' instead of keeping the locked commit' })
              .option('lock', lockOpt)
              .example('$0 data pull --bench docvqa', 'the DocVQA validation shards at the pinned commit')
              .example('$0 data pull --bench all --source vlmevalkit', 'every VLMEvalKit TSV into $LMUData or ~/LMUData')
              .example('HF_HUB_OFFLINE=1 $0 data pull --bench mmmu', 'only checks what is present; never uses the network'),
          async (args) => {
            const jobs = args.jobs ?? 4;
            if (!Number.isInteger(jobs) || jobs < 1) throw new InputError(`--jobs ${jobs}: must be a positive integer`);
            setExit(await runDataPull({ benches: parseBenches(args.bench, true), source: args.source === 'vlmevalkit' ? 'vlmevalkit' : 'hf', jobs, update: args.update ?? false, lock: args.lock }, io, d()));
          },
        )
        .command(
          'ls',
          'List the benchmark data on disk: source, revision (pinned, locked or resolved), samples, size',
          (yy) =>
            addDataOptions(yy)
              .option('bench', { type: 'string', describe: 'benchmarks to list (default all)' })
              .option('json', { type: 'boolean', default: false, describe: 'print JSON' })
              .option('lock', lockOpt)
              .example('$0 data ls', 'everything, in the HF cache, LMUData and the demo set')
              .example('$0 data ls --data-dir /mnt/datasets --json', 'what a local copy holds, as JSON'),
          async (args) => {
            setExit(await runDataLs({ benches: parseBenches(args.bench, false), data: parseDataChoice(args.data), dataDir: args['data-dir'], json: args.json, lock: args.lock }, io, d()));
          },
        )
        .command(
          'verify',
          'Re-hash the data on disk and compare with the recorded checksums (offline)',
          (yy) =>
            yy
              .option('bench', { type: 'string', describe: 'benchmarks to verify (default all)' })
              .option('data', { type: 'string', describe: `only this source: ${DATA_CHOICES.join(', ')}` })
              .option('json', { type: 'boolean', default: false, describe: 'print JSON' })
              .option('lock', lockOpt)
              .example('$0 data verify', 'every file present, every source')
              .example('$0 data verify --bench docvqa --data hf', 'the DocVQA shards in the HF cache'),
          async (args) => {
            setExit(await runDataVerify({ benches: parseBenches(args.bench, false), data: parseDataChoice(args.data), json: args.json, lock: args.lock }, io, d()));
          },
        )
        .demandCommand(1, 'name a data action: pull, ls or verify'),
    handler: () => {},
  };
}
