// The model registry (configs/models/*.json): short names → Hugging Face ids, template, stop ids,
// decoding defaults and the scores the CogVLM2 README reports for them.
import chat from '../../configs/models/chat.json' with { type: 'json' };
import chineseChat from '../../configs/models/chinese-chat.json' with { type: 'json' };
import chatInt4 from '../../configs/models/chat-int4.json' with { type: 'json' };
import chineseChatInt4 from '../../configs/models/chinese-chat-int4.json' with { type: 'json' };
import { ConfigError } from '../errors.js';
import { isCogvlm2Variant, type Cogvlm2Template, type Cogvlm2Variant } from '../protocols/cogvlm2-template.js';
import type { BenchId } from '../metrics/types.js';

export interface ModelEntry {
  name: string;
  hfId: string;
  aliases: string[];
  variant: Cogvlm2Variant;
  /** The model name to put in OpenAI-style requests unless --served-model overrides it. */
  servedModelName: string;
  revision: string | null;
  template: Cogvlm2Template;
  stopTokenIds: number[];
  padTokenId: number;
  /** Scores of the CogVLM2 README row for this model (table scale), when it has one. */
  reported: { row: string; scores: Partial<Record<BenchId, number>> } | null;
}

function entry(raw: typeof chat | typeof chatInt4): ModelEntry {
  if (!isCogvlm2Variant(raw.variant)) throw new ConfigError(`configs/models/${raw.name}.json: unknown variant ${raw.variant}`);
  return {
    name: raw.name,
    hfId: raw.hfId,
    aliases: raw.aliases,
    variant: raw.variant,
    servedModelName: raw.servedModelName,
    revision: raw.revision,
    template: raw.template as Cogvlm2Template,
    stopTokenIds: raw.stopTokenIds,
    padTokenId: raw.padTokenId,
    reported: raw.reported ? { row: raw.reported.row, scores: raw.reported.scores } : null,
  };
}

export const MODELS: readonly ModelEntry[] = [entry(chat), entry(chineseChat), entry(chatInt4), entry(chineseChatInt4)];

/** Finds a model by short name or Hugging Face id (case-insensitive); the error lists them all. */
export function resolveModel(name: string): ModelEntry {
  const key = name.trim().toLowerCase();
  const found = MODELS.find((m) => m.name === key || m.hfId.toLowerCase() === key || m.aliases.some((a) => a.toLowerCase() === key));
  if (!found) {
    throw new ConfigError(`unknown model "${name}"; known models: ${MODELS.map((m) => `${m.name} (${m.hfId})`).join(', ')}`);
  }
  return found;
}
