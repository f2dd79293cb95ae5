// The report's files from real runs: HTML escaping and CSP hashes, the embedded sample data and
// thumbnails (size cap, data not present), CSV quoting, Markdown escaping, the terminal table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { buildReport, type ReportOutput } from '../../harness/report/build.js';
import { renderTerminal, safeTerminalText } from '../../harness/report/terminal.js';
import { mdEscape } from '../../harness/report/markdown.js';
import type { SamplesView } from '../../harness/report/samples-view.js';
import { makeReportRuns, PAYLOAD_RUN_ID, PAYLOADS, tempDir, type ReportRuns } from './fixtures.js';

let fx: ReportRuns;
let out: string;
let result: ReportOutput;
let html: string;

beforeAll(async () => {
  fx = await makeReportRuns();
  out = tempDir('cogeval-report-out-');
  result = await buildReport({ runsDir: fx.runsDir, outDir: out, openDataset: fx.openDataset, now: new Date('2026-02-03T04:05:06Z'), chalk: new Chalk({ level: 0 }) });
  html = readFileSync(result.files.html, 'utf8');
});
afterAll(() => {
  if (fx) rmSync(fx.runsDir, { recursive: true, force: true });
  if (out) rmSync(out, { recursive: true, force: true });
});

function between(text: string, start: string, end: string): string {
  const a = text.indexOf(start);
  if (a < 0) throw new Error(`no ${start}`);
  const b = text.indexOf(end, a + start.length);
  return text.slice(a + start.length, b);
}

function sampleData(page: string): SamplesView {
  return JSON.parse(between(page, '<script id="cogeval-samples" type="application/json">', '</script>')) as SamplesView;
}

/** A small RFC 4180 reader (quotes, doubled quotes, commas and newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  return rows;
}

describe('leaderboard.html', () => {
  it('allows only its own inline script and style, by hash', () => {
    const csp = between(html, '<meta http-equiv="Content-Security-Policy" content="', '">').replace(/&#39;/g, "'");
    const script = between(html, '<script>', '</script>');
    const style = between(html, '<style>', '</style>');
    const hash = (t: string): string => `'sha256-${createHash('sha256').update(t, 'utf8').digest('base64')}'`;
    expect(csp).toBe(`default-src 'none'; script-src ${hash(script)}; style-src ${hash(style)}; img-src data:; base-uri 'none'; form-action 'none'`);
    expect(html).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/\sstyle=/);
    // Every tag in the page is the report's own (untrusted '<' is escaped): none has an event handler.
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(500);
    // Attribute values are always double-quoted with '"' escaped, so dropping them leaves the attribute names.
    expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t.replace(/"[^"]*"/g, '""')))).toEqual([]);
    expect(html).not.toMatch(/(src|href)="(?!#|data:)/);
  });

  it('escapes every payload: no raw markup, only the page\'s own two script elements and no img element', () => {
    for (const p of [...PAYLOADS, PAYLOAD_RUN_ID]) expect(html).not.toContain(p);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<a href="javascript');
    // The run id shows up escaped in the tables and charts.
    expect(html).toContain('evil-&lt;img src=x onerror=window.__pwned=6&gt;&quot;onmouseover=&quot;window.__pwned=7');
    const data = sampleData(html);
    for (const p of PAYLOADS) expect(data.strings.some((s) => s.includes(p))).toBe(true);
    expect(data.runs.map((r) => r.id)).toContain(PAYLOAD_RUN_ID);
  });

  it('renders the leaderboard, one chart per benchmark, verdicts, categories, sensitivity and throughput', () => {
    const board = between(html, '<table class="board">', '</table>');
    expect(board.match(/<tr class="reported/g)).toHaveLength(12);
    expect(board.match(/<tr class="run"/g)).toHaveLength(5);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(9);
    expect(html).toContain('id="chart-vcr_hard"');
    expect(between(html, 'id="chart-textvqa"', '</svg>').match(/<circle class="measured"/g)).toHaveLength(4);
    expect(html).toContain('<span class="badge">reproduced</span>');
    expect(html).toContain('<span class="badge">below</span>');
    expect(html).toContain('<span class="badge">above</span>');
    expect(html).toContain('Regular Text Recognition');
    expect(html).toContain('vqa-v2@2016');
    expect(between(html, 'id="throughput"', '</section>').match(/<tr>/g)?.length).toBeGreaterThanOrEqual(6);
    expect(result.board.generatedAt).toBe('2026-02-03T04:05:06.000Z');
  });

  it('embeds WebP thumbnails within the size cap, shared between runs', () => {
    const data = sampleData(html);
    expect(result.thumbnails.made).toBe(data.thumbs.length);
    // demo: 69 units (55 + 7 VCR_EASY + 7 VCR_HARD); three in-memory TextVQA sets (40 + 70 + 40); DocVQA payloads: 10 less one unloadable item and one corrupt image.
    expect(data.thumbs.length).toBe(69 + 150 + 8);
    for (const t of data.thumbs) expect(t).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/=]+$/);
    expect(result.thumbnails.bytes).toBeLessThanOrEqual(3_000_000);
    expect(result.notes.join('\n')).toContain('could not be decoded');
  });

  it('stops at the thumbnail budget and says so', async () => {
    const small = tempDir('cogeval-report-small-');
    try {
      const r = await buildReport({ runDirs: [fx.dirs.demo], outDir: small, openDataset: fx.openDataset, thumbnailBudgetBytes: 20_000 });
      expect(r.thumbnails.bytes).toBeLessThanOrEqual(20_000);
      expect(r.thumbnails.made).toBeGreaterThan(0);
      expect(r.thumbnails.made).toBeLessThan(69);
      expect(r.notes.some((n) => n.includes('size cap'))).toBe(true);
    } finally {
      rmSync(small, { recursive: true, force: true });
    }
  });

  it('gives no thumbnails and a note when the run\'s data is not here (no network)', async () => {
    const dir = tempDir('cogeval-report-nodata-');
    try {
      const r = await buildReport({ runDirs: [fx.dirs.good, fx.dirs.demo], outDir: dir, ctx: { env: { HF_HOME: join(dir, 'empty-hf'), HF_HUB_OFFLINE: '1' }, cwd: dir } });
      // The demo set ships with cogeval; the in-memory set the good run read is nowhere.
      expect(r.thumbnails.made).toBe(69);
      expect(r.notes.some((n) => n.startsWith('textvqa: no thumbnails') && n.includes('synthetic textvqa'))).toBe(true);
      expect(readFileSync(r.files.html, 'utf8')).toContain('textvqa: no thumbnails');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('leaderboard.csv', () => {
  it('has one line per leaderboard row, quoted where needed, with a formula guard', async () => {
    const rows = parseCsv(readFileSync(result.files.csv, 'utf8'));
    expect(rows).toHaveLength(1 + 12 + 5);
    const header = rows[0];
    expect(header.slice(0, 8)).toEqual(['row_type', 'model', 'run_id', 'model_id', 'protocol', 'open_source', 'llm_size', 'textvqa']);
    for (const r of rows) expect(r).toHaveLength(header.length);
    const col = (name: string): number => header.indexOf(name);
    const evil = rows.find((r) => r[col('run_id')] === PAYLOAD_RUN_ID);
    expect(evil?.[col('docvqa_verdict')]).toBe('no-reported');
    const good = rows.find((r) => r[col('run_id')] === 'chat-textvqa-good');
    expect(good?.[col('textvqa')]).toBe('85');
    expect(good?.[col('textvqa_verdict')]).toBe('reproduced');
    expect(good?.[col('docvqa_verdict')]).toBe('not run');
    const claude = rows.find((r) => r[col('model')] === 'Claude3-Opus');
    expect([claude?.[col('textvqa')], claude?.[col('vcr_easy')], claude?.[col('open_source')]]).toEqual(['', '63.85', 'no']);

    const root = tempDir('cogeval-report-csv-');
    try {
      const copy = join(root, 'r');
      cpSync(fx.dirs.good, copy, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(copy, 'run.json'), 'utf8')) as { id: string };
      manifest.id = '=HYPERLINK("http://x","y")';
      writeFileSync(join(copy, 'run.json'), JSON.stringify(manifest));
      const built = await buildReport({ runDirs: [copy], outDir: join(root, 'out'), thumbnailBudgetBytes: 0 });
      const r = parseCsv(readFileSync(built.files.csv, 'utf8'));
      expect(r.find((x) => x[0] === 'run')?.[2]).toBe(`'=HYPERLINK("http://x","y")`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('leaderboard.md and the terminal table', () => {
  it('keeps Markdown tables intact and free of raw HTML', () => {
    const md = readFileSync(result.files.md, 'utf8');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<script');
    const tableLines = md.split('\n').filter((l) => l.startsWith('|'));
    const pipes = (l: string): number => (l.replace(/\\\|/g, '').match(/\|/g) ?? []).length;
    const header = md.split('\n').find((l) => l.startsWith('| Model |')) ?? '';
    const leaderboardLines = tableLines.filter((l) => pipes(l) === pipes(header));
    expect(leaderboardLines.length).toBe(2 + 12 + 5);
    expect(md).toContain('| run evil-&lt;img src=x onerror=window.\\_\\_pwned=6&gt;"onmouseover="window.\\_\\_pwned=7 (chat-int4, cogvlm2) |');
    expect(md).toContain('| chat-textvqa-good | TextVQA | lmms-eval | 40 | 85.0 |');
    expect(md).toContain('✅ reproduced');
    expect(mdEscape('a|b\n<c>')).toBe('a\\|b &lt;c&gt;');
  });

  it('prints every row, colours by verdict and strips control characters', () => {
    const lines = result.terminal;
    expect(lines[0]).toMatch(/^model\s+TextVQA\s+DocVQA/);
    expect(lines.filter((l) => l.includes('(README)'))).toHaveLength(12);
    expect(lines.find((l) => l.startsWith('chat-textvqa-good'))).toMatch(/85\.0 ✓/);
    expect(lines.find((l) => l.startsWith('chinese-textvqa-poor'))).toMatch(/↓/);
    const coloured = renderTerminal(result.board, new Chalk({ level: 1 }));
    expect(coloured.find((l) => l.includes('chat-textvqa-good') && l.includes('✓'))).toContain('\u001b[32m');
    expect(safeTerminalText('run\u001b[2Jx\u009b')).toBe('run?[2Jx?');
  });
});
