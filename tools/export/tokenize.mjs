// Tokenizes prompts for the Python golden generator (Python has no Llama-3 tokenizer here):
// reads {"tokenizer": path, "config": path, "texts": [..]} as JSON on stdin and prints
// {"ids": [[..], ..]}: token ids without special tokens added (add_special_tokens=False, as
// build_conversation_input_ids tokenises), using @huggingface/tokenizers.
/* global process, Buffer */
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const tokenizer = new Tokenizer(JSON.parse(readFileSync(req.tokenizer, 'utf8')), JSON.parse(readFileSync(req.config, 'utf8')));
const ids = req.texts.map((t) => tokenizer.encode(t, { add_special_tokens: false }).ids);
process.stdout.write(JSON.stringify({ ids }) + '\n');
