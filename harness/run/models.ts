// The model registry (configs/models/*.json): short names → Hugging Face ids, template, stop ids,
// decoding defaults and the scores the CogVLM2 README reports for them.
import chat from '../../configs/models/chat.json' with { type: 'json' };
import chineseChat from '../../configs/models/chinese-chat.json' with { type: 'json' };
import chatInt4 from '../../configs/models/chat-int4.json' with { type: 'json' };
import chineseChatInt4 from '../../configs/models/chinese-chat-int4.json' with { type: 'json' };
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError, InputError } from '../errors.js';
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
  /** `--reported-row`: the registry model whose README row a run is compared with (instead of its own). */
  reportedAs?: string;
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

/** The CogVLM2 families a fine-tune can belong to: they choose template, stop ids and variant. */
export const MODEL_FAMILIES = ['chat', 'chinese-chat'] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number];

export interface ModelArgOptions {
  /** `--family`: the checkpoint's family (a fine-tune's base); read from its config.json when absent. */
  family?: string;
  /** `--reported-row`: compare with this registry model's README row (a fine-tune has none otherwise). */
  reportedRow?: string;
}

function familyOf(value: string, where: string): ModelFamily {
  if ((MODEL_FAMILIES as readonly string[]).includes(value)) return value as ModelFamily;
  throw new ConfigError(`${where}: family "${value}" is not one of ${MODEL_FAMILIES.join(', ')}`);
}

/** The family a fine-tune's config.json names: its base model id (`_name_or_path`, `base_model`, `cogeval_family`). */
function familyFromConfig(dir: string): { family: ModelFamily; template?: Cogvlm2Template } | { why: string } {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return { why: `${file} does not exist` };
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new InputError(`${file} is not valid JSON (${(err as Error).message})`);
  }
  const template = typeof config.template_version === 'string' && ['base', 'chat', 'vqa'].includes(config.template_version) ? (config.template_version as Cogvlm2Template) : undefined;
  if (typeof config.cogeval_family === 'string') return { family: familyOf(config.cogeval_family, `${file}: cogeval_family`), template };
  for (const key of ['_name_or_path', 'base_model', 'base_model_name_or_path']) {
    const v = config[key];
    if (typeof v !== 'string') continue;
    const lower = v.toLowerCase();
    if (lower.includes('cogvlm2') && lower.includes('chinese')) return { family: 'chinese-chat', template };
    if (lower.includes('cogvlm2')) return { family: 'chat', template };
  }
  return { why: `${file} names no CogVLM2 base model (_name_or_path, base_model or cogeval_family)` };
}

function fineTuneEntry(name: string, hfId: string, family: ModelFamily, template: Cogvlm2Template | undefined, reportedRow: string | undefined): ModelEntry {
  const base = resolveModel(family);
  const reported = reportedRow === undefined ? null : resolveModel(reportedRow).reported;
  const entry: ModelEntry = { ...base, name, hfId, aliases: [], servedModelName: name, revision: null, template: template ?? base.template, reported };
  if (reportedRow !== undefined) entry.reportedAs = resolveModel(reportedRow).name;
  return entry;
}

/**
 * `--model`: a registry name or Hugging Face id of the four CogVLM2 checkpoints, another Hugging
 * Face id (a fine-tune; `--family` required), or a local checkpoint directory (family from
 * `--family` or its config.json). A fine-tune is compared with no README row unless `--reported-row`.
 */
export function resolveModelArg(arg: string, opts: ModelArgOptions = {}): ModelEntry {
  const family = opts.family === undefined ? undefined : familyOf(opts.family, '--family');
  if (opts.reportedRow !== undefined) resolveModel(opts.reportedRow);
  const key = arg.trim();
  const known = MODELS.find((m) => m.name === key.toLowerCase() || m.hfId.toLowerCase() === key.toLowerCase() || m.aliases.some((a) => a.toLowerCase() === key.toLowerCase()));
  if (known) {
    if (opts.reportedRow === undefined) return known;
    return { ...known, reported: resolveModel(opts.reportedRow).reported, reportedAs: resolveModel(opts.reportedRow).name };
  }
  if (existsSync(key)) {
    if (!statSync(key).isDirectory()) throw new InputError(`--model ${arg}: a local checkpoint must be a directory (with its config.json)`);
    const dir = resolve(key);
    const fromConfig = familyFromConfig(dir);
    const chosen = family ?? ('family' in fromConfig ? fromConfig.family : undefined);
    if (chosen === undefined) throw new InputError(`--model ${arg}: cannot tell which CogVLM2 family this checkpoint is (${'why' in fromConfig ? fromConfig.why : ''}); pass --family chat or --family chinese-chat`);
    return fineTuneEntry(slug(basename(dir)), dir, chosen, 'template' in fromConfig ? fromConfig.template : undefined, opts.reportedRow);
  }
  if (/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(key)) {
    if (family === undefined) throw new InputError(`--model ${arg}: a Hugging Face id cogeval does not know; pass --family chat or --family chinese-chat (its template and stop ids)`);
    return fineTuneEntry(slug(key.split('/')[1]), key, family, undefined, opts.reportedRow);
  }
  return resolveModel(arg); // the registry's error lists the known models
}

/** A run-id-safe name. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '') || 'model';
}
