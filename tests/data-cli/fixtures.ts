// Test fixtures for the data commands: real parquet files in the HF layout, a Hugging Face cache
// folder built by hand (blobs named by sha256, relative snapshot symlinks, refs), and a loopback
// HTTP server that implements the few Hub endpoints @huggingface/hub calls.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { hfParquet } from '../../tools/demo/hf-parquet-writer.js';
import type { HfDatasetSpec } from '../../harness/datasets/hub/specs.js';

export const COMMIT_A = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef';
export const COMMIT_B = 'b'.repeat(8) + 'fedcba9876543210fedcba9876543210';

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `cogeval-${prefix}-`));
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A small parquet shard with `rows` rows of a question/answer table (ids start at `first`). */
export function shard(rows: number, first = 0): Uint8Array {
  return hfParquet(
    [
      { name: 'question_id', type: 'int32' },
      { name: 'question', type: 'string' },
      { name: 'answers', type: 'string_list' },
    ],
    Array.from({ length: rows }, (_, i) => ({ question_id: first + i, question: `question ${first + i}?`, answers: [`answer ${first + i}`] })),
  );
}

/** A spec like a data catalog's `hf` section, for a repository the tests invent. */
export function testSpec(over: Partial<HfDatasetSpec> = {}): HfDatasetSpec {
  return {
    repo: 'test-org/tiny-vqa',
    aliases: ['test-org-renamed/tiny-vqa'],
    config: 'default',
    split: 'validation',
    dir: 'data',
    pattern: 'validation-*.parquet',
    knownFiles: [],
    knownSha256: {},
    revision: null,
    revisionSource: 'test',
    rows: 5,
    ...over,
  };
}

export interface RepoFile {
  path: string;
  bytes: Uint8Array;
}

/** Two shards, 3 + 2 rows, plus a file of another split that must be ignored. */
export function tinyRepo(): RepoFile[] {
  return [
    { path: 'data/validation-00000-of-00002.parquet', bytes: shard(3, 0) },
    { path: 'data/validation-00001-of-00002.parquet', bytes: shard(2, 3) },
    { path: 'data/train-00000-of-00001.parquet', bytes: shard(4, 100) },
    { path: 'README.md', bytes: new TextEncoder().encode('# tiny\n') },
  ];
}

/**
 * Lays files out as huggingface_hub does: datasets--org--name/blobs/<sha256>,
 * snapshots/<commit>/<path> → relative symlink to the blob, refs/<ref> = commit.
 */
export async function populateHfCache(cacheDir: string, repo: string, commit: string, files: RepoFile[], refs: Record<string, string> = {}): Promise<void> {
  const root = join(cacheDir, `datasets--${repo.replace('/', '--')}`);
  for (const f of files) {
    const blob = join(root, 'blobs', sha256(f.bytes));
    await mkdir(dirname(blob), { recursive: true });
    await writeFile(blob, f.bytes);
    const pointer = join(root, 'snapshots', commit, ...f.path.split('/'));
    await mkdir(dirname(pointer), { recursive: true });
    await symlink(relative(dirname(pointer), blob), pointer);
  }
  for (const [ref, c] of Object.entries(refs)) {
    await mkdir(join(root, 'refs'), { recursive: true });
    await writeFile(join(root, 'refs', ref), c);
  }
}

/** A fetch that must never be called: records the attempt and fails like a machine without network. */
export function offlineFetch(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const f = (async (input: string | URL | Request) => {
    calls.push(String(input instanceof Request ? input.url : input));
    throw new TypeError('fetch failed (network is off in this test)');
  }) as typeof fetch;
  return { fetch: f, calls };
}

export interface FakeHub {
  url: string;
  requests: string[];
  /** Serve these bytes instead of the real content for a path (to test checksum mismatches). */
  corrupt: Map<string, Uint8Array>;
  close(): Promise<void>;
}

/**
 * The Hub endpoints that datasetInfo, listFiles and downloadFileToCacheDir call, for one dataset
 * repository at one commit (branch 'main' points to it).
 */
export async function startFakeHub(repo: string, commit: string, files: RepoFile[]): Promise<FakeHub> {
  const requests: string[] = [];
  const corrupt = new Map<string, Uint8Array>();
  const byPath = new Map(files.map((f) => [f.path, f]));
  const entry = (f: RepoFile) => ({
    type: 'file',
    path: f.path,
    size: f.bytes.length,
    oid: createHash('sha1').update(`blob ${f.bytes.length}\0`).update(f.bytes).digest('hex'),
    lfs: f.path.endsWith('.parquet') ? { oid: sha256(f.bytes), size: f.bytes.length, pointerSize: 130 } : undefined,
  });
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString()));
      req.on('end', () => resolve(s));
    });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.method} ${url.pathname}`);
      const api = `/api/datasets/${repo}`;
      const isRev = (r: string) => r === commit || r === 'main';
      if (url.pathname.startsWith(`${api}/revision/`)) {
        const rev = decodeURIComponent(url.pathname.slice(`${api}/revision/`.length));
        if (!isRev(rev)) return json(res, 404, { error: 'Revision not found' });
        return json(res, 200, { _id: 'x', id: repo, sha: commit, private: false, downloads: 0, likes: 0, gated: false, lastModified: '2024-01-01T00:00:00.000Z' });
      }
      if (url.pathname.startsWith(`${api}/tree/`)) {
        const [rev, ...rest] = url.pathname.slice(`${api}/tree/`.length).split('/');
        if (!isRev(decodeURIComponent(rev))) return json(res, 404, { error: 'Revision not found' });
        const dir = rest.join('/');
        const items = files.filter((f) => (dir === '' ? !f.path.includes('/') : f.path.startsWith(dir + '/') && !f.path.slice(dir.length + 1).includes('/'))).map(entry);
        return json(res, 200, items);
      }
      if (url.pathname.startsWith(`${api}/paths-info/`)) {
        const body = JSON.parse(await readBody(req)) as { paths: string[] };
        return json(res, 200, body.paths.filter((p) => byPath.has(p)).map((p) => ({ ...entry(byPath.get(p) as RepoFile), lastCommit: { id: commit, title: 'x', date: '2024-01-01T00:00:00.000Z' } })));
      }
      const resolvePrefix = `/datasets/${repo}/resolve/`;
      if (url.pathname.startsWith(resolvePrefix)) {
        const [rev, ...rest] = url.pathname.slice(resolvePrefix.length).split('/');
        const f = byPath.get(rest.join('/'));
        if (!isRev(decodeURIComponent(rev)) || f === undefined) {
          res.writeHead(404, { 'x-error-code': 'EntryNotFound' });
          return res.end();
        }
        const bytes = corrupt.get(f.path) ?? f.bytes;
        const etag = `"${sha256(f.bytes)}"`;
        if (req.headers.range === 'bytes=0-0') {
          res.writeHead(206, { 'content-range': `bytes 0-0/${bytes.length}`, etag, 'content-length': '1' });
          return res.end(Buffer.from(bytes.subarray(0, 1)));
        }
        res.writeHead(200, { 'content-length': String(bytes.length), etag });
        return res.end(Buffer.from(bytes));
      }
      json(res, 404, { error: `no route ${url.pathname}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    corrupt,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A static file server with HTTP Range support (for VLMEvalKit TSV downloads). */
export async function startFileServer(files: Record<string, Uint8Array>): Promise<{ url: string; requests: { path: string; range?: string }[]; close(): Promise<void> }> {
  const requests: { path: string; range?: string }[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, range: req.headers.range });
    const bytes = files[path];
    if (bytes === undefined) {
      res.writeHead(404);
      return res.end();
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m !== null) {
      const start = Number(m[1]);
      res.writeHead(206, { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}`, 'content-length': String(bytes.length - start) });
      return res.end(Buffer.from(bytes.subarray(start)));
    }
    res.writeHead(200, { 'content-length': String(bytes.length) });
    res.end(Buffer.from(bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Collects CLI output lines. */
export function captureIo(): { io: { out: (l: string) => void; err: (l: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, out, err };
}

/** Strips ANSI colour codes (chalk) from captured lines. */
export function plain(lines: string[]): string {
  // eslint-disable-next-line no-control-regex
  return lines.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
}
