// Python 3.11 semantics that the reference scorers rely on (scoring.md §12), ported exactly:
// whitespace, strip/split, code-point length, case mapping, float(), round(), numpy round,
// float repr, Levenshtein, code-point ordering, literal lists, regex fragments, MT19937 random.

/** A Python exception the reference would raise (ValueError, ZeroDivisionError, SyntaxError…). */
export class PyError extends Error {
  constructor(
    readonly pyName: string,
    message: string,
  ) {
    super(`${pyName}: ${message}`);
    this.name = 'PyError';
  }
}

// ---------------------------------------------------------------------------------------------
// §12.1 Whitespace, strip, split
// ---------------------------------------------------------------------------------------------

/** Body of a regex character class holding exactly Python's str whitespace (§12.1). */
const PY_WS_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_WS_RUN = new RegExp(`[${PY_WS_CLASS}]+`, 'u');

/** Code-point test for Python whitespace (all members are in the BMP). */
function isWhitespaceCode(cp: number): boolean {
  if (cp <= 0x20) return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20);
  if (cp < 0x85) return false;
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** True when `ch` (one code point) is whitespace for Python str.split()/strip() (§12.1). */
export function isPyWhitespace(ch: string): boolean {
  const cp = ch.codePointAt(0);
  if (cp === undefined || ch.length !== (cp > 0xffff ? 2 : 1)) return false;
  return isWhitespaceCode(cp);
}

/** Predicate "strip this code point": Python whitespace, or membership in `chars`. */
function stripPredicate(chars: string | undefined): (cp: number) => boolean {
  if (chars === undefined) return isWhitespaceCode;
  const set = new Set<number>();
  for (const ch of chars) set.add(ch.codePointAt(0) as number);
  return (cp) => set.has(cp);
}

/** UTF-16 index just past the leading run of code points accepted by `strip`. */
function leftEdge(s: string, strip: (cp: number) => boolean): number {
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i) as number;
    if (!strip(cp)) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** UTF-16 index where the trailing run of code points accepted by `strip` begins. */
function rightEdge(s: string, strip: (cp: number) => boolean, floor: number): number {
  let j = s.length;
  while (j > floor) {
    let start = j - 1;
    const unit = s.charCodeAt(start);
    if (unit >= 0xdc00 && unit <= 0xdfff && start > floor) {
      const high = s.charCodeAt(start - 1);
      if (high >= 0xd800 && high <= 0xdbff) start -= 1;
    }
    if (!strip(s.codePointAt(start) as number)) break;
    j = start;
  }
  return j;
}

/** Python str.strip([chars]); without chars strips Python whitespace. */
export function pyStrip(s: string, chars?: string): string {
  const strip = stripPredicate(chars);
  const i = leftEdge(s, strip);
  return s.slice(i, rightEdge(s, strip, i));
}
export function pyLstrip(s: string, chars?: string): string {
  return s.slice(leftEdge(s, stripPredicate(chars)));
}
export function pyRstrip(s: string, chars?: string): string {
  return s.slice(0, rightEdge(s, stripPredicate(chars), 0));
}

/** Python str.split() with no argument (whitespace runs, empty fields dropped). */
export function pySplit(s: string): string[] {
  return s.split(PY_WS_RUN).filter((field) => field !== '');
}

// ---------------------------------------------------------------------------------------------
// §12.2 Length, distance, ordering
// ---------------------------------------------------------------------------------------------

/** Python len(): number of code points. */
export function pyLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Levenshtein distance over code points. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Array<number>(y.length + 1);
  let cur = new Array<number>(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      const substitution = prev[j - 1] + (xi === y[j - 1] ? 0 : 1);
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, substitution);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

/** Compare strings by code point (Python sort order). */
export function codePointCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  if (i < a.length) return 1;
  if (j < b.length) return -1;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// §12.3 Case mapping
// ---------------------------------------------------------------------------------------------

/**
 * Full titlecase mappings that differ from the full uppercase mapping (JS toUpperCase), from
 * UnicodeData.txt (titlecase field) and SpecialCasing.txt (title column), Unicode 14 as in
 * CPython 3.11. Every other code point titlecases like it uppercases.
 */
const TITLECASE_EXCEPTIONS: ReadonlyMap<number, string> = (() => {
  const table = new Map<number, string>();
  const chars = (...cps: number[]): string => String.fromCodePoint(...cps);
  // Latin ligature sharp s and the f/s ligatures: first letter upper, rest lower.
  table.set(0x00df, 'Ss');
  table.set(0xfb00, 'Ff');
  table.set(0xfb01, 'Fi');
  table.set(0xfb02, 'Fl');
  table.set(0xfb03, 'Ffi');
  table.set(0xfb04, 'Ffl');
  table.set(0xfb05, 'St');
  table.set(0xfb06, 'St');
  // Armenian ligatures.
  table.set(0x0587, chars(0x0535, 0x0582));
  table.set(0xfb13, chars(0x0544, 0x0576));
  table.set(0xfb14, chars(0x0544, 0x0565));
  table.set(0xfb15, chars(0x0544, 0x056b));
  table.set(0xfb16, chars(0x054e, 0x0576));
  table.set(0xfb17, chars(0x0544, 0x056d));
  // Latin digraphs DŽ/Dž/dž, LJ/Lj/lj, NJ/Nj/nj, DZ/Dz/dz → the titlecase (middle) form.
  for (const [first, title] of [
    [0x01c4, 0x01c5],
    [0x01c7, 0x01c8],
    [0x01ca, 0x01cb],
    [0x01f1, 0x01f2],
  ]) {
    for (let cp = first; cp < first + 3; cp++) table.set(cp, chars(title));
  }
  // Georgian Mkhedruli: uppercase is Mtavruli, titlecase is the letter itself.
  for (let cp = 0x10d0; cp <= 0x10fa; cp++) table.set(cp, chars(cp));
  for (let cp = 0x10fd; cp <= 0x10ff; cp++) table.set(cp, chars(cp));
  // Greek with ypogegrammeni/prosgegrammeni: titlecase keeps the iota attached.
  for (const base of [0x1f80, 0x1f90, 0x1fa0]) {
    for (let k = 0; k < 8; k++) {
      table.set(base + k, chars(base + 8 + k));
      table.set(base + 8 + k, chars(base + 8 + k));
    }
  }
  for (const [small, capital] of [
    [0x1fb3, 0x1fbc],
    [0x1fc3, 0x1fcc],
    [0x1ff3, 0x1ffc],
  ]) {
    table.set(small, chars(capital));
    table.set(capital, chars(capital));
  }
  table.set(0x1fb2, chars(0x1fba, 0x0345));
  table.set(0x1fb4, chars(0x0386, 0x0345));
  table.set(0x1fb7, chars(0x0391, 0x0342, 0x0345));
  table.set(0x1fc2, chars(0x1fca, 0x0345));
  table.set(0x1fc4, chars(0x0389, 0x0345));
  table.set(0x1fc7, chars(0x0397, 0x0342, 0x0345));
  table.set(0x1ff2, chars(0x1ffa, 0x0345));
  table.set(0x1ff4, chars(0x038f, 0x0345));
  table.set(0x1ff7, chars(0x03a9, 0x0342, 0x0345));
  return table;
})();

/** Full Unicode titlecase mapping of one code point (Python _PyUnicode_ToTitleFull). */
export function pyTitleChar(ch: string): string {
  const cp = ch.codePointAt(0);
  if (cp === undefined) return ch;
  return TITLECASE_EXCEPTIONS.get(cp) ?? ch.toUpperCase();
}

const CASED = /\p{Cased}/u;
const CASE_IGNORABLE = /\p{Case_Ignorable}/u;
const CAPITAL_SIGMA = '\u03a3';

/** Python's handle_capital_sigma: final form ς when preceded by a cased letter and not followed by one. */
function sigmaLower(chars: readonly string[], i: number): string {
  let j = i - 1;
  while (j >= 0 && CASE_IGNORABLE.test(chars[j])) j--;
  let finalSigma = j >= 0 && CASED.test(chars[j]);
  if (finalSigma) {
    let k = i + 1;
    while (k < chars.length && CASE_IGNORABLE.test(chars[k])) k++;
    finalSigma = k === chars.length || !CASED.test(chars[k]);
  }
  return finalSigma ? '\u03c2' : '\u03c3';
}

/** Lower-cases code points chars[from..] with Python's rules (context: the whole array). */
function lowerFrom(chars: readonly string[], from: number): string {
  let out = '';
  for (let i = from; i < chars.length; i++) {
    out += chars[i] === CAPITAL_SIGMA ? sigmaLower(chars, i) : chars[i].toLowerCase();
  }
  return out;
}

export function pyLower(s: string): string {
  // Root-locale toLowerCase is context-free except for Final_Sigma, whose context rule differs
  // from CPython's in corner cases; handle Σ ourselves.
  if (!s.includes(CAPITAL_SIGMA)) return s.toLowerCase();
  return lowerFrom(Array.from(s), 0);
}
export function pyUpper(s: string): string {
  return s.toUpperCase();
}
/** Python str.capitalize(): first char to title case, rest lower case. */
export function pyCapitalize(s: string): string {
  if (s === '') return s;
  const chars = Array.from(s);
  return pyTitleChar(chars[0]) + lowerFrom(chars, 1);
}

// ---------------------------------------------------------------------------------------------
// §12.4 float()
// ---------------------------------------------------------------------------------------------

const ND = /\p{Nd}/u;

function isNdCode(cp: number): boolean {
  return cp >= 0 && ND.test(String.fromCodePoint(cp));
}

/**
 * Value 0–9 of a Unicode decimal digit (category Nd), else undefined. Nd digits come in
 * contiguous runs of whole 0..9 sets, so the value is the offset from the run start mod 10.
 */
export function decimalDigitValue(ch: string): number | undefined {
  const cp = ch.codePointAt(0);
  if (cp === undefined || !isNdCode(cp)) return undefined;
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  let start = cp;
  while (isNdCode(start - 1)) start--;
  return (cp - start) % 10;
}

const FLOAT_SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;
const FLOAT_NUMBER = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** Python float(text); throws PyError('ValueError') for what Python rejects. */
export function pyFloat(s: string): number {
  const value = pyFloatOrNull(s);
  if (value === null) throw new PyError('ValueError', `could not convert string to float: ${JSON.stringify(s)}`);
  return value;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
const UNDERSCORES_BETWEEN_DIGITS = /^(?:[^_]|(?<=[0-9])_(?=[0-9]))*$/;

/**
 * Python float(text), or null where Python raises ValueError. Scorers that only ask "is this a
 * number?" (ChartQA, MMMU) call this on most answers: no exception object per rejection.
 */
export function pyFloatOrNull(s: string): number | null {
  // _PyUnicode_TransformDecimalAndSpaceToASCII: Nd digits → ASCII; other non-ASCII is invalid.
  let ascii = pyStrip(s);
  if (!isAscii(ascii)) {
    let converted = '';
    for (const ch of ascii) {
      const cp = ch.codePointAt(0) as number;
      if (cp < 0x80) {
        converted += ch;
        continue;
      }
      const digit = decimalDigitValue(ch);
      if (digit === undefined) return null;
      converted += String.fromCharCode(0x30 + digit);
    }
    ascii = converted;
  }
  // _Py_string_to_number_with_underscores: each '_' must sit between two digits.
  if (ascii.includes('_')) {
    if (!UNDERSCORES_BETWEEN_DIGITS.test(ascii)) return null;
    ascii = ascii.replace(/_/g, '');
  }
  if (FLOAT_SPECIAL.test(ascii)) {
    if (/nan/i.test(ascii)) return Number.NaN;
    return ascii.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!FLOAT_NUMBER.test(ascii)) return null;
  // Validated decimal literal: Number() rounds correctly, overflows to ±Infinity, keeps -0.
  return Number(ascii);
}

// ---------------------------------------------------------------------------------------------
// §12.6 round(), numpy.round(), float repr
// ---------------------------------------------------------------------------------------------

/** |x| = mantissa · 2^exponent exactly, for finite non-zero x. */
function decomposeDouble(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = hi >>> 20;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

const ROUND_NDIGITS_MAX = 323; // CPython: (DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103
const ROUND_NDIGITS_MIN = -308; // CPython: -(DBL_MAX_EXP + 1) * 0.30103

/** Python round(x, ndigits) on the exact binary value, half-to-even on exact ties. */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isInteger(ndigits)) throw new PyError('TypeError', `ndigits must be an integer, got ${ndigits}`);
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > ROUND_NDIGITS_MAX) return x;
  if (ndigits < ROUND_NDIGITS_MIN) return 0 * x;
  const { mantissa, exponent } = decomposeDouble(x);
  // |x| · 10^ndigits = numerator / denominator exactly.
  let numerator = mantissa;
  let denominator = 1n;
  if (ndigits >= 0) numerator *= 10n ** BigInt(ndigits);
  else denominator = 10n ** BigInt(-ndigits);
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  let quotient = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && (quotient & 1n) === 1n)) quotient += 1n;
  // The decimal quotient · 10^-ndigits, read back with correct rounding (like _Py_dg_strtod).
  const result = Number(`${x < 0 ? '-' : ''}${quotient}e${-ndigits}`);
  if (!Number.isFinite(result)) throw new PyError('OverflowError', 'rounded value too large to represent');
  return result;
}

/** C rint(): round to nearest integer, ties to even, keeping the sign of zero. */
export function rint(v: number): number {
  if (!Number.isFinite(v)) return v;
  const floor = Math.floor(v);
  const diff = v - floor;
  let r: number;
  if (diff < 0.5) r = floor;
  else if (diff > 0.5) r = floor + 1;
  else r = floor % 2 === 0 ? floor : floor + 1;
  return r === 0 ? (v < 0 || Object.is(v, -0) ? -0 : 0) : r;
}

/** numpy's power_of_ten(n) (multiarray/calculation.c). */
function numpyPowerOfTen(n: number): number {
  const small = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
  if (n < 9) return small[n];
  let ret = 1e9;
  for (let k = n; k > 9; k--) ret *= 10;
  return ret;
}

/** numpy.round(x, d): rint(x * 10**d) / 10**d in doubles. */
export function npRound(x: number, d: number): number {
  if (!Number.isInteger(d)) throw new PyError('TypeError', `decimals must be an integer, got ${d}`);
  if (d >= 0) {
    const f = numpyPowerOfTen(d);
    return rint(x * f) / f;
  }
  const f = numpyPowerOfTen(-d);
  return rint(x / f) * f;
}

/** Python repr()/str() of a float, e.g. 5 -> "5.0", 1e16 -> "1e+16". */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  // Shortest round-trip digits, as CPython's repr (mode 0 of dtoa).
  const [mant, expText] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '');
  const decpt = Number(expText) + 1; // value = 0.DIGITS × 10^decpt
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const exp = decpt - 1;
  const expAbs = String(Math.abs(exp)).padStart(2, '0');
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${head}e${exp < 0 ? '-' : '+'}${expAbs}`;
}

// ---------------------------------------------------------------------------------------------
// ast.literal_eval for list/tuple literals
// ---------------------------------------------------------------------------------------------

/** Raised inside the literal parser when the text is not a supported literal. */
class NotALiteral extends Error {}

const NUMBER_TOKEN =
  /(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?)/y;
const NAME_TOKEN = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const IDENT_CHAR = /[\p{ID_Continue}]/u;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Recursive-descent reader of the Python literal subset used by dataset answer cells. */
class LiteralReader {
  private pos = 0;
  private depth = 0; // bracket nesting: newlines are whitespace only inside brackets

  constructor(private readonly src: string) {}

  private fail(): never {
    throw new NotALiteral();
  }

  private skipSpace(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\f') this.pos++;
      else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n' && s[this.pos] !== '\r') this.pos++;
      } else if (c === '\\' && (s[this.pos + 1] === '\n' || s[this.pos + 1] === '\r')) {
        this.pos += s.startsWith('\r\n', this.pos + 1) ? 3 : 2;
      } else if ((c === '\n' || c === '\r') && this.depth > 0) this.pos++;
      else break;
    }
  }

  /** The whole text as one eval-mode expression (a bare `a, b` is a tuple). */
  readAll(): unknown {
    const first = this.readValue();
    this.skipSpace();
    let value = first;
    if (this.src[this.pos] === ',') {
      const items = [first];
      while (this.src[this.pos] === ',') {
        this.pos++;
        this.skipSpace();
        if (this.atEnd()) break;
        items.push(this.readValue());
        this.skipSpace();
      }
      value = items;
    }
    if (!this.atEnd()) this.fail();
    return value;
  }

  /**
   * End of input, allowing trailing newlines and blank/comment lines — except a final
   * whitespace-only line without a newline, which CPython's tokenizer rejects (unexpected indent).
   */
  private atEnd(): boolean {
    const rest = this.src.slice(this.pos);
    return /^(?:[ \t\f]*(?:#[^\r\n]*)?(?:\r\n|\r|\n|$))*$/.test(rest) && !/[\r\n][ \t\f]+$/.test(rest);
  }

  private readValue(): unknown {
    this.skipSpace();
    const s = this.src;
    const c = s[this.pos];
    if (c === undefined) this.fail();
    if (c === '[') return this.readSequence(']');
    if (c === '(') return this.readParenthesized();
    if (c === '"' || c === "'") return this.readStrings();
    if (c === '+' || c === '-') {
      this.pos++;
      this.skipSpace();
      const n = this.readNumber();
      return c === '-' ? -n : n;
    }
    if ((c >= '0' && c <= '9') || c === '.') return this.readNumber();
    NAME_TOKEN.lastIndex = this.pos;
    const name = NAME_TOKEN.exec(s)?.[0];
    if (name === undefined) this.fail();
    const next = s[this.pos + name.length];
    if (/^[rRuU]$/.test(name) && (next === '"' || next === "'")) return this.readStrings();
    this.pos += name.length;
    if (name === 'True') return true;
    if (name === 'False') return false;
    if (name === 'None') return null;
    return this.fail();
  }

  private readSequence(close: string): unknown[] {
    this.pos++; // opening bracket
    this.depth++;
    const items: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] === close) break;
      items.push(this.readValue());
      this.skipSpace();
      if (this.src[this.pos] === ',') this.pos++;
      else if (this.src[this.pos] !== close) this.fail();
    }
    this.pos++;
    this.depth--;
    return items;
  }

  /** `( … )`: a tuple when empty or when a comma appears, else the parenthesized value. */
  private readParenthesized(): unknown {
    this.pos++;
    this.depth++;
    this.skipSpace();
    if (this.src[this.pos] === ')') {
      this.pos++;
      this.depth--;
      return [];
    }
    const first = this.readValue();
    this.skipSpace();
    let value: unknown = first;
    if (this.src[this.pos] === ',') {
      const items = [first];
      for (;;) {
        this.pos++; // comma
        this.skipSpace();
        if (this.src[this.pos] === ')') break;
        items.push(this.readValue());
        this.skipSpace();
        if (this.src[this.pos] === ')') break;
        if (this.src[this.pos] !== ',') this.fail();
      }
      value = items;
    }
    if (this.src[this.pos] !== ')') this.fail();
    this.pos++;
    this.depth--;
    return value;
  }

  private readNumber(): number {
    NUMBER_TOKEN.lastIndex = this.pos;
    const text = NUMBER_TOKEN.exec(this.src)?.[0];
    if (text === undefined) this.fail();
    this.pos += text.length;
    const after = this.src[this.pos];
    if (after !== undefined && IDENT_CHAR.test(after)) this.fail(); // 1j, 1_, 12abc …
    const clean = text.replace(/_/g, '');
    if (/^0[xXoObB]/.test(clean)) return Number(BigInt(clean));
    if (/[.eE]/.test(clean)) return Number(clean);
    if (/^0+[1-9]/.test(clean)) this.fail(); // leading zeros in a decimal integer
    return Number(BigInt(clean));
  }

  /** One or more adjacent string literals, concatenated. */
  private readStrings(): string {
    let out = '';
    let any = false;
    for (;;) {
      const save = this.pos;
      if (any) this.skipSpace();
      const s = this.src;
      let p = this.pos;
      let raw = false;
      if (/[rRuU]/.test(s[p] ?? '') && (s[p + 1] === '"' || s[p + 1] === "'")) {
        raw = s[p] === 'r' || s[p] === 'R';
        p++;
      }
      const q = s[p];
      if (q !== '"' && q !== "'") {
        this.pos = save;
        break;
      }
      this.pos = p;
      out += this.readStringBody(raw);
      any = true;
    }
    return out;
  }

  private readStringBody(raw: boolean): string {
    const s = this.src;
    const q = s[this.pos];
    const triple = s.startsWith(q.repeat(3), this.pos);
    const closing = triple ? q.repeat(3) : q;
    this.pos += closing.length;
    let out = '';
    for (;;) {
      if (this.pos >= s.length) this.fail();
      if (s.startsWith(closing, this.pos)) {
        this.pos += closing.length;
        return out;
      }
      const c = s[this.pos];
      if ((c === '\n' || c === '\r') && !triple) this.fail();
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = s[this.pos + 1];
      if (e === undefined) this.fail();
      if (raw) {
        out += c + e; // a raw string keeps the backslash, but \<quote> does not close it
        this.pos += 2;
        continue;
      }
      this.pos += 2;
      if (e === '\n') continue;
      if (e === '\r') {
        if (s[this.pos] === '\n') this.pos++;
        continue;
      }
      if (e in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[e];
        continue;
      }
      if (e >= '0' && e <= '7') {
        const m = /^[0-7]{1,2}/.exec(s.slice(this.pos)) ?? [''];
        out += String.fromCodePoint(parseInt(e + m[0], 8));
        this.pos += m[0].length;
        continue;
      }
      const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hexLength > 0) {
        const hex = s.slice(this.pos, this.pos + hexLength);
        if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) this.fail();
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) this.fail();
        out += String.fromCodePoint(cp);
        this.pos += hexLength;
        continue;
      }
      if (e === 'N') this.fail(); // \N{NAME}: no Unicode name table here
      out += c + e; // unknown escape: kept verbatim
    }
  }
}

/**
 * Python ast.literal_eval restricted to what the datasets hold: list/tuple literals of str,
 * int, float (and nesting). Returns undefined when `s` is not such a literal.
 */
export function pyLiteralList(s: string): unknown[] | undefined {
  // literal_eval strips leading spaces/tabs; what follows is parsed in eval mode.
  const src = s.replace(/^[ \t]+/, '');
  // Leading blank lines are allowed, an indented first line is not.
  const firstLine = /^(?:[ \t\f]*(?:#[^\r\n]*)?(?:\r\n|\r|\n))*/.exec(src)?.[0] ?? '';
  const body = src.slice(firstLine.length);
  if (firstLine !== '' && /^[ \t]/.test(body)) return undefined;
  try {
    const value = new LiteralReader(body).readAll();
    return Array.isArray(value) ? value : undefined;
  } catch (e) {
    if (e instanceof NotALiteral) return undefined;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// §12.5 Regex fragments
// ---------------------------------------------------------------------------------------------

/** Regex source fragments with Python `re` (str pattern) meaning; use with the `u` flag. */
export const PY_RE = {
  /** \d : Unicode Nd */
  d: '\\p{Nd}',
  /** \w as a class body (to put inside [...]): letters, numbers, underscore */
  wClass: '\\p{L}\\p{N}_',
  /** \w */
  w: '[\\p{L}\\p{N}_]',
  /** \b (Python word boundary with the Unicode \w) */
  b: '(?:(?<=[\\p{L}\\p{N}_])(?![\\p{L}\\p{N}_])|(?<![\\p{L}\\p{N}_])(?=[\\p{L}\\p{N}_]))',
  /** \s as a class body: exactly the str.isspace() set of §12.1 */
  sClass: PY_WS_CLASS,
  /** \s */
  s: `[${PY_WS_CLASS}]`,
} as const;

// ---------------------------------------------------------------------------------------------
// §12.9 random
// ---------------------------------------------------------------------------------------------

const MT_N = 624;
const MT_M = 397;

function bitLength(n: number): number {
  let k = 0;
  for (let v = n; v >= 1; v = Math.floor(v / 2)) k++;
  return k;
}

/** Python's random.Random (MT19937), seeded like random.seed(int). */
export class PyRandom {
  private readonly mt = new Uint32Array(MT_N);
  private index = MT_N + 1;

  constructor(seed: number | bigint) {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
      throw new PyError('TypeError', `PyRandom supports integer seeds only, got ${seed}`);
    }
    // random.seed(int): |seed| split into 32-bit words, least significant first; 0 → [0].
    let rest = BigInt(seed);
    if (rest < 0n) rest = -rest;
    const key: number[] = [];
    while (rest > 0n) {
      key.push(Number(rest & 0xffffffffn));
      rest >>= 32n;
    }
    if (key.length === 0) key.push(0);
    this.initByArray(key);
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < MT_N; i++) {
      const prev = mt[i - 1];
      mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
    this.index = MT_N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(MT_N, key.length); k > 0; k--) {
      const prev = mt[i - 1];
      mt[i] = (mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= MT_N) {
        mt[0] = mt[MT_N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = MT_N - 1; k > 0; k--) {
      const prev = mt[i - 1];
      mt[i] = (mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i;
      i++;
      if (i >= MT_N) {
        mt[0] = mt[MT_N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** genrand_uint32: the next 32-bit output. */
  nextUint32(): number {
    const mt = this.mt;
    if (this.index >= MT_N) {
      const mag = (y: number): number => (y & 1 ? 0x9908b0df : 0);
      let kk = 0;
      for (; kk < MT_N - MT_M; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + MT_M] ^ (y >>> 1) ^ mag(y);
      }
      for (; kk < MT_N - 1; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >>> 1) ^ mag(y);
      }
      const y = (mt[MT_N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
      mt[MT_N - 1] = mt[MT_M - 1] ^ (y >>> 1) ^ mag(y);
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** random.random(): 53-bit float in [0, 1). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** random.getrandbits(k) for 0 ≤ k ≤ 53 (use getrandbitsBig beyond). */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0) throw new PyError('ValueError', 'number of bits must be non-negative');
    if (k > 53) throw new RangeError('getrandbits: k > 53 does not fit a number; use getrandbitsBig');
    return Number(this.getrandbitsBig(k));
  }

  /** random.getrandbits(k) for any k ≥ 0: 32-bit words least significant first, the last one truncated from the top. */
  getrandbitsBig(k: number): bigint {
    if (!Number.isInteger(k) || k < 0) throw new PyError('ValueError', 'number of bits must be non-negative');
    if (k === 0) return 0n;
    if (k <= 32) return BigInt(this.nextUint32() >>> (32 - k));
    let result = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      let r = this.nextUint32();
      if (left < 32) r >>>= 32 - left;
      result |= BigInt(r) << shift;
      shift += 32n;
    }
    return result;
  }

  /** random._randbelow(n) (getrandbits variant): uniform in [0, n), n ≥ 1. */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1) throw new PyError('ValueError', `randbelow needs an integer n >= 1, got ${n}`);
    const k = bitLength(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** random.choice(seq). */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new PyError('IndexError', 'Cannot choose from an empty sequence');
    return seq[this.randbelow(seq.length)];
  }

  /** random.randint(a, b): a + _randbelow(b - a + 1). */
  randint(a: number, b: number): number {
    if (b < a) throw new PyError('ValueError', `empty range for randint(${a}, ${b})`);
    return a + this.randbelow(b - a + 1);
  }

  /** random.shuffle(x) in place (Python 3.11 algorithm). */
  shuffle<T>(x: T[]): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      [x[i], x[j]] = [x[j], x[i]];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Appended by the DocVQA/ChartQA helper: `[str(x) for x in eval(s)]` for list literals.
// pyLiteralList cannot tell `0` from `0.0` (both become the JS number 0), but Python's str()
// can ("0" vs "0.0"), which decides ChartQA's string branch for zero targets (scoring.md §7.3).

/** A parsed Python literal, keeping what str()/repr() need (int vs float, list vs tuple). */
type PyLiteral =
  | { kind: 'str'; value: string }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'list' | 'tuple'; items: PyLiteral[] };

class PyLiteralSyntax extends Error {}

const PY_LITERAL_NUMBER =
  /^(?:0[xX]_?[0-9a-fA-F](?:_?[0-9a-fA-F])*|0[oO]_?[0-7](?:_?[0-7])*|0[bB]_?[01](?:_?[01])*|(?:[0-9](?:_?[0-9])*)?\.?(?:[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?)/;
const PY_LITERAL_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
/** str literal prefixes (r/u); bytes and f-strings are not plain str literals. */
const PY_LITERAL_STRING_PREFIX = /^[rRuU]?(?=['"])/;
const PY_LITERAL_LEADING_DOT_DIGIT = /^\.[0-9]/;
const PY_LITERAL_NUMBER_SUFFIX = /^[A-Za-z0-9_.]/;
const PY_LITERAL_RADIX_PREFIX = /^0[xXoObB]/;
const PY_LITERAL_FLOAT_MARK = /[.eE]/;
const PY_LITERAL_LEADING_ZEROS = /^0+[1-9]/;
const PY_LITERAL_UNDERSCORES = /_/g;
const PY_LITERAL_HEX_ESCAPE: Readonly<Record<string, { length: number; pattern: RegExp }>> = {
  x: { length: 2, pattern: /^[0-9a-fA-F]{2}$/ },
  u: { length: 4, pattern: /^[0-9a-fA-F]{4}$/ },
  U: { length: 8, pattern: /^[0-9a-fA-F]{8}$/ },
};
const PY_LITERAL_SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};
/** Blank or comment-only lines (sticky). */
const PY_LITERAL_BLANK_LINES = /(?:[ \t\f]*(?:#[^\r\n]*)?(?:\r\n|\r|\n))*/y;
/** What may follow the value: blanks/comment, then blank lines, a last line without indentation (sticky). */
const PY_LITERAL_TRAILER =
  /[ \t\f]*(?:#[^\r\n]*)?(?:(?:\r\n|\r|\n)(?:[ \t\f]*(?:#[^\r\n]*)?(?:\r\n|\r|\n))*(?:[ \t\f]*#[^\r\n]*|\f*))?$/y;
const PY_LITERAL_NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

/** Parser for list/tuple/str/int/float/bool/None literals with unary signs (Python eval grammar). */
class PyLiteralParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parseWhole(): PyLiteral {
    // eval() drops leading spaces and tabs; blank and comment-only lines may precede the value,
    // but the line holding it must then not be indented.
    while (this.src[this.pos] === ' ' || this.src[this.pos] === '\t') this.pos++;
    PY_LITERAL_BLANK_LINES.lastIndex = this.pos;
    const blankLines = PY_LITERAL_BLANK_LINES.exec(this.src);
    this.pos += blankLines === null ? 0 : blankLines[0].length;
    if (this.pos > 0 && (this.src[this.pos] === ' ' || this.src[this.pos] === '\t') && blankLines !== null && blankLines[0] !== '') {
      throw new PyLiteralSyntax('unexpected indent');
    }
    const value = this.parseValue(false);
    PY_LITERAL_TRAILER.lastIndex = this.pos;
    if (!PY_LITERAL_TRAILER.test(this.src)) throw new PyLiteralSyntax('trailing text');
    return value;
  }

  /** Skips blanks and comments; inside brackets newlines are blanks too (implicit line joining). */
  private skipSpace(inBrackets: boolean): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\f' || (inBrackets && (c === '\n' || c === '\r'))) this.pos++;
      else if (c === '\\' && (this.src[this.pos + 1] === '\n' || this.src[this.pos + 1] === '\r')) {
        this.pos += this.src[this.pos + 1] === '\r' && this.src[this.pos + 2] === '\n' ? 3 : 2;
      } else if (c === '#') {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n' && this.src[this.pos] !== '\r') this.pos++;
      } else return;
    }
  }

  private parseValue(inBrackets: boolean): PyLiteral {
    this.skipSpace(inBrackets);
    const c = this.src[this.pos];
    if (c === '+' || c === '-') {
      this.pos++;
      const operand = this.parseValue(inBrackets);
      return applyLiteralUnarySign(c, operand);
    }
    if (c === '[') return this.parseSequence(']', 'list');
    if (c === '(') return this.parseSequence(')', 'tuple');
    const rest = this.src.slice(this.pos);
    if (PY_LITERAL_STRING_PREFIX.test(rest)) return this.parseStrings(inBrackets);
    if (c !== undefined && ((c >= '0' && c <= '9') || (c === '.' && PY_LITERAL_LEADING_DOT_DIGIT.test(rest)))) return this.parseNumber(rest);
    const name = PY_LITERAL_NAME.exec(rest);
    if (name !== null) {
      this.pos += name[0].length;
      if (name[0] === 'True' || name[0] === 'False') return { kind: 'bool', value: name[0] === 'True' };
      if (name[0] === 'None') return { kind: 'none' };
    }
    throw new PyLiteralSyntax('unsupported expression');
  }

  private parseSequence(close: string, kind: 'list' | 'tuple'): PyLiteral {
    this.pos++;
    const items: PyLiteral[] = [];
    let sawComma = false;
    for (;;) {
      this.skipSpace(true);
      if (this.src[this.pos] === close) {
        this.pos++;
        break;
      }
      if (items.length > 0 && !sawComma) throw new PyLiteralSyntax('missing comma');
      items.push(this.parseValue(true));
      this.skipSpace(true);
      sawComma = this.src[this.pos] === ',';
      if (sawComma) this.pos++;
      else if (this.src[this.pos] !== close) throw new PyLiteralSyntax('expected , or closing bracket');
    }
    // `(x)` is a parenthesised expression, not a tuple; `()` and `(x,)` are tuples.
    if (kind === 'tuple' && items.length === 1 && !sawComma) return items[0];
    return { kind, items };
  }

  private parseNumber(rest: string): PyLiteral {
    const m = PY_LITERAL_NUMBER.exec(rest);
    const text = m === null ? '' : m[0];
    if (text === '' || text === '.') throw new PyLiteralSyntax('bad number');
    const after = rest.slice(text.length);
    if (PY_LITERAL_NUMBER_SUFFIX.test(after)) throw new PyLiteralSyntax('bad number suffix (complex or name)');
    this.pos += text.length;
    const clean = text.replace(PY_LITERAL_UNDERSCORES, '');
    // 0x/0o/0b literals (the regex already checked their digits); BigInt reads all three.
    if (PY_LITERAL_RADIX_PREFIX.test(clean)) return { kind: 'int', value: BigInt(clean) };
    if (PY_LITERAL_FLOAT_MARK.test(clean)) return { kind: 'float', value: Number(clean) };
    // Decimal integers other than zero may not have leading zeros.
    if (PY_LITERAL_LEADING_ZEROS.test(clean)) throw new PyLiteralSyntax('leading zeros in decimal integer');
    return { kind: 'int', value: BigInt(clean) };
  }

  /** One or more adjacent string literals (implicitly concatenated). */
  private parseStrings(inBrackets: boolean): PyLiteral {
    let value = '';
    for (;;) {
      value += this.parseOneString();
      const save = this.pos;
      this.skipSpace(inBrackets);
      if (!PY_LITERAL_STRING_PREFIX.test(this.src.slice(this.pos))) {
        this.pos = save;
        return { kind: 'str', value };
      }
    }
  }

  private parseOneString(): string {
    const prefix = PY_LITERAL_STRING_PREFIX.exec(this.src.slice(this.pos));
    const raw = prefix !== null && /[rR]/.test(prefix[0]);
    this.pos += prefix === null ? 0 : prefix[0].length;
    const quote = this.src[this.pos];
    const triple = this.src.startsWith(quote.repeat(3), this.pos);
    const delimiter = triple ? quote.repeat(3) : quote;
    this.pos += delimiter.length;
    let out = '';
    for (;;) {
      if (this.pos >= this.src.length) throw new PyLiteralSyntax('unterminated string');
      if (this.src.startsWith(delimiter, this.pos)) {
        this.pos += delimiter.length;
        return out;
      }
      const c = this.src[this.pos];
      if (!triple && (c === '\n' || c === '\r')) throw new PyLiteralSyntax('newline in string');
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const next = this.src[this.pos + 1];
      if (next === undefined) throw new PyLiteralSyntax('unterminated string');
      if (raw) {
        // Raw strings keep the backslash; it still protects the following quote.
        out += c + next;
        this.pos += 2;
        continue;
      }
      out += this.parseEscape();
    }
  }

  private parseEscape(): string {
    const next = this.src[this.pos + 1];
    this.pos += 2;
    if (Object.hasOwn(PY_LITERAL_SIMPLE_ESCAPES, next)) return PY_LITERAL_SIMPLE_ESCAPES[next];
    if (next === '\n') return '';
    if (next === '\r') {
      if (this.src[this.pos] === '\n') this.pos++;
      return '';
    }
    if (next >= '0' && next <= '7') {
      let digits = next;
      while (digits.length < 3 && this.src[this.pos] >= '0' && this.src[this.pos] <= '7') digits += this.src[this.pos++];
      return String.fromCodePoint(parseInt(digits, 8));
    }
    if (Object.hasOwn(PY_LITERAL_HEX_ESCAPE, next)) {
      const { length, pattern } = PY_LITERAL_HEX_ESCAPE[next];
      const hex = this.src.slice(this.pos, this.pos + length);
      if (!pattern.test(hex)) throw new PyLiteralSyntax('bad escape');
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new PyLiteralSyntax('bad escape');
      this.pos += length;
      return String.fromCodePoint(cp);
    }
    if (next === 'N') throw new PyLiteralSyntax('named escapes are not supported');
    // Unknown escapes keep the backslash (a DeprecationWarning in Python, not an error).
    return '\\' + next;
  }
}

function applyLiteralUnarySign(sign: '+' | '-', operand: PyLiteral): PyLiteral {
  if (operand.kind === 'bool') operand = { kind: 'int', value: operand.value ? 1n : 0n };
  if (operand.kind === 'int') return sign === '-' ? { kind: 'int', value: -operand.value } : operand;
  if (operand.kind === 'float') return sign === '-' ? { kind: 'float', value: -operand.value } : operand;
  // Unary minus on a str, list, tuple or None is a TypeError: the cell does not evaluate.
  throw new PyLiteralSyntax('bad operand for unary sign');
}

function pyReprOfStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && PY_LITERAL_NOT_PRINTABLE.test(ch)) {
      if (cp < 0x100) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    } else out += ch;
  }
  return out + quote;
}

/** Python str() of a literal value (repr() for the elements of containers). */
function strOfPyLiteral(v: PyLiteral, asRepr: boolean): string {
  switch (v.kind) {
    case 'str':
      return asRepr ? pyReprOfStr(v.value) : v.value;
    case 'int':
      return v.value.toString();
    case 'float':
      return pyFloatRepr(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return '[' + v.items.map((x) => strOfPyLiteral(x, true)).join(', ') + ']';
    case 'tuple':
      return v.items.length === 1
        ? '(' + strOfPyLiteral(v.items[0], true) + ',)'
        : '(' + v.items.map((x) => strOfPyLiteral(x, true)).join(', ') + ')';
  }
}

/**
 * `[str(x) for x in eval(s)]` when `s` evaluates to a Python **list** (not a tuple) built from
 * str/int/float/bool/None literals, nested lists/tuples and unary signs; undefined for anything
 * else (not a literal, a tuple, a syntax error). Ints keep their exact digits (`"0"`), floats use
 * Python repr (`"0.0"`, `"1e+16"`), nested containers use repr.
 */
export function pyListLiteralStr(s: string): string[] | undefined {
  let value: PyLiteral;
  try {
    value = new PyLiteralParser(s).parseWhole();
  } catch (err) {
    if (err instanceof PyLiteralSyntax) return undefined;
    throw err;
  }
  if (value.kind !== 'list') return undefined;
  return value.items.map((x) => strOfPyLiteral(x, false));
}

/**
 * Python `needle in haystack` for str: containment over code points (the empty string occurs
 * everywhere). JS `includes` compares UTF-16 units and would also match half of a surrogate
 * pair (a lone surrogate needle inside an astral character); such matches are rejected.
 */
export function pyContains(haystack: string, needle: string): boolean {
  const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
  const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    const splitsStart = at > 0 && isHigh(haystack.charCodeAt(at - 1)) && isLow(haystack.charCodeAt(at));
    const splitsEnd =
      end > at && end < haystack.length && isHigh(haystack.charCodeAt(end - 1)) && isLow(haystack.charCodeAt(end));
    if (!splitsStart && !splitsEnd) return true;
  }
  return false;
}

/**
 * Python `'%.{digits}f' % x` (also `f"{x:.{digits}f}"`): the exact binary value rounded to
 * `digits` decimals, half to even on exact ties ("%.2f" % 0.125 is "0.12"; JS toFixed gives
 * "0.13"); the sign of zero is kept ("-0.00"); "nan", "inf", "-inf".
 */
export function pyFormatFixed(x: number, digits: number): string {
  if (!Number.isInteger(digits) || digits < 0) throw new PyError('ValueError', `bad precision ${digits}`);
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  let quotient = 0n;
  if (x !== 0) {
    const { mantissa, exponent } = decomposeDouble(x);
    const scaled = mantissa * 10n ** BigInt(digits);
    if (exponent >= 0) quotient = scaled << BigInt(exponent);
    else {
      const shift = BigInt(-exponent);
      quotient = scaled >> shift;
      const remainder = scaled - (quotient << shift);
      const half = 1n << (shift - 1n);
      if (remainder > half || (remainder === half && (quotient & 1n) === 1n)) quotient += 1n;
    }
  }
  const text = quotient.toString().padStart(digits + 1, '0');
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
}
