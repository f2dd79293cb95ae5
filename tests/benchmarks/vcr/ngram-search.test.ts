// The fast VCR scoring paths against plain versions: the n-gram search (ngram-search.ts) against
// the references' plain scan kept here (every n-gram sharing a token, difflib ratio of its joined
// text via sequence-matcher.ts, first maximum by strict `>`), profiles sharing parsed items, and
// the two-ratio bootstrap against single-ratio calls.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../harness/metrics/stats.js';
import { sequenceMatcherRatio } from '../../../harness/benchmarks/vcr/sequence-matcher.js';
import { PredictionSequence, findBestNgram } from '../../../harness/benchmarks/vcr/ngram-search.js';
import { VCR_PROFILES, isRefusal, scoreBlankTokens, scoreSample, scoredText, type BlankScore } from '../../../harness/benchmarks/vcr/score.js';
import { spacyEnglishTokens } from '../../../harness/benchmarks/vcr/spacy-en-tokenizer.js';
import { bootstrapRatioInterval, bootstrapRatioIntervals, scoreVcrItems } from '../../../harness/benchmarks/vcr/scorer.js';

/** What the pre-optimisation scorer (and lmms-eval's find_best_match loop) computes for one blank. */
function referenceBlank(predTokens: readonly string[], crossedText: string, crossedTokens: readonly string[]): BlankScore {
  const refSet = new Set(crossedTokens);
  const n = crossedTokens.length;
  let best: string[] | undefined;
  let bestVal = 0;
  let bestString = '';
  for (let i = 0; n >= 1 && i + n <= predTokens.length; i++) {
    const gram = predTokens.slice(i, i + n);
    if (!gram.some((t) => refSet.has(t))) continue;
    const joined = gram.join(' ');
    const sim = sequenceMatcherRatio(joined, crossedText);
    if (sim > bestVal) {
      bestVal = sim;
      bestString = joined;
      best = gram;
    }
  }
  if (best === undefined) return { crossedText, exactMatch: 0, jaccard: 0, maxSimVal: 0, maxSimString: '', refused: false };
  const predSet = new Set(best);
  const common = [...predSet].filter((t) => refSet.has(t)).length;
  const union = new Set([...predSet, ...refSet]).size;
  const exact = best.every((t, i) => t === crossedTokens[i]);
  return { crossedText, exactMatch: exact ? 1 : 0, jaccard: union > 0 ? common / union : 0, maxSimVal: bestVal, maxSimString: bestString, refused: false };
}

/** How many n-grams reach the reference's maximum (ties are where a loose skip rule goes wrong). */
function maxCount(predTokens: readonly string[], crossedText: string, crossedTokens: readonly string[]): number {
  const refSet = new Set(crossedTokens);
  const n = crossedTokens.length;
  const sims: number[] = [];
  for (let i = 0; n >= 1 && i + n <= predTokens.length; i++) {
    const gram = predTokens.slice(i, i + n);
    if (gram.some((t) => refSet.has(t))) sims.push(sequenceMatcherRatio(gram.join(' '), crossedText));
  }
  const top = Math.max(0, ...sims);
  return top > 0 ? sims.filter((s) => s === top).length : 0;
}

const WORDS = [
  'the', 'The', 'THE', 'of', 'a', 'an', 'in', 'was', 'first', 'First', 'firsts', 'frist', 'published', 'publshed',
  'wrote', 'who', 'Engine', 'engines', '1843', '1,843', '12:30', "John's", "don't", 'U.S.', 'dr.', 'e-mail',
  'co-op', '(the', 'end)', '"quoted"', 'Ada', 'Lovelace', 'Lovelance', 'é', 'café', 'naïve', 'ÿ', '😀', '🙂x',
  ',', '.', '!', '?', ';', '-', '—', '...', 'and/or', '$5', '5%', 'abc', 'abd', 'bca', 'cab', 'aaaa', 'aaab',
];

/** Seeded phrases and predictions: exact copies, case changes, near misses, repeats (ties), noise. */
function cases(count: number, seed: number): Array<{ prediction: string; phrases: string[] }> {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const phrase = (): string => Array.from({ length: 1 + Math.floor(r() * 6) }, () => pick(WORDS)).join(' ');
  const garble = (p: string): string => {
    const chars = Array.from(p);
    const k = Math.floor(r() * chars.length);
    const roll = r();
    if (roll < 0.3) chars.splice(k, 1);
    else if (roll < 0.6) chars.splice(k, 0, pick(['x', 'e', ' ', '.', 'é']));
    else if (roll < 0.8) chars[k] = pick(['a', 'T', ',', '😀']);
    else return p.toUpperCase();
    return chars.join('');
  };
  const out: Array<{ prediction: string; phrases: string[] }> = [];
  for (let c = 0; c < count; c++) {
    const phrases = Array.from({ length: 1 + Math.floor(r() * 3) }, phrase);
    const parts: string[] = [];
    for (const p of phrases) {
      const roll = r();
      if (roll < 0.3) parts.push(p);
      else if (roll < 0.55) parts.push(garble(p));
      else if (roll < 0.7) parts.push(`${p} ${pick(WORDS)} ${p}`); // the same phrase twice: tied n-grams
      else if (roll < 0.85) parts.push(`${garble(p)} ${garble(p)} ${garble(p)}`);
      else parts.push(phrase());
      if (r() < 0.4) parts.push(phrase());
    }
    const sep = pick([' ', ', ', '  ', '\n', '. ']);
    out.push({ prediction: `${pick(['', '', ' ', 'Assistant: ', 'Sorry, '])}${parts.join(sep)}${pick(['', '', '.', ' '])}`, phrases });
  }
  return out;
}

describe('VCR n-gram search equals the plain scan', () => {
  it('gives the reference blank score on 2,000 seeded prediction/blank pairs, ties included', () => {
    let compared = 0;
    let tied = 0;
    let matched = 0;
    const mismatches: unknown[] = [];
    for (const { prediction, phrases } of cases(2000, 20261203)) {
      const predTokens = spacyEnglishTokens(prediction);
      const seq = new PredictionSequence(predTokens);
      for (const p of phrases) {
        const pTokens = spacyEnglishTokens(p);
        const want = referenceBlank(predTokens, p, pTokens);
        const got = scoreBlankTokens(seq, p, pTokens);
        compared++;
        if (maxCount(predTokens, p, pTokens) > 1) tied++;
        if (want.maxSimString !== '') matched++;
        // Exact equality, floats included: the same integers go through the same formula.
        if (!Object.is(got.maxSimVal, want.maxSimVal) || JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches.push({ prediction, p, want, got });
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The generator must exercise what a wrong shortcut would break: ties and non-matches.
    expect(compared).toBeGreaterThan(3000);
    expect(tied).toBeGreaterThan(300);
    expect(compared - matched).toBeGreaterThan(50);
  }, 120_000);

  it('gives the reference sample scores under every profile (whole pipeline, one index per prediction)', () => {
    let refused = 0;
    for (const { prediction, phrases } of cases(400, 7)) {
      for (const profile of VCR_PROFILES) {
        const got = scoreSample(prediction, phrases, profile, spacyEnglishTokens);
        const text = scoredText(prediction, profile);
        if (isRefusal(text, profile)) {
          refused++;
          expect(got.every((b) => b.refused && b.maxSimString === '')).toBe(true);
          continue;
        }
        const predTokens = spacyEnglishTokens(text);
        expect(got).toEqual(phrases.map((p) => referenceBlank(predTokens, p, spacyEnglishTokens(p))));
      }
    }
    expect(refused).toBeGreaterThan(20);
  }, 120_000);

  it('applies difflib autojunk to phrases of 200+ characters as the plain scan does', () => {
    const r = mulberry32(42);
    for (let c = 0; c < 60; c++) {
      const words = Array.from({ length: 70 + Math.floor(r() * 30) }, () => WORDS[Math.floor(r() * 12)]);
      const phrase = words.join(' ');
      expect(Array.from(phrase).length).toBeGreaterThanOrEqual(200);
      const pred = [...words.slice(0, 10), 'noise', ...words.slice(5).map((w) => (r() < 0.2 ? w.toUpperCase() : w))].join(' ');
      const predTokens = spacyEnglishTokens(pred);
      const pTokens = spacyEnglishTokens(phrase);
      expect(scoreBlankTokens(predTokens, phrase, pTokens)).toEqual(referenceBlank(predTokens, phrase, pTokens));
    }
  });

  it('handles edge cases: no tokens, a phrase longer than the prediction, no shared token', () => {
    const seq = new PredictionSequence(['a', 'b']);
    expect(findBestNgram(seq, '', [])).toBeUndefined();
    expect(findBestNgram(seq, 'a b c', ['a', 'b', 'c'])).toBeUndefined();
    expect(findBestNgram(seq, 'z', ['z'])).toBeUndefined();
    expect(findBestNgram(seq, 'b', ['b'])).toEqual({ start: 1, ratio: 1 });
    // Two equal n-grams: the first one wins, as with the reference's strict `>`.
    expect(findBestNgram(new PredictionSequence(['x', 'y', 'x', 'y']), 'x y', ['x', 'y'])).toEqual({ start: 0, ratio: 1 });
  });
});

describe('VCR profiles scored on the same parsed items', () => {
  it('reuse a search only where the scored texts coincide (same results as fresh items per profile)', () => {
    const items = cases(300, 99).map(({ prediction, phrases }, i) => ({ id: String(i), prediction, crossedText: phrases }));
    let differing = 0;
    for (const item of items) if (new Set(VCR_PROFILES.map((p) => scoredText(item.prediction, p))).size > 1) differing++;
    expect(differing).toBeGreaterThan(30);
    for (const profile of VCR_PROFILES) {
      const shared = scoreVcrItems(items, profile);
      const fresh = scoreVcrItems(items.map((item) => ({ ...item })), profile);
      expect(shared).toEqual(fresh);
      // And both equal the plain scan, item by item.
      const want = items.map((item) => {
        const text = scoredText(item.prediction, profile);
        if (isRefusal(text, profile)) return 0;
        const predTokens = spacyEnglishTokens(text);
        return item.crossedText.reduce((s, p) => s + referenceBlank(predTokens, p, spacyEnglishTokens(p)).exactMatch, 0);
      });
      expect(shared.map((r) => r.detail?.['emSum'])).toEqual(want);
    }
  });
});

describe('VCR bootstrap of two ratios in one pass', () => {
  it('gives each interval its own single-ratio call gives (inlined generator, same draws)', () => {
    const r = mulberry32(5);
    for (const n of [1, 7, 500]) {
      const den = Array.from({ length: n }, () => 1 + Math.floor(r() * 4));
      const em = den.map((d) => Math.floor(r() * (d + 1)));
      const jac = den.map((d) => r() * d);
      const [a, b] = bootstrapRatioIntervals([em, jac], den, 300, 20240520);
      expect(a).toEqual(bootstrapRatioInterval(em, den, 300, 20240520));
      expect(b).toEqual(bootstrapRatioInterval(jac, den, 300, 20240520));
      expect(bootstrapRatioIntervals([em, jac, em], den, 300, 11)[2]).toEqual(bootstrapRatioInterval(em, den, 300, 11));
    }
  });
});
