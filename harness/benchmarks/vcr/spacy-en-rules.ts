// spaCy's English tokenizer rules as en_core_web_sm uses them: special cases (base + English
// exceptions), prefix/suffix/infix patterns and the URL matcher, as JavaScript regex sources.
import {
  ALPHA,
  ALPHA_LOWER,
  ALPHA_UPPER,
  CONCAT_QUOTES,
  CURRENCY,
  HYPHENS,
  LIST_CURRENCY,
  LIST_ELLIPSES,
  LIST_ICONS,
  LIST_PUNCT,
  LIST_QUOTES,
  PUNCT,
  UNITS,
  pyToJsSource,
} from './spacy-char-classes.js';

/** special-case string → the token texts it splits into. */
export type SpecialCases = Map<string, readonly string[]>;

const title = (s: string): string => (s.length === 0 ? s : s[0].toUpperCase() + s.slice(1));

function baseExceptions(): SpecialCases {
  const exc: SpecialCases = new Map();
  for (const orth of [' ', '\t', '\\t', '\n', '\\n', '\u2014', '\u00a0']) exc.set(orth, [orth]);
  const singles = ["'", '\\")', '<space>', "''", 'C++'];
  for (const c of 'abcdefghijklmnopqrstuvwxyz') singles.push(`${c}.`);
  singles.push('ä.', 'ö.', 'ü.');
  for (const orth of singles) exc.set(orth, [orth]);
  const emoticons = String.raw`
:) :-) :)) :-)) :))) :-))) (: (-: =) (= :] :-] [: [-: :o) (o: :} :-} 8) 8-) (-8 ;) ;-) (; (-;
:( :-( :(( :-(( :((( :-((( ): )-: =( >:( :') :'-) :'( :'-( :/ :-/ =/ =| :| :-| :1 :P :-P :p :-p
:O :-O :o :-o :0 :-0 :() >:o :* :-* :3 :-3 =3 :> :-> :X :-X :x :-x :D :-D ;D ;-D =D xD XD xDD XDD
8D 8-D ^_^ ^__^ ^___^ >.< >.> <.< ._. ;_; -_- -__- v.v V.V v_v V_V o_o o_O O_o O_O 0_o o_0 0_0
o.O O.o O.O o.o 0.0 o.0 0.o @_@ <3 <33 <333 </3 (^_^) (-_-) (._.) (>_<) (*_*) (¬_¬) ಠ_ಠ ಠ︵ಠ (ಠ_ಠ)
¯\(ツ)/¯ (╯°□°）╯︵┻━┻ ><(((*>`;
  // The list of the stored spaCy revision, less '")': spaCy v3's own test
  // test_tokenizer_special_cases_with_affixes expects '"' and ')' apart after a word, which the
  // special-case pass would join if '")' were still a special case.
  for (const orth of emoticons.split(/\s+/).filter((s) => s.length > 0)) exc.set(orth, [orth]);
  // Degree units with a period ("°C."): three tokens (spaCy ≥ 3.2).
  for (const u of 'cfkCFK') exc.set(`°${u}.`, ['°', u, '.']);
  return exc;
}

function englishExceptions(): SpecialCases {
  const exc: SpecialCases = new Map();
  const both = (w: string): string[] => [w, title(w)];
  const put = (key: string, parts: string[]): void => {
    exc.set(key, parts);
  };
  for (const orth of both('i')) {
    put(`${orth}'m`, [orth, "'m"]);
    put(`${orth}m`, [orth, 'm']);
    put(`${orth}'ma`, [orth, "'m", 'a']);
    put(`${orth}ma`, [orth, 'm', 'a']);
  }
  for (const pron of ['i', 'you', 'he', 'she', 'it', 'we', 'they']) {
    for (const orth of both(pron)) {
      put(`${orth}'ll`, [orth, "'ll"]);
      put(`${orth}ll`, [orth, 'll']);
      put(`${orth}'ll've`, [orth, "'ll", "'ve"]);
      put(`${orth}llve`, [orth, 'll', 've']);
      put(`${orth}'d`, [orth, "'d"]);
      put(`${orth}d`, [orth, 'd']);
      put(`${orth}'d've`, [orth, "'d", "'ve"]);
      put(`${orth}dve`, [orth, 'd', 've']);
    }
  }
  for (const pron of ['i', 'you', 'we', 'they']) {
    for (const orth of both(pron)) {
      put(`${orth}'ve`, [orth, "'ve"]);
      put(`${orth}ve`, [orth, 've']);
    }
  }
  for (const pron of ['you', 'we', 'they']) {
    for (const orth of both(pron)) {
      put(`${orth}'re`, [orth, "'re"]);
      put(`${orth}re`, [orth, 're']);
    }
  }
  for (const pron of ['he', 'she', 'it']) {
    for (const orth of both(pron)) {
      put(`${orth}'s`, [orth, "'s"]);
      put(`${orth}s`, [orth, 's']);
    }
  }
  const wWords: Array<[string, 'sing' | 'plur' | null]> = [
    ['who', null],
    ['what', null],
    ['when', null],
    ['where', null],
    ['why', null],
    ['how', null],
    ['there', null],
    ['that', 'sing'],
    ['this', 'sing'],
    ['these', 'plur'],
    ['those', 'plur'],
  ];
  for (const [word, num] of wWords) {
    for (const orth of both(word)) {
      if (num !== 'plur') {
        put(`${orth}'s`, [orth, "'s"]);
        put(`${orth}s`, [orth, 's']);
      }
      put(`${orth}'ll`, [orth, "'ll"]);
      put(`${orth}ll`, [orth, 'll']);
      put(`${orth}'ll've`, [orth, "'ll", "'ve"]);
      put(`${orth}llve`, [orth, 'll', 've']);
      if (num !== 'sing') {
        put(`${orth}'re`, [orth, "'re"]);
        put(`${orth}re`, [orth, 're']);
        put(`${orth}'ve`, [orth, "'ve"]);
        put(`${orth}ve`, [orth, 've']);
      }
      put(`${orth}'d`, [orth, "'d"]);
      put(`${orth}d`, [orth, 'd']);
      put(`${orth}'d've`, [orth, "'d", "'ve"]);
      put(`${orth}dve`, [orth, 'd', 've']);
    }
  }
  const negVerbs = ['ca', 'could', 'do', 'does', 'did', 'had', 'may', 'might', 'must', 'need', 'ought', 'sha', 'should', 'wo', 'would'];
  for (const verb of negVerbs) {
    for (const orth of both(verb)) {
      put(`${orth}n't`, [orth, "n't"]);
      put(`${orth}nt`, [orth, 'nt']);
      put(`${orth}n't've`, [orth, "n't", "'ve"]);
      put(`${orth}ntve`, [orth, 'nt', 've']);
    }
  }
  for (const verb of ['could', 'might', 'must', 'should', 'would']) {
    for (const orth of both(verb)) {
      put(`${orth}'ve`, [orth, "'ve"]);
      put(`${orth}ve`, [orth, 've']);
    }
  }
  for (const verb of ['ai', 'are', 'is', 'was', 'were', 'have', 'has', 'dare']) {
    for (const orth of both(verb)) {
      put(`${orth}n't`, [orth, "n't"]);
      put(`${orth}nt`, [orth, 'nt']);
    }
  }
  for (const word of ['doin', 'goin', 'nothin', 'nuthin', 'ol', 'somethin']) {
    for (const orth of both(word)) {
      put(orth, [orth]);
      put(`${orth}'`, [`${orth}'`]);
    }
  }
  for (const word of ['em', 'll', 'nuff']) {
    put(word, [word]);
    put(`'${word}`, [`'${word}`]);
  }
  for (let h = 1; h <= 12; h++) {
    for (const period of ['a.m.', 'am', 'p.m.', 'pm']) put(`${h}${period}`, [`${h}`, period]);
  }
  const other: Array<[string, string[]]> = [
    ["y'all", ["y'", 'all']],
    ['yall', ['y', 'all']],
    ["how'd'y", ['how', "'d", "'y"]],
    ["How'd'y", ['How', "'d", "'y"]],
    ["not've", ['not', "'ve"]],
    ['notve', ['not', 've']],
    ["Not've", ['Not', "'ve"]],
    ['Notve', ['Not', 've']],
    ['cannot', ['can', 'not']],
    ['Cannot', ['Can', 'not']],
    ['gonna', ['gon', 'na']],
    ['Gonna', ['Gon', 'na']],
    ['gotta', ['got', 'ta']],
    ['Gotta', ['Got', 'ta']],
    ["let's", ['let', "'s"]],
    ["Let's", ['Let', "'s"]],
    ["c'mon", ["c'm", 'on']],
    ["C'mon", ["C'm", 'on']],
  ];
  for (const [k, v] of other) put(k, v);
  const singles = [
    "'S", "'s", '\u2018S', '\u2018s', 'and/or', 'w/o', "'re", "'Cause", "'cause", "'cos", "'Cos", "'coz", "'Coz",
    "'cuz", "'Cuz", "'bout", "ma'am", "Ma'am", "o'clock", "O'clock", "lovin'", "Lovin'", 'lovin', 'Lovin',
    "havin'", "Havin'", 'havin', 'Havin', "doin'", "Doin'", 'doin', 'Doin', "goin'", "Goin'", 'goin', 'Goin',
    'Mt.', 'Ak.', 'Ala.', 'Apr.', 'Ariz.', 'Ark.', 'Aug.', 'Calif.', 'Colo.', 'Conn.', 'Dec.', 'Del.', 'Feb.',
    'Fla.', 'Ga.', 'Ia.', 'Id.', 'Ill.', 'Ind.', 'Jan.', 'Jul.', 'Jun.', 'Kan.', 'Kans.', 'Ky.', 'La.', 'Mar.',
    'Mass.', 'Mich.', 'Minn.', 'Miss.', 'N.C.', 'N.D.', 'N.H.', 'N.J.', 'N.M.', 'N.Y.', 'Neb.', 'Nebr.', 'Nev.',
    'Nov.', 'Oct.', 'Okla.', 'Ore.', 'Pa.', 'S.C.', 'Sep.', 'Sept.', 'Tenn.', 'Va.', 'Wash.', 'Wis.',
    "'d", 'a.m.', 'Adm.', 'Bros.', 'co.', 'Co.', 'Corp.', 'D.C.', 'Dr.', 'e.g.', 'E.g.', 'E.G.', 'Gen.', 'Gov.',
    'i.e.', 'I.e.', 'I.E.', 'Inc.', 'Jr.', 'Ltd.', 'Md.', 'Messrs.', 'Mo.', 'Mont.', 'Mr.', 'Mrs.', 'Ms.', 'p.m.',
    'Ph.D.', 'Prof.', 'Rep.', 'Rev.', 'Sen.', 'St.', 'vs.', 'v.s.',
  ];
  for (const s of singles) put(s, [s]);
  for (const s of ['Ill', 'ill', 'Its', 'its', 'Hell', 'hell', 'Shell', 'shell', 'Shed', 'shed', 'were', 'Were', 'Well', 'well', 'Whore', 'whore']) {
    exc.delete(s);
  }
  return exc;
}

/** Base exceptions updated with the English ones (spaCy `update_exc`). */
export function englishSpecialCases(): SpecialCases {
  const all = baseExceptions();
  for (const [k, v] of englishExceptions()) all.set(k, v);
  return all;
}

const js = pyToJsSource;

export const PREFIX_PIECES: readonly string[] = [
  '§', '%', '=', '—', '–', String.raw`\+(?![0-9])`,
  ...LIST_PUNCT, ...LIST_ELLIPSES, ...LIST_QUOTES, ...LIST_CURRENCY, ...LIST_ICONS,
].map(js);

export const SUFFIX_PIECES: readonly string[] = [
  ...LIST_PUNCT, ...LIST_ELLIPSES, ...LIST_QUOTES, ...LIST_ICONS,
  "'s", "'S", '’s', '’S', '—', '–',
  String.raw`(?<=[0-9])\+`,
  String.raw`(?<=°[FfCcKk])\.`,
  String.raw`(?<=[0-9])(?:${CURRENCY})`,
  String.raw`(?<=[0-9])(?:${UNITS})`,
  String.raw`(?<=[0-9${ALPHA_LOWER}${String.raw`%²\-\+`}${PUNCT}(?:${CONCAT_QUOTES})])\.`,
  String.raw`(?<=[${ALPHA_UPPER}][${ALPHA_UPPER}])\.`,
].map(js);

/** English infixes (spacy/lang/en/punctuation.py). */
export const INFIX_PIECES: readonly string[] = [
  ...LIST_ELLIPSES,
  ...LIST_ICONS,
  String.raw`(?<=[0-9])[+\-\*^](?=[0-9-])`,
  String.raw`(?<=[${ALPHA_LOWER}${CONCAT_QUOTES}])\.(?=[${ALPHA_UPPER}${CONCAT_QUOTES}])`,
  String.raw`(?<=[${ALPHA}]),(?=[${ALPHA}])`,
  String.raw`(?<=[${ALPHA}0-9])(?:${HYPHENS})(?=[${ALPHA}])`,
  String.raw`(?<=[${ALPHA}0-9])[:<>=/](?=[${ALPHA}])`,
].map(js);

// Python's \w, \d and \S under re.UNICODE, for the `u` flag.
const W = String.raw`\p{L}\p{N}_`;

/** spaCy's URL_MATCH (spacy/lang/tokenizer_exceptions.py), anchored at both ends. */
export const URL_SOURCE = [
  '^',
  String.raw`(?:(?:[${W}\+\-\.]{2,})://)?`,
  String.raw`(?:[^\s]+(?::[^\s]*)?@)?`,
  '(?:',
  String.raw`(?!(?:10|127)(?:\.\p{Nd}{1,3}){3})`,
  String.raw`(?!(?:169\.254|192\.168)(?:\.\p{Nd}{1,3}){2})`,
  String.raw`(?!172\.(?:1[6-9]|2\p{Nd}|3[0-1])(?:\.\p{Nd}{1,3}){2})`,
  String.raw`(?:[1-9]\p{Nd}?|1\p{Nd}\p{Nd}|2[01]\p{Nd}|22[0-3])`,
  String.raw`(?:\.(?:1?\p{Nd}{1,2}|2[0-4]\p{Nd}|25[0-5])){2}`,
  String.raw`(?:\.(?:[1-9]\p{Nd}?|1\p{Nd}\p{Nd}|2[0-4]\p{Nd}|25[0-4]))`,
  '|',
  String.raw`(?:(?:[A-Za-z0-9\u00a1-\uffff][A-Za-z0-9\u00a1-\uffff_-]{0,62})?[A-Za-z0-9\u00a1-\uffff]\.)+`,
  `(?:[${js(ALPHA_LOWER)}]{2,63})`,
  ')',
  String.raw`(?::\p{Nd}{2,5})?`,
  String.raw`(?:[/?#][^\s]*)?`,
  '$',
].join('');
