// The fast search for VCR's best-matching prediction n-gram: the same choice as scanning every
// n-gram with difflib's ratio (sequence-matcher.ts), over integer arrays without building strings,
// and skipping n-grams whose difflib quick_ratio bound proves they cannot be chosen.

/** Code point → id + 1 for the BMP (0: no id yet), and the rest; ids are dense and never reused. */
const bmpIds = new Int32Array(0x10000);
const astralIds = new Map<number, number>();
let alphabetSize = 0;

function idOf(cp: number): number {
  if (cp < 0x10000) {
    const known = bmpIds[cp];
    if (known !== 0) return known - 1;
    bmpIds[cp] = alphabetSize + 1;
    return alphabetSize++;
  }
  const known = astralIds.get(cp);
  if (known !== undefined) return known;
  astralIds.set(cp, alphabetSize);
  return alphabetSize++;
}

/**
 * Writes the ids of the code points of `s` to out[at...] and returns the end: a surrogate pair
 * is one code point, a lone surrogate one element of its own (as Array.from and difflib see it).
 */
function writeIds(s: string, out: Int32Array, at: number): number {
  const len = s.length;
  for (let u = 0; u < len; u++) {
    let cp = s.charCodeAt(u);
    if (cp >= 0xd800 && cp <= 0xdbff && u + 1 < len) {
      const lo = s.charCodeAt(u + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
        u++;
      }
    }
    out[at++] = idOf(cp);
  }
  return at;
}

/**
 * Token text → dense id, so token comparisons and sets are integer work. Cleared past
 * TOKEN_LIMIT texts; the generation tells a sequence that its token ids must be taken again.
 */
const tokenIdOf = new Map<string, number>();
const TOKEN_LIMIT = 1_000_000;
let tokenGeneration = 0;

function tokenId(t: string): number {
  let id = tokenIdOf.get(t);
  if (id === undefined) {
    id = tokenIdOf.size;
    tokenIdOf.set(t, id);
  }
  return id;
}

function tokenIdsOf(tokens: readonly string[]): Int32Array {
  const ids = new Int32Array(tokens.length);
  for (let k = 0; k < tokens.length; k++) ids[k] = tokenId(tokens[k]);
  return ids;
}

/** Per-token-id marks (stamped, so never cleared) for "is in the phrase" and "seen in the n-gram". */
let phraseMark = new Int32Array(1024);
let gramMark = new Int32Array(1024);
let markStamp = 0;

function growMarks(): void {
  if (tokenIdOf.size > phraseMark.length) {
    phraseMark = new Int32Array(tokenIdOf.size * 2);
    gramMark = new Int32Array(tokenIdOf.size * 2);
  }
  if (markStamp > 0x3ffffff0) {
    phraseMark.fill(0);
    gramMark.fill(0);
    markStamp = 0;
  }
}

/**
 * A prediction's tokens as one integer sequence: the code points of `tokens.join(' ')` as ids,
 * so the n-gram starting at token i with n tokens is the slice starts[i] .. ends[i + n - 1].
 */
export class PredictionSequence {
  readonly seq: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  private ids: Int32Array;
  private generation = tokenGeneration;

  /** The tokens' ids under the current token table (taken again after it was cleared). */
  tokenIds(): Int32Array {
    if (this.generation !== tokenGeneration) {
      this.ids = tokenIdsOf(this.tokens);
      this.generation = tokenGeneration;
    }
    return this.ids;
  }

  constructor(readonly tokens: readonly string[]) {
    this.ids = tokenIdsOf(tokens);
    let units = tokens.length;
    for (const t of tokens) units += t.length;
    const seq = new Int32Array(units);
    this.starts = new Int32Array(tokens.length);
    this.ends = new Int32Array(tokens.length);
    const space = idOf(0x20);
    let at = 0;
    for (let k = 0; k < tokens.length; k++) {
      if (k > 0) seq[at++] = space;
      this.starts[k] = at;
      at = writeIds(tokens[k], seq, at);
      this.ends[k] = at;
    }
    this.seq = seq.subarray(0, at);
  }
}

/**
 * Scratch reused across calls (scoring is synchronous, so one set suffices). The per-id arrays
 * are all zero between calls: each call clears the entries it set.
 */
let aCount = new Int32Array(256);
let bCount = new Int32Array(256);
let listStart = new Int32Array(256);
let listLen = new Int32Array(256);
let b2jPos = new Int32Array(64);
let lenEven = new Int32Array(64);
let lenOdd = new Int32Array(64);
let stampEven = new Int32Array(64);
let stampOdd = new Int32Array(64);
let stack = new Int32Array(256);
let phraseBuf = new Int32Array(64);
let inRef = new Uint8Array(64);
let candBound = new Float64Array(64);
/** Row stamps make the j2len dictionaries of difflib's find_longest_match free to clear. */
let stampCounter = 0;

/** `buf` if it holds n elements, else a larger zero-filled one (callers keep theirs all-zero). */
function atLeast(buf: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  return buf.length >= n ? buf : new Int32Array(Math.max(n, buf.length * 2));
}

/** Makes room for `rows` fresh stamps (resetting only between calls, never inside one). */
function reserveStamps(rows: number): void {
  if (stampCounter > 0x3fffffff - rows) {
    stampEven.fill(0);
    stampOdd.fill(0);
    stampCounter = 0;
  }
}

/**
 * difflib find_longest_match(alo, ahi, blo, bhi) with isjunk=None over a = seq[aOff ...] and b,
 * with b2j (minus autojunk's popular elements) in listStart/listLen/b2jPos; returns [i, j, size] packed
 * in the three out slots.
 */
function findLongestMatch(a: Int32Array, aOff: number, b: Int32Array, alo: number, ahi: number, blo: number, bhi: number, out: Int32Array): void {
  let besti = alo;
  let bestj = blo;
  let bestsize = 0;
  // j2len of the previous row lives in (prevLen, prevStamp) at j + 1 with stamp prevRow.
  let prevLen = lenOdd;
  let prevStampArr = stampOdd;
  let curLen = lenEven;
  let curStampArr = stampEven;
  let prevRow = -1;
  reserveStamps(ahi - alo);
  for (let i = alo; i < ahi; i++) {
    const row = ++stampCounter;
    const id = a[aOff + i];
    const first = listStart[id];
    const end = first + listLen[id];
    for (let p = first; p < end; p++) {
      const j = b2jPos[p];
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (prevStampArr[j] === prevRow ? prevLen[j] : 0) + 1;
      curLen[j + 1] = k;
      curStampArr[j + 1] = row;
      if (k > bestsize) {
        besti = i - k + 1;
        bestj = j - k + 1;
        bestsize = k;
      }
    }
    prevRow = row;
    const tl = prevLen;
    prevLen = curLen;
    curLen = tl;
    const ts = prevStampArr;
    prevStampArr = curStampArr;
    curStampArr = ts;
  }
  // isjunk=None: the junk set is empty, so difflib's extension loops cover every equal neighbour.
  while (besti > alo && bestj > blo && a[aOff + besti - 1] === b[bestj - 1]) {
    besti--;
    bestj--;
    bestsize++;
  }
  while (besti + bestsize < ahi && bestj + bestsize < bhi && a[aOff + besti + bestsize] === b[bestj + bestsize]) bestsize++;
  out[0] = besti;
  out[1] = bestj;
  out[2] = bestsize;
}

const found = new Int32Array(3);

/** Σ sizes of difflib get_matching_blocks(a, b) for a = seq[aOff, aOff + la). */
function matchingTotal(a: Int32Array, aOff: number, la: number, b: Int32Array, lb: number): number {
  let sp = 0;
  stack[sp++] = 0;
  stack[sp++] = la;
  stack[sp++] = 0;
  stack[sp++] = lb;
  let total = 0;
  while (sp > 0) {
    const bhi = stack[--sp];
    const blo = stack[--sp];
    const ahi = stack[--sp];
    const alo = stack[--sp];
    findLongestMatch(a, aOff, b, alo, ahi, blo, bhi, found);
    const i = found[0];
    const j = found[1];
    const k = found[2];
    if (k > 0) {
      total += k;
      if (sp + 8 > stack.length) {
        const grown = new Int32Array(stack.length * 2);
        grown.set(stack);
        stack = grown;
      }
      if (alo < i && blo < j) {
        stack[sp++] = alo;
        stack[sp++] = i;
        stack[sp++] = blo;
        stack[sp++] = j;
      }
      if (i + k < ahi && j + k < bhi) {
        stack[sp++] = i + k;
        stack[sp++] = ahi;
        stack[sp++] = j + k;
        stack[sp++] = bhi;
      }
    }
  }
  return total;
}

/**
 * True when a = seq[aOff, aOff + la) equals b and b is shorter than 200: difflib's ratio is then
 * 1 (no autojunk below 200 elements, so find_longest_match returns the whole diagonal at once).
 */
function sameText(seq: Int32Array, aOff: number, la: number, b: Int32Array, lb: number): boolean {
  if (la !== lb || lb >= 200) return false;
  for (let k = 0; k < lb; k++) if (seq[aOff + k] !== b[k]) return false;
  return true;
}

/** The chosen n-gram: its first token index and its difflib ratio to the phrase. */
export interface BestNgram {
  start: number;
  ratio: number;
}

/**
 * Among the n-grams of `pred` (n = phraseTokens.length) that share a token with the phrase,
 * the first one with the highest `SequenceMatcher(None, ngram.join(' '), phrase).ratio()`, or
 * undefined when none has a ratio above 0 — exactly what scanning them in order with a strict
 * `>` picks. Each candidate's ratio 2M/(la+lb) is bounded by difflib's quick_ratio 2Q/(la+lb)
 * (Q = size of the character multiset intersection ≥ M; same denominator, so the bound holds
 * for the computed floats too). The candidate with the highest bound is tried first, then the
 * others in order; one is skipped when its bound is below the best ratio so far, or equal to it
 * with a later start (it could at most tie, and ties go to the earlier n-gram); a later try
 * that ties the best with an earlier start takes its place.
 */
export function findBestNgram(pred: PredictionSequence, phrase: string, phraseTokens: readonly string[]): BestNgram | undefined {
  const n = phraseTokens.length;
  const tokens = pred.tokens;
  if (n < 1 || n > tokens.length) return undefined;
  if (tokenIdOf.size > TOKEN_LIMIT) {
    tokenIdOf.clear();
    tokenGeneration++;
  }
  const predIds = pred.tokenIds();
  const phraseIds = tokenIdsOf(phraseTokens);
  growMarks();
  const inPhrase = ++markStamp;
  for (let k = 0; k < n; k++) phraseMark[phraseIds[k]] = inPhrase;

  // b: the phrase's code points as ids; bCount its multiset; b2j its positions by id.
  phraseBuf = atLeast(phraseBuf, phrase.length);
  const b = phraseBuf;
  const lb = writeIds(phrase, b, 0);
  aCount = atLeast(aCount, alphabetSize);
  bCount = atLeast(bCount, alphabetSize);
  listStart = atLeast(listStart, alphabetSize);
  listLen = atLeast(listLen, alphabetSize);
  b2jPos = atLeast(b2jPos, lb);
  for (let j = 0; j < lb; j++) bCount[b[j]]++;
  // difflib's autojunk: with 200+ elements, those occurring more than 1% + 1 times leave b2j.
  const ntest = lb >= 200 ? Math.floor(lb / 100) + 1 : Number.POSITIVE_INFINITY;
  let offset = 0;
  for (let j = 0; j < lb; j++) {
    const id = b[j];
    if (bCount[id] > ntest) continue;
    if (listLen[id] === 0) {
      listStart[id] = offset;
      offset += bCount[id];
    }
    b2jPos[listStart[id] + listLen[id]++] = j; // positions ascending per id
  }
  lenEven = atLeast(lenEven, lb + 1);
  lenOdd = atLeast(lenOdd, lb + 1);
  stampEven = atLeast(stampEven, lb + 1);
  stampOdd = atLeast(stampOdd, lb + 1);
  const found = slide(pred, predIds, inPhrase, n, b, lb);
  // Back to all-zero for the next call.
  for (let j = 0; j < lb; j++) {
    bCount[b[j]] = 0;
    listLen[b[j]] = 0;
  }
  return found;
}

/** The search proper, once the phrase's tables are built (aCount is all-zero again on return). */
function slide(pred: PredictionSequence, predIds: Int32Array, inPhrase: number, n: number, b: Int32Array, lb: number): BestNgram | undefined {
  const tokens = pred.tokens;
  // Slide a window of n tokens: Q (the quick_ratio intersection) and the count of tokens that
  // occur in the phrase are updated by the characters and tokens leaving and entering.
  const seq = pred.seq;
  const { starts, ends } = pred;
  const windows = tokens.length - n + 1;
  inRef = tokens.length > inRef.length ? new Uint8Array(tokens.length * 2) : inRef;
  for (let k = 0; k < tokens.length; k++) inRef[k] = phraseMark[predIds[k]] === inPhrase ? 1 : 0;
  candBound = windows > candBound.length ? new Float64Array(windows * 2) : candBound;
  let q = 0;
  let shared = 0;
  let candidates = 0;
  let top = -1;
  for (let p = starts[0]; p < ends[n - 1]; p++) if (aCount[seq[p]]++ < bCount[seq[p]]) q++;
  for (let k = 0; k < n; k++) shared += inRef[k];
  for (let i = 0; i < windows; i++) {
    if (i > 0) {
      for (let p = starts[i - 1]; p < starts[i]; p++) if (--aCount[seq[p]] < bCount[seq[p]]) q--;
      for (let p = ends[i + n - 2]; p < ends[i + n - 1]; p++) if (aCount[seq[p]]++ < bCount[seq[p]]) q++;
      shared += inRef[i + n - 1] - inRef[i - 1];
    }
    // -1 marks a window without a shared token (not a candidate); bounds are ≥ 0.
    if (shared === 0) {
      candBound[i] = -1;
      continue;
    }
    const la = ends[i + n - 1] - starts[i];
    const bound = la + lb === 0 ? 1 : (2 * q) / (la + lb);
    candBound[i] = bound;
    candidates++;
    if (top < 0 || bound > candBound[top]) top = i;
  }
  for (let p = starts[windows - 1]; p < ends[tokens.length - 1]; p++) aCount[seq[p]] = 0;
  if (candidates === 0) return undefined;

  // The candidate with the highest bound first (it usually wins), then the rest in order.
  let bestStart = -1;
  let bestVal = 0;
  const consider = (i: number): void => {
    const bound = candBound[i];
    if (bound < bestVal || (bound === bestVal && (bestStart < 0 || i > bestStart))) return;
    const la = ends[i + n - 1] - starts[i];
    const ratio = la + lb === 0 ? 1 : sameText(seq, starts[i], la, b, lb) ? 1 : (2 * matchingTotal(seq, starts[i], la, b, lb)) / (la + lb);
    if (ratio > bestVal || (ratio === bestVal && bestStart >= 0 && i < bestStart)) {
      bestVal = ratio;
      bestStart = i;
    }
  };
  consider(top);
  for (let i = 0; i < windows; i++) if (i !== top && candBound[i] >= 0) consider(i);
  return bestStart < 0 ? undefined : { start: bestStart, ratio: bestVal };
}

/** Exact match and the Jaccard counts of the n-gram at `start` against the phrase's tokens. */
export interface TokenOverlap {
  /** The n-gram's tokens equal the phrase's, in order. */
  exact: boolean;
  /** Distinct tokens in both. */
  common: number;
  /** Distinct tokens in either. */
  union: number;
}

export function tokenOverlap(pred: PredictionSequence, start: number, phraseTokens: readonly string[]): TokenOverlap {
  const predIds = pred.tokenIds();
  const phraseIds = tokenIdsOf(phraseTokens);
  growMarks();
  const inPhrase = ++markStamp;
  let phraseDistinct = 0;
  for (let k = 0; k < phraseIds.length; k++) {
    if (phraseMark[phraseIds[k]] !== inPhrase) {
      phraseMark[phraseIds[k]] = inPhrase;
      phraseDistinct++;
    }
  }
  const inGram = ++markStamp;
  let gramDistinct = 0;
  let common = 0;
  let exact = true;
  for (let k = 0; k < phraseIds.length; k++) {
    const id = predIds[start + k];
    if (id !== phraseIds[k]) exact = false;
    if (gramMark[id] === inGram) continue;
    gramMark[id] = inGram;
    gramDistinct++;
    if (phraseMark[id] === inPhrase) common++;
  }
  return { exact, common, union: gramDistinct + phraseDistinct - common };
}
