// The difflib port against CPython's difflib itself on generated string pairs (short phrases,
// near misses, Unicode, and texts of 200+ characters where difflib's autojunk rule applies).
// Skipped where no Python 3 is available (COGEVAL_TEST_PYTHON, tests/support/python.ts).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sequenceMatcherRatio } from '../../../harness/benchmarks/vcr/sequence-matcher.js';
import { TEST_PYTHON, pythonHas } from '../../support/python.js';

const HAS_PYTHON = pythonHas(['difflib', 'json']);

/** Deterministic pseudo-random pairs (mulberry32), from a small alphabet so matches are common. */
function pairs(): Array<[string, string]> {
  let s = 0x9e3779b9;
  const rnd = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const words = ['the', 'of', 'a', 'in', 'was', 'first', 'published', 'wrote', 'who', 'Engine', '1843', 'ÿ', 'é', '😀', ',', '.'];
  const phrase = (n: number) => Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]).join(' ');
  const out: Array<[string, string]> = [];
  for (let i = 0; i < 300; i++) out.push([phrase(1 + Math.floor(rnd() * 6)), phrase(1 + Math.floor(rnd() * 6))]);
  // Long second strings: difflib drops elements occurring more than 1% + 1 times (autojunk).
  for (let i = 0; i < 40; i++) out.push([phrase(20 + Math.floor(rnd() * 40)), phrase(60 + Math.floor(rnd() * 60))]);
  out.push(['', ''], ['abc', ''], ['', 'abc'], ['a'.repeat(300), 'a'.repeat(250) + 'b']);
  return out;
}

describe.skipIf(!HAS_PYTHON)('difflib.SequenceMatcher.ratio port vs CPython', () => {
  it('matches CPython on 344 pairs', () => {
    const input = pairs();
    const script = 'import sys, json\nfrom difflib import SequenceMatcher as SM\nprint(json.dumps([SM(None, a, b).ratio() for a, b in json.load(sys.stdin)]))';
    const r = spawnSync(TEST_PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const expected = JSON.parse(r.stdout) as number[];
    expect(input.filter(([, b]) => Array.from(b).length >= 200).length).toBeGreaterThan(10);
    const mismatches = input
      .map(([a, b], i) => ({ a, b, want: expected[i], got: sequenceMatcherRatio(a, b) }))
      // Same formula on the same integers: any difference beyond float rounding is a real mismatch.
      .filter((m) => Math.abs(m.got - m.want) > 1e-12);
    expect(mismatches).toEqual([]);
  }, 120_000);
});
