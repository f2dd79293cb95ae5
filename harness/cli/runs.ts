// `cogeval merge` (shard runs → one run) and `cogeval rescore` (score a run again, e.g. under
// other profiles or after judging), sharing the end-of-run table of `eval`.
import type { Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { mergeRuns } from '../run/merge.js';
import { scoreRun } from '../run/score-run.js';
import { readJson, runPath } from '../run/store.js';
import type { RunManifest } from '../run/runner.js';
import { resolveModel } from '../run/models.js';
import { resolveJudgeMode } from '../metrics/registry.js';
import { formatRunScores, parseProfiles } from './eval.js';

export interface RunsIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

function printScores(runDir: string, io: RunsIo, opts: { judgeMode?: string; profile?: string[]; judgeModel?: string }): void {
  const manifest = readJson<RunManifest>(runPath(runDir, 'manifest'), 'run manifest');
  const scores = scoreRun(runDir, { judgeMode: resolveJudgeMode(opts.judgeMode), profiles: parseProfiles(opts.profile), judgeModel: opts.judgeModel });
  let reported;
  try {
    reported = resolveModel(manifest.config.model.name).reported?.scores;
  } catch {
    reported = undefined; // a model no longer in the registry: no reported row to compare with
  }
  io.out(chalk.bold(`run ${manifest.id} (${runDir}); model ${manifest.config.model.hfId}; protocol ${manifest.config.protocol}; judge mode ${scores.judgeMode}`));
  for (const line of formatRunScores(scores, reported)) io.out(line);
}

export function mergeCommand(io: RunsIo): CommandModule<object, { runs: string[]; out: string }> {
  return {
    command: 'merge <runs..>',
    describe: 'Combine shard runs (--shard i/n) into one run, after checking their configurations match',
    builder: (y: Argv) =>
      y
        .positional('runs', { type: 'string', array: true, demandOption: true, describe: 'the shard run directories' })
        .option('out', { type: 'string', demandOption: true, describe: 'directory of the merged run' })
        .example('$0 merge runs/chat-all-cogvlm2-shard1of2 runs/chat-all-cogvlm2-shard2of2 --out runs/chat-all-cogvlm2', 'merge two machines\' shards') as unknown as Argv<{ runs: string[]; out: string }>,
    handler: (args) => {
      const r = mergeRuns(args.runs, args.out);
      io.err(`merged ${args.runs.length} shard runs into ${r.dir}: ${r.predictions} predictions, ${r.failed} failed samples, ${r.duplicates} duplicate(s) dropped`);
      if (r.missingShards.length > 0) io.err(chalk.yellow(`shards not given: ${r.missingShards.join(', ')} — their samples count as missing`));
      printScores(r.dir, io, {});
    },
  };
}

export function rescoreCommand(io: RunsIo): CommandModule<object, { run: string; 'judge-mode'?: string; profile?: string[]; 'judge-model'?: string }> {
  return {
    command: 'rescore <run>',
    describe: 'Score a run directory again (other profiles, judge mode, after new judge replies)',
    builder: (y: Argv) =>
      y
        .positional('run', { type: 'string', demandOption: true, describe: 'run directory' })
        .option('judge-mode', { type: 'string', choices: ['exact-matching', 'llm'], describe: 'use cached judge replies (llm) or not' })
        .option('profile', { type: 'string', array: true, describe: 'BENCH=PROFILE (repeatable)' })
        .option('judge-model', { type: 'string', describe: 'the judge model whose cached replies to use' })
        .example('$0 rescore runs/chat-docvqa-cogvlm2 --profile docvqa=pix2struct', 'DocVQA under pix2struct\'s ANLS') as unknown as Argv<{
        run: string;
        'judge-mode'?: string;
        profile?: string[];
        'judge-model'?: string;
      }>,
    handler: (args) => {
      printScores(args.run, io, { judgeMode: args['judge-mode'], profile: args.profile, judgeModel: args['judge-model'] });
    },
  };
}
