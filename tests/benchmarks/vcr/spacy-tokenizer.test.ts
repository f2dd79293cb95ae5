// The English tokenizer port against the expected tokenizations of spaCy's own unit tests
// (tests/fixtures/vcr/spacy-tokenizer-cases.json, one case per source test and input).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SpacyEnglishTokenizer, spacyEnglishTokens } from '../../../harness/benchmarks/vcr/spacy-en-tokenizer.js';
import { URL_SOURCE, englishSpecialCases } from '../../../harness/benchmarks/vcr/spacy-en-rules.js';

interface Case {
  source: string;
  test: string;
  text: string;
  add_special_cases?: Record<string, string[]>;
  expect: {
    tokens?: string[];
    length?: number;
    at?: Record<string, string>;
    last?: string;
    url_match?: boolean;
    contains?: string;
    lacks?: string;
  };
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/vcr/spacy-tokenizer-cases.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};
const urlMatch = new RegExp(URL_SOURCE, 'u');

describe("spaCy English tokenizer port: spaCy's own test expectations", () => {
  it('has the transcribed cases', () => {
    expect(fixture.cases.length).toBeGreaterThan(330);
  });

  it.each(fixture.cases.map((c) => [`${c.source} ${c.test}: ${JSON.stringify(c.text)}`, c] as const))('%s', (_name, c) => {
    if (c.expect.url_match !== undefined) {
      expect(urlMatch.test(c.text)).toBe(c.expect.url_match);
      return;
    }
    let tokens: string[];
    if (c.add_special_cases) {
      const specials = englishSpecialCases();
      for (const [k, v] of Object.entries(c.add_special_cases)) specials.set(k, v);
      tokens = new SpacyEnglishTokenizer(specials).tokenize(c.text);
    } else {
      tokens = spacyEnglishTokens(c.text);
    }
    if (c.expect.contains !== undefined) expect(tokens).toContain(c.expect.contains);
    if (c.expect.lacks !== undefined) expect(tokens).not.toContain(c.expect.lacks);
    if (c.expect.tokens) expect(tokens).toEqual(c.expect.tokens);
    if (c.expect.length !== undefined) expect(tokens).toHaveLength(c.expect.length);
    for (const [i, t] of Object.entries(c.expect.at ?? {})) expect(tokens[Number(i)]).toBe(t);
    if (c.expect.last !== undefined) expect(tokens[tokens.length - 1]).toBe(c.expect.last);
  });
});

describe('spaCy English tokenizer port: invariants', () => {
  it('keeps every non-space character: tokens plus single separating spaces rebuild the text', () => {
    const text = 'He said: "I can\'t go (today)..."  Visit www.example.com, e.g. at 5pm—or not.';
    const tokens = spacyEnglishTokens(text);
    expect(tokens.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('applies a special case only where it stands alone after affix splitting', () => {
    const tok = new SpacyEnglishTokenizer();
    expect(tok.tokenize("(don't)")).toEqual(['(', 'do', "n't", ')']);
    expect(tok.tokenize('Mr.')).toEqual(['Mr.']);
    expect(tok.tokenize('Mrx.')).toEqual(['Mrx', '.']);
  });

  it("does not hang on long runs of punctuation between digits (spaCy's test_issue957)", () => {
    for (const punct of ['.', ',', "'", '"', ':', '?', '!', ';', '-']) {
      let text = '0';
      for (let i = 1; i < 100; i++) text += punct + String(i);
      // A catastrophic regex backtrack would run for minutes; the test timeout catches it.
      expect(spacyEnglishTokens(text).join('')).toBe(text);
    }
  }, 60_000);

  it('merges affix-split pieces of a special case ("\'\'" after a word)', () => {
    expect(spacyEnglishTokens("word''")).toEqual(['word', "''"]);
  });
});
