// Helpers the CLI-level tests share: an io that records what a command prints, and a list of fake
// OpenAI servers that are stopped after each test.
import { afterEach } from 'vitest';
import type { FakeOpenAIServer } from './fake-openai-server.js';

export interface Captured {
  io: { out: (l: string) => void; err: (l: string) => void };
  out: string[];
  err: string[];
}

/** An io for `main(argv, io)` that keeps every line printed to stdout and stderr. */
export function capture(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, out, err };
}

/** A list of servers stopped after each test; call once at a test file's top level. */
export function serversStoppedAfterEach(): FakeOpenAIServer[] {
  const servers: FakeOpenAIServer[] = [];
  afterEach(async () => {
    while (servers.length) await servers.pop()?.stop();
  });
  return servers;
}
