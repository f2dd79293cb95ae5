// The lazy command registry: each line matches its module, the fast --help equals yargs' own
// rendering, and --version/--help load none of the heavy libraries.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../harness/cli/commands.js';
import { buildParser, main } from '../../harness/cli/main.js';
import { topLevelHelp } from '../../harness/cli/top-help.js';
import { VERSION } from '../../harness/version.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const quiet = { out: () => undefined, err: () => undefined };

describe('command registry', () => {
  it.each(COMMANDS.map((c) => [c.command, c] as const))('%s: the registry line matches its module', async (_name, entry) => {
    const mod = await entry.load({ io: quiet, setExit: () => undefined });
    expect(mod.command).toBe(entry.command);
    expect(mod.describe).toBe(entry.describe);
    expect(typeof mod.handler).toBe('function');
  });

  it.each([100, 80, 60, 110])('top-level --help at width %i is what yargs renders', async (width) => {
    const parser = await buildParser(['--help'], quiet, () => undefined);
    const yargsHelp = await parser.wrap(width).getHelp();
    expect(topLevelHelp(width)).toBe(yargsHelp);
  });

  it('--version and --help answer through the io without parsing', async () => {
    const out: string[] = [];
    expect(await main(['--version'], { out: (l) => out.push(l), err: () => undefined })).toBe(0);
    expect(out).toEqual([VERSION]);
    out.length = 0;
    expect(await main(['-h'], { out: (l) => out.push(l), err: () => undefined })).toBe(0);
    for (const c of COMMANDS) expect(out.join('\n')).toContain(`cogeval ${c.command}`);
  });

  it('an unknown command is still refused by yargs with exit 2', async () => {
    const err: string[] = [];
    expect(await main(['evl'], { out: () => undefined, err: (l) => err.push(l) })).toBe(2);
    expect(err.join('\n')).toMatch(/Unknown argument: evl/);
  });

  // Which modules the process resolved: a module-resolution hook (its own thread) appends each URL
  // to a log file the test reads afterwards.
  function loadedUrls(args: string[]): string[] {
    const log = join(mkdtempSync(join(tmpdir(), 'cogeval-loads-')), 'urls.txt');
    const hooks = `import { appendFileSync } from 'node:fs';
      export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.COGEVAL_LOAD_LOG, r.url + '\\n'); return r; }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, 'bin/cogeval.js', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      // Without the variables that make chalk colour a pipe (score then loads chalk on purpose).
      env: { ...process.env, FORCE_COLOR: undefined, TF_BUILD: undefined, COGEVAL_LOAD_LOG: log },
      timeout: 60_000, // one Node start-up; generous for a loaded 2-core machine
    });
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(log, 'utf8').split('\n');
  }

  it.each([['--version'], ['--help']])('cogeval %s loads no command module, yargs, chalk, sharp, undici or onnxruntime', (flag) => {
    const loaded = loadedUrls([flag]);
    expect(loaded.some((u) => u.endsWith('/harness/cli/main.js'))).toBe(true);
    for (const heavy of ['yargs', 'chalk', 'sharp', 'undici', 'onnxruntime', '/harness/cli/eval.js', '/harness/cli/score.js']) {
      expect(loaded.filter((u) => u.includes(heavy))).toEqual([]);
    }
  });

  it('cogeval score with plain arguments into a pipe loads score.js but not yargs, chalk or another command', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cogeval-loads-')), 'p.jsonl');
    writeFileSync(file, JSON.stringify({ id: 1, prediction: 'a', answers: ['a'] }) + '\n');
    const loaded = loadedUrls(['score', '--bench', 'docvqa', '--predictions', file]);
    expect(loaded.some((u) => u.endsWith('/harness/cli/score.js'))).toBe(true);
    for (const heavy of ['yargs', 'cliui', 'chalk', 'sharp', 'undici', 'onnxruntime', '/harness/cli/eval.js', '/harness/cli/runs.js']) {
      expect(loaded.filter((u) => u.includes(heavy))).toEqual([]);
    }
  });
});
