// leaderboard.html in a real headless Chromium (Debian's `chromium`, driven by playwright-core):
// charts and tables render, the sample browser's filters and paging work, no console errors, no
// network requests, and none of the injected payloads runs. Chromium missing is a failure, not a skip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildReport } from '../../harness/report/build.js';
import { makeReportRuns, PAYLOAD_RUN_ID, PAYLOADS, tempDir, type ReportRuns } from './fixtures.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

let fx: ReportRuns;
let out: string;
let browser: Browser;
let page: Page;
let fileUrl: string;
const consoleErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  fx = await makeReportRuns();
  out = tempDir('cogeval-report-browser-');
  const result = await buildReport({ runsDir: fx.runsDir, outDir: out, openDataset: fx.openDataset });
  fileUrl = pathToFileURL(result.files.html).href;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // Anything but the report itself would be a network request: record it and refuse it.
  await context.route(/^(?!file:)/, (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.addInitScript('window.__csp = []; document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));');
  await page.goto(fileUrl, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (fx) rmSync(fx.runsDir, { recursive: true, force: true });
  if (out) rmSync(out, { recursive: true, force: true });
});

async function cardCount(): Promise<number> {
  return page.locator('#sb-list article.card').count();
}

async function choose(run: string, bench: string): Promise<void> {
  await page.selectOption('#sb-run', { label: run });
  await page.selectOption('#sb-bench', bench);
}

describe('leaderboard.html in Chromium', () => {
  it('renders the leaderboard, the nine charts (VCR_EASY and VCR_HARD included) and the tables', async () => {
    expect(await page.title()).toBe('CogVLM2 reproduction report');
    expect(await page.locator('table.board tbody tr').count()).toBe(12 + 5);
    expect(await page.locator('table.board tr.run').count()).toBe(5);
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(9);
    // The VCR columns are measured columns: a VCR_HARD board header and a chart of its own.
    expect(await page.locator('table.board thead th', { hasText: 'VCR_HARD' }).count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-vcr_hard').count()).toBe(1);
    for (let i = 0; i < 9; i++) {
      const box = await charts.nth(i).boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(300);
      expect(box?.height ?? 0).toBeGreaterThan(50);
    }
    // TextVQA: four runs with a CI whisker and a measured dot; the README lane has a tick per model with a value.
    expect(await page.locator('#chart-textvqa circle.measured').count()).toBe(4);
    expect(await page.locator('#chart-textvqa line.rtick').count()).toBe(9);
    const dot = await page.locator('#chart-textvqa g.v-reproduced circle.measured').boundingBox();
    expect(dot?.width ?? 0).toBeGreaterThan(5);
    expect(await page.locator('#verdicts .badge', { hasText: 'reproduced' }).count()).toBeGreaterThan(0);
    expect(await page.locator('#throughput tbody tr').count()).toBe(5);
    expect(await page.locator('#sensitivity details').count()).toBe(5);
  });

  it('filters samples by run, benchmark, outcome, category and text, and pages them', async () => {
    expect(await page.locator('#sb-run option').count()).toBe(5);
    await choose('chat-textvqa-good', 'textvqa');
    // The benchmark menu names each benchmark by its module's title.
    expect(await page.locator('#sb-bench option:checked').textContent()).toBe('TextVQA (40)');
    expect(await cardCount()).toBe(40);
    await page.selectOption('#sb-outcome', { label: 'wrong (6)' });
    expect(await cardCount()).toBe(6);
    expect(await page.locator('#sb-list article.card.o-wrong').count()).toBe(6);
    expect(await page.locator('#sb-count').textContent()).toBe('Showing 6 of 6 matching item(s); 40 in this benchmark.');
    await page.selectOption('#sb-outcome', 'all');
    await page.fill('#sb-search', 'sign 3');
    expect(await cardCount()).toBe(11); // sign 3 and sign 30–39
    await page.fill('#sb-search', '');

    await choose('chat-textvqa-above', 'textvqa');
    expect(await cardCount()).toBe(60);
    await page.click('#sb-more');
    expect(await cardCount()).toBe(70);
    expect(await page.locator('#sb-more').isHidden()).toBe(true);

    await choose('chat-demo', 'ocrbench');
    expect(await cardCount()).toBe(10);
    await page.selectOption('#sb-category', { label: 'category: Regular Text Recognition (1)' });
    expect(await cardCount()).toBe(1);
    expect(await page.locator('#sb-list .chip', { hasText: 'Regular Text Recognition' }).count()).toBe(1);
    await page.selectOption('#sb-category', 'all');
    // The demo set's thumbnails are real images, decoded by the browser.
    const widths = (await page.evaluate('Array.from(document.querySelectorAll("#sb-list img")).map((i) => i.naturalWidth)')) as number[];
    expect(widths).toHaveLength(10);
    for (const w of widths) expect(w).toBeGreaterThan(0);
  });

  it('shows payloads as text and never runs them', async () => {
    await choose(PAYLOAD_RUN_ID, 'docvqa');
    expect(await cardCount()).toBe(10);
    const text = (await page.locator('#sb-list').textContent()) ?? '';
    for (const p of PAYLOADS) expect(text).toContain(p);
    expect(await page.locator('#sb-list article.card.o-failed').count()).toBe(2);
    expect(await page.locator('#sb-category option', { hasText: '<img src=x onerror=window.__pwned=5>' }).count()).toBe(1);
    // Hover and click what carries payloads, open every details element.
    for (const sel of ['#sb-list article.card', 'table.board tr.run', '#chart-docvqa g.row', '#verdicts td']) {
      const all = page.locator(sel);
      const n = Math.min(await all.count(), 12);
      for (let i = 0; i < n; i++) await all.nth(i).hover({ force: true });
    }
    await page.evaluate('document.querySelectorAll("details").forEach((d) => { d.open = true; })');
    await page.selectOption('#sb-category', { label: 'question_type: <img src=x onerror=window.__pwned=5> (8)' });
    expect(await cardCount()).toBe(8);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    const handlers = (await page.evaluate('Array.from(document.querySelectorAll("*")).flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => e.tagName + " " + a.name))')) as string[];
    expect(handlers).toEqual([]);
    const srcs = (await page.evaluate('Array.from(document.querySelectorAll("img")).map((i) => i.getAttribute("src"))')) as string[];
    expect(srcs.length).toBeGreaterThan(0);
    for (const s of srcs) expect(s).toMatch(/^data:image\/webp;base64,/);
    const hrefs = (await page.evaluate('Array.from(document.querySelectorAll("[href]")).map((a) => a.getAttribute("href"))')) as string[];
    for (const h of hrefs) expect(h).toMatch(/^(#|data:,$)/);
    expect(await page.evaluate('document.querySelectorAll("script").length')).toBe(2);
  });

  it('made no network request and logged no error or CSP violation', async () => {
    await page.screenshot({ path: join(out, 'leaderboard.png'), fullPage: true });
    const target = process.env['COGEVAL_REPORT_SCREENSHOT'];
    if (target) copyFileSync(join(out, 'leaderboard.png'), target);
    expect(requests.filter((u) => u !== fileUrl && !u.startsWith('data:'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.evaluate('window.__csp')).toEqual([]);
  });
});
