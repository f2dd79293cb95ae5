// Tests for the model prompt builders and generation settings (harness/protocols): the prompts
// vector file plus own cases for each rule of scoring.md §5.2-§11.2, §13 and cogvlm2.md §5-§7.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/errors.js';
import { PyError } from '../../harness/metrics/py.js';
import { BENCH_IDS } from '../../harness/benchmarks/registry.js';
import {
  COGVLM2_DEFAULT_TEMPLATE,
  COGVLM2_STOP_TOKEN_IDS,
  COGVLM2_VARIANTS,
  cogvlm2PromptText,
  wrapForCogvlm2,
} from '../../harness/protocols/cogvlm2-template.js';
import { lmmsEvalCogvlm2Query, type LmmsEvalProtocol } from '../../harness/protocols/lmms-eval.js';
import { parseMmmuOptions } from '../../harness/benchmarks/mmmu/options.js';
import { lmmsEvalMmmuDocToText, officialMmmuPrompt } from '../../harness/benchmarks/mmmu/prompts.js';
import { lmmsEvalMmbenchDocToText } from '../../harness/benchmarks/mmbench/prompts.js';
import mmbenchSettings from '../../harness/benchmarks/mmbench/prompts.json' with { type: 'json' };
import mmmuSettings from '../../harness/benchmarks/mmmu/prompts.json' with { type: 'json' };
import type { BenchId } from '../../harness/metrics/types.js';
import {
  asGreedy,
  buildRequest,
  generationSettings,
  modelQuery,
  parseProtocolId,
  userPrompt,
} from '../../harness/protocols/protocol.js';
import { PROTOCOL_IDS, type MmbenchSample, type MmmuSample, type PromptSample } from '../../harness/protocols/types.js';
import {
  containsCjkIdeograph,
  vlmevalkitCogvlmMcqPrompt as cogvlmMcqPrompt,
  vlmevalkitCogvlmQuery,
  vlmevalkitGenericMcqPrompt as genericMcqPrompt,
  type McqRow,
  type VlmevalkitProtocol,
} from '../../harness/protocols/vlmevalkit.js';
import { ALL_VECTOR_CHECKS } from '../../harness/verify/vector-checks/index.js';
import { vectorMismatches } from '../vector-helper.js';

// The question-only benchmarks' prompts come from their modules through userPrompt; these name
// them as the builders they replace did.
const lmmsEvalQuestion = (bench: BenchId) => (question: string, protocol: LmmsEvalProtocol) => userPrompt(protocol, { bench, question });
const lmmsEvalTextvqaDocToText = lmmsEvalQuestion('textvqa');
const lmmsEvalDocvqaDocToText = lmmsEvalQuestion('docvqa');
const lmmsEvalChartqaDocToText = lmmsEvalQuestion('chartqa');
const lmmsEvalOcrbenchDocToText = lmmsEvalQuestion('ocrbench');
const lmmsEvalMmvetDocToText = lmmsEvalQuestion('mmvet');
const vlmevalkitQuestionPrompt = (bench: BenchId, question: string, protocol: VlmevalkitProtocol) => userPrompt(protocol, { bench, question });
const MCQ_SETTINGS = { mmmu: mmmuSettings, mmbench: mmbenchSettings };
const vlmevalkitCogvlmMcqPrompt = (row: McqRow, bench: 'mmmu' | 'mmbench') => cogvlmMcqPrompt(row, MCQ_SETTINGS[bench].vlmevalkit);
const vlmevalkitGenericMcqPrompt = (row: McqRow, bench: 'mmmu' | 'mmbench') => genericMcqPrompt(row, MCQ_SETTINGS[bench]['vlmevalkit@2024-05']);

const WORD_OR_PHRASE = '\nAnswer the question using a single word or phrase.';
const SHORT_WORDS_2024 = '\nPlease try to answer the question with short words or phrases if possible\n.';
const LETTER = "Answer with the option's letter from the given choices directly.";
const LETTER_2024 = 'Answer with the option letter from the given choices directly.';
const COT_PREFIX = 'First please perform reasoning, and think step by step to provide best answer to the following question: \n\n';
const COT_PREFIX_2024 = 'Please think step by step and try to provide best answer to the following question: \n\n';

function mmbench(fields: Partial<Omit<MmbenchSample, 'bench'>> = {}): MmbenchSample {
  return {
    bench: 'mmbench',
    question: 'What animal is this?',
    hint: null,
    options: { A: 'cat', B: 'dog', C: 'bird', D: 'fish' },
    ...fields,
  };
}

function mmmu(fields: Partial<Omit<MmmuSample, 'bench'>> = {}): MmmuSample {
  return { bench: 'mmmu', question: '<image 1> Which one?', questionType: 'multiple-choice', options: ['x', 'y'], ...fields };
}

describe('prompts vector file', () => {
  it('passes every line under every label', () => {
    const r = vectorMismatches('prompts.jsonl', ALL_VECTOR_CHECKS);
    expect(r.problems).toEqual([]);
    expect(r.mismatches).toEqual([]);
    expect(r.failed).toBe(0);
    expect(r.passed).toBe(35);
  });
});

describe('TextVQA prompts (§5.2)', () => {
  it('lmms-eval capitalizes the question the Python way', () => {
    expect(lmmsEvalTextvqaDocToText('WHERE is the NASA logo?', 'lmms-eval')).toBe(`Where is the nasa logo?${WORD_OR_PHRASE}`);
    expect(lmmsEvalTextvqaDocToText('ﬁsh name?', 'lmms-eval')).toBe(`Fish name?${WORD_OR_PHRASE}`);
    expect(lmmsEvalTextvqaDocToText('123 ABC', 'lmms-eval')).toBe(`123 abc${WORD_OR_PHRASE}`);
    expect(lmmsEvalTextvqaDocToText(' X Y', 'lmms-eval')).toBe(` x y${WORD_OR_PHRASE}`);
    expect(lmmsEvalTextvqaDocToText('', 'lmms-eval')).toBe(WORD_OR_PHRASE);
  });
  it('lmms-eval@2024-05 builds the same prompt', () => {
    expect(lmmsEvalTextvqaDocToText('WHAT IS IT?', 'lmms-eval@2024-05')).toBe(`What is it?${WORD_OR_PHRASE}`);
  });
  it('VLMEvalKit keeps the question as written; 2024-05 used another sentence', () => {
    expect(vlmevalkitQuestionPrompt('textvqa', 'What about NASA?', 'vlmevalkit')).toBe(`What about NASA?${WORD_OR_PHRASE}`);
    expect(vlmevalkitQuestionPrompt('textvqa', 'What about NASA?', 'vlmevalkit@2024-05')).toBe(`What about NASA?${SHORT_WORDS_2024}`);
  });
  it('the cogvlm2 protocol does not capitalize', () => {
    expect(userPrompt('cogvlm2', { bench: 'textvqa', question: 'what about NASA?' })).toBe(`what about NASA?${WORD_OR_PHRASE}`);
  });
});

describe('DocVQA and ChartQA prompts (§6.1, §7.1)', () => {
  it('lmms-eval appends its instruction without stripping the question', () => {
    expect(lmmsEvalDocvqaDocToText(' Total? ', 'lmms-eval')).toBe(` Total? ${WORD_OR_PHRASE}`);
    expect(lmmsEvalChartqaDocToText(' Total? ', 'lmms-eval')).toBe(' Total? \nAnswer the question with a single word.');
  });
  it('VLMEvalKit asks for a word or phrase; 2024-05 for short words', () => {
    for (const bench of ['docvqa', 'chartqa'] as const) {
      expect(vlmevalkitQuestionPrompt(bench, 'Q?', 'vlmevalkit')).toBe(`Q?${WORD_OR_PHRASE}`);
      expect(vlmevalkitQuestionPrompt(bench, 'Q?', 'vlmevalkit@2024-05')).toBe(`Q?${SHORT_WORDS_2024}`);
    }
  });
});

describe('OCRBench and MM-Vet prompts (§8.2, §10.2)', () => {
  it('lmms-eval strips OCRBench questions with Python whitespace only', () => {
    expect(lmmsEvalOcrbenchDocToText('\u001c\u3000What is written?\u00a0\u001f', 'lmms-eval')).toBe('What is written?');
    expect(lmmsEvalOcrbenchDocToText('\u200bWhat?', 'lmms-eval')).toBe('\u200bWhat?');
  });
  it('VLMEvalKit sends the raw question', () => {
    expect(vlmevalkitQuestionPrompt('ocrbench', '  raw  ', 'vlmevalkit')).toBe('  raw  ');
    expect(vlmevalkitQuestionPrompt('mmvet', '  raw  ', 'vlmevalkit')).toBe('  raw  ');
    expect(vlmevalkitQuestionPrompt('mmvet', 'raw', 'vlmevalkit@2024-05')).toBe('raw');
  });
  it('lmms-eval prefixes MM-Vet with a step-by-step instruction that changed wording', () => {
    expect(lmmsEvalMmvetDocToText('Why?', 'lmms-eval')).toBe(`${COT_PREFIX}Why?`);
    expect(lmmsEvalMmvetDocToText('Why?', 'lmms-eval@2024-05')).toBe(`${COT_PREFIX_2024}Why?`);
  });
  it('the cogvlm2 protocol sends both bare', () => {
    expect(userPrompt('cogvlm2', { bench: 'ocrbench', question: ' Q ' })).toBe(' Q ');
    expect(userPrompt('cogvlm2', { bench: 'mmvet', question: 'Q' })).toBe('Q');
  });
});

describe('MMMU prompts (§9.2)', () => {
  const doc = { question: 'Q <image 1>', questionType: 'multiple-choice', options: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] };
  it('official lists "(L) text" lines and a blank line before the instruction', () => {
    expect(officialMmmuPrompt({ ...doc, options: ['a', 'b'] })).toBe(`Q <image 1>\n(A) a\n(B) b\n\n${LETTER}`);
    expect(officialMmmuPrompt(doc)).toContain('(I) i\n\n');
  });
  it('lmms-eval lists "L. text" lines; two newlines now, one in 2024 with "option letter"', () => {
    expect(lmmsEvalMmmuDocToText({ ...doc, options: ['a', 'b'] }, 'lmms-eval')).toBe(`Q <image 1>\nA. a\nB. b\n\n${LETTER}`);
    expect(lmmsEvalMmmuDocToText({ ...doc, options: ['a', 'b'] }, 'lmms-eval@2024-05')).toBe(`Q <image 1>\nA. a\nB. b\n${LETTER_2024}`);
    expect(lmmsEvalMmmuDocToText(doc, 'lmms-eval')).toContain('\nI. i\n\n');
  });
  it('open questions (any type but multiple-choice) get the short-answer instruction', () => {
    const open = { question: 'Q', questionType: 'open', options: [] };
    expect(officialMmmuPrompt(open)).toBe(`Q${WORD_OR_PHRASE}`);
    expect(lmmsEvalMmmuDocToText(open, 'lmms-eval')).toBe(`Q\n${WORD_OR_PHRASE}`);
    expect(lmmsEvalMmmuDocToText(open, 'lmms-eval@2024-05')).toBe(`Q${WORD_OR_PHRASE}`);
    expect(officialMmmuPrompt({ ...open, questionType: 'Multiple-Choice', options: ['a'] })).toBe(`Q${WORD_OR_PHRASE}`);
  });
  it('VLMEvalKit uses the CogVLM MCQ prompt, also for open questions, then "\\nShort Answer."', () => {
    expect(userPrompt('vlmevalkit', mmmu())).toBe(`<image 1> Which one?\nA. x\nB. y\n${LETTER}`);
    expect(modelQuery('vlmevalkit', mmmu())).toBe(`<image 1> Which one?\nA. x\nB. y\n${LETTER}\nShort Answer.`);
    expect(userPrompt('vlmevalkit', mmmu({ questionType: 'open', options: [] }))).toBe(`<image 1> Which one?\n${LETTER}`);
  });
  it('the cogvlm2 protocol uses the official prompt', () => {
    expect(userPrompt('cogvlm2', mmmu())).toBe(officialMmmuPrompt(mmmu()));
    expect(modelQuery('cogvlm2', mmmu())).toBe(officialMmmuPrompt(mmmu()));
  });
  it('parses the options literal as Python does', () => {
    expect(parseMmmuOptions(`['a cat', "it's", '<image 2>']`)).toEqual(['a cat', "it's", '<image 2>']);
    expect(parseMmmuOptions('[]')).toEqual([]);
    expect(() => parseMmmuOptions('not a list')).toThrow(PyError);
    expect(() => parseMmmuOptions('[1, 2]')).toThrow(PyError);
  });
});

describe('MMBench prompts (§11.2)', () => {
  it('lmms-eval: "{hint} {question} There are several options:" lines, blank line, instruction', () => {
    expect(userPrompt('lmms-eval', mmbench({ hint: 'A hint.' }))).toBe(
      `A hint. What animal is this? There are several options:\nA. cat\nB. dog\nC. bird\nD. fish\n\n${LETTER}`,
    );
  });
  it('lmms-eval leaves out a None, NaN or "nan" hint but keeps an empty one', () => {
    const bare = `What animal is this? There are several options:\nA. cat\nB. dog\nC. bird\nD. fish\n\n${LETTER}`;
    for (const hint of [null, undefined, 'nan']) expect(userPrompt('lmms-eval', mmbench({ hint }))).toBe(bare);
    expect(userPrompt('lmms-eval', mmbench({ hint: '' }))).toBe(` ${bare}`);
    expect(userPrompt('lmms-eval', mmbench({ hint: 'NaN' }))).toBe(`NaN ${bare}`);
  });
  it('lmms-eval skips empty, None, NaN and "nan" options, walks A-E in letter order', () => {
    const options = { D: 'fish', B: '', A: 'cat', C: 'nan', E: 'eel', F: 'fox', G: null };
    expect(lmmsEvalMmbenchDocToText({ question: 'Q', hint: null, options }, 'lmms-eval')).toBe(
      `Q There are several options:\nA. cat\nD. fish\nE. eel\n\n${LETTER}`,
    );
    expect(lmmsEvalMmbenchDocToText({ question: 'Q', hint: null, options: {} }, 'lmms-eval')).toBe(
      `Q There are several options:\n\n${LETTER}`,
    );
  });
  it('VLMEvalKit CogVLM: hint line, "L. text" lines for every option not NaN (empty kept), A-Z', () => {
    const options = { D: '', B: 'nan', A: 'cat', C: null, F: 'fox' };
    expect(vlmevalkitCogvlmMcqPrompt({ question: 'Q', hint: 'H', options }, 'mmbench')).toBe(`H\nQ\nA. cat\nD. \nF. fox\n${LETTER}`);
    expect(vlmevalkitCogvlmMcqPrompt({ question: 'Q', hint: '', options: {} }, 'mmbench')).toBe(`\nQ\n${LETTER}`);
    for (const hint of [null, undefined, 'nan']) {
      expect(vlmevalkitCogvlmMcqPrompt({ question: 'Q', hint, options: {} }, 'mmbench')).toBe(`Q\n${LETTER}`);
    }
  });
  it('VLMEvalKit CogVLM switches to the Chinese instruction when the prompt holds a CJK ideograph', () => {
    expect(vlmevalkitCogvlmMcqPrompt({ question: '这是什么动物？', hint: null, options: { A: 'cat' } }, 'mmbench')).toBe(
      '这是什么动物？\nA. cat\n请直接回答选项字母。',
    );
    // the test covers the whole assembled text: hint and options count too
    expect(vlmevalkitCogvlmMcqPrompt({ question: 'Q', hint: null, options: { A: '猫' } }, 'mmbench')).toBe('Q\nA. 猫\n请直接回答选项字母。');
    expect(vlmevalkitCogvlmMcqPrompt({ question: 'Q', hint: '提示', options: {} }, 'mmbench')).toBe('提示\nQ\n请直接回答选项字母。');
  });
  it('only U+4E00-U+9FFF count as CJK ideographs', () => {
    expect(containsCjkIdeograph('\u4e00')).toBe(true);
    expect(containsCjkIdeograph('\u9fff')).toBe(true);
    expect(containsCjkIdeograph('\u4dff')).toBe(false);
    expect(containsCjkIdeograph('\ua000')).toBe(false);
    expect(containsCjkIdeograph('ねこ')).toBe(false);
    expect(containsCjkIdeograph('\u{20000}')).toBe(false);
  });
  it('current VLMEvalKit appends "\\nShort Answer." to MCQ prompts only; 2024-05 did not', () => {
    expect(modelQuery('vlmevalkit', mmbench())).toBe(`${userPrompt('vlmevalkit', mmbench())}\nShort Answer.`);
    expect(vlmevalkitCogvlmQuery('P', {})).toBe('P');
    expect(vlmevalkitCogvlmQuery('P', mmbenchSettings.vlmevalkit)).toBe('P\nShort Answer.');
    expect(modelQuery('vlmevalkit', { bench: 'docvqa', question: 'Q' })).toBe(`Q${WORD_OR_PHRASE}`);
    expect(modelQuery('vlmevalkit@2024-05', mmbench())).toBe(userPrompt('vlmevalkit@2024-05', mmbench()));
  });
  it('VLMEvalKit 2024-05 uses the generic MCQ prompt', () => {
    expect(userPrompt('vlmevalkit@2024-05', mmbench({ hint: 'H', options: { A: 'cat', B: 'dog', C: 'nan', D: '' } }))).toBe(
      'Hint: H\nQuestion: What animal is this?\nOptions:\nA. cat\nB. dog\nD. \nPlease select the correct answer from the options above. \n',
    );
    expect(vlmevalkitGenericMcqPrompt({ question: 'Q', hint: null, options: {} }, 'mmmu')).toBe('Question: Q\n');
  });
  it('the cogvlm2 protocol sends the VLMEvalKit CogVLM prompt with the suffix', () => {
    expect(userPrompt('cogvlm2', mmbench())).toBe(modelQuery('vlmevalkit', mmbench()));
    expect(userPrompt('cogvlm2', mmbench()).endsWith(`${LETTER}\nShort Answer.`)).toBe(true);
  });
});

describe('lmms-eval cogvlm2 class query', () => {
  it('removes literal <image> tags and keeps numbered ones', () => {
    expect(lmmsEvalCogvlm2Query('<image>A <image 1> B<image><image>')).toBe('A <image 1> B');
    expect(modelQuery('lmms-eval', { bench: 'docvqa', question: '<image>\nQ' })).toBe(`\nQ${WORD_OR_PHRASE}`);
    expect(modelQuery('lmms-eval', mmmu())).toBe(userPrompt('lmms-eval', mmmu()));
  });
});

describe('CogVLM2 templates (cogvlm2.md §5)', () => {
  it('chat, vqa and base texts', () => {
    expect(cogvlm2PromptText('What is it?', 'chat')).toBe('Question: What is it? Answer:');
    expect(cogvlm2PromptText('What is it?', 'vqa')).toBe('Question: What is it? Short answer:');
    expect(cogvlm2PromptText('What is it?', 'base')).toBe('What is it?');
  });
  it('renders earlier turns before the query; base ignores them', () => {
    const history = [
      { query: 'q1', response: 'a1' },
      { query: 'q2', response: 'a2' },
    ];
    expect(cogvlm2PromptText('Q', 'chat', history)).toBe('Question: q1 Answer: a1\nQuestion: q2 Answer: a2\nQuestion: Q Answer:');
    expect(cogvlm2PromptText('Q', 'vqa', history)).toBe(
      'Question: q1 Short answer: a1\nQuestion: q2 Short answer: a2\nQuestion: Q Short answer:',
    );
    expect(cogvlm2PromptText('Q', 'base', history)).toBe('Q');
  });
  it('both variants default to the chat template', () => {
    for (const variant of COGVLM2_VARIANTS) {
      expect(COGVLM2_DEFAULT_TEMPLATE[variant]).toBe('chat');
      expect(wrapForCogvlm2('你好？', variant)).toBe('Question: 你好？ Answer:');
      expect(wrapForCogvlm2('Q', variant, { template: 'vqa' })).toBe('Question: Q Short answer:');
    }
  });
});

describe('requests', () => {
  it('VLMEvalKit TextVQA gives the example of cogvlm2.md §5', () => {
    const r = buildRequest('vlmevalkit', { bench: 'textvqa', question: 'what is written on the sign?' }, { variant: 'cogvlm2-llama3-chat-19B' });
    expect(r.text).toBe('Question: what is written on the sign?\nAnswer the question using a single word or phrase. Answer:');
    expect(r.template).toBe('chat');
    expect(r.stopTokenIds).toEqual([128001, 128009]);
    expect(r.generation).toEqual({ maxNewTokens: 2048, temperature: 0.6, doSample: true, topP: 0.9 });
  });
  it('wraps the model query (with suffixes) for the Chinese variant too', () => {
    const r = buildRequest('vlmevalkit', mmbench(), { variant: 'cogvlm2-llama3-chinese-chat-19B', decoding: 'greedy' });
    expect(r.query.endsWith('\nShort Answer.')).toBe(true);
    expect(r.text).toBe(`Question: ${r.query} Answer:`);
    expect(r.generation).toEqual({ maxNewTokens: 2048, temperature: 0, doSample: false, topK: 1 });
  });
  it('a non-default template is only for the cogvlm2 protocol', () => {
    const sample: PromptSample = { bench: 'docvqa', question: 'Q' };
    const r = buildRequest('cogvlm2', sample, { variant: 'cogvlm2-llama3-chat-19B', template: 'vqa' });
    expect(r.text).toBe(`Question: Q${WORD_OR_PHRASE} Short answer:`);
    expect(() => buildRequest('lmms-eval', sample, { variant: 'cogvlm2-llama3-chat-19B', template: 'vqa' })).toThrow(ConfigError);
    expect(buildRequest('lmms-eval', sample, { variant: 'cogvlm2-llama3-chat-19B', template: 'chat' }).template).toBe('chat');
  });
  it('rejects unknown protocols, naming the valid ones', () => {
    expect(parseProtocolId('vlmevalkit@2024-05')).toBe('vlmevalkit@2024-05');
    expect(() => parseProtocolId('llava')).toThrow(/valid protocols: cogvlm2, lmms-eval, lmms-eval@2024-05, vlmevalkit, vlmevalkit@2024-05/);
  });
});

describe('generation settings (§13, cogvlm2.md §6-§7)', () => {
  it('lmms-eval limits per task, greedy', () => {
    const limits = { textvqa: 1024, docvqa: 32, chartqa: 16, ocrbench: 128, mmmu: 128, mmvet: 1024, mmbench: 1024 };
    for (const [bench, maxNewTokens] of Object.entries(limits)) {
      const s = generationSettings('lmms-eval', bench as keyof typeof limits);
      expect(s.maxNewTokens).toBe(maxNewTokens);
      expect(s.doSample).toBe(false);
    }
    expect(generationSettings('lmms-eval', 'mmvet')).toEqual({ maxNewTokens: 1024, temperature: 0.2, doSample: false, topP: 1 });
    expect(generationSettings('lmms-eval', 'chartqa')).toEqual({ maxNewTokens: 16, temperature: 0, doSample: false });
  });
  it('lmms-eval 2024-05 MM-Vet: 32768 tokens at temperature 0; other tasks as now', () => {
    expect(generationSettings('lmms-eval@2024-05', 'mmvet')).toEqual({ maxNewTokens: 32768, temperature: 0, doSample: false });
    expect(generationSettings('lmms-eval@2024-05', 'docvqa')).toEqual(generationSettings('lmms-eval', 'docvqa'));
  });
  it('VLMEvalKit samples with the model generation config, 2048 tokens', () => {
    for (const protocol of ['vlmevalkit', 'vlmevalkit@2024-05'] as const) {
      for (const bench of BENCH_IDS) {
        // VLMEvalKit@2024-05 predates VCR: no settings, a refusal.
        if (protocol === 'vlmevalkit@2024-05' && bench.startsWith('vcr_')) {
          expect(() => generationSettings(protocol, bench)).toThrow(/cannot run under protocol vlmevalkit@2024-05/);
          continue;
        }
        expect(generationSettings(protocol, bench)).toEqual({ maxNewTokens: 2048, temperature: 0.6, doSample: true, topP: 0.9 });
      }
    }
  });
  it('cogvlm2 decodes greedily (top_k 1): 128 tokens for short answers, 120 for VCR, 2048 otherwise', () => {
    for (const bench of BENCH_IDS) {
      const s = generationSettings('cogvlm2', bench);
      expect(s).toMatchObject({ temperature: 0, doSample: false, topK: 1 });
      expect(s.maxNewTokens).toBe(['textvqa', 'docvqa', 'chartqa'].includes(bench) ? 128 : bench.startsWith('vcr_') ? 120 : 2048);
    }
  });
  it('greedy keeps the token limit and drops sampling knobs; results are copies', () => {
    expect(asGreedy({ maxNewTokens: 7, temperature: 0.6, doSample: true, topP: 0.9 })).toEqual({
      maxNewTokens: 7,
      temperature: 0,
      doSample: false,
      topK: 1,
    });
    expect(generationSettings('lmms-eval', 'mmvet', 'greedy')).toEqual({ maxNewTokens: 1024, temperature: 0, doSample: false, topK: 1 });
    const s = generationSettings('lmms-eval', 'docvqa');
    s.maxNewTokens = 1;
    expect(generationSettings('lmms-eval', 'docvqa').maxNewTokens).toBe(32);
  });
  it('every protocol builds a prompt and settings for every benchmark', () => {
    const samples: PromptSample[] = [
      ...(['textvqa', 'docvqa', 'chartqa', 'ocrbench', 'mmvet'] as const).map((bench) => ({ bench, question: 'Q' })),
      mmmu(),
      mmbench(),
    ];
    for (const protocol of PROTOCOL_IDS) {
      for (const sample of samples) {
        expect(userPrompt(protocol, sample).length).toBeGreaterThan(0);
        expect(generationSettings(protocol, sample.bench).maxNewTokens).toBeGreaterThan(0);
      }
    }
    expect(COGVLM2_STOP_TOKEN_IDS).toEqual([128001, 128009]);
  });
});
