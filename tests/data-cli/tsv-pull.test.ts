// data pull --source vlmevalkit: download into LMUData with MD5 check, resume with a Range
// request, refuse a wrong MD5; and the quote-aware TSV record count behind `data ls`.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pullTsv, type TsvPullOptions } from '../../harness/datasets/hub/tsv-pull.js';
import { tsvRecordCount } from '../../harness/datasets/hub/counts.js';
import { plainProgress } from '../../harness/datasets/hub/progress.js';
import { readLock } from '../../harness/datasets/hub/lock.js';
import { DataFetchError, DataIntegrityError, DataMissingError } from '../../harness/datasets/hub/errors.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { offlineFetch, startFileServer, tempDir } from './fixtures.js';

// pandas-style TSV: a quoted cell with a newline and a doubled quote, 3 data rows.
const TSV = 'index\tquestion\tanswer\timage\n0\twhat is "it"?\t[\'a\']\tiVBOR\n1\t"two\nlines"\t[\'b\']\tiVBOR\n2\t"say ""hi"""\t[\'c\']\tiVBOR\n';
const BYTES = new TextEncoder().encode(TSV);
const MD5 = createHash('md5').update(BYTES).digest('hex');

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function options(url: string, over: Partial<TsvPullOptions> = {}): Promise<TsvPullOptions> {
  const dir = await tempDir('tsv');
  return {
    bench: 'textvqa',
    spec: { name: 'TINY_VAL', file: 'TINY_VAL.tsv', url: `${url}/utils/TINY_VAL.tsv`, md5: MD5, source: 'test', rows: 3 },
    dir: join(dir, 'LMUData'),
    lockFile: join(dir, 'cogeval.lock.json'),
    offline: false,
    progress: plainProgress(() => {}),
    ...over,
  };
}

describe('tsvRecordCount', () => {
  it('counts records, not lines: quoted newlines and doubled quotes stay inside their cell', async () => {
    const dir = await tempDir('count');
    const f = join(dir, 'x.tsv');
    await writeFile(f, TSV);
    expect(await tsvRecordCount(f)).toBe(3);
    await writeFile(f, TSV.trimEnd());
    expect(await tsvRecordCount(f)).toBe(3);
    await writeFile(f, TSV + '3\t"unterminated\n');
    await expect(tsvRecordCount(f)).rejects.toThrow(/ends inside a quoted cell/);
  });
});

describe('pullTsv', () => {
  it('downloads, checks the MD5, records it, and never fetches a verified file again', async () => {
    const srv = await startFileServer({ '/utils/TINY_VAL.tsv': BYTES });
    close = srv.close;
    const o = await options(srv.url);
    const r = await pullTsv(o);
    expect(r).toMatchObject({ status: 'downloaded', md5: MD5, rows: 3, networkUsed: true });
    expect(await readFile(join(o.dir, 'TINY_VAL.tsv'))).toEqual(Buffer.from(BYTES));
    expect((await readLock(o.lockFile)).entries['textvqa/vlmevalkit']).toMatchObject({ md5: MD5, rows: 3, size: BYTES.length });
    const net = offlineFetch();
    const again = await pullTsv({ ...o, fetch: net.fetch });
    expect(again).toMatchObject({ status: 'verified', networkUsed: false });
    expect(net.calls).toEqual([]);
  });

  it('resumes a partial download with a Range request', async () => {
    const srv = await startFileServer({ '/utils/TINY_VAL.tsv': BYTES });
    close = srv.close;
    const o = await options(srv.url);
    await mkdir(o.dir, { recursive: true });
    await writeFile(join(o.dir, 'TINY_VAL.tsv.incomplete'), BYTES.subarray(0, 40));
    const r = await pullTsv(o);
    expect(r.status).toBe('resumed');
    expect(srv.requests).toEqual([{ path: '/utils/TINY_VAL.tsv', range: 'bytes=40-' }]);
    expect(await readFile(join(o.dir, 'TINY_VAL.tsv'))).toEqual(Buffer.from(BYTES));
    expect(existsSync(join(o.dir, 'TINY_VAL.tsv.incomplete'))).toBe(false);
  });

  it('keeps what arrived when the connection drops, and the next pull resumes from there', async () => {
    let drop = true;
    const ranges: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      ranges.push(req.headers.range);
      const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const start = m === null ? 0 : Number(m[1]);
      res.writeHead(m === null ? 200 : 206, { 'content-length': String(BYTES.length - start) });
      if (drop) {
        drop = false;
        res.write(Buffer.from(BYTES.subarray(0, 30)), () => setTimeout(() => res.destroy(), 20));
        return;
      }
      res.end(Buffer.from(BYTES.subarray(start)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close = () => new Promise<void>((r) => server.close(() => r()));
    const o = await options(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const err = await pullTsv(o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFetchError);
    expect((err as Error).message).toContain('is kept and the next pull resumes it');
    expect((await readFile(join(o.dir, 'TINY_VAL.tsv.incomplete'))).length).toBe(30);
    const r = await pullTsv(o);
    expect(r.status).toBe('resumed');
    expect(ranges).toEqual([undefined, 'bytes=30-']);
    expect(await readFile(join(o.dir, 'TINY_VAL.tsv'))).toEqual(Buffer.from(BYTES));
  });

  it('deletes a download whose MD5 differs from VLMEvalKit\'s and says so', async () => {
    const srv = await startFileServer({ '/utils/TINY_VAL.tsv': new TextEncoder().encode(TSV.replace('what', 'WHAT')) });
    close = srv.close;
    const o = await options(srv.url);
    const err = await pullTsv(o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataIntegrityError);
    expect((err as Error).message).toContain(`VLMEvalKit expects ${MD5}; the file was deleted`);
    expect(existsSync(join(o.dir, 'TINY_VAL.tsv'))).toBe(false);
    expect(existsSync(join(o.dir, 'TINY_VAL.tsv.incomplete'))).toBe(false);
  });

  it('offline with the file missing: DataMissingError naming LMUData and the pull command, no fetch', async () => {
    const net = offlineFetch();
    const o = await options('http://127.0.0.1:9', { offline: true, fetch: net.fetch });
    const err = await pullTsv(o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataMissingError);
    expect((err as Error).message).toContain(`TINY_VAL.tsv (TINY_VAL, md5 ${MD5}) is not in ${o.dir}`);
    expect((err as Error).message).toContain('cogeval data pull --bench textvqa --source vlmevalkit');
    expect(net.calls).toEqual([]);
  });
});
