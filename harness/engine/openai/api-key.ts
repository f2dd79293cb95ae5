// The API key: read only from an environment variable whose name is configurable, and scrubbed
// from every string the engine hands out (error messages, server echoes).
import { inspect } from 'node:util';
import { ConfigError } from '../../errors.js';

/**
 * Default variable: `COGEVAL_API_KEY`. `OPENAI_API_KEY` is deliberately not read by default, so
 * a real OpenAI key is never sent to a self-hosted model server by accident; pass
 * `apiKeyEnv: 'OPENAI_API_KEY'` (`--api-key-env OPENAI_API_KEY`) to use it.
 */
export const DEFAULT_API_KEY_ENV = 'COGEVAL_API_KEY';

export const REDACTED = '[redacted]';

/** Holds the key out of sight: not enumerable, not serialisable, not printable. */
export class ApiKey {
  readonly #value: string | undefined;
  /** The variable the key came from (safe to log). */
  readonly envName: string;

  constructor(envName: string, value: string | undefined) {
    this.envName = envName;
    this.#value = value === undefined || value === '' ? undefined : value;
  }

  static fromEnv(envName: string = DEFAULT_API_KEY_ENV, env: NodeJS.ProcessEnv = process.env): ApiKey {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) {
      throw new ConfigError(`--api-key-env must name an environment variable (letters, digits, _), got '${envName}'`);
    }
    const value = env[envName];
    if (value !== undefined && /[\r\n]/.test(value)) {
      throw new ConfigError(`the API key in $${envName} contains a line break; remove it (the key itself is not shown)`);
    }
    return new ApiKey(envName, value);
  }

  get present(): boolean {
    return this.#value !== undefined;
  }

  /** The Authorization header value, or undefined when no key is set. */
  authorization(): string | undefined {
    return this.#value === undefined ? undefined : `Bearer ${this.#value}`;
  }

  /** `text` with every occurrence of the key replaced by `[redacted]`. */
  redact(text: string): string {
    if (this.#value === undefined || !text.includes(this.#value)) return text;
    return text.split(this.#value).join(REDACTED);
  }

  /**
   * Generated text with an echoed key scrubbed. Keys shorter than 8 characters (placeholders
   * such as `EMPTY`) are left alone there: scrubbing them would alter genuine answers.
   */
  redactGenerated(text: string): string {
    return this.#value !== undefined && this.#value.length >= 8 ? this.redact(text) : text;
  }

  toString(): string {
    return `ApiKey($${this.envName}${this.present ? '' : ', unset'})`;
  }

  toJSON(): Record<string, unknown> {
    return { env: this.envName, present: this.present };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
