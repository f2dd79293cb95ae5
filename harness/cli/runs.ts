// `cogeval merge` (shard runs → one run) and `cogeval rescore` (score a run again, e.g. under
// other profiles or after judging), sharing the end-of-run table of `eval`.
import type { CliIo } from './commands.js';
import type { Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { existsSync, statSync } from 'node:fs';
import { mergeRuns } from '../run/merge.js';
import { scoreRun } from '../run/score-run.js';
import { readManifest, runPath, type RunScores } from '../run/run-format.js';
import { resolveModel } from '../run/models.js';
import { acquireRunLock } from '../run/lock.js';
import { RANDOM_WEIGHTS_LABEL } from '../run/identity.js';
import { listRuns } from '../run/list.js';
import { InputError } from '../errors.js';
import { resolveJudgeMode } from '../metrics/resolve.js';
import { formatRunScores, parseProfiles } from './eval.js';

/** Every profile of every benchmark of a run (the scorer-sensitivity view of `rescore --profile all`). */
export function formatProfileTable(scores: RunScores): string[] {
  const header = ['bench', 'profile', 'score', '95% CI', 'n', 'random', 'needs judge', 'judge failed', 'n/a'];
  const rows: string[][] = [];
  for (const [bench, s] of Object.entries(scores.benches)) {
    for (const p of s?.profiles ?? []) {
      const dec = p.scale === 'percent' ? 1 : 0;
      rows.push([
        bench,
        p.profile + (p.profile === s?.primary.profile ? ' *' : ''),
        p.display,
        Number.isFinite(p.ci.lo) ? `${p.ci.lo.toFixed(dec)}–${p.ci.hi.toFixed(dec)}` : 'n/a',
        String(p.n),
        String(p.counts.random_fallback),
        String(p.counts.needs_judge),
        String(p.counts.judge_failed),
        String(p.counts.not_applicable),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), chalk.dim("* the run's profile (the table above)")];
}

function printScores(runDir: string, io: CliIo, opts: { judgeMode?: string; profile?: string[]; judgeModel?: string }): void {
  const manifest = readManifest(runDir);
  // `--profile all`: every profile of every benchmark. scoreRun scores them all in the same pass
  // anyway (scores.json keeps them); this only prints them.
  const allProfiles = opts.profile?.includes('all') ?? false;
  const chosen = opts.profile?.filter((p) => p !== 'all');
  const scores = scoreRun(runDir, { judgeMode: resolveJudgeMode(opts.judgeMode), profiles: parseProfiles(chosen), judgeModel: opts.judgeModel });
  const random = manifest.config.identity?.randomWeights === true;
  let reported;
  try {
    // A random-weight model is never compared; a fine-tune only with the row it asked for.
    reported = random ? undefined : resolveModel(manifest.config.model.reportedAs ?? manifest.config.model.name).reported?.scores;
  } catch {
    reported = undefined; // a model no longer in the registry: no reported row to compare with
  }
  if (random) io.out(chalk.bold.red(`*** ${RANDOM_WEIGHTS_LABEL}: this run's scores mean nothing and are compared with no reported score ***`));
  io.out(chalk.bold(`run ${manifest.id} (${runDir}); model ${manifest.config.model.hfId}; protocol ${manifest.config.protocol}; judge mode ${scores.judgeMode}`));
  for (const line of formatRunScores(scores, reported, random ? RANDOM_WEIGHTS_LABEL : undefined)) io.out(line);
  if (allProfiles) {
    io.out('');
    io.out(chalk.bold('every profile (scorer sensitivity)'));
    for (const line of formatProfileTable(scores)) io.out(line);
  }
}

export function mergeCommand(io: CliIo): CommandModule<object, { runs: string[]; out: string }> {
  return {
    command: 'merge <runs..>',
    describe: 'Combine shard runs (--shard i/n) into one run, after checking their configurations match',
    builder: (y: Argv) =>
      y
        .positional('runs', { type: 'string', array: true, demandOption: true, describe: 'the shard run directories' })
        .option('out', { type: 'string', demandOption: true, describe: 'directory of the merged run' })
        .example('$0 merge runs/chat-all-cogvlm2-shard1of2 runs/chat-all-cogvlm2-shard2of2 --out runs/chat-all-cogvlm2', 'merge two machines\' shards') as unknown as Argv<{ runs: string[]; out: string }>,
    handler: (args) => {
      if (existsSync(args.out) && !statSync(args.out).isDirectory()) throw new InputError(`--out ${args.out} is a file; pass a folder for the merged run`);
      // One writer: the merged run is locked while it is written and scored.
      const lock = acquireRunLock(args.out, 'merge');
      try {
        mergeAndPrint(args, io);
      } finally {
        lock.release();
      }
    },
  };
}

function mergeAndPrint(args: { runs: string[]; out: string }, io: CliIo): void {
  const r = mergeRuns(args.runs, args.out);
  io.err(`merged ${args.runs.length} shard runs into ${r.dir}: ${r.predictions} predictions, ${r.failed} failed samples, ${r.duplicates} duplicate(s) dropped`);
  if (r.missingShards.length > 0) io.err(chalk.yellow(`shards not given: ${r.missingShards.join(', ')} — their samples count as missing`));
  printScores(r.dir, io, {});
}

export function rescoreCommand(io: CliIo): CommandModule<object, { run: string; 'judge-mode'?: string; profile?: string[]; 'judge-model'?: string }> {
  return {
    command: 'rescore <run>',
    describe: 'Score a run directory again (other profiles, judge mode, after new judge replies)',
    builder: (y: Argv) =>
      y
        .positional('run', { type: 'string', demandOption: true, describe: 'run directory' })
        .option('judge-mode', { type: 'string', choices: ['exact-matching', 'llm'], describe: 'use cached judge replies (llm) or not' })
        .option('profile', { type: 'string', array: true, describe: 'BENCH=PROFILE (repeatable), or "all" to print every profile of every benchmark as well' })
        .option('judge-model', { type: 'string', describe: 'the judge model whose cached replies to use' })
        .example('$0 rescore runs/chat-docvqa-cogvlm2 --profile docvqa=pix2struct', 'DocVQA under pix2struct\'s ANLS')
        .example('$0 rescore runs/chat-all-cogvlm2 --profile all', 'every benchmark under every profile (scorer sensitivity)') as unknown as Argv<{
        run: string;
        'judge-mode'?: string;
        profile?: string[];
        'judge-model'?: string;
      }>,
    handler: (args) => {
      if (!existsSync(runPath(args.run, 'manifest'))) throw new InputError(`${args.run} is not a run directory (no run.json)`);
      const lock = acquireRunLock(args.run, 'rescore');
      try {
        printScores(args.run, io, { judgeMode: args['judge-mode'], profile: args.profile, judgeModel: args['judge-model'] });
      } finally {
        lock.release();
      }
    },
  };
}

export function runsCommand(io: CliIo): CommandModule<object, { action: string; 'runs-dir': string; json: boolean }> {
  return {
    command: 'runs <action>',
    describe: 'List the runs under --runs-dir (action: ls): id, model as served, benchmarks, samples, failed, created',
    builder: (y: Argv) =>
      y
        .positional('action', { type: 'string', choices: ['ls'], demandOption: true, describe: 'ls: list the runs' })
        .option('runs-dir', { type: 'string', default: 'runs', describe: 'where the runs are' })
        .option('json', { type: 'boolean', default: false, describe: 'print the list as JSON' })
        .example('$0 runs ls', 'every run under runs/')
        .example('$0 runs ls --runs-dir /data/cogeval/runs', 'another runs folder') as unknown as Argv<{ action: string; 'runs-dir': string; json: boolean }>,
    handler: (args) => {
      const runs = listRuns(args['runs-dir']);
      if (args.json) {
        io.out(JSON.stringify(runs, null, 2));
        return;
      }
      if (runs.length === 0) {
        io.err(`no runs under ${args['runs-dir']}`);
        return;
      }
      const header = ['id', 'model (served as)', 'benches', 'n', 'failed', 'created', 'note'];
      const rows = runs.map((r) => [r.id, r.model, r.benches.join(','), String(r.predicted), String(r.failed), r.createdAt, r.note]);
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
      const line = (cells: string[]): string => cells.map((c, i) => (i === 3 || i === 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
      io.out(line(header));
      for (const r of rows) io.out(line(r));
    },
  };
}
