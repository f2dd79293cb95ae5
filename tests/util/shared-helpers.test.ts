// The shared helpers of harness/util/: atomic writes leave the complete new content and no temp
// file, the JSON object guard accepts objects only, canonical JSON ignores key order, the hash
// helpers give the published digests.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempPathFor, writeFileAtomic, writeFileAtomicAsync, writeJsonAtomic } from '../../harness/util/atomic-write.js';
import { isJsonObject } from '../../harness/util/json-guards.js';
import { canonicalJson } from '../../harness/util/canonical-json.js';
import { hashFile, sha256Base64, sha256FileSync, sha256Hex } from '../../harness/util/hash.js';

const dir = mkdtempSync(join(tmpdir(), 'cogeval-util-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('atomic writes', () => {
  it('replace a file with the complete new content and leave no temp file', async () => {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'old content that is longer');
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    await writeFileAtomicAsync(file, 'newer');
    expect(readFileSync(file, 'utf8')).toBe('newer');
    expect(readdirSync(dir)).toEqual(['a.txt']);
    expect(existsSync(tempPathFor(file))).toBe(false);
    expect(tempPathFor(file)).toBe(`${file}.tmp-${process.pid}`);
  });

  it('write JSON pretty-printed with a final newline', () => {
    const file = join(dir, 'b.json');
    writeJsonAtomic(file, { b: [1], a: 'x' });
    expect(readFileSync(file, 'utf8')).toBe('{\n  "b": [\n    1\n  ],\n  "a": "x"\n}\n');
  });

  it('leave the old file in place when the write fails (the folder is missing)', () => {
    expect(() => writeFileAtomic(join(dir, 'missing', 'c.txt'), 'x')).toThrow(/ENOENT/);
  });
});

describe('isJsonObject', () => {
  it('accepts objects and refuses null, arrays and scalars', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject({ a: 1 })).toBe(true);
    for (const v of [null, undefined, [], [1], 'x', 1, true]) expect(isJsonObject(v)).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: { d: 1, c: undefined, a: 2 }, a: [{ z: 1, y: 2 }] })).toBe('{"a":[{"y":2,"z":1}],"b":{"a":2,"d":1}}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
});

describe('hash helpers', () => {
  // Published test vectors: sha256("abc") (FIPS 180-2 appendix B.1), md5("abc") (RFC 1321 A.5),
  // and git's blob id of "abc" (`printf abc | git hash-object --stdin`).
  const SHA256_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  it('hash text and bytes alike', () => {
    expect(sha256Hex('abc')).toBe(SHA256_ABC);
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(SHA256_ABC);
    expect(sha256Base64('abc')).toBe(Buffer.from(SHA256_ABC, 'hex').toString('base64'));
  });
  it('hash files whole or streamed, in every algorithm', async () => {
    const file = join(dir, 'abc.txt');
    writeFileSync(file, 'abc');
    expect(sha256FileSync(file)).toBe(SHA256_ABC);
    expect(await hashFile(file, 'sha256')).toBe(SHA256_ABC);
    expect(await hashFile(file, 'md5')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(await hashFile(file, 'git-sha1')).toBe('f2ba8f84ab5c1bce84a7b441cb1959cfc7093b7f');
  });
});
