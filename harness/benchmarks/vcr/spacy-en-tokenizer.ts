// A port of spaCy's rule-based tokenizer (spacy/tokenizer.pyx, v3) with the English rules of
// en_core_web_sm: whitespace split, special cases, prefixes, suffixes, URL match, infixes, and
// the special-case matcher pass. Only token texts are produced (no lexeme attributes).
import { isPyWhitespace } from '../../metrics/py.js';
import { INFIX_PIECES, PREFIX_PIECES, SUFFIX_PIECES, URL_SOURCE, englishSpecialCases, type SpecialCases } from './spacy-en-rules.js';

export interface TokenizerRules {
  specials: SpecialCases;
  prefix: RegExp;
  suffix: RegExp;
  infix: RegExp;
  url: RegExp;
}

/** spacy.util.compile_prefix_regex / compile_suffix_regex / compile_infix_regex. */
function compileRules(specials: SpecialCases): TokenizerRules {
  const keep = (p: string): boolean => p.trim().length > 0;
  return {
    specials,
    prefix: new RegExp(PREFIX_PIECES.filter(keep).map((p) => `^${p}`).join('|'), 'u'),
    suffix: new RegExp(SUFFIX_PIECES.filter(keep).map((p) => `${p}$`).join('|'), 'u'),
    infix: new RegExp(INFIX_PIECES.filter(keep).join('|'), 'gu'),
    url: new RegExp(URL_SOURCE, 'u'),
  };
}

export class SpacyEnglishTokenizer {
  private readonly rules: TokenizerRules;
  /** Specials that affix rules would split, keyed by their affix-only tokenization (PhraseMatcher). */
  private readonly matcherPatterns: Array<{ key: string; pattern: readonly string[] }> = [];
  /** matcherPatterns by their first token, so a document is only compared where a pattern can start. */
  private readonly patternsByFirst = new Map<string, Array<{ key: string; pattern: readonly string[] }>>();

  constructor(specials: SpecialCases = englishSpecialCases()) {
    this.rules = compileRules(specials);
    for (const key of specials.keys()) {
      if (this.findPrefix(key) || this.findSuffix(key) || this.findInfixes(key).length > 0 || key.includes(' ')) {
        this.matcherPatterns.push({ key, pattern: this.tokenizeAffixes(key, false).map((t) => t.text) });
      }
    }
    for (const p of this.matcherPatterns) {
      if (p.pattern.length === 0) continue;
      const list = this.patternsByFirst.get(p.pattern[0]);
      if (list) list.push(p);
      else this.patternsByFirst.set(p.pattern[0], [p]);
    }
  }

  /** Token texts of `text`, as spaCy's `[t.text for t in nlp(text)]` for en_core_web_sm. */
  tokenize(text: string): string[] {
    const doc = this.tokenizeAffixes(text, true);
    return this.applySpecialCases(doc).map((t) => t.text);
  }

  private findPrefix(s: string): number {
    const m = this.rules.prefix.exec(s);
    return m ? m[0].length : 0;
  }

  private findSuffix(s: string): number {
    const m = this.rules.suffix.exec(s);
    return m ? m[0].length : 0;
  }

  private findInfixes(s: string): Array<{ start: number; end: number }> {
    const out: Array<{ start: number; end: number }> = [];
    for (const m of s.matchAll(this.rules.infix)) out.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
    return out;
  }

  private isSpecial(s: string, withSpecials: boolean): boolean {
    return withSpecials && this.rules.specials.has(s);
  }

  /** Tokenizer._tokenize_affixes: split on whitespace runs, then tokenize each chunk. */
  private tokenizeAffixes(text: string, withSpecials: boolean): Tok[] {
    const doc: Tok[] = [];
    if (text.length === 0) return doc;
    const chars = Array.from(text);
    let inWs = isPyWhitespace(chars[0]);
    let start = 0; // UTF-16 offsets
    let i = 0;
    for (const uc of chars) {
      if (isPyWhitespace(uc) !== inWs) {
        if (start < i) {
          this.tokenizeChunk(doc, text.slice(start, i), withSpecials);
          if (uc === ' ') {
            doc[doc.length - 1].space = true;
            start = i + 1;
          } else {
            start = i;
          }
        }
        inWs = !inWs;
      }
      i += uc.length;
    }
    if (start < i) {
      this.tokenizeChunk(doc, text.slice(start), withSpecials);
      doc[doc.length - 1].space = text.endsWith(' ') && !inWs;
    }
    return doc;
  }

  /** Token texts per whitespace-free chunk, as spaCy's own tokenizer cache (results are pure). */
  private readonly cache = new Map<string, readonly string[]>();

  private tokenizeChunk(doc: Tok[], chunk: string, withSpecials: boolean): void {
    if (!withSpecials) {
      this.tokenizeChunkUncached(doc, chunk, false);
      return;
    }
    let texts = this.cache.get(chunk);
    if (texts === undefined) {
      const part: Tok[] = [];
      this.tokenizeChunkUncached(part, chunk, true);
      texts = part.map((t) => t.text);
      if (this.cache.size >= 200_000) this.cache.clear();
      this.cache.set(chunk, texts);
    }
    for (const t of texts) doc.push({ text: t, space: false });
  }

  private tokenizeChunkUncached(doc: Tok[], chunk: string, withSpecials: boolean): void {
    const special = withSpecials ? this.rules.specials.get(chunk) : undefined;
    if (special) {
      for (const t of special) doc.push({ text: t, space: false });
      return;
    }
    const prefixes: string[] = [];
    const suffixes: string[] = [];
    const rest = this.splitAffixes(chunk, prefixes, suffixes, withSpecials);
    for (const p of prefixes) doc.push({ text: p, space: false });
    if (rest.length > 0) {
      const sp = withSpecials ? this.rules.specials.get(rest) : undefined;
      if (sp) {
        for (const t of sp) doc.push({ text: t, space: false });
      } else if (this.rules.url.test(rest)) {
        doc.push({ text: rest, space: false });
      } else {
        const matches = this.findInfixes(rest);
        if (matches.length === 0) {
          doc.push({ text: rest, space: false });
        } else {
          let start = 0;
          const startBeforeInfixes = start;
          for (const m of matches) {
            if (m.start === startBeforeInfixes) continue;
            if (m.start !== start) doc.push({ text: rest.slice(start, m.start), space: false });
            if (m.start !== m.end) doc.push({ text: rest.slice(m.start, m.end), space: false });
            start = m.end;
          }
          const tail = rest.slice(start);
          if (tail.length > 0) doc.push({ text: tail, space: false });
        }
      }
    }
    for (let k = suffixes.length - 1; k >= 0; k--) doc.push({ text: suffixes[k], space: false });
  }

  /** Tokenizer._split_affixes: peel prefixes and suffixes until a special case or no change. */
  private splitAffixes(input: string, prefixes: string[], suffixes: string[], withSpecials: boolean): string {
    let s = input;
    let lastSize = 0;
    while (s.length > 0 && s.length !== lastSize) {
      if (this.isSpecial(s, withSpecials)) break;
      lastSize = s.length;
      const preLen = this.findPrefix(s);
      let prefix = '';
      let minusPre = '';
      if (preLen !== 0) {
        prefix = s.slice(0, preLen);
        minusPre = s.slice(preLen);
        if (minusPre.length > 0 && this.isSpecial(minusPre, withSpecials)) {
          s = minusPre;
          prefixes.push(prefix);
          break;
        }
      }
      const sufLen = this.findSuffix(s.slice(preLen));
      let suffix = '';
      let minusSuf = '';
      if (sufLen !== 0) {
        suffix = s.slice(s.length - sufLen);
        minusSuf = s.slice(0, s.length - sufLen);
        if (minusSuf.length > 0 && this.isSpecial(minusSuf, withSpecials)) {
          s = minusSuf;
          suffixes.push(suffix);
          break;
        }
      }
      if (preLen && sufLen && preLen + sufLen <= s.length) {
        s = s.slice(preLen, s.length - sufLen);
        prefixes.push(prefix);
        suffixes.push(suffix);
      } else if (preLen) {
        s = minusPre;
        prefixes.push(prefix);
      } else if (sufLen) {
        s = minusSuf;
        suffixes.push(suffix);
      }
    }
    return s;
  }

  /**
   * Tokenizer._apply_special_cases: token sequences equal to the affix-split form of a special
   * case (found by the PhraseMatcher) are replaced by the special case's tokens. Spans are taken
   * longest first; a span is skipped when its first or last token lies in any span looked at
   * before it (taken or not), and left as it is when its text (with the spaces between its
   * tokens) is not itself a special case.
   */
  private applySpecialCases(doc: Tok[]): Tok[] {
    if (this.matcherPatterns.length === 0 || doc.length === 0) return doc;
    const found: Array<{ start: number; end: number; key: string }> = [];
    for (let s = 0; s < doc.length; s++) {
      for (const { key, pattern } of this.patternsByFirst.get(doc[s].text) ?? []) {
        const n = pattern.length;
        if (s + n > doc.length) continue;
        let ok = true;
        for (let k = 1; k < n && ok; k++) ok = doc[s + k].text === pattern[k];
        if (ok) found.push({ start: s, end: s + n, key });
      }
    }
    if (found.length === 0) return doc;
    // len_start_cmp ascending (by length, then descending start), walked from the end.
    found.sort((a, b) => {
      const la = a.end - a.start;
      const lb = b.end - b.start;
      if (la !== lb) return la - lb;
      return b.start - a.start;
    });
    const seen = new Set<number>();
    const chosen: Array<{ start: number; end: number; key: string }> = [];
    for (let k = found.length - 1; k >= 0; k--) {
      const span = found[k];
      if (!seen.has(span.start) && !seen.has(span.end - 1)) chosen.push(span);
      for (let t = span.start; t < span.end; t++) seen.add(t);
    }
    chosen.sort((a, b) => a.start - b.start);
    const out: Tok[] = [];
    let t = 0;
    for (const span of chosen) {
      if (span.start < t) continue;
      while (t < span.start) out.push(doc[t++]);
      let text = '';
      for (let k = span.start; k < span.end; k++) text += doc[k].text + (k < span.end - 1 && doc[k].space ? ' ' : '');
      const parts = this.rules.specials.get(text);
      if (parts === undefined) {
        while (t < span.end) out.push(doc[t++]);
        continue;
      }
      parts.forEach((p, k) => out.push({ text: p, space: k === parts.length - 1 ? doc[span.end - 1].space : false }));
      t = span.end;
    }
    while (t < doc.length) out.push(doc[t++]);
    return out;
  }
}

interface Tok {
  text: string;
  /** The token is followed by one space (spaCy's `whitespace_`). */
  space: boolean;
}

let shared: SpacyEnglishTokenizer | undefined;

/** Token texts of `text` under the shared English tokenizer (rules compiled once). */
export function spacyEnglishTokens(text: string): string[] {
  shared ??= new SpacyEnglishTokenizer();
  return shared.tokenize(text);
}
