// Prints the token texts of each argument (or of each line of stdin) under cogeval's port of
// spaCy's English tokenizer, one JSON array per line: a helper for building VCR vector cases.
import { readFileSync } from 'node:fs';
import { spacyEnglishTokens } from '../../harness/benchmarks/vcr/spacy-en-tokenizer.js';

const args = process.argv.slice(2);
const inputs = args.length > 0 ? args : readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
for (const text of inputs) console.log(JSON.stringify([text, spacyEnglishTokens(text)]));
