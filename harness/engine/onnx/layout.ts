// CogVLM2's prompt layout (cogvlm2.md §2): [BOS] + image slots + text ids, token types, the
// compressed position ids (`build_position_ids`) and the visual-expert mask (`get_expert_mask`),
// ported from the model's modeling_cogvlm.py.

export const LANGUAGE_TOKEN_TYPE = 0;
export const VISION_TOKEN_TYPE = 1;

/** `<|begin_of_text|>`: CogVLM2's code puts it at index 0 itself. */
export const BOS_TOKEN_ID = 128000;
/** `<|reserved_special_token_0|>`: the placeholder id of the image slots (its embedding is overwritten). */
export const IMAGE_TOKEN_ID = 128002;
/** `(1344 // 14 // 2)^2 + 2`: boi, 48 × 48 patches, eoi. */
export const IMAGE_TOKENS = 2306;

export interface PromptLayout {
  /** Token ids: BOS, the image slots (if any), the text. */
  inputIds: number[];
  /** 0 language, 1 vision (the image slots). */
  tokenTypes: Uint8Array;
  /** `build_position_ids`: 0, 1, 2 × 2304, 3, 4, … with an image; 0 … T-1 without. */
  positionIds: number[];
  /** 1 where the position runs through the vision expert: type[i] == 1 and type[i+1] == 1. */
  visionExpertMask: Uint8Array;
  /** Index of the first image slot (1), or null for a text-only prompt. */
  imageOffset: number | null;
  /** Number of text tokens after BOS and the image. */
  textTokens: number;
}

/**
 * `build_position_ids` for one unpadded sequence: BOI and EOI count as language tokens, a run of
 * interior vision tokens shares one position, every language token advances it by one.
 */
export function buildPositionIds(tokenTypes: ArrayLike<number>): number[] {
  const n = tokenTypes.length;
  const tmp = Array.from(tokenTypes);
  const isBoiEoi = new Array<boolean>(n).fill(false);
  for (let i = 1; i < n; i++) if (tokenTypes[i] === VISION_TOKEN_TYPE && tokenTypes[i - 1] === LANGUAGE_TOKEN_TYPE) isBoiEoi[i] = true;
  if (n > 0 && tokenTypes[0] === VISION_TOKEN_TYPE) isBoiEoi[0] = true;
  for (let i = 0; i < n - 1; i++) if (tokenTypes[i] === VISION_TOKEN_TYPE && tokenTypes[i + 1] === LANGUAGE_TOKEN_TYPE) isBoiEoi[i] = true;
  if (n > 0 && tokenTypes[n - 1] === VISION_TOKEN_TYPE) isBoiEoi[n - 1] = true;
  for (let i = 0; i < n; i++) if (isBoiEoi[i]) tmp[i] = LANGUAGE_TOKEN_TYPE;
  const out = new Array<number>(n).fill(0);
  let sum = 0;
  for (let i = 1; i < n; i++) {
    const step = tmp[i] === LANGUAGE_TOKEN_TYPE || (tmp[i] === VISION_TOKEN_TYPE && tmp[i - 1] === LANGUAGE_TOKEN_TYPE) ? 1 : 0;
    sum += step;
    out[i] = sum;
  }
  return out;
}

/** `get_expert_mask`: position i uses the vision expert iff type[i] == 1 and type[i+1] == 1 (so EOI does not). */
export function buildVisionExpertMask(tokenTypes: ArrayLike<number>): Uint8Array {
  const n = tokenTypes.length;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n - 1; i++) mask[i] = tokenTypes[i] === VISION_TOKEN_TYPE && tokenTypes[i + 1] === VISION_TOKEN_TYPE ? 1 : 0;
  return mask;
}

/** The prompt CogVLM2's `build_conversation_input_ids` builds for `textIds` (tokenised without special tokens). */
export function buildPromptLayout(
  textIds: readonly number[],
  options: { image: boolean; imageTokens?: number; bosTokenId?: number; imageTokenId?: number },
): PromptLayout {
  const imageTokens = options.image ? (options.imageTokens ?? IMAGE_TOKENS) : 0;
  const n = 1 + imageTokens + textIds.length;
  const inputIds = new Array<number>(n);
  const tokenTypes = new Uint8Array(n);
  inputIds[0] = options.bosTokenId ?? BOS_TOKEN_ID;
  const slot = options.imageTokenId ?? IMAGE_TOKEN_ID;
  for (let i = 1; i <= imageTokens; i++) {
    inputIds[i] = slot;
    tokenTypes[i] = VISION_TOKEN_TYPE;
  }
  for (let i = 0; i < textIds.length; i++) inputIds[1 + imageTokens + i] = textIds[i];
  return {
    inputIds,
    tokenTypes,
    positionIds: buildPositionIds(tokenTypes),
    visionExpertMask: buildVisionExpertMask(tokenTypes),
    imageOffset: imageTokens > 0 ? 1 : null,
    textTokens: textIds.length,
  };
}
