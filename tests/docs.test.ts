// Everything users read cites only files inside the repository: no ../shared or spec/ paths, and
// every "scoring.md §N" / "cogvlm2.md §N" cited in code, configs, README and report exists as a
// section heading of docs/scoring.md or docs/cogvlm2.md.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCANNED = ['README.md', 'BENCHMARKS.md', 'harness', 'configs', 'docs', 'tools', 'bench', 'examples', 'tests/fixtures/vectors/README.md'];
const TEXT = /\.(ts|js|json|md|py|yml|yaml)$/;

function files(path: string): string[] {
  const abs = join(ROOT, path);
  if (!statSync(abs).isDirectory()) return [abs];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .map((f) => join(abs, f))
    .filter((f) => TEXT.test(f) && !f.includes('node_modules') && statSync(f).isFile());
}

const ALL = SCANNED.flatMap(files).filter((f) => !f.endsWith('tiny-model/goldens.json'));

/** Section numbers ("3", "8.1", "A") of the headings of a docs page. */
function sections(doc: string): Set<string> {
  const text = readFileSync(join(ROOT, 'docs', doc), 'utf8');
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{2,3} (?:Appendix )?([0-9A-Z]+(?:\.[0-9]+)?)[. ]/gm)) out.add(m[1]);
  return out;
}

describe('documentation stays inside the repository', () => {
  it('no file users read points outside the repository', () => {
    const bad: string[] = [];
    for (const f of ALL) {
      const text = readFileSync(f, 'utf8');
      for (const pattern of ['../shared', 'shared/spec', 'spec/scoring.md', 'spec/cogvlm2.md', 'node-stack.md', 'architecture.md']) {
        if (text.includes(pattern)) bad.push(`${relative(ROOT, f)}: ${pattern}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every cited section of scoring.md and cogvlm2.md exists in docs/', () => {
    const known = { 'scoring.md': sections('scoring.md'), 'cogvlm2.md': sections('cogvlm2.md') };
    expect(known['scoring.md'].has('9.5')).toBe(true);
    expect(known['cogvlm2.md'].has('8.1')).toBe(true);
    const missing: string[] = [];
    for (const f of ALL) {
      const text = readFileSync(f, 'utf8');
      // "scoring.md §5.2-§11.2, §13" cites 5.2, 11.2 and 13; "cogvlm2.md §6-§7" cites 6 and 7.
      for (const m of text.matchAll(/(scoring|cogvlm2)\.md (§[0-9A-Z.]+(?:(?:[-–,]| and |, )\s*§[0-9A-Z.]+)*)/g)) {
        const doc = `${m[1]}.md` as keyof typeof known;
        for (const s of m[2].matchAll(/§([0-9A-Z]+(?:\.[0-9]+)?)/g)) {
          if (!known[doc].has(s[1])) missing.push(`${relative(ROOT, f)}: ${doc} §${s[1]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
