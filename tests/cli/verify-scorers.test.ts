// `cogeval verify-scorers`: the bundled vectors pass; tampered, malformed and missing input is reported.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli/main.js';
import { VECTORS_DIR } from '../vector-helper.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('verify-scorers', () => {
  it('passes every bundled vector and ends with the count line', async () => {
    const { code, out, err } = await run(['verify-scorers', VECTORS_DIR]);
    expect(err).toEqual([]);
    const last = out[out.length - 1];
    expect(last).toMatch(/^\d+ passed, 0 failed$/);
    // One count per label comparison: the fixture files hold several thousand of them.
    expect(Number(last.split(' ')[0])).toBeGreaterThan(5000);
    expect(code).toBe(0);
  });

  it('checks the VCR vectors (a benchmark module registered after the seven) with every label', async () => {
    const { code, out } = await run(['verify-scorers', join(VECTORS_DIR, 'vcr_scoring.jsonl')]);
    // 9 difflib.ratio lines × 1 label + 27 vcr.blank lines × 3 profiles + 2 vcr.aggregate lines × 3.
    expect(out[out.length - 1]).toBe('96 passed, 0 failed');
    expect(code).toBe(0);
  });

  it('reports a tampered expectation as file:line label expected=… got=… and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogeval-vec-'));
    const lines = readFileSync(join(VECTORS_DIR, 'docvqa_anls.jsonl'), 'utf8').trim().split('\n').slice(0, 3);
    const first = JSON.parse(lines[0]) as { expected: Record<string, number> };
    const original = first.expected['vlmevalkit'];
    first.expected['vlmevalkit'] = original === 1 ? 0.25 : 1;
    lines[0] = JSON.stringify(first);
    const file = join(dir, 'docvqa_anls.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const { code, out } = await run(['verify-scorers', file]);
    expect(out[0]).toBe(`${file}:1 vlmevalkit expected=${JSON.stringify(first.expected['vlmevalkit'])} got=${JSON.stringify(original)}`);
    expect(out[out.length - 1]).toMatch(/^\d+ passed, 1 failed$/);
    expect(code).toBe(1);
  });

  it('names the file and line of malformed JSON, still checks the rest, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogeval-vec-'));
    const lines = readFileSync(join(VECTORS_DIR, 'chartqa_relaxed.jsonl'), 'utf8').trim().split('\n').slice(0, 4);
    lines[1] = '{"metric": "chartqa.relaxed_accuracy", "input": {';
    const file = join(dir, 'broken.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const { code, out, err } = await run(['verify-scorers', file]);
    expect(err.join('\n')).toContain(`${file}:2: not valid JSON`);
    // Three intact lines with five labels each were still compared.
    expect(out[out.length - 1]).toBe('15 passed, 0 failed');
    expect(code).toBe(2);
  });

  it('exits 2 for a path that does not exist and for an unknown metric', async () => {
    const missing = await run(['verify-scorers', '/nonexistent/vectors']);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('/nonexistent/vectors: no such file or directory');
    const dir = mkdtempSync(join(tmpdir(), 'cogeval-vec-'));
    const file = join(dir, 'x.jsonl');
    writeFileSync(file, '{"metric": "nope.metric", "input": {}, "expected": {"a": 1}}\n');
    const unknown = await run(['verify-scorers', file]);
    expect(unknown.code).toBe(2);
    expect(unknown.err.join('\n')).toContain('unknown metric "nope.metric"');
  });
});
