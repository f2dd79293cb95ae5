// The shared helpers of harness/util/: atomic writes leave the complete new content and no temp
// file, the JSON object guard accepts objects only, canonical JSON ignores key order.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempPathFor, writeFileAtomic, writeFileAtomicAsync, writeJsonAtomic } from '../../harness/util/atomic-write.js';
import { isJsonObject } from '../../harness/util/json-guards.js';
import { canonicalJson } from '../../harness/util/canonical-json.js';

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
