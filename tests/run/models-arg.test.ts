// Any checkpoint (issue 9, item 2): --model takes a registry name, a Hugging Face id or a local
// fine-tune directory; --family (or the checkpoint's config.json) chooses template, stop ids and
// variant; a fine-tune is compared with no README row unless --reported-row names one.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveModelArg } from '../../harness/run/models.js';
import { ConfigError, InputError } from '../../harness/errors.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { main } from '../../harness/cli/main.js';
import type { RunManifest } from '../../harness/run/run-format.js';

const servers: FakeOpenAIServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()?.stop();
});

function checkpoint(config: Record<string, unknown> | null, name = 'my-finetune'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cogeval-ft-')), name);
  mkdirSync(dir);
  if (config) writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('resolveModelArg', () => {
  it('keeps the registry models as they are', () => {
    const m = resolveModelArg('THUDM/cogvlm2-llama3-chinese-chat-19B');
    expect(m).toMatchObject({ name: 'chinese-chat', variant: 'cogvlm2-llama3-chinese-chat-19B' });
    expect(m.reported?.scores.textvqa).toBe(85.0);
  });

  it('reads the family of a local fine-tune from its config.json (_name_or_path), and its template', () => {
    const dir = checkpoint({ _name_or_path: 'THUDM/cogvlm2-llama3-chinese-chat-19B', template_version: 'vqa' });
    const m = resolveModelArg(dir);
    expect(m).toMatchObject({ name: 'my-finetune', hfId: dir, variant: 'cogvlm2-llama3-chinese-chat-19B', template: 'vqa', stopTokenIds: [128001, 128009], reported: null });
  });

  it('--family wins over the config; a config naming no CogVLM2 base needs --family', () => {
    const dir = checkpoint({ _name_or_path: 'some/llama' });
    expect(() => resolveModelArg(dir)).toThrow(InputError);
    expect(() => resolveModelArg(dir)).toThrow(/cannot tell which CogVLM2 family .* pass --family chat or --family chinese-chat/);
    expect(resolveModelArg(dir, { family: 'chat' })).toMatchObject({ variant: 'cogvlm2-llama3-chat-19B', template: 'chat', reported: null });
    expect(() => resolveModelArg(dir, { family: 'base' })).toThrow(ConfigError);
  });

  it('a Hugging Face id cogeval does not know needs --family; no reported row unless asked', () => {
    expect(() => resolveModelArg('someone/cogvlm2-docvqa-ft')).toThrow(/a Hugging Face id cogeval does not know; pass --family chat or --family chinese-chat/);
    const m = resolveModelArg('someone/cogvlm2-docvqa-ft', { family: 'chat' });
    expect(m).toMatchObject({ name: 'cogvlm2-docvqa-ft', hfId: 'someone/cogvlm2-docvqa-ft', reported: null });
    const asked = resolveModelArg('someone/cogvlm2-docvqa-ft', { family: 'chat', reportedRow: 'chat' });
    expect(asked.reported?.scores.docvqa).toBe(92.3);
    expect(asked.reportedAs).toBe('chat');
  });

  it('an unknown short name still lists the known models', () => {
    expect(() => resolveModelArg('chatt')).toThrow(/unknown model "chatt"; known models: chat \(THUDM\/cogvlm2-llama3-chat-19B\)/);
  });
});

describe('eval --model DIR', () => {
  it('records the fine-tune and compares it with no README row, unless --reported-row', async () => {
    const s = await startFakeOpenAIServer({ models: ['ft'] });
    servers.push(s);
    const dir = checkpoint({ _name_or_path: 'THUDM/cogvlm2-llama3-chat-19B' });
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-ft-runs-'));
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: () => {} };
    expect(await main(['eval', '--model', dir, '--endpoint', s.url, '--data', 'demo', '--bench', 'docvqa', '--limit', '1', '--runs-dir', runsDir], io)).toBe(0);
    const m = JSON.parse(readFileSync(join(runsDir, 'my-finetune-docvqa-cogvlm2-limit1', 'run.json'), 'utf8')) as RunManifest;
    expect(m.config.model).toMatchObject({ name: 'my-finetune', hfId: dir, variant: 'cogvlm2-llama3-chat-19B', servedModel: 'ft' });
    expect(out.find((l) => l.startsWith('docvqa '))).toMatch(/^docvqa\s+lmms-eval\s+\S+\s+\S+\s+—\s+—/);

    out.length = 0;
    expect(await main(['eval', '--model', dir, '--reported-row', 'chat', '--endpoint', s.url, '--data', 'demo', '--bench', 'docvqa', '--limit', '1', '--runs-dir', runsDir, '--run-id', 'asked'], io)).toBe(0);
    expect(out.find((l) => l.startsWith('docvqa '))).toMatch(/\s92\.3\s/);
  });
});
