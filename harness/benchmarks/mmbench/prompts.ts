// MMBench's model prompts under every protocol: lmms-eval's mmbench_doc_to_text, VLMEvalKit's
// CogVLM wrapper prompt (which the cogvlm2 protocol also sends, with its "\nShort Answer.") and
// its generic MCQ prompt of 2024-05 (scoring.md §11.2). The strings are in prompts.json.
import { LMMS_EVAL_MMBENCH_LETTERS, presentUnlessNan, type LmmsEvalProtocol } from '../../protocols/lmms-eval.js';
import type { CellValue, MmbenchSample } from '../../protocols/types.js';
import { vlmevalkitCogvlmMcqPrompt, vlmevalkitCogvlmQuery, vlmevalkitGenericMcqPrompt } from '../../protocols/vlmevalkit.js';
import type { BenchmarkPrompts } from '../types.js';
import settings from './prompts.json' with { type: 'json' };

/**
 * `create_options_prompt`: `"There are several options:\n"` + `"L. text\n"` for each letter A–E in
 * order whose value is truthy (not `""`/None) and not NaN / `"nan"`, with trailing newlines removed.
 */
export function lmmsEvalMmbenchOptionsPrompt(options: Readonly<Record<string, CellValue>>, protocol: LmmsEvalProtocol): string {
  let prompt = settings[protocol].optionsHeader;
  for (const letter of LMMS_EVAL_MMBENCH_LETTERS) {
    const value = options[letter];
    if (value === '' || !presentUnlessNan(value)) continue;
    prompt += `${letter}. ${value}\n`;
  }
  return prompt.replace(/\n+$/u, '');
}

/**
 * MMBench `mmbench_doc_to_text`: `"{hint} {question} {options}"` (hint and its space left out
 * when the hint is None, NaN or "nan") + `"\n"` + post prompt.
 */
export function lmmsEvalMmbenchDocToText(doc: Omit<MmbenchSample, 'bench'>, protocol: LmmsEvalProtocol): string {
  const options = lmmsEvalMmbenchOptionsPrompt(doc.options, protocol);
  const query = presentUnlessNan(doc.hint) ? `${doc.hint} ${doc.question} ${options}` : `${doc.question} ${options}`;
  return `${query}\n${settings[protocol].postPrompt}`;
}

export const mmbenchPrompts: BenchmarkPrompts<MmbenchSample> = {
  settings,
  dummy: { bench: 'mmbench', question: 'q', hint: null, options: { A: 'a', B: 'b' } },
  userPrompt(protocol, sample) {
    switch (protocol) {
      case 'cogvlm2':
        return vlmevalkitCogvlmQuery(vlmevalkitCogvlmMcqPrompt(sample, settings.vlmevalkit), settings.vlmevalkit);
      case 'lmms-eval':
      case 'lmms-eval@2024-05':
        return lmmsEvalMmbenchDocToText(sample, protocol);
      case 'vlmevalkit':
        return vlmevalkitCogvlmMcqPrompt(sample, settings.vlmevalkit);
      case 'vlmevalkit@2024-05':
        return vlmevalkitGenericMcqPrompt(sample, settings['vlmevalkit@2024-05']);
    }
  },
};
