// CogVLM2's prompt templates (`_history_to_prompt` in the model's modeling_cogvlm.py, cogvlm2.md §5)
// and the model facts a request needs: variants, default template, stop and pad token ids.

export const COGVLM2_VARIANTS = ['cogvlm2-llama3-chat-19B', 'cogvlm2-llama3-chinese-chat-19B'] as const;
export type Cogvlm2Variant = (typeof COGVLM2_VARIANTS)[number];

export function isCogvlm2Variant(x: string): x is Cogvlm2Variant {
  return (COGVLM2_VARIANTS as readonly string[]).includes(x);
}

export const COGVLM2_TEMPLATES = ['base', 'chat', 'vqa'] as const;
export type Cogvlm2Template = (typeof COGVLM2_TEMPLATES)[number];

/**
 * `config.template_version` of each variant: "chat" for both (cogvlm2.md §1.1). The official demos,
 * VLMEvalKit and lmms-eval all leave `template_version` unset, so this is the template they run.
 */
export const COGVLM2_DEFAULT_TEMPLATE: Readonly<Record<Cogvlm2Variant, Cogvlm2Template>> = {
  'cogvlm2-llama3-chat-19B': 'chat',
  'cogvlm2-llama3-chinese-chat-19B': 'chat',
};

/** Generation stops at `<|end_of_text|>` (128001, the trained terminator) or `<|eot_id|>` (128009). */
export const COGVLM2_STOP_TOKEN_IDS: readonly number[] = [128001, 128009];
/** `<|reserved_special_token_0|>`: the pad id and the image placeholder id. */
export const COGVLM2_PAD_TOKEN_ID = 128002;

/** One earlier turn of a conversation. */
export interface ConversationTurn {
  query: string;
  response: string;
}

/**
 * The text CogVLM2 tokenises after BOS and the image placeholders (no special tokens, no
 * system prompt):
 * - `base`: the query alone (history ignored);
 * - `chat`: `"Question: {q} Answer: {a}\n"` per earlier turn, then `"Question: {query} Answer:"`;
 * - `vqa`: as `chat` with `Short answer:` in place of `Answer:`.
 */
export function cogvlm2PromptText(
  query: string,
  template: Cogvlm2Template,
  history: readonly ConversationTurn[] = [],
): string {
  if (template === 'base') return query;
  const answerFormat = template === 'vqa' ? 'Short answer:' : 'Answer:';
  let text = '';
  for (const turn of history) text += `Question: ${turn.query} ${answerFormat} ${turn.response}\n`;
  return `${text}Question: ${query} ${answerFormat}`;
}

/** The template text for a variant: its configured template unless one is named. */
export function wrapForCogvlm2(
  query: string,
  variant: Cogvlm2Variant,
  options: { template?: Cogvlm2Template; history?: readonly ConversationTurn[] } = {},
): string {
  return cogvlm2PromptText(query, options.template ?? COGVLM2_DEFAULT_TEMPLATE[variant], options.history ?? []);
}
