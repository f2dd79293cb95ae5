// Writes the VCR vector cases (inputs plus the token table of every text the reference
// tokenizes, from cogeval's spaCy port) for tools/reference/vcr_reference.py to score.
// Usage: node dist/tools/reference/vcr-vector-cases.js OUT.json
import { writeFileSync } from 'node:fs';
import { pyStrip } from '../../harness/metrics/py.js';
import { spacyEnglishTokens } from '../../harness/benchmarks/vcr/spacy-en-tokenizer.js';

interface Sample {
  prediction: string;
  crossed_text: string[];
}

function tokenTable(texts: readonly string[]): Record<string, string[]> {
  const table: Record<string, string[]> = {};
  for (const t of texts) {
    table[t] = spacyEnglishTokens(t);
    const after = t.split('Assistant: ').pop() ?? t;
    table[after] = spacyEnglishTokens(after);
    table[pyStrip(t)] = spacyEnglishTokens(pyStrip(t));
  }
  return table;
}

const caption =
  'Portrait of Ada Lovelace, who wrote the first published algorithm for the Analytical Engine in 1843.';

const blanks: Array<[string, string]> = [
  [caption, 'who wrote the first published'],
  ['The covered texts are: "who wrote the first published" and "Analytical Engine in 1843".', 'who wrote the first published'],
  ['who wrote the frist published algorithm', 'who wrote the first published'],
  ['Who Wrote The First Published', 'who wrote the first published'],
  ['who wrote the first published.', 'who wrote the first published'],
  ['Analytical Engine in 1843.', 'the Analytical Engine in 1843'],
  ["I'm sorry, but I cannot read the covered text.", 'who wrote the first published'],
  ['Sorry: who wrote the first published algorithm', 'who wrote the first published'],
  ["User: I can't see it, can you? Assistant: who wrote the first published", 'who wrote the first published'],
  ['I can’t tell, maybe who wrote the first published', 'who wrote the first published'],
  ['who wrote', 'who wrote the first published'],
  ['an entirely unrelated sentence', 'who wrote the first published'],
  ['the city the city of Paris', 'the city of Paris'],
  ["He didn't want to leave the well-known harbour.", "didn't want to leave the"],
  ["He did not want to leave the well-known harbour.", "didn't want to leave the"],
  ['the well known harbour of Kiel', 'the well-known harbour of'],
  ['', 'who wrote the first published'],
  ['raised $5.5 million (about €5 million) in 2019', 'raised $5.5 million (about'],
  ['Visit www.example.com for the full text of the caption', 'www.example.com for the full'],
  ['The Eiffel Tower, Paris; completed in 1889', 'Tower, Paris; completed in'],
  ['first published first published', 'first published'],
  ['of the of the', 'the first of the'],
  ['the hat and the bat', 'the cat'],
  ['a red box or a red fix', 'red fox'],
  ['\nParis', 'of Paris'],
  ['  who wrote the first published \n', 'who wrote the first published'],
  ['Assistant: \tthe city of Paris', 'city of Paris'],
];

const ratios: Array<[string, string]> = [
  ['who wrote the first published', 'who wrote the first published'],
  ['who wrote the frist published', 'who wrote the first published'],
  ['abcd', 'bcde'],
  ['', ''],
  ['', 'abc'],
  ['Straße in München', 'Strasse in Muenchen'],
  ['a'.repeat(3) + 'b c d e f g'.repeat(25), 'a b c d e f g '.repeat(20) + 'xyz'],
  ['the cat sat on the mat', 'the mat sat on the cat'],
  ['😀 emoji text', 'emoji text 😀'],
];

const samples: Sample[][] = [
  [
    { prediction: caption, crossed_text: ['who wrote the first published', 'the Analytical Engine in 1843'] },
    { prediction: 'the Analytical Engine in 1843', crossed_text: ['Portrait of Ada Lovelace, who'] },
    { prediction: 'Sorry, no idea.', crossed_text: ['first published algorithm for the', 'Engine in 1843.', 'Portrait of Ada'] },
  ],
  [
    { prediction: 'Assistant: who wrote the first', crossed_text: ['who wrote the first published'] },
    { prediction: "I can't read it", crossed_text: ['a b c'] },
  ],
];

const cases: unknown[] = [];
for (const [a, b] of ratios) cases.push({ metric: 'difflib.ratio', input: { a, b } });
for (const [prediction, crossed] of blanks) {
  cases.push({ metric: 'vcr.blank', input: { prediction, crossed_text: crossed }, tokens: tokenTable([prediction, crossed]) });
}
for (const set of samples) {
  const texts = set.flatMap((s) => [s.prediction, ...s.crossed_text]);
  cases.push({ metric: 'vcr.aggregate', input: { samples: set }, tokens: tokenTable(texts) });
}
writeFileSync(process.argv[2] ?? 'vcr-cases.json', JSON.stringify(cases, null, 1));
