// The engine registry: every model back-end `cogeval eval --engine` can choose, with the checks of
// its settings and a lazy factory that imports the engine's module only when that engine is chosen.
import { ConfigError, InputError } from '../errors.js';
import type { Cogvlm2Template } from '../protocols/cogvlm2-template.js';
import type { Engine } from './types.js';

/** The engine settings of one run (from `cogeval eval`'s flags); each engine reads the ones it needs. */
export interface EngineSettings {
  /** openai: server base URL(s), comma-separated. */
  endpoint?: string;
  /** onnx: an exported model directory; undefined: the bundled demo model. */
  modelDir?: string;
  /** onnx: onnxruntime execution provider (cpu, cuda, webgpu). */
  ep: string;
  /** onnx: CPU threads per graph (0: onnxruntime decides). */
  threads: number;
  /** openai: what runs behind the endpoint (a server dialect id). */
  server: string;
  /** openai: the server's model name (default: the one /v1/models lists). */
  servedModel?: string;
  /** Requests in flight (openai); onnx: also the sequences decoded together in one batch. */
  concurrency?: number;
  /** openai: seconds per request attempt. */
  timeoutSeconds: number;
  /** openai: seconds without a byte before a request is cut (0: never). */
  stallTimeoutSeconds: number;
  /** openai: retries per request. */
  retries: number;
  /** openai: the env var holding the API key. */
  apiKeyEnv?: string;
  /** greedy or reference. */
  decoding: string;
  /** The run's CogVLM2 template (onnx wraps prompts in it). */
  template?: Cogvlm2Template;
  /** onnx: caps every answer's new tokens (the demo run). */
  maxNewTokensCap?: number;
  /** The model's Hugging Face id (openai: its tokenizer counts output tokens a server does not). */
  modelHfId: string;
}

/** What a factory may use besides the settings. */
export interface EngineContext {
  env: NodeJS.ProcessEnv;
  /** Warnings for the user (stderr). */
  warn: (message: string) => void;
}

/** One engine the registry lists. */
export interface EngineEntry {
  readonly id: string;
  /** What it is, for --help (`--engine ID (SUMMARY)`). */
  readonly summary: string;
  /** Refuses settings this engine cannot honour (InputError/ConfigError: exit 2), before anything is opened. */
  check(settings: EngineSettings): void;
  /** The server recorded in the run's config (`config.engine.server`). */
  server(settings: EngineSettings): string;
  /** Imports the engine's module (only now) and creates the engine. */
  create(settings: EngineSettings, ctx: EngineContext): Promise<Engine>;
}

const openai: EngineEntry = {
  id: 'openai',
  summary: 'an OpenAI-compatible server; the default with --endpoint',
  check(settings) {
    if (!settings.endpoint) throw new InputError('--endpoint URL[,URL…] is required with --engine openai');
  },
  server: (settings) => settings.server,
  async create(settings, ctx) {
    const [{ createOpenAIEngine }, { tokenCounterFor }, { SERVER_DIALECTS, concurrencyWarning, parseServerDialectId }] = await Promise.all([
      import('./openai/engine.js'),
      import('./openai/token-counter.js'),
      import('./openai/dialects.js'),
    ]);
    const engine = createOpenAIEngine(
      {
        endpoints: settings.endpoint as string,
        server: settings.server,
        model: settings.servedModel,
        concurrency: settings.concurrency,
        timeoutMs: settings.timeoutSeconds * 1000,
        stallTimeoutMs: settings.stallTimeoutSeconds * 1000,
        retry: { maxAttempts: settings.retries + 1 },
        apiKeyEnv: settings.apiKeyEnv,
      },
      // Output tokens the server does not count (or miscounts) are counted with the model's tokenizer.
      { env: ctx.env, tokenCounter: tokenCounterFor(settings.modelHfId, ctx.env) },
    );
    const warning = concurrencyWarning(SERVER_DIALECTS[parseServerDialectId(settings.server)], engine.concurrency);
    if (warning !== undefined) ctx.warn(warning);
    return engine;
  },
};

const onnx: EngineEntry = {
  id: 'onnx',
  summary: 'in-process; without --model-dir: the bundled demo model over the demo set',
  check(settings) {
    if (settings.endpoint) throw new InputError('--endpoint is for --engine openai; the onnx engine runs --model-dir in-process');
    if (settings.decoding !== 'greedy') throw new ConfigError('the onnx engine decodes greedily only; use --decoding greedy (or a server that samples, with --engine openai)');
  },
  server: () => 'onnx',
  async create(settings) {
    const [{ createOnnxEngine }, { demoModelDir }] = await Promise.all([import('./onnx/engine.js'), import('./onnx/demo-model.js')]);
    return await createOnnxEngine({
      modelDir: settings.modelDir ?? demoModelDir(),
      ep: settings.ep,
      threads: settings.threads,
      concurrency: settings.concurrency,
      maxNewTokensCap: settings.maxNewTokensCap,
      template: settings.template,
    });
  },
};

/** Every engine, in the order --help lists them. Add a new engine here (docs/adding-an-engine.md). */
export const ENGINES: readonly EngineEntry[] = [openai, onnx];

/** The ids of the registered engines. */
export function engineIds(): string[] {
  return ENGINES.map((e) => e.id);
}

/** The engine `id` names; an unknown id is a ConfigError listing the valid ones. */
export function engineEntry(id: string): EngineEntry {
  const entry = ENGINES.find((e) => e.id === id);
  if (entry === undefined) throw new ConfigError(`unknown engine "${id}"; valid engines: ${engineIds().join(', ')}`);
  return entry;
}

/** The engine a run uses when --engine is not given: openai with --endpoint, else the in-process onnx engine. */
export function defaultEngineId(settings: Pick<EngineSettings, 'endpoint'>): string {
  return settings.endpoint ? 'openai' : 'onnx';
}
