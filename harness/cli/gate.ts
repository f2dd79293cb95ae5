// `cogeval gate` (a run against a baseline run, saved baseline or reported scores: Markdown table,
// --json report, exit 0 pass / 1 regression / 2 bad input) and `cogeval baseline save`.
import type { CliIo } from './commands.js';
import type { Argv, CommandModule } from 'yargs';
import { writeFileSync } from 'node:fs';
import { EXIT_BAD_INPUT, InputError, exitFor } from '../errors.js';
import { resolveBench } from '../metrics/registry.js';
import type { BenchId } from '../metrics/types.js';
import { readBaselineSource, readRunSource, saveBaseline } from '../report/baseline.js';
import { DEFAULT_ALPHA, DEFAULT_TOLERANCE, GateInputError, formatGateMarkdown, gate, type GateOptions } from '../report/gate.js';
import { PAIRED_BOOTSTRAP_RESAMPLES, PAIRED_BOOTSTRAP_SEED } from '../report/paired.js';

export interface GateArgs {
  run: string;
  baseline: string;
  tolerance?: (string | number)[];
  alpha: number;
  json?: string;
  bench?: string;
  row?: string;
  'allow-subset': boolean;
  'allow-incomplete': boolean;
  resamples: number;
  seed: number;
}

/** `--tolerance 1.0` (percentage points, every benchmark) and/or `--tolerance ocrbench=8` (that benchmark's table scale). */
export function parseTolerances(values: readonly (string | number)[] | undefined): Pick<GateOptions, 'tolerance' | 'benchTolerance'> {
  let tolerance = DEFAULT_TOLERANCE;
  const benchTolerance: Partial<Record<BenchId, number>> = {};
  for (const raw of values ?? []) {
    const v = String(raw).trim();
    const m = /^([a-z-_]+)=(.+)$/i.exec(v);
    const num = Number(m ? m[2] : v);
    if (v === '' || !Number.isFinite(num) || num < 0) {
      throw new InputError(`--tolerance ${v}: give a number ≥ 0 (percentage points, e.g. 1.0) or BENCH=N on that benchmark's scale (e.g. ocrbench=8)`);
    }
    if (m) benchTolerance[resolveBench(m[1])] = num;
    else tolerance = num;
  }
  return { tolerance, benchTolerance };
}

function parseBenchList(value: string | undefined): BenchId[] | undefined {
  if (value === undefined || value === 'all') return undefined;
  return value.split(',').map((b) => resolveBench(b));
}

/** Runs the gate; returns the exit code (0 pass, 1 regression/incomplete); bad input throws InputError (exit 2). */
export function runGateCommand(args: GateArgs, io: CliIo): number {
  const writeJson = (value: unknown): void => {
    if (args.json) writeFileSync(args.json, JSON.stringify(value, null, 2) + '\n');
  };
  try {
    if (!Number.isInteger(args.resamples) || args.resamples < 100) throw new InputError(`--resamples ${args.resamples}: must be an integer ≥ 100`);
    if (!Number.isInteger(args.seed)) throw new InputError(`--seed ${args.seed}: must be an integer`);
    // --bench applies before anything is read: a benchmark left out is never checked.
    const benches = parseBenchList(args.bench);
    const current = readRunSource(args.run, { benches });
    const baseline = readBaselineSource(args.baseline, { row: args.row, model: current.model, hfId: current.hfId, benches });
    const report = gate(current, baseline, {
      ...parseTolerances(args.tolerance),
      alpha: args.alpha,
      resamples: args.resamples,
      seed: args.seed,
      benches,
      allowSubset: args['allow-subset'],
      allowIncomplete: args['allow-incomplete'],
    });
    for (const line of formatGateMarkdown(report)) io.out(line);
    writeJson(report);
    const failing = report.benches.filter((b) => b.verdict !== 'pass');
    if (failing.length > 0) io.err(`gate failed: ${failing.map((b) => `${b.bench} (${b.verdict})`).join(', ')}`);
    return report.exitCode;
  } catch (err) {
    const { code, message } = exitFor(err);
    if (code === EXIT_BAD_INPUT) {
      // Machines reading --json learn why too; the CLI prints the message and exits 2.
      writeJson({ format: 'cogeval-gate', version: 1, verdict: 'bad-input', exitCode: code, problems: err instanceof GateInputError ? err.problems : [message] });
    }
    throw err;
  }
}

export function gateCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, GateArgs> {
  return {
    command: 'gate',
    describe: 'CI regression gate: compare a run with a baseline (paired significance tests), print a Markdown table; exit 1 on a regression',
    builder: (y: Argv) =>
      y
        .option('run', { type: 'string', demandOption: true, describe: 'the scored run directory to check' })
        .option('baseline', {
          type: 'string',
          demandOption: true,
          describe: 'a baseline run directory, a file from `cogeval baseline save` or configs/reported.json, or "reported" (configs/reported.json, the row of the run\'s model)',
        })
        .option('tolerance', {
          type: 'string',
          array: true,
          describe: `allowed drop: N percentage points (default ${DEFAULT_TOLERANCE}; OCRBench 10×N points of 1000), or BENCH=N on that benchmark's scale (repeatable)`,
        })
        .option('alpha', { type: 'number', default: DEFAULT_ALPHA, describe: 'one-sided significance level of the paired tests' })
        .option('json', { type: 'string', describe: 'also write the report as JSON to this file' })
        .option('bench', { type: 'string', describe: 'gate only these benchmarks (comma-separated; default all of the run\'s)' })
        .option('row', { type: 'string', describe: 'reported-scores baselines: the row to compare with (default: the run\'s model, e.g. chat)' })
        .option('allow-subset', { type: 'boolean', default: false, describe: 'when the sample sets differ, compare the ids present in both instead of exiting 2' })
        .option('allow-incomplete', { type: 'boolean', default: false, describe: 'do not fail on failed/missing samples or judge failures in the run (they are still reported)' })
        .option('resamples', { type: 'number', default: PAIRED_BOOTSTRAP_RESAMPLES, describe: 'paired-bootstrap resamples (graded benchmarks and every Δ CI)' })
        .option('seed', { type: 'number', default: PAIRED_BOOTSTRAP_SEED, describe: 'paired-bootstrap seed' })
        .example('$0 gate --run runs/new --baseline runs/old', 'paired tests against an earlier run')
        .example('$0 gate --run runs/ci --baseline reports/baselines/chat-limit200.json --json gate.json >> "$GITHUB_STEP_SUMMARY"', 'in CI, against a committed baseline')
        .example('$0 gate --run runs/chat-all-cogvlm2 --baseline reported --tolerance 2', 'against the CogVLM2 README row (threshold only)') as unknown as Argv<GateArgs>,
    handler: (args) => {
      setExit(runGateCommand(args, io));
    },
  };
}

interface BaselineArgs {
  run?: string;
  out?: string;
  note?: string;
  units?: boolean;
}

export function baselineCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, BaselineArgs> {
  return {
    command: 'baseline',
    describe: 'Save a run\'s scores (and per-unit results) as a baseline file for `cogeval gate`',
    builder: (y: Argv) =>
      y
        .command(
          'save <run>',
          'Write the run\'s per-benchmark scores (value, CI, n, profile, judge mode, model, dataset revision) and per-unit results as JSON',
          (yy) =>
            yy
              .positional('run', { type: 'string', demandOption: true, describe: 'scored run directory' })
              .option('out', { type: 'string', demandOption: true, describe: 'baseline file to write, e.g. reports/baselines/NAME.json' })
              .option('note', { type: 'string', describe: 'a line saying what this baseline is (stored in the file)' })
              .option('units', { type: 'boolean', default: true, describe: 'store per-unit results so the gate can run paired tests (--no-units: scores only, threshold gate)' })
              .example('$0 baseline save runs/chat-all-cogvlm2-limit200 --out reports/baselines/chat-limit200.json', 'a baseline for CI'),
          (args) => {
            const file = saveBaseline(args.run as string, args.out as string, { note: args.note, units: args.units });
            const benches = Object.entries(file.benches).map(([b, s]) => `${b} ${s?.display} (n ${s?.n})`);
            io.err(`wrote ${args.out}: ${benches.join(', ')}; ${args.units === false ? 'scores only' : 'with per-unit results'}`);
            for (const [b, why] of Object.entries(file.notGateable ?? {})) io.err(`${b}: not gateable, recorded without a score: ${why}`);
            setExit(0);
          },
        )
        .demandCommand(1, 'name a baseline action: save'),
    handler: () => {},
  };
}
