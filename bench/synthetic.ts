// Deterministic synthetic prediction records for every benchmark, in the predictions schema,
// sized like the real sets (used by the scorer benchmark).
import { mulberry32 } from '../harness/metrics/stats.js';
import type { BenchId } from '../harness/metrics/types.js';

/** Full-size item counts: TextVQA val, DocVQA val, ChartQA test, OCRBench, MMMU val, MM-Vet, MMBench dev, VCR easy/hard test rows. */
export const FULL_SIZE: Record<BenchId, number> = {
  textvqa: 5000,
  docvqa: 5349,
  chartqa: 2500,
  ocrbench: 1000,
  mmmu: 900,
  mmvet: 218,
  mmbench: 4329,
  vcr_easy: 5000,
  vcr_hard: 5000,
};

const WORDS = ['nike', 'stop', 'coca-cola', '1,000', "john's", 'exit 12', 'the end', 'CENTRE', '3.14', 'yes', 'no', 'red blue', 'dr. who', '12:30', 'Total'];
const OCR_CATS: [string, string][] = [
  ['Regular Text Recognition', 'IIIT5K'],
  ['Scene Text-centric VQA', 'STVQA'],
  ['Doc-oriented VQA', 'docVQA'],
  ['Key Information Extraction', 'SROIE'],
  ['Handwritten Mathematical Expression Recognition', 'HME100k'],
];
const SUBJECTS = ['Art_Theory', 'Math', 'Physics', 'Economics', 'Clinical_Medicine', 'History', 'Computer_Science'];
const CAPS = ['rec', 'ocr', 'know', 'gen', 'spat', 'math'];

export function syntheticRecords(bench: BenchId, n: number, seed = 1): Record<string, unknown>[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    switch (bench) {
      case 'textvqa': {
        const gold = pick(WORDS);
        const answers = Array.from({ length: 10 }, () => (r() < 0.7 ? gold : pick(WORDS)));
        out.push({ id: i, prediction: r() < 0.6 ? ` ${gold}.` : pick(WORDS), answers });
        break;
      }
      case 'docvqa': {
        const gold = `${pick(WORDS)} ${i % 97}`;
        const prediction = r() < 0.5 ? gold : r() < 0.5 ? gold.toUpperCase() + 'x' : pick(WORDS);
        out.push({ id: i, prediction, answers: [gold, gold + ' total'], question_types: [pick(['form', 'table/list', 'layout'])] });
        break;
      }
      case 'chartqa': {
        const v = Math.floor(r() * 1000) / 10;
        const prediction = r() < 0.5 ? String(v) : r() < 0.5 ? `${(v * 1.03).toFixed(2)}` : pick(WORDS);
        out.push({ id: i, prediction, answer: r() < 0.8 ? String(v) : pick(WORDS), type: i % 2 ? 'human_test' : 'augmented_test' });
        break;
      }
      case 'ocrbench': {
        const [cat, ds] = pick(OCR_CATS);
        const answer = ds === 'HME100k' ? 'y _ { 2 } = - 1\n' : pick(WORDS);
        const prediction = r() < 0.6 ? `The text says ${ds === 'HME100k' ? '$y_{2} = -1$' : answer}` : pick(WORDS);
        out.push({ id: i, prediction, answer: [answer], question_type: cat, dataset: ds });
        break;
      }
      case 'mmmu': {
        const subject = pick(SUBJECTS);
        if (r() < 0.94) {
          const gold = pick(['A', 'B', 'C', 'D']);
          const prediction = pick([gold, `The answer is (${gold}).`, `${gold}. dog`, 'I am not sure', 'B', 'cat and dog']);
          out.push({ id: `validation_${subject}_${i}`, prediction, question_type: 'multiple-choice', answer: gold, options: "['cat', 'dog', 'bird', 'fish']" });
        } else {
          const gold = (r() * 100).toFixed(2);
          out.push({ id: `validation_${subject}_${i}`, prediction: r() < 0.5 ? `The answer is ${gold}.` : 'about 7 meters', question_type: 'open', answer: gold });
        }
        break;
      }
      case 'mmvet': {
        const caps = [pick(CAPS), pick(CAPS)].filter((c, k, a) => a.indexOf(c) === k);
        out.push({
          id: `v1_${i}`,
          prediction: 'x = -1 or x = -5',
          question: 'What is x in the equation?',
          answer: '-1<AND>-5',
          capability: caps.join(','),
          judge_outputs: [pick(['1.0', '0.5', '0.0', '0.3'])],
        });
        break;
      }
      case 'mmbench': {
        // Circular groups of four rows: main index g, copies g + k·1,000,000 with rotated options.
        const g = Math.floor(i / 4);
        const k = i % 4;
        const opts = ['cat', 'dog', 'bird', 'fish'];
        const rot = opts.slice(k).concat(opts.slice(0, k));
        const letters = ['A', 'B', 'C', 'D'];
        const answer = letters[rot.indexOf('dog')];
        const prediction = r() < 0.8 ? answer : pick([`The answer is ${pick(letters)}`, 'dog', 'none', 'A B']);
        out.push({ index: g + k * 1_000_000, prediction, answer, question: 'Which animal barks?', A: rot[0], B: rot[1], C: rot[2], D: rot[3], category: pick(['animals', 'ocr', 'scene']) });
        break;
      }
      case 'vcr_easy':
      case 'vcr_hard': {
        // Two to four masked 5-word phrases; the prediction restores some and garbles others, and a
        // few start with "Sorry," (a refusal for lmms-eval and VLMEvalKit, not for the authors' rule).
        const phrases = Array.from({ length: 2 + (i % 3) }, () => Array.from({ length: 5 }, () => pick(WORDS)).join(' '));
        const parts = phrases.map((p) => (r() < 0.6 ? p : r() < 0.5 ? p.toUpperCase() : pick(WORDS)));
        out.push({ id: i, prediction: `${r() < 0.05 ? 'Sorry, ' : ''}${parts.join(', ')}`, crossed_text: phrases });
        break;
      }
    }
  }
  return out;
}
