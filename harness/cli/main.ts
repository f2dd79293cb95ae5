// The `cogeval` command line: parses arguments with yargs and dispatches to one module per command.
// Commands are listed in ./commands.ts and only the one that runs is imported (fast start-up);
// `cogeval --version` and `cogeval --help` are answered without loading yargs at all, and so is a
// command with a fast path (`cogeval score` with plain arguments).
import type { Argv } from 'yargs';
import { InputError, exitFor } from '../errors.js';
import { VERSION } from '../version.js';
import { COMMANDS, commandName, type CliIo } from './commands.js';
import { USAGE, helpWidth, topLevelHelp } from './top-help.js';

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** The command `argv` invokes: its first word that is not an option (no global option takes a value). */
function invokedCommand(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

/**
 * The yargs parser for `argv`: every command is listed, and only the invoked one's module is
 * imported (its options and handler are needed; the others only show in --help).
 */
export async function buildParser(argv: string[], io: CliIo, setExit: (code: number) => void): Promise<Argv> {
  const { default: yargs } = await import('yargs');
  const parser = yargs(argv).scriptName('cogeval').usage(USAGE);
  const invoked = invokedCommand(argv);
  for (const entry of COMMANDS) {
    if (commandName(entry) === invoked) parser.command({ ...(await entry.load({ io, setExit })), describe: entry.describe });
    else parser.command(entry.command, entry.describe);
  }
  return parser
    .demandCommand(1, 'name a command; see --help')
    .strict()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(helpWidth())
    .fail((msg, err) => {
      throw err ?? new InputError(msg);
    });
}

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    io.out(VERSION);
    return 0;
  }
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    io.out(topLevelHelp());
    return 0;
  }
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  try {
    // A command with a fast path (score) runs without yargs when its arguments are plain.
    const fast = COMMANDS.find((c) => commandName(c) === argv[0])?.fast;
    if (fast !== undefined && (await fast(argv, { io, setExit }))) return exitCode;
    const parser = await buildParser(argv, io, setExit);
    await parser.parseAsync();
  } catch (err) {
    return reportError(err, io);
  }
  return exitCode;
}

/** Prints the `error: …` line of an error a command threw and returns its exit code (errors.ts decides both). */
export async function reportError(err: unknown, io: CliIo): Promise<number> {
  const { default: chalk } = await import('chalk');
  const { code, message } = exitFor(err);
  io.err(chalk.red(`error: ${message}`));
  return code;
}

/** Runs a command's function as main() does: its exit code, or the code and `error:` line of what it threw. */
export async function runReporting(io: CliIo, run: () => number | Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    return reportError(err, io);
  }
}
