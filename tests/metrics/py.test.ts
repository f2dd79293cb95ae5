// Tests for the Python-semantics primitives (scoring.md §12): own cases per rule plus the vector file.
import { describe, expect, it } from 'vitest';
import {
  PY_RE,
  PyError,
  PyRandom,
  codePointCompare,
  decimalDigitValue,
  isPyWhitespace,
  levenshtein,
  npRound,
  pyCapitalize,
  pyFloat,
  pyFloatRepr,
  pyLen,
  pyLiteralList,
  pyLower,
  pyLstrip,
  pyRound,
  pyRstrip,
  pySplit,
  pyStrip,
  pyTitleChar,
  pyUpper,
  rint,
} from '../../harness/metrics/py.js';
import { vectorChecks } from '../../harness/verify/vector-checks/py.js';
import { vectorMismatches } from '../vector-helper.js';

const cp = (...codes: number[]): string => String.fromCodePoint(...codes);

function pyErrorName(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof PyError ? e.pyName : `non-PyError: ${String(e)}`;
  }
  return undefined;
}

describe('vector file python_semantics.jsonl', () => {
  it('passes every line', () => {
    const r = vectorMismatches('python_semantics.jsonl', vectorChecks);
    expect(r.problems).toEqual([]);
    expect(r.mismatches).toEqual([]);
    expect(r.failed).toBe(0);
    expect(r.passed).toBeGreaterThan(0);
  });
});

describe('§12.1 whitespace', () => {
  const members = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2005, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000];
  const nonMembers = [0xfeff, 0x200b, 0x180e, 0x08, 0x0e, 0x1b, 0x21, 0x84, 0x86, 0xad, 0x200c, 0x2060, 0x1f600, 0x61];
  it.each(members.map((c) => [c.toString(16)]))('U+%s is whitespace', (hex) => {
    const ch = cp(parseInt(hex, 16));
    expect(isPyWhitespace(ch)).toBe(true);
    expect(new RegExp(`^${PY_RE.s}$`, 'u').test(ch)).toBe(true);
    expect(pySplit(`a${ch}b`)).toEqual(['a', 'b']);
    expect(pyStrip(`${ch}x${ch}`)).toBe('x');
  });
  it.each(nonMembers.map((c) => [c.toString(16)]))('U+%s is not whitespace', (hex) => {
    const ch = cp(parseInt(hex, 16));
    expect(isPyWhitespace(ch)).toBe(false);
    expect(new RegExp(`^${PY_RE.s}$`, 'u').test(ch)).toBe(false);
    expect(pySplit(`a${ch}b`)).toEqual([`a${ch}b`]);
    expect(pyStrip(`${ch}x${ch}`)).toBe(`${ch}x${ch}`);
  });
  it('isPyWhitespace takes exactly one code point', () => {
    expect(isPyWhitespace('')).toBe(false);
    expect(isPyWhitespace('  ')).toBe(false);
  });
  it('split drops empty fields and splits on runs', () => {
    expect(pySplit('')).toEqual([]);
    expect(pySplit(' \t\n ')).toEqual([]);
    expect(pySplit('  a \u3000\u0085 b\u001c')).toEqual(['a', 'b']);
    expect(pySplit('\ufeffa')).toEqual(['\ufeffa']);
  });
  it('strip / lstrip / rstrip without chars', () => {
    expect(pyStrip('\u00a0 a b \u2028')).toBe('a b');
    expect(pyLstrip('\u0085 a ')).toBe('a ');
    expect(pyRstrip(' a \u001f')).toBe(' a');
    expect(pyStrip('\ufeffa\ufeff')).toBe('\ufeffa\ufeff');
    expect(pyStrip('   ')).toBe('');
  });
});

describe('§12.8 strip(chars)', () => {
  it('removes any of the chars from the ends, not a prefix string', () => {
    expect(pyStrip('(A).', '().')).toBe('A');
    expect(pyStrip('abcxcba', 'ab')).toBe('cxc');
    expect(pyLstrip('aab', 'a')).toBe('b');
    expect(pyRstrip('baa', 'a')).toBe('b');
    expect(pyStrip(' x ', '')).toBe(' x ');
  });
  it('works on code points (astral chars)', () => {
    expect(pyStrip('😀x😀', '😀')).toBe('x');
    expect(pyStrip('😁x😁', '😀')).toBe('😁x😁'); // same high surrogate, different char
    expect(pyRstrip('a😀', '\ud83d')).toBe('a😀');
  });
  it('is order-dependent when applied in sequence (MMMU single-char strips)', () => {
    const s = '(B).';
    expect(pyStrip(pyStrip(s, '.'), '()')).toBe('B');
    expect(pyStrip(pyStrip(s, '()'), '.')).toBe('B)');
  });
});

describe('§12.2 length, distance, ordering', () => {
  it('len counts code points', () => {
    expect(pyLen('')).toBe(0);
    expect(pyLen('abc')).toBe(3);
    expect(pyLen('😀')).toBe(1);
    expect(pyLen('𠀀x')).toBe(2);
    expect(pyLen('e\u0301')).toBe(2);
    expect(pyLen('\ud800')).toBe(1); // a lone surrogate is one code point
  });
  it('levenshtein runs over code points', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
    expect(levenshtein('😀', '😁')).toBe(1); // UTF-16 would say 1 too, but…
    expect(levenshtein('😀', 'a')).toBe(1); // …here UTF-16 would say 2
    expect(levenshtein('a😀b', 'ab')).toBe(1);
  });
  it('codePointCompare orders by code point, not UTF-16 unit', () => {
    const bmpHigh = '\uff5e'; // U+FF5E
    const astral = '😀'; // U+1F600, UTF-16 starts with 0xD83D < 0xFF5E
    expect(bmpHigh < astral).toBe(false); // JS default says the opposite of Python
    expect(codePointCompare(bmpHigh, astral)).toBe(-1);
    expect(codePointCompare(astral, bmpHigh)).toBe(1);
    expect(codePointCompare('a', 'ab')).toBe(-1);
    expect(codePointCompare('ab', 'a')).toBe(1);
    expect(codePointCompare('x😀', 'x😀')).toBe(0);
    expect(['b', astral, bmpHigh, 'a'].sort(codePointCompare)).toEqual(['a', 'b', bmpHigh, astral]);
  });
});

describe('§12.3 case mapping', () => {
  it('upper/lower use full mappings', () => {
    expect(pyUpper('ß')).toBe('SS');
    expect(pyUpper('ﬃ')).toBe('FFI');
    expect(pyUpper('ŉ')).toBe('ʼN');
    expect(pyLen(pyUpper('ΐ'))).toBe(3);
    expect(pyLower('İ')).toBe('i\u0307');
  });
  it('lower handles final sigma with CPython context rules', () => {
    expect(pyLower('ΟΔΟΣ')).toBe('οδος');
    expect(pyLower('ΟΔΟΣ ΟΔΟΣ')).toBe('οδος οδος');
    expect(pyLower('Σ')).toBe('σ');
    expect(pyLower('ΑΣΑ')).toBe('ασα');
    expect(pyLower("ΑΣ'")).toBe("ας'"); // apostrophe is case-ignorable
    expect(pyLower("ΑΣ'Α")).toBe("ασ'α");
    expect(pyLower('ΑΣ\u0301')).toBe('ας\u0301');
    // ʰ is both cased and case-ignorable: CPython skips it when looking back, so no cased letter precedes.
    expect(pyLower('ʰΣ')).toBe('ʰσ');
  });
  it('title case table differs from upper exactly where Unicode says', () => {
    expect(pyTitleChar('ǆ')).toBe('ǅ');
    expect(pyTitleChar('Ǆ')).toBe('ǅ');
    expect(pyTitleChar('ǅ')).toBe('ǅ');
    expect(pyTitleChar('ǉ')).toBe('ǈ');
    expect(pyTitleChar('ǌ')).toBe('ǋ');
    expect(pyTitleChar('ǳ')).toBe('ǲ');
    expect(pyTitleChar('ᾳ')).toBe('ᾼ');
    expect(pyTitleChar('ᾀ')).toBe('ᾈ');
    expect(pyTitleChar('ᾈ')).toBe('ᾈ');
    expect(pyTitleChar('ᾲ')).toBe(cp(0x1fba, 0x0345));
    expect(pyTitleChar('ᾷ')).toBe(cp(0x0391, 0x0342, 0x0345));
    expect(pyTitleChar('ﬁ')).toBe('Fi');
    expect(pyTitleChar('ﬅ')).toBe('St');
    expect(pyTitleChar('ß')).toBe('Ss');
    expect(pyTitleChar('և')).toBe('Եւ');
    expect(pyTitleChar('ﬓ')).toBe('Մն');
    expect(pyTitleChar('ა')).toBe('ა'); // Georgian: upper is Mtavruli, title is itself
    expect(pyTitleChar('a')).toBe('A');
    expect(pyTitleChar('ŉ')).toBe('ʼN');
  });
  it('capitalize: first char to title case, the rest lower', () => {
    expect(pyCapitalize('')).toBe('');
    expect(pyCapitalize('ǆ')).toBe('ǅ');
    expect(pyCapitalize('ᾳ')).toBe('ᾼ');
    expect(pyCapitalize('ﬁ')).toBe('Fi');
    expect(pyCapitalize('ß')).toBe('Ss');
    expect(pyCapitalize('hELLO wORLD')).toBe('Hello world');
    expect(pyCapitalize('Straße')).toBe('Straße');
    expect(pyCapitalize('ΟΔΟΣ')).toBe('Οδος');
    expect(pyCapitalize('ΣΣ')).toBe('Σς'); // the first char is context for final sigma
    expect(pyCapitalize('ǄEMAL')).toBe('ǅemal');
    expect(pyCapitalize('1ABC')).toBe('1abc');
    expect(pyCapitalize('😀A')).toBe('😀a');
  });
});

describe('§12.4 float()', () => {
  it.each([
    ['5', 5],
    [' 5 ', 5],
    ['\u00a05\u3000', 5],
    ['5.', 5],
    ['.5', 0.5],
    ['+5', 5],
    ['-5.25', -5.25],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['1_000', 1000],
    ['1_000.000_1', 1000.0001],
    ['1e1_0', 1e10],
    ['0005', 5],
    ['١٢', 12],
    ['１２', 12],
    ['٣.٥', 3.5],
    ['𝟙𝟚', 12], // mathematical bold digits (astral Nd)
    ['5e500', Number.POSITIVE_INFINITY],
    ['-5e500', Number.NEGATIVE_INFINITY],
    ['1e-500', 0],
    ['inf', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['+iNfInItY', Number.POSITIVE_INFINITY],
    ['0.1', 0.1],
    ['9007199254740993', 9007199254740992],
  ] as const)('accepts %j', (text, value) => {
    expect(pyFloat(text)).toBe(value);
  });
  it('parses nan in any case and sign', () => {
    for (const t of ['nan', 'NaN', '-nan', '+NAN']) expect(Number.isNaN(pyFloat(t))).toBe(true);
  });
  it('keeps the sign of zero', () => {
    expect(Object.is(pyFloat('-0'), -0)).toBe(true);
    expect(Object.is(pyFloat('0'), 0)).toBe(true);
  });
  it.each([
    '',
    ' ',
    '1,000',
    '0x10',
    '1 2',
    '5%',
    '$5',
    '1/2',
    '1.2.3',
    '1e',
    'e3',
    '.',
    '1__000',
    '_1',
    '1_',
    '1_.5',
    '1._5',
    '−5', // U+2212 minus sign
    '²',
    '½',
    'infinit',
    'nan(1)',
    '++5',
    '5\u200b',
    '\ufeff5',
  ])('rejects %j with ValueError', (text) => {
    expect(pyErrorName(() => pyFloat(text))).toBe('ValueError');
  });
  it('decimalDigitValue maps Nd digits to their value', () => {
    expect(decimalDigitValue('7')).toBe(7);
    expect(decimalDigitValue('\u0660')).toBe(0);
    expect(decimalDigitValue('\u0669')).toBe(9);
    expect(decimalDigitValue('\uff15')).toBe(5);
    expect(decimalDigitValue(cp(0x1d7d8))).toBe(0); // 𝟘 double-struck zero (third run of 10)
    expect(decimalDigitValue(cp(0x1d7e1))).toBe(9);
    expect(decimalDigitValue('²')).toBeUndefined();
    expect(decimalDigitValue('a')).toBeUndefined();
  });
});

describe('§12.5 regex fragments', () => {
  const d = new RegExp(`^${PY_RE.d}$`, 'u');
  const w = new RegExp(`^${PY_RE.w}$`, 'u');
  it('\\d is Unicode Nd', () => {
    for (const c of ['3', '٣', '３', '𝟙']) expect(d.test(c)).toBe(true);
    for (const c of ['²', '½', 'Ⅻ', 'a', '_']) expect(d.test(c)).toBe(false);
  });
  it('\\w is letters, numbers and underscore, not combining marks', () => {
    for (const c of ['a', 'é', '東', '²', '½', 'Ⅻ', '_', '٣', 'ǅ', 'ʰ']) expect(w.test(c)).toBe(true);
    for (const c of ['\u0301', '-', ' ', '.', '😀', '\u200b']) expect(w.test(c)).toBe(false);
  });
  it('\\b uses the Unicode \\w', () => {
    const b = new RegExp(`${PY_RE.b}x`, 'u');
    expect(b.test('éx')).toBe(false);
    expect(b.test('-x')).toBe(true);
    expect(new RegExp(`2${PY_RE.b}`, 'u').test('2²')).toBe(false);
    expect(new RegExp(`2${PY_RE.b}`, 'u').test('2.')).toBe(true);
    expect(new RegExp(`[${PY_RE.wClass}]+`, 'u').exec('--ab_²c--')?.[0]).toBe('ab_²c');
  });
});

describe('§12.6 round and numpy round', () => {
  it('rounds the exact binary value, half-to-even on exact ties', () => {
    expect(pyRound(8.005, 2)).toBe(8.01);
    expect(pyRound(12.975, 2)).toBe(12.97);
    expect(pyRound(0.125, 2)).toBe(0.12);
    expect(pyRound(0.375, 2)).toBe(0.38);
    expect(pyRound(2.675, 2)).toBe(2.67);
    expect(pyRound(2.5, 0)).toBe(2);
    expect(pyRound(3.5, 0)).toBe(4);
    expect(pyRound(-2.5, 0)).toBe(-2);
    expect(pyRound(1 / 3, 4)).toBe(0.3333);
  });
  it('handles negative ndigits, zero sign and extremes', () => {
    expect(pyRound(125, -1)).toBe(120);
    expect(pyRound(135, -1)).toBe(140);
    expect(pyRound(123.456, -2)).toBe(100);
    expect(Object.is(pyRound(-0.001, 2), -0)).toBe(true);
    expect(Object.is(pyRound(0.001, 2), 0)).toBe(true);
    expect(pyRound(5e-324, 400)).toBe(5e-324);
    expect(Object.is(pyRound(-5, -309), -0)).toBe(true);
    expect(pyRound(1e300, 2)).toBe(1e300);
    expect(pyRound(Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(pyRound(Number.NaN, 2))).toBe(true);
    expect(pyErrorName(() => pyRound(1.7976931348623157e308, -308))).toBe('OverflowError');
    expect(pyErrorName(() => pyRound(1.5, 0.5))).toBe('TypeError');
  });
  it('numpy round is rint(x·10^d)/10^d in doubles', () => {
    expect(npRound(2.675, 2)).toBe(2.68);
    expect(npRound(0.125, 2)).toBe(0.12);
    expect(npRound(0.375, 2)).toBe(0.38);
    expect(npRound(1.005, 2)).toBe(1); // 100.49999999999999 → 100
    expect(npRound(2.5, 0)).toBe(2);
    expect(npRound(1250, -2)).toBe(1200);
    expect(npRound(1350, -2)).toBe(1400);
    expect(Object.is(npRound(-0.001, 2), -0)).toBe(true);
  });
  it('rint ties to even and keeps the sign of zero', () => {
    expect([rint(0.5), rint(1.5), rint(2.5), rint(-0.5), rint(-1.5), rint(2.4), rint(-2.6)]).toEqual([0, 2, 2, -0, -2, 2, -3]);
    expect(Object.is(rint(-0.4), -0)).toBe(true);
    expect(rint(2 ** 53 + 2)).toBe(2 ** 53 + 2);
  });
});

describe('float repr', () => {
  it.each([
    [5, '5.0'],
    [-5, '-5.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [0.1, '0.1'],
    [0.1 + 0.2, '0.30000000000000004'],
    [123.456, '123.456'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1e15, '1000000000000000.0'],
    [9999999999999998, '9999999999999998.0'],
    [1e-4, '0.0001'],
    [1.5e-4, '0.00015'],
    [1e-5, '1e-05'],
    [1.25e-7, '1.25e-07'],
    [1e100, '1e+100'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
    [Number.NaN, 'nan'],
  ] as const)('repr(%s) = %s', (x, text) => {
    expect(pyFloatRepr(x)).toBe(text);
  });
});

describe('§12.9 random', () => {
  it('seed 42: ten choices among four letters', () => {
    const rng = new PyRandom(42);
    expect(Array.from({ length: 10 }, () => rng.choice(['A', 'B', 'C', 'D'])).join(' ')).toBe('A A C B B B A A D A');
  });
  it('random() matches CPython for seed 42 and seed 0', () => {
    const r42 = new PyRandom(42);
    expect([r42.random(), r42.random(), r42.random()]).toEqual([0.6394267984578837, 0.025010755222666936, 0.27502931836911926]);
    const r0 = new PyRandom(0);
    expect(r0.random()).toBe(0.8444218515250481);
  });
  it('seeds by |seed| split into 32-bit words', () => {
    const a = new PyRandom(-42);
    const b = new PyRandom(42);
    expect(a.random()).toBe(b.random());
    // random.Random(2**32 + 5).random() in CPython 3.11
    expect(new PyRandom(2 ** 32 + 5).random()).toBe(0.15727238718789782);
    expect(new PyRandom(2n ** 70n + 3n).getrandbitsBig(64)).toBe(6107693278026809974n);
  });
  it('getrandbits takes the top k bits of one output, words little-endian beyond 32', () => {
    const rng = new PyRandom(42);
    expect([rng.getrandbits(0), rng.getrandbits(1), rng.getrandbits(8), rng.getrandbits(32), rng.getrandbits(53)]).toEqual([
      0, 1, 28, 107420369, 2477245831987451,
    ]);
    expect(pyErrorName(() => rng.getrandbits(-1))).toBe('ValueError');
  });
  it('randbelow rejects draws ≥ n using k = n.bit_length()', () => {
    const rng = new PyRandom(42);
    expect(Array.from({ length: 8 }, (_, i) => rng.randbelow(i + 2))).toEqual([0, 0, 2, 1, 1, 1, 1, 8]);
    expect(pyErrorName(() => rng.randbelow(0))).toBe('ValueError');
  });
  it('choice on an empty sequence is an IndexError; randint and shuffle follow CPython', () => {
    const rng = new PyRandom(42);
    expect(pyErrorName(() => rng.choice([]))).toBe('IndexError');
    expect(Array.from({ length: 5 }, () => rng.randint(1, 6))).toEqual([6, 1, 1, 6, 3]);
    const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    new PyRandom(42).shuffle(xs);
    expect(xs).toEqual([7, 3, 2, 8, 5, 6, 9, 4, 0, 1]);
  });
});

describe('pyLiteralList (ast.literal_eval of list/tuple literals)', () => {
  it.each([
    ["['a', 'b']", ['a', 'b']],
    ['["x", "y z"]', ['x', 'y z']],
    ['[1, -2, +3.5, 1e3, .5, 5., 0x10, 0o7, 0b11, 1_000, 00]', [1, -2, 3.5, 1000, 0.5, 5, 16, 7, 3, 1000, 0]],
    ['[]', []],
    ['()', []],
    ['(1,)', [1]],
    ['(1, 2)', [1, 2]],
    ['1, 2', [1, 2]],
    ['[[1, 2], ("a",), []]', [[1, 2], ['a'], []]],
    ['[1, 2,]', [1, 2]],
    ["  ['a']", ['a']],
    ["['a'] # comment\n", ['a']],
    ["\n['a']", ['a']],
    ["[\n 'a',\n 'b'\n]", ['a', 'b']],
    ["['it\\'s', \"q\\\"\", '\\\\', '\\n\\t', '\\x41\\u00e9\\U0001F600', '\\101', '\\d']", ["it's", 'q"', '\\', '\n\t', 'Aé😀', 'A', '\\d']],
    ["[r'\\n', u'x', R'\\'']", ['\\n', 'x', "\\'"]],
    ["['a' 'b' \"c\"]", ['abc']],
    ["['''tri\nple''']", ['tri\nple']],
    ['[True, False, None]', [true, false, null]],
  ] as const)('%j', (text, value) => {
    expect(pyLiteralList(text)).toEqual(value);
  });
  it.each([
    'A',
    "'a'",
    '5',
    '(1)',
    '[1 2]',
    '[--1]',
    '[1j]',
    '[01]',
    '[1_]',
    "[b'x']",
    "[f'x']",
    "['a\nb']",
    "['unterminated]",
    "['\\x4']",
    "['\\N{BULLET}']",
    '[a]',
    '{1, 2}',
    '[1]\n[2]',
    ' \n  [1]',
    '[1]\n ',
    '[-"a"]',
    '',
    '[1',
  ])('%j is not a list literal', (text) => {
    expect(pyLiteralList(text)).toBeUndefined();
  });
});
