// Where data lives and whether the network may be used: the Hugging Face cache directory
// (resolved exactly as huggingface_hub does), VLMEvalKit's LMUData folder, HF_HUB_OFFLINE,
// HF_ENDPOINT and the access token (never logged).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

/** A variable counts as unset when it is absent or empty (huggingface_hub would use ""; that is never useful). */
function envValue(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Python's os.path.expanduser for the leading "~" / "~/…" form. */
export function expandUser(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return p;
}

/**
 * The Hugging Face hub cache, as huggingface_hub's constants.py computes it:
 * HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub, where HF_HOME defaults to
 * $XDG_CACHE_HOME/huggingface and XDG_CACHE_HOME to ~/.cache.
 */
export function hfHubCacheDir(env: Env): string {
  const explicit = envValue(env, 'HF_HUB_CACHE') ?? envValue(env, 'HUGGINGFACE_HUB_CACHE');
  if (explicit !== undefined) return resolve(expandUser(explicit));
  const xdg = envValue(env, 'XDG_CACHE_HOME') ?? join(homedir(), '.cache');
  const hfHome = envValue(env, 'HF_HOME') ?? join(expandUser(xdg), 'huggingface');
  return resolve(expandUser(hfHome), 'hub');
}

/** huggingface_hub's truthy values for boolean variables (compared upper-cased). */
const TRUE_VALUES = new Set(['1', 'ON', 'YES', 'TRUE']);

/** HF_HUB_OFFLINE=1 (or ON/YES/TRUE): no network call at all, only what is on disk. */
export function hfOffline(env: Env): boolean {
  const v = envValue(env, 'HF_HUB_OFFLINE');
  return v !== undefined && TRUE_VALUES.has(v.toUpperCase());
}

/** The Hub endpoint: HF_ENDPOINT (as huggingface_hub honours it), else the public Hub. */
export function hfEndpoint(env: Env): string {
  return (envValue(env, 'HF_ENDPOINT') ?? 'https://huggingface.co').replace(/\/+$/, '');
}

/** The access token for gated/private repositories: HF_TOKEN, else HUGGING_FACE_HUB_TOKEN. Never printed. */
export function hfToken(env: Env): string | undefined {
  return envValue(env, 'HF_TOKEN') ?? envValue(env, 'HUGGING_FACE_HUB_TOKEN');
}

/** VLMEvalKit's data root (vlmeval/smp/file.py LMUDataRoot): $LMUData, else ~/LMUData. */
export function lmuDataDir(env: Env): string {
  const explicit = envValue(env, 'LMUData');
  return resolve(explicit !== undefined ? expandUser(explicit) : join(homedir(), 'LMUData'));
}

/** Where `data pull` records resolved commits and checksums: --lock, else $COGEVAL_LOCK, else ./cogeval.lock.json. */
export function lockFilePath(env: Env, cwd: string, explicit?: string): string {
  if (explicit !== undefined && explicit !== '') return resolve(cwd, explicit);
  const fromEnv = envValue(env, 'COGEVAL_LOCK');
  return resolve(cwd, fromEnv ?? 'cogeval.lock.json');
}
