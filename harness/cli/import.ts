// `cogeval import FILE|DIR… --bench B` and `cogeval export-predictions RUN --bench B`: bring
// other harnesses' result files into a run directory, and write a run's predictions back out as
// the JSONL `cogeval score` reads.
import type { CliIo } from './commands.js';
import type { Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { writeFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { ImportProblems, importRun, importSources } from '../import/import-run.js';
import type { PrintedScore } from '../import/types.js';
import { SCORERS, resolveBench } from '../metrics/registry.js';
import { benchIdsInWords } from '../benchmarks/registry.js';
import { benchRecords } from '../run/score-run.js';
import { latestPredictions } from '../run/store.js';
import { readRun, type RunScores } from '../run/run-format.js';
import { formatRunScores } from './eval.js';

interface ImportArgs {
  inputs: string[];
  bench: string;
  from: string;
  'model-name'?: string;
  out: string;
  data?: string;
  'data-dir'?: string;
  'skip-invalid': boolean;
}

/** Each score the source printed, beside cogeval's under the matching profile. */
export function formatPrinted(printed: readonly PrintedScore[], scores: RunScores): string[] {
  return printed.map((p) => {
    const mine = scores.benches[p.bench]?.profiles.find((s) => s.profile === p.profile);
    const dec = SCORERS[p.bench].scale === 'points1000' ? 0 : 1;
    const ours = mine ? mine.display : 'n/a';
    const delta = mine && Number.isFinite(mine.value) ? ` (Δ ${(mine.value - p.value >= 0 ? '+' : '') + (mine.value - p.value).toFixed(dec)})` : '';
    return `${p.bench}: the source printed ${p.value.toFixed(dec)} (${p.label}); cogeval under ${p.profile}: ${ours}${delta}`;
  });
}

export function importCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, ImportArgs> {
  return {
    command: 'import <inputs..>',
    describe: "Import another harness's results (lmms-eval, VLMEvalKit, MMMU / MM-Vet scripts, MMBench upload sheets) as a run directory",
    builder: (y: Argv) =>
      y
        .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'result files or folders' })
        .option('bench', { type: 'string', demandOption: true, describe: benchIdsInWords() })
        .option('from', { type: 'string', choices: [...importSources(), 'auto'], default: 'auto', describe: 'which harness wrote the files' })
        .option('model-name', { type: 'string', describe: 'the model the predictions are from (run.json, report)' })
        .option('out', { type: 'string', demandOption: true, describe: 'the new run directory, e.g. runs/<id>' })
        .option('data', { type: 'string', describe: 'dataset to join missing ground truth from, by id: hf, vlmevalkit, demo, official (with --data-dir)' })
        .option('data-dir', { type: 'string', describe: 'a local copy of the dataset in any supported layout' })
        .option('skip-invalid', { type: 'boolean', default: false, describe: 'import the valid rows even when some are bad (they are listed and recorded)' })
        .example('$0 import outputs/llava_MMBench_DEV_EN.xlsx --bench mmbench --model-name llava-1.5 --out runs/llava-mmbench', 'a VLMEvalKit prediction sheet')
        .example('$0 import logs/ --bench mmmu --from lmms-eval --out runs/x-mmmu', 'lmms-eval samples_*.jsonl and results*.json')
        .example('$0 import example_outputs/llava1.5_13b --bench mmmu --from mmmu --out runs/llava-mmmu', 'the MMMU authors\' per-subject output.json') as unknown as Argv<ImportArgs>,
    handler: async (args) => {
      try {
        const r = await importRun({
          inputs: args.inputs,
          bench: args.bench,
          from: args.from,
          modelName: args['model-name'],
          out: args.out,
          data: args.data,
          dataDir: args['data-dir'],
          skipInvalid: args['skip-invalid'],
          ctx: { env: process.env, cwd: process.cwd() },
        });
        io.err(`imported ${r.records} row(s) from ${r.read.label} into ${r.dir}`);
        if (r.provenance.joined) {
          const j = r.provenance.joined;
          io.err(`ground truth joined by id from ${j.dataset}: ${j.rows} row(s)${j.unmatched.length > 0 ? `; ${j.unmatched.length} id(s) not in it: ${j.unmatched.join(', ')}` : ''}`);
        }
        for (const p of r.provenance.skipped) io.err(chalk.yellow(`skipped: ${p}`));
        for (const n of r.provenance.notes) io.err(chalk.dim(`note: ${n}`));
        for (const line of formatRunScores(r.scores, undefined)) io.out(line);
        for (const line of formatPrinted(r.provenance.printed, r.scores)) io.out(line);
        setExit(0);
      } catch (err) {
        if (err instanceof ImportProblems) for (const p of err.problems) io.err(chalk.red(`error: ${p}`));
        throw err;
      }
    },
  };
}

interface ExportArgs {
  run: string;
  bench: string;
  out?: string;
}

/** The `score` JSONL of one benchmark of a run: `{id, ...references, prediction}` per predicted sample, in dataset order. */
export function exportPredictions(runDir: string, benchName: string): { lines: string[]; failed: number } {
  const bench = resolveBench(benchName);
  const { manifest, predictions } = readRun(runDir, { samples: true });
  if (!manifest.config.benches.includes(bench)) throw new InputError(`run ${runDir} has no ${bench} (its benchmarks: ${manifest.config.benches.join(', ')})`);
  const { done, failed } = latestPredictions(predictions);
  const records = benchRecords(done.values(), bench);
  return { lines: records.map((r) => JSON.stringify(r)), failed: [...failed.values()].filter((l) => l.bench === bench).length };
}

export function exportPredictionsCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, ExportArgs> {
  return {
    command: 'export-predictions <run>',
    describe: "Write a run's predictions of one benchmark as the JSONL `cogeval score` reads (references included)",
    builder: (y: Argv) =>
      y
        .positional('run', { type: 'string', demandOption: true, describe: 'run directory' })
        .option('bench', { type: 'string', demandOption: true, describe: 'the benchmark to export' })
        .option('out', { type: 'string', describe: 'file to write (default: standard output)' })
        .example('$0 export-predictions runs/chat-all-cogvlm2 --bench docvqa --out docvqa.jsonl', 'then: cogeval score --bench docvqa --predictions docvqa.jsonl') as unknown as Argv<ExportArgs>,
    handler: (args) => {
      const { lines, failed } = exportPredictions(args.run, args.bench);
      if (lines.length === 0) throw new InputError(`run ${args.run} holds no ${args.bench} predictions`);
      if (args.out) {
        writeFileSync(args.out, lines.join('\n') + '\n');
        io.err(`wrote ${lines.length} prediction(s) to ${args.out}`);
      } else for (const l of lines) io.out(l);
      if (failed > 0) io.err(chalk.yellow(`${failed} failed sample(s) have no prediction and are not exported`));
      setExit(0);
    },
  };
}
