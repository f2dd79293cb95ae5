// The onnx engine's pure parts: CogVLM2 prompt layout (token types, position ids, expert mask),
// the template + Llama-3 tokenisation, streamed text deltas, and the graph contract check.
import { describe, expect, it } from 'vitest';
import { buildPositionIds, buildPromptLayout, buildVisionExpertMask, IMAGE_TOKENS } from '../../harness/engine/onnx/layout.js';
import { LlamaTokenizer, TextDeltas } from '../../harness/engine/onnx/tokenizer.js';
import { fixtureTokenizerFiles } from '../../harness/engine/onnx/model-dir.js';
import { checkGraphIo, expectedGraphs } from '../../harness/engine/onnx/contract.js';
import { cogvlm2PromptText } from '../../harness/protocols/cogvlm2-template.js';

describe('prompt layout', () => {
  it('image prompt: [BOS] + 2306 slots + text, positions 0, 1, 2×2304, 3, 4…, expert mask on BOI and patches only', () => {
    const text = [14924, 25, 1148, 22559, 25];
    const l = buildPromptLayout(text, { image: true });
    expect(l.inputIds.length).toBe(1 + IMAGE_TOKENS + text.length);
    expect(l.inputIds[0]).toBe(128000);
    expect(l.inputIds.slice(1, 1 + IMAGE_TOKENS).every((x) => x === 128002)).toBe(true);
    expect(l.inputIds.slice(1 + IMAGE_TOKENS)).toEqual(text);
    expect(l.tokenTypes[0]).toBe(0);
    expect(l.tokenTypes[1]).toBe(1);
    expect(l.tokenTypes[IMAGE_TOKENS]).toBe(1);
    expect(l.tokenTypes[IMAGE_TOKENS + 1]).toBe(0);
    // positions: BOS 0, BOI 1, 2304 patches 2, EOI 3, text 4, 5, …
    expect(l.positionIds[0]).toBe(0);
    expect(l.positionIds[1]).toBe(1);
    expect(new Set(l.positionIds.slice(2, 2 + 2304))).toEqual(new Set([2]));
    expect(l.positionIds[2 + 2304]).toBe(3);
    expect(l.positionIds.slice(1 + IMAGE_TOKENS)).toEqual([4, 5, 6, 7, 8]);
    // vision expert: BOI and the 2304 patches (2305 positions); EOI, BOS and text take the language expert
    expect(l.visionExpertMask[0]).toBe(0);
    expect(l.visionExpertMask[1]).toBe(1);
    expect(l.visionExpertMask[2305]).toBe(1);
    expect(l.visionExpertMask[2306]).toBe(0);
    expect(l.visionExpertMask.reduce((a, b) => a + b, 0)).toBe(2305);
    expect(l.imageOffset).toBe(1);
  });

  it('text-only prompt: no slots, positions 0..T-1, no vision expert', () => {
    const l = buildPromptLayout([1, 2, 3], { image: false });
    expect(l.inputIds).toEqual([128000, 1, 2, 3]);
    expect(l.positionIds).toEqual([0, 1, 2, 3]);
    expect([...l.visionExpertMask]).toEqual([0, 0, 0, 0]);
    expect(l.imageOffset).toBeNull();
  });

  it('build_position_ids and get_expert_mask agree with the reference on small hand-made sequences', () => {
    // numpy port of the reference functions, values worked out by hand:
    // types 0 1 1 1 0 0 → boi/eoi are language; interior vision shares one position
    expect(buildPositionIds([0, 1, 1, 1, 0, 0])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(buildPositionIds([0, 1, 1, 1, 1, 0])).toEqual([0, 1, 2, 2, 3, 4]);
    // a sequence ending inside the image: the last vision token counts as language (eoi rule)
    expect(buildPositionIds([0, 1, 1, 1])).toEqual([0, 1, 2, 3]);
    expect([...buildVisionExpertMask([0, 1, 1, 1, 0])]).toEqual([0, 1, 1, 0, 0]);
    expect([...buildVisionExpertMask([1, 1])]).toEqual([1, 0]);
  });

  it('a generated token continues at last position + 1 (image prompt of T text tokens: 4 + T + k)', () => {
    const l = buildPromptLayout([5, 6, 7], { image: true });
    const last = l.positionIds[l.positionIds.length - 1];
    expect(last + 1).toBe(4 + 3);
  });
});

describe('template and tokenizer', () => {
  const tok = LlamaTokenizer.load(fixtureTokenizerFiles());

  it('wraps the query with the chat / vqa / base templates and tokenises without special tokens', () => {
    expect(cogvlm2PromptText('what is written?', 'chat')).toBe('Question: what is written? Answer:');
    expect(cogvlm2PromptText('what is written?', 'vqa')).toBe('Question: what is written? Short answer:');
    expect(cogvlm2PromptText('what is written?', 'base')).toBe('what is written?');
    const ids = tok.encode('Question: what is written? Answer:');
    expect(ids).toEqual([14924, 25, 1148, 374, 5439, 30, 22559, 25]);
    expect(ids).not.toContain(128000);
  });

  it('decodes skipping special tokens (BOS, stop tokens, the image placeholder)', () => {
    expect(tok.decode([128000, 9906, 1917, 0, 128002, 128009, 128001])).toBe('Hello world!');
    expect(tok.tokenId('<|eot_id|>')).toBe(128009);
    expect(tok.tokenId('<|end_of_text|>')).toBe(128001);
  });

  it('streamed deltas concatenate to the final text even through multi-byte characters and clean-up', () => {
    // "naïve 😀 don't" crosses byte-level tokens that split UTF-8 sequences
    const text = 'naïve 😀 don\'t , ok ?';
    const ids = tok.encode(text);
    const deltas = new TextDeltas(TextDeltas.holdBackFor(tok, []));
    let streamed = '';
    for (let i = 1; i <= ids.length; i++) {
      const d = deltas.update(tok.decode(ids.slice(0, i)));
      expect(d).not.toContain('\ufffd');
      streamed += d;
    }
    const final = tok.decode(ids);
    const { rest, consistent } = deltas.finish(final);
    expect(consistent).toBe(true);
    expect(streamed + rest).toBe(final);
  });
});

describe('graph contract check', () => {
  const sizes = { numLayers: 2, numKvHeads: 2, headDim: 8, hiddenSize: 32, vocabSize: 128256, imageTokens: 2306, imageSize: 1344 };
  const spec = expectedGraphs(sizes);
  const asMetadata = (list: typeof spec.decoder.inputs) => list.map((s) => ({ name: s.name, isTensor: true, type: s.type, shape: s.dims.map((d, i) => d ?? `dim${i}`) }));

  it('accepts graphs that follow the contract (symbolic dims anywhere dynamic)', () => {
    expect(checkGraphIo(spec.decoder, { inputs: asMetadata(spec.decoder.inputs), outputs: asMetadata(spec.decoder.outputs) })).toEqual([]);
    expect(spec.decoder.inputs.map((i) => i.name)).toContain('past_key_values.1.value');
    expect(spec.decoder.outputs.map((i) => i.name)).toContain('present.0.key');
  });

  it('names missing and unexpected inputs, wrong types, ranks and sizes', () => {
    const inputs = asMetadata(spec.decoder.inputs).filter((i) => i.name !== 'position_ids');
    inputs.push({ name: 'token_type_ids', isTensor: true, type: 'int64', shape: [1, 'T'] });
    const mask = inputs.find((i) => i.name === 'vision_expert_mask');
    if (mask) mask.type = 'int64';
    const outputs = asMetadata(spec.decoder.outputs);
    outputs[0] = { name: 'logits', isTensor: true, type: 'float32', shape: [1, 'T', 1000] };
    const past = inputs.find((i) => i.name === 'past_key_values.0.key');
    if (past) past.shape = [1, 2, 'P'];
    const problems = checkGraphIo(spec.decoder, { inputs, outputs });
    expect(problems).toEqual([
      'missing input(s) position_ids',
      'unexpected input(s) token_type_ids',
      'input vision_expert_mask has element type int64, expected bool',
      'input past_key_values.0.key has rank 3 [1, 2, P], expected rank 4 [1, 2, ?, 8]',
      'output logits has dimension 2 = 1000, expected 128256 (shape [1, T, 1000], expected [1, ?, 128256])',
    ]);
  });

  it('an embed graph in the decoder role is reported input by input', () => {
    const problems = checkGraphIo(spec.decoder, { inputs: asMetadata(spec.embed.inputs), outputs: asMetadata(spec.embed.outputs) });
    expect(problems[0]).toMatch(/^missing input\(s\) inputs_embeds, vision_expert_mask, position_ids, attention_mask, past_key_values\.0\.key, past_key_values\.0\.value … \(8 in all\)$/);
    expect(problems).toContain('unexpected input(s) input_ids');
    expect(problems).toContain('unexpected output(s) inputs_embeds');
  });
});
