// VCR scoring against the reference vectors produced by tools/reference/vcr_reference.py
// (real difflib, nltk and the references' arithmetic; token tables from the spaCy port).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vectorChecks } from '../../../harness/benchmarks/vcr/vector-checks.js';
import { checkVectorFile } from '../../../harness/verify/compare.js';

const FILE = fileURLToPath(new URL('../../fixtures/vectors/vcr_scoring.jsonl', import.meta.url));

describe('VCR reference vectors', () => {
  it('vcr_scoring.jsonl: every label of every line matches', () => {
    const r = checkVectorFile(FILE, vectorChecks);
    expect(r.problems.map((p) => p.message)).toEqual([]);
    expect(r.failed).toBe(0);
    // 9 ratio lines × 1 label + 27 blank lines × 3 + 2 aggregate lines × 3
    expect(r.passed).toBe(9 + 27 * 3 + 2 * 3);
  });
});
