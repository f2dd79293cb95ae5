// `cogeval rescore RUN --profile all`: every profile of every benchmark of a run, from one scoring
// pass, on a run directory made by `cogeval import` from a real VLMEvalKit MMBench sheet.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import writeXlsxFile from 'write-excel-file/node';
import { main } from '../../harness/cli/main.js';
import { MMBENCH_SHEET_HEADER, MMBENCH_SHEET_ROWS } from '../support/mmbench-sheet.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('rescore --profile all', () => {
  it('prints every profile of the run beside the run\'s own table, and scores.json holds the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogeval-rescore-all-'));
    const sheet = join(dir, 'm_MMBench_DEV_EN.xlsx');
    await writeXlsxFile([MMBENCH_SHEET_HEADER, ...MMBENCH_SHEET_ROWS]).toFile(sheet);
    const runDir = join(dir, 'runs', 'm-mmbench');
    expect((await run(['import', sheet, '--bench', 'mmbench', '--model-name', 'm', '--out', runDir])).code).toBe(0);

    const r = await run(['rescore', runDir, '--profile', 'all']);
    expect(r.code, r.err).toBe(0);
    const [runTable, profileTable] = r.out.split('every profile (scorer sensitivity)');
    expect(runTable).toMatch(/mmbench\s+vlmevalkit\s+50\.0/);
    expect(profileTable).toMatch(/mmbench\s+vlmevalkit \*\s+50\.0/);
    expect(profileTable).toMatch(/mmbench\s+lmms-eval\s+50\.0/);
    const scores = JSON.parse(readFileSync(join(runDir, 'scores.json'), 'utf8'));
    const profiles: { profile: string; display: string }[] = scores.benches.mmbench.profiles;
    expect(profiles.length).toBeGreaterThanOrEqual(2);
    for (const p of profiles) expect(profileTable).toMatch(new RegExp(`mmbench\\s+${p.profile}( \\*)?\\s+${p.display.replace('.', '\\.')}`));

    // `all` together with a chosen profile: the chosen one is the run's (starred) profile.
    const both = await run(['rescore', runDir, '--profile', 'mmbench=lmms-eval', '--profile', 'all']);
    expect(both.code, both.err).toBe(0);
    const [, starred] = both.out.split('every profile (scorer sensitivity)');
    expect(starred).toMatch(/mmbench\s+lmms-eval \*\s+50\.0/);
    expect(starred).toMatch(/mmbench\s+vlmevalkit\s+50\.0/);
    expect(starred).not.toMatch(/vlmevalkit \*/);
  });
});
