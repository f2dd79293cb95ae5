// `cogeval verify-scorers PATH...`: checks the scorers against reference vector files.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkVectorFile, type Mismatch, VectorFileError } from '../verify/compare.js';
import type { VectorChecks } from '../verify/markers.js';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from '../errors.js';
import type { Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { ALL_VECTOR_CHECKS } from '../verify/vector-checks/index.js';
import type { CliIo } from './commands.js';

export interface VerifyOutcome {
  passed: number;
  failed: number;
  mismatches: Mismatch[];
  problems: VectorFileError[];
  files: string[];
  exitCode: number;
}

/** Expands files and directories (their *.jsonl files, sorted) into a list of vector files. */
export function collectVectorFiles(paths: readonly string[]): { files: string[]; problems: VectorFileError[] } {
  const files: string[] = [];
  const problems: VectorFileError[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      problems.push(new VectorFileError(p, undefined, 'no such file or directory'));
      continue;
    }
    if (st.isDirectory()) {
      const found = readdirSync(p)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .map((f) => join(p, f));
      if (found.length === 0) problems.push(new VectorFileError(p, undefined, 'directory holds no .jsonl vector files'));
      files.push(...found);
    } else files.push(p);
  }
  return { files, problems };
}

export function verifyScorers(paths: readonly string[], checks: VectorChecks): VerifyOutcome {
  const { files, problems } = collectVectorFiles(paths);
  const outcome: VerifyOutcome = { passed: 0, failed: 0, mismatches: [], problems, files, exitCode: EXIT_OK };
  for (const file of files) {
    const r = checkVectorFile(file, checks);
    outcome.passed += r.passed;
    outcome.failed += r.failed;
    outcome.mismatches.push(...r.mismatches);
    outcome.problems.push(...r.problems);
  }
  outcome.exitCode = outcome.problems.length > 0 ? EXIT_BAD_INPUT : outcome.failed > 0 ? EXIT_FAILURE : EXIT_OK;
  return outcome;
}

export function formatMismatch(m: Mismatch): string {
  return `${m.file}:${m.line} ${m.label} expected=${JSON.stringify(m.expected)} got=${JSON.stringify(m.got)}`;
}

export function verifyScorersCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, { paths: string[] }> {
  return {
    command: 'verify-scorers <paths..>',
    describe: 'Check every scorer against reference vector files (files or directories of .jsonl)',
    builder: (y: Argv) =>
      y
        .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'vector files or directories' })
        .example('$0 verify-scorers tests/fixtures/vectors', 'check all bundled vectors') as unknown as Argv<{ paths: string[] }>,
    handler: (args) => {
      const outcome = verifyScorers(args.paths, ALL_VECTOR_CHECKS);
      for (const m of outcome.mismatches) io.out(formatMismatch(m));
      for (const p of outcome.problems) io.err(chalk.red(`error: ${p.message}`));
      io.out(`${outcome.passed} passed, ${outcome.failed} failed`);
      setExit(outcome.exitCode);
    },
  };
}
