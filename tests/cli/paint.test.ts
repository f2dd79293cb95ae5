// Colours on the score path: chalk is imported only when it could colour, and the output is then
// chalk's own; into a pipe without FORCE_COLOR the text is what chalk would print there (plain).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { mayColour } from '../../harness/cli/paint.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('paint', () => {
  it('asks chalk whenever its colour rules could give colour', () => {
    expect(mayColour({}, ['node', 'cogeval'], false)).toBe(false);
    expect(mayColour({}, ['node', 'cogeval'], true)).toBe(true);
    expect(mayColour({ FORCE_COLOR: '0' }, [], false)).toBe(true);
    expect(mayColour({ FORCE_COLOR: '1' }, [], false)).toBe(true);
    expect(mayColour({ TF_BUILD: 'True', AGENT_NAME: 'a' }, [], false)).toBe(true);
    expect(mayColour({ TF_BUILD: 'True' }, [], false)).toBe(false);
    for (const flag of ['--color', '--colors', '--color=256', '--no-color', '--color=always']) expect(mayColour({}, ['node', 'x', flag], false)).toBe(true);
    expect(mayColour({}, ['node', 'x', '--colorful-name'], false)).toBe(false);
  });

  it('colours score output with FORCE_COLOR and prints plain text into a pipe without it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cogeval-paint-')), 'p.jsonl');
    writeFileSync(file, JSON.stringify({ id: 1, prediction: 'a', answers: ['a'] }) + '\n');
    const args = [join(ROOT, 'bin/cogeval.js'), 'score', '--bench', 'docvqa', '--predictions', file];
    const env = { ...process.env };
    delete env['FORCE_COLOR'];
    delete env['NO_COLOR'];
    delete env['TF_BUILD'];
    const plain = spawnSync(process.execPath, args, { encoding: 'utf8', env, timeout: 60_000 }); // one Node start-up; generous for a loaded 2-core machine
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('docvqa: 1 items from');
    expect(plain.stdout).not.toContain('\u001b[');
    const coloured = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...env, FORCE_COLOR: '1' }, timeout: 60_000 });
    expect(coloured.status, coloured.stderr).toBe(0);
    expect(coloured.stdout).toContain('\u001b[1mdocvqa: 1 items from');
    expect(stripVTControlCharacters(coloured.stdout)).toBe(plain.stdout);
  });
});
