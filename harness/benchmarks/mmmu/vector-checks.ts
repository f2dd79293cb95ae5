// Scorer-vector checks for mmmu_mc_parse, mmmu_open_parse and mmmu_eval (metrics mmmu.*): label →
// MMMU profile result; and prompts.jsonl (metric prompt.mmmu): label → the prompt built under that profile.
import {
  extractNumbers,
  mmmuQuestionOutcome,
  multipleChoiceLetter,
  optionLetters,
  parseOpenResponse,
  vlmevalkitChoices,
  type MmmuGold,
  type MmmuParserProfile,
  type MmmuProfile,
  type MmmuQuestionType,
} from './scorer.js';
import { canInfer } from '../mmbench/scorer.js';
import type { MmmuSample } from '../../protocols/types.js';
import { parseMmmuOptions } from './options.js';
import { lmmsEvalMmmuDocToText, officialMmmuPrompt } from './prompts.js';
import { PyRandom } from '../../metrics/py.js';
import { randomFallback, type VectorChecks, type VectorInput } from '../../verify/markers.js';

function readString(input: VectorInput, field: string, metric: string): string {
  const v = input[field];
  if (typeof v !== 'string') throw new Error(`${metric} input: ${field} must be a string`);
  return v;
}

function readStrings(input: VectorInput, field: string, metric: string): string[] {
  const v = input[field];
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) {
    throw new Error(`${metric} input: ${field} must be a list of strings`);
  }
  return v;
}

/** A fresh seeded stream per vector line: any valid guess is accepted for `<RANDOM>` / `RANDOM`. */
const freshRng = (): PyRandom => new PyRandom(42);

const MC_PARSE = 'mmmu.multiple_choice_parse';

function mcParseUnder(profile: MmmuParserProfile): (input: VectorInput) => unknown {
  return (input) => {
    const response = readString(input, 'response', MC_PARSE);
    const options = readStrings(input, 'options', MC_PARSE);
    const letter = multipleChoiceLetter(response, options, profile);
    return letter ?? randomFallback(freshRng().choice(optionLetters(options.length)));
  };
}

function mcParseVlmevalkitExactMatching(input: VectorInput): string {
  const response = readString(input, 'response', MC_PARSE);
  const options = readStrings(input, 'options', MC_PARSE);
  return canInfer(response, vlmevalkitChoices('multiple-choice', '', options), 'vlmevalkit') || 'Z';
}

const ITEM_CORRECT = 'mmmu.item_correct';

function itemCorrectUnder(profile: MmmuProfile): (input: VectorInput) => unknown {
  return (input) => {
    const questionType = input['question_type'];
    if (questionType !== 'open' && questionType !== 'multiple-choice') {
      throw new Error(`${ITEM_CORRECT} input: question_type must be "open" or "multiple-choice"`);
    }
    const rawAnswer = input['answer'];
    const answer: MmmuGold = typeof rawAnswer === 'string' ? rawAnswer : readStrings(input, 'answer', ITEM_CORRECT);
    const outcome = mmmuQuestionOutcome(
      {
        questionType: questionType satisfies MmmuQuestionType,
        answer,
        response: readString(input, 'response', ITEM_CORRECT),
        options: readStrings(input, 'options', ITEM_CORRECT),
      },
      profile,
      'exact-matching',
      freshRng(),
    );
    switch (outcome.status) {
      case 'random_fallback':
        return randomFallback(outcome.correct);
      case 'not_applicable':
        return null;
      case 'judge_failed':
        throw new Error(`${ITEM_CORRECT}: unexpected judge_failed in exact-matching mode`);
      default:
        // 'scored', and 'needs_judge' scored as exact matching does (unresolved → "Z").
        return outcome.correct;
    }
  };
}

const OPEN_PARSE = 'mmmu.parse_open_response';
const EXTRACT = 'mmmu.extract_numbers';

const openParse = (input: VectorInput): unknown[] => parseOpenResponse(readString(input, 'response', OPEN_PARSE));
const numbers = (input: VectorInput): string[] => extractNumbers(readString(input, 'text', EXTRACT));

function readMmmuDoc(input: VectorInput): Omit<MmmuSample, 'bench'> {
  const doc = input['doc'];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('prompt.mmmu input: doc must be an object');
  const { question, question_type: questionType, options } = doc as Record<string, unknown>;
  if (typeof question !== 'string' || typeof questionType !== 'string' || typeof options !== 'string') {
    throw new Error('prompt.mmmu input: doc needs string fields question, question_type and options');
  }
  return { question, questionType, options: parseMmmuOptions(options) };
}

export const vectorChecks: VectorChecks = {
  'prompt.mmmu': {
    official_final_input_prompt: (input) => officialMmmuPrompt(readMmmuDoc(input)),
    lmms_eval_doc_to_text: (input) => lmmsEvalMmmuDocToText(readMmmuDoc(input), 'lmms-eval'),
    lmms_eval_2024_05_doc_to_text: (input) => lmmsEvalMmmuDocToText(readMmmuDoc(input), 'lmms-eval@2024-05'),
  },
  [MC_PARSE]: {
    official: mcParseUnder('official'),
    lmms_eval: mcParseUnder('lmms-eval'),
    lmms_eval_2024_05: mcParseUnder('lmms-eval@2024-05'),
    vlmevalkit_exact_matching: mcParseVlmevalkitExactMatching,
  },
  [OPEN_PARSE]: {
    official_sorted: openParse,
    lmms_eval_sorted: openParse,
  },
  [EXTRACT]: {
    official: numbers,
    lmms_eval: numbers,
  },
  [ITEM_CORRECT]: {
    official: itemCorrectUnder('official'),
    lmms_eval: itemCorrectUnder('lmms-eval'),
    lmms_eval_2024_05: itemCorrectUnder('lmms-eval@2024-05'),
    vlmevalkit_exact_matching: itemCorrectUnder('vlmevalkit'),
  },
};
