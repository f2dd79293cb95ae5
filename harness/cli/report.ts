// `cogeval report [RUN…]`: the leaderboard of runs beside the CogVLM2 README table, written as a
// self-contained leaderboard.html, leaderboard.csv and leaderboard.md, and printed as a table.
import type { CliIo } from './commands.js';
import type { Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { InputError } from '../errors.js';
import { buildReport, DEFAULT_THUMBNAIL_BUDGET_BYTES } from '../report/build.js';

interface ReportArgs {
  runs?: string[];
  'runs-dir': string;
  out: string;
  reported?: string;
  'thumbnail-budget': number;
  data?: string;
  'data-dir'?: string;
  title?: string;
}

const DATA_CHOICES = ['hf', 'vlmevalkit', 'demo', 'official'] as const;

export function reportCommand(io: CliIo): CommandModule<object, ReportArgs> {
  return {
    command: 'report [runs..]',
    describe: 'Write the leaderboard (HTML, CSV, Markdown) of runs beside the CogVLM2 README table',
    builder: (y: Argv) =>
      y
        .positional('runs', { type: 'string', array: true, describe: 'run directories (default: every run under --runs-dir)' })
        .option('runs-dir', { type: 'string', default: 'runs', describe: 'where runs are found when none are named' })
        .option('out', { type: 'string', default: 'reports', describe: 'folder for leaderboard.html, leaderboard.csv and leaderboard.md' })
        .option('reported', { type: 'string', describe: 'reported scores file (default: configs/reported.json)' })
        .option('thumbnail-budget', { type: 'number', default: DEFAULT_THUMBNAIL_BUDGET_BYTES / 1e6, describe: 'total size of the embedded image thumbnails in MB (0: none)' })
        .option('data', { type: 'string', choices: DATA_CHOICES, describe: "where the runs' images are (default: each run's own data source)" })
        .option('data-dir', { type: 'string', describe: 'a local copy of the data in any supported layout, for thumbnails' })
        .option('title', { type: 'string', describe: 'page title' })
        .example('$0 report', 'every run under runs/ → reports/leaderboard.html, .csv, .md')
        .example('$0 report runs/chat-all-cogvlm2 runs/chinese-chat-all-cogvlm2 --out site/', 'two runs, written to site/')
        .example('$0 report --thumbnail-budget 0', 'no thumbnails (a smaller file)') as unknown as Argv<ReportArgs>,
    handler: async (args) => {
      const budget = args['thumbnail-budget'];
      if (!Number.isFinite(budget) || budget < 0) throw new InputError(`--thumbnail-budget takes a size in MB (0 or more), got ${String(budget)}`);
      const data = args.data as (typeof DATA_CHOICES)[number] | undefined;
      if (data === 'official' && args['data-dir'] === undefined) throw new InputError('--data official needs --data-dir DIR (the authors\' release)');
      const result = await buildReport({
        runDirs: args.runs,
        runsDir: args['runs-dir'],
        outDir: args.out,
        reportedPath: args.reported,
        thumbnailBudgetBytes: Math.round(budget * 1e6),
        data: data !== undefined || args['data-dir'] !== undefined ? { data, dataDir: args['data-dir'] } : undefined,
        title: args.title,
      });
      for (const line of result.terminal) io.out(line);
      for (const note of result.notes) io.err(chalk.yellow(`note: ${note}`));
      io.err(
        `wrote ${result.files.html} (${(result.htmlBytes / 1e6).toFixed(2)} MB, ${result.thumbnails.made} thumbnail(s)), ${result.files.csv}, ${result.files.md}`,
      );
    },
  };
}
