// The engine registry (harness/engine/registry.ts): it lists every engine, refuses settings an
// engine cannot honour, and choosing one engine imports that engine's module only — checked in a
// child process (the built dist/) whose module loader records every module it loads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../harness/errors.js';
import { ENGINES, defaultEngineId, engineEntry, engineIds, type EngineSettings } from '../../harness/engine/registry.js';

const ROOT = resolve('.');
const DIST_REGISTRY = join(ROOT, 'dist', 'harness', 'engine', 'registry.js');
const dir = mkdtempSync(join(tmpdir(), 'cogeval-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SETTINGS: EngineSettings = {
  ep: 'cpu',
  threads: 0,
  server: 'openai',
  timeoutSeconds: 10,
  stallTimeoutSeconds: 10,
  retries: 0,
  decoding: 'greedy',
  modelHfId: 'THUDM/cogvlm2-llama3-chat-19B',
};

describe('engine registry', () => {
  it('lists each engine once, with a summary, and names the valid ones for an unknown id', () => {
    expect(engineIds()).toEqual(['openai', 'onnx']);
    for (const e of ENGINES) {
      expect(engineEntry(e.id)).toBe(e);
      expect(e.summary.length).toBeGreaterThan(10);
    }
    expect(() => engineEntry('vllm')).toThrow(ConfigError);
    expect(() => engineEntry('vllm')).toThrow('unknown engine "vllm"; valid engines: openai, onnx');
  });

  it('defaults to openai with an endpoint and to onnx without one', () => {
    expect(defaultEngineId({ endpoint: 'http://127.0.0.1:1/v1' })).toBe('openai');
    expect(defaultEngineId({})).toBe('onnx');
  });

  it("refuses settings an engine cannot honour, naming the flag", () => {
    expect(() => engineEntry('openai').check(SETTINGS)).toThrow(InputError);
    expect(() => engineEntry('openai').check(SETTINGS)).toThrow('--endpoint URL[,URL…] is required with --engine openai');
    expect(() => engineEntry('openai').check({ ...SETTINGS, endpoint: 'http://127.0.0.1:1/v1' })).not.toThrow();
    expect(() => engineEntry('onnx').check({ ...SETTINGS, endpoint: 'http://127.0.0.1:1/v1' })).toThrow('--endpoint is for --engine openai');
    expect(() => engineEntry('onnx').check({ ...SETTINGS, decoding: 'reference' })).toThrow(ConfigError);
    expect(engineEntry('openai').server({ ...SETTINGS, server: 'lmdeploy' })).toBe('lmdeploy');
    expect(engineEntry('onnx').server({ ...SETTINGS, server: 'lmdeploy' })).toBe('onnx');
  });
});

/** Runs `create` of engine `id` in a child process; returns what it printed and every module URL it loaded. */
function createInChild(id: string, settings: Partial<EngineSettings>): { out: string; modules: string[] } {
  const log = join(dir, `${id}.modules`);
  writeFileSync(log, '');
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    "import { appendFileSync } from 'node:fs';\n" +
      'export async function load(url, context, next) { appendFileSync(process.env.COGEVAL_MODULE_LOG, url + "\\n"); return next(url, context); }\n',
  );
  const script = join(dir, `create-${id}.mjs`);
  writeFileSync(
    script,
    [
      "import { register, createRequire } from 'node:module';",
      `register(${JSON.stringify(pathToFileURL(hooks).href)});`,
      `const { engineEntry } = await import(${JSON.stringify(pathToFileURL(DIST_REGISTRY).href)});`,
      `const settings = ${JSON.stringify({ ...SETTINGS, ...settings })};`,
      'try {',
      `  const engine = await engineEntry(${JSON.stringify(id)}).create(settings, { env: {}, warn: () => {} });`,
      "  console.log('created ' + engine.kind);",
      '  await engine.close();',
      "} catch (err) { console.log('refused: ' + err.message); }",
      // CommonJS modules required inside a package do not pass the ESM hooks: list them too.
      'for (const f of Object.keys(createRequire(import.meta.url).cache)) console.log("cjs " + f);',
    ].join('\n'),
  );
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, COGEVAL_MODULE_LOG: log }, timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  const cjs = r.stdout.split('\n').filter((l) => l.startsWith('cjs ')).map((l) => l.slice(4));
  return { out: r.stdout, modules: [...readFileSync(log, 'utf8').split('\n').filter(Boolean), ...cjs] };
}

const loads = (modules: string[], pattern: RegExp): boolean => modules.some((m) => pattern.test(m));
const ONNX_ENGINE = /\/dist\/harness\/engine\/onnx\/(engine|model|greedy-runner|worker-spawn)\.js$/;
const ONNXRUNTIME = /[\\/]onnxruntime-(node|common)[\\/]/;
const OPENAI_ENGINE = /\/dist\/harness\/engine\/openai\/engine\.js$/;

describe('engine registry: choosing one engine imports only its module', () => {
  it('creating the openai engine loads neither the onnx engine nor onnxruntime-node', () => {
    expect(existsSync(DIST_REGISTRY), 'run `npm run build` first').toBe(true);
    const r = createInChild('openai', { endpoint: 'http://127.0.0.1:9/v1' });
    expect(r.out).toMatch(/^created openai$/m);
    expect(loads(r.modules, OPENAI_ENGINE)).toBe(true);
    expect(r.modules.filter((m) => ONNX_ENGINE.test(m) || ONNXRUNTIME.test(m))).toEqual([]);
  }, 90_000);

  it('choosing the onnx engine loads its module and not the openai engine (the recorder sees what it should)', () => {
    const r = createInChild('onnx', { modelDir: join(dir, 'no-such-model') });
    expect(r.out).toMatch(/^refused: .*no-such-model does not exist/m);
    expect(loads(r.modules, /\/dist\/harness\/engine\/onnx\/engine\.js$/)).toBe(true);
    expect(loads(r.modules, OPENAI_ENGINE)).toBe(false);
  }, 90_000);
});
