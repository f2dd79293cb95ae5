// The list of `cogeval` commands: each one's usage line and summary, and how to import its module.
// A command's module is imported only when that command runs (or its own --help is asked for), so
// `cogeval --version` and `cogeval --help` never load sharp, undici or onnxruntime.
// Adding a command is one line here; tests/cli/commands.test.ts checks each line against its module.
import type { CommandModule } from 'yargs';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** What a command module's factory gets: where to print, and how to set the process's exit code. */
export interface CommandContext {
  io: CliIo;
  setExit: (code: number) => void;
}

// Every command module has its own argument type; yargs checks the arguments against the builder
// at run time, so the registry only needs "some command module" here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommandModule = CommandModule<object, any>;

export interface LazyCommand {
  /** The yargs command string (name and positionals), as the module declares it. */
  command: string;
  /** The one-line summary shown by `cogeval --help`, as the module declares it. */
  describe: string;
  load: (ctx: CommandContext) => Promise<AnyCommandModule>;
  /**
   * Optional: runs the command without yargs when its arguments are plain (see score.ts); resolves
   * to false when they are not, and yargs then parses them.
   */
  fast?: (argv: readonly string[], ctx: CommandContext) => Promise<boolean>;
}

export const COMMANDS: readonly LazyCommand[] = [
  { command: 'verify-scorers <paths..>', describe: 'Check every scorer against reference vector files (files or directories of .jsonl)', load: async (c) => (await import('./verify-scorers.js')).verifyScorersCommand(c.io, c.setExit) },
  { command: 'score', describe: 'Score a predictions JSONL file (prediction + references per line) under one or every profile', load: async (c) => (await import('./score.js')).scoreCommand(c.io, c.setExit), fast: async (argv, c) => (await import('./score.js')).scoreFast(argv, c.io, c.setExit) },
  { command: 'data', describe: 'Download benchmark data (HF cache / LMUData), list what is present, verify checksums', load: async (c) => (await import('./data.js')).dataCommand(c.io, c.setExit) },
  { command: 'eval', describe: 'Run benchmarks against a model server or the in-process onnx engine, resumably; judge, score and summarise the run', load: async (c) => (await import('./eval.js')).evalCommand(c.io, c.setExit) },
  { command: 'merge <runs..>', describe: 'Combine shard runs (--shard i/n) into one run, after checking their configurations match', load: async (c) => (await import('./runs.js')).mergeCommand(c.io) },
  { command: 'rescore <run>', describe: 'Score a run directory again (other profiles, judge mode, after new judge replies)', load: async (c) => (await import('./runs.js')).rescoreCommand(c.io) },
  { command: 'runs <action>', describe: 'List the runs under --runs-dir (action: ls): id, model as served, benchmarks, samples, failed, created', load: async (c) => (await import('./runs.js')).runsCommand(c.io) },
  { command: 'export', describe: 'Convert a CogVLM2 Hugging Face checkpoint into ONNX graphs (vision, embeddings, decoder with KV cache) for the onnx engine; needs Python with torch and onnx', load: async (c) => (await import('./export.js')).exportCommand(c.io, c.setExit) },
  { command: 'providers <action> <ep>', describe: 'Install (once) or check a GPU execution provider for the onnx engine: `providers install cuda`, `providers check cuda`', load: async (c) => (await import('./providers.js')).providersCommand(c.io, c.setExit) },
  { command: 'report [runs..]', describe: 'Write the leaderboard (HTML, CSV, Markdown) of runs beside the CogVLM2 README table', load: async (c) => (await import('./report.js')).reportCommand(c.io) },
  { command: 'serve', describe: 'Serve an exported model (onnx engine) as an OpenAI-compatible API', load: async (c) => (await import('./serve.js')).serveCommand(c.io, c.setExit) },
  { command: 'gate', describe: 'CI regression gate: compare a run with a baseline (paired significance tests), print a Markdown table; exit 1 on a regression', load: async (c) => (await import('./gate.js')).gateCommand(c.io, c.setExit) },
  { command: 'baseline', describe: 'Save a run\'s scores (and per-unit results) as a baseline file for `cogeval gate`', load: async (c) => (await import('./gate.js')).baselineCommand(c.io, c.setExit) },
  { command: 'import <inputs..>', describe: "Import another harness's results (lmms-eval, VLMEvalKit, MMMU / MM-Vet scripts, MMBench upload sheets) as a run directory", load: async (c) => (await import('./import.js')).importCommand(c.io, c.setExit) },
  { command: 'export-predictions <run>', describe: "Write a run's predictions of one benchmark as the JSONL `cogeval score` reads (references included)", load: async (c) => (await import('./import.js')).exportPredictionsCommand(c.io, c.setExit) },
];

/** The name a command is invoked by: the first word of its command string. */
export function commandName(entry: Pick<LazyCommand, 'command'>): string {
  return entry.command.split(' ')[0];
}
