// The `cogeval` command line: parses arguments with yargs and dispatches to one module per command.
import yargs from 'yargs';
import chalk from 'chalk';
import { writeFileSync } from 'node:fs';
import { EXIT_BAD_INPUT, EXIT_FAILURE, ConfigError, InputError } from '../errors.js';
import { formatMismatch, verifyScorers } from './verify-scorers.js';
import { runScore, formatScoreReport } from './score.js';
import { ALL_ADAPTERS } from '../verify/adapters/index.js';
import { VERSION } from '../version.js';
import { evalCommand } from './eval.js';
import { mergeCommand, rescoreCommand } from './runs.js';
import { dataCommand } from './data.js';
import { exportCommand } from './export.js';
import { providersCommand } from './providers.js';
import { baselineCommand, gateCommand } from './gate.js';
import { reportCommand } from './report.js';
import { serveCommand } from './serve.js';

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName('cogeval')
    .usage('$0 <command> [options]\n\nExact, explainable CogVLM2 benchmark scores.')
    .command(
      'verify-scorers <paths..>',
      'Check every scorer against reference vector files (files or directories of .jsonl)',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'vector files or directories' })
          .example('$0 verify-scorers tests/fixtures/vectors', 'check all bundled vectors'),
      (args) => {
        const outcome = verifyScorers(args.paths as string[], ALL_ADAPTERS);
        for (const m of outcome.mismatches) io.out(formatMismatch(m));
        for (const p of outcome.problems) io.err(chalk.red(`error: ${p.message}`));
        io.out(`${outcome.passed} passed, ${outcome.failed} failed`);
        exitCode = outcome.exitCode;
      },
    )
    .command(
      'score',
      'Score a predictions JSONL file (prediction + references per line) under one or every profile',
      (y) =>
        y
          .option('bench', { type: 'string', demandOption: true, describe: 'textvqa, docvqa, chartqa, ocrbench, mmmu, mmvet or mmbench' })
          .option('predictions', { type: 'string', demandOption: true, describe: 'predictions JSONL (schema in README)' })
          .option('profile', { type: 'string', describe: 'scorer profile, or "all" for the scorer-sensitivity table' })
          .option('judge-mode', { type: 'string', choices: ['exact-matching', 'llm'], default: 'exact-matching', describe: 'MMMU/MMBench: use cached judge replies (llm) or not' })
          .option('seed', { type: 'number', describe: 'seed for random fallbacks (default: the profile\'s own)' })
          .option('skip-invalid', { type: 'boolean', default: false, describe: 'score the valid lines even when some lines are bad (they are listed and counted)' })
          .option('breakdown', { type: 'boolean', default: true, describe: 'print per-category scores' })
          .option('json', { type: 'string', describe: 'also write the scores as JSON to this file' })
          .example('$0 score --bench docvqa --predictions preds.jsonl', 'score under the default profile')
          .example('$0 score --bench mmmu --predictions preds.jsonl --profile all --json mmmu.json', 'scorer-sensitivity table'),
      (args) => {
        const result = runScore({
          bench: args.bench,
          predictions: args.predictions,
          profile: args.profile,
          judgeMode: args['judge-mode'],
          seed: args.seed,
          skipInvalid: args['skip-invalid'],
        });
        for (const e of result.lineErrors) io.err(chalk.red(`error: ${e}`));
        if (result.scores.length === 0) {
          exitCode = EXIT_BAD_INPUT;
          return;
        }
        for (const line of formatScoreReport(result, { breakdown: args.breakdown })) io.out(line);
        if (args.json) writeFileSync(args.json, JSON.stringify(result.json, null, 2) + '\n');
        exitCode = 0;
      },
    )
    .command(dataCommand(io, (code) => { exitCode = code; }))
    .command(evalCommand(io, (code) => { exitCode = code; }))
    .command(mergeCommand(io))
    .command(rescoreCommand(io))
    .command(exportCommand(io, (code) => { exitCode = code; }))
    .command(providersCommand(io, (code) => { exitCode = code; }))
    .command(reportCommand(io))
    .command(serveCommand(io, (code) => { exitCode = code; }))
    .command(gateCommand(io, (code) => { exitCode = code; }))
    .command(baselineCommand(io, (code) => { exitCode = code; }))
    .demandCommand(1, 'name a command; see --help')
    .strict()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      throw err ?? new InputError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof InputError || err instanceof ConfigError) {
      io.err(chalk.red(`error: ${err.message}`));
      return EXIT_BAD_INPUT;
    }
    io.err(chalk.red(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
    return EXIT_FAILURE;
  }
  return exitCode;
}
