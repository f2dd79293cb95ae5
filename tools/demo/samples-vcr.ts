// Demo rows for VCR (easy and hard) in the vcr-org/VCR-wiki-en-*-test parquet layout: a drawn
// picture above its caption, in which each masked phrase is covered except for a thin band of
// its glyphs (easy: top and bottom slivers; hard: the top sliver only), imitating VCR's images.
import type { Cell, Column } from './hf-parquet-writer.js';
import { circle, line, MONO, MONO_ADVANCE, polygon, rect, renderPng, svg, text } from './svg.js';
import type { DemoTable } from './samples-text.js';

export type VcrDemoDifficulty = 'easy' | 'hard';

interface VcrScene {
  picture: string;
  caption: string;
  crossed: string[];
}

const PIC_W = 480;
const PIC_H = 220;
const FONT = 18;
const CHAR_W = FONT * MONO_ADVANCE;
const LINE_H = 30;
const MAX_CHARS = 48;

function sky(body: string, ground = '#8a9a5b'): string {
  return `${rect(0, 0, PIC_W, PIC_H, '#cfe3f3')}${rect(0, 170, PIC_W, 50, ground)}${body}`;
}

function scenes(): VcrScene[] {
  return [
    {
      picture: sky(`${polygon([[240, 20], [200, 170], [280, 170]], '#6d5a3a', '#3e3322', 3)}${line(215, 110, 265, 110, '#3e3322', 4)}`),
      caption: 'The Eiffel Tower in Paris was completed in 1889 as the entrance arch to the World Fair.',
      crossed: ['was completed in 1889 as', 'arch to the World Fair.'],
    },
    {
      picture: sky(`${rect(0, 150, PIC_W, 70, '#3d7ab8')}${polygon([[170, 150], [310, 150], [290, 175], [190, 175]], '#7b4a2a')}${line(240, 70, 240, 150, '#333', 4)}${polygon([[243, 75], [243, 140], [295, 140]], '#fafafa', '#777', 2)}`, '#3d7ab8'),
      caption: 'A wooden fishing boat leaving the harbour of Kiel early in the morning, 1905.',
      crossed: ['the harbour of Kiel early'],
    },
    {
      picture: sky(`${circle(240, 95, 45, '#e9c9a6', '#6b4f36', 3)}${rect(185, 140, 110, 60, '#4a3b6b')}${circle(225, 88, 5, '#222')}${circle(255, 88, 5, '#222')}`, '#b8a58a'),
      caption: 'Portrait of Ada Lovelace, who wrote the first published algorithm for a machine.',
      crossed: ['who wrote the first published'],
    },
    {
      picture: sky(`${rect(140, 60, 200, 110, '#b03a2e', '#5a1d17', 3)}${polygon([[130, 60], [240, 15], [350, 60]], '#5a1d17')}${rect(225, 120, 30, 50, '#3e2a1e')}`),
      caption: "The old town hall, built in 1612, houses the city's museum of local history today.",
      crossed: ['built in 1612, houses the', 'museum of local history today.'],
    },
    {
      picture: sky(`${polygon([[60, 170], [190, 40], [320, 170]], '#7d8a96')}${polygon([[160, 70], [190, 40], [220, 70]], '#ffffff')}${polygon([[240, 170], [340, 80], [440, 170]], '#66737f')}`),
      caption: 'Snow on the summit of Mount Rainier, seen from the Paradise visitor centre in July.',
      crossed: ['seen from the Paradise visitor'],
    },
    {
      picture: sky(`${rect(90, 100, 300, 50, '#c9302c', '#701b18', 3)}${circle(140, 160, 18, '#222')}${circle(340, 160, 18, '#222')}${rect(110, 110, 50, 25, '#e8f1f8')}${rect(180, 110, 50, 25, '#e8f1f8')}`, '#9a9a9a'),
      caption: "A red tram on line 5 crosses the river bridge; it doesn't stop at night.",
      crossed: ['on line 5 crosses the', "it doesn't stop at night."],
    },
    {
      picture: sky(`${rect(150, 50, 180, 120, '#f3e4b5', '#8b7b4b', 3)}${line(170, 80, 310, 80, '#8b7b4b', 2)}${line(170, 105, 310, 105, '#8b7b4b', 2)}${line(170, 130, 290, 130, '#8b7b4b', 2)}`, '#c2b59b'),
      caption: 'A page of the Gutenberg Bible, printed with movable metal type around 1455 in Mainz.',
      crossed: ['printed with movable metal type'],
    },
  ];
}

/** Greedy word wrap at MAX_CHARS; returns the start offset of each line in the caption. */
function wrap(caption: string): Array<{ start: number; text: string }> {
  const out: Array<{ start: number; text: string }> = [];
  let start = 0;
  while (start < caption.length) {
    let end = Math.min(caption.length, start + MAX_CHARS);
    if (end < caption.length) {
      const space = caption.lastIndexOf(' ', end);
      if (space > start) end = space;
    }
    out.push({ start, text: caption.slice(start, end) });
    start = end;
    while (caption[start] === ' ') start++;
  }
  return out;
}

/** Character offsets of the caption covered by the masks (every occurrence's first match). */
function maskedOffsets(caption: string, crossed: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const c of crossed) {
    const at = caption.indexOf(c);
    if (at < 0) throw new Error(`vcr demo: "${c}" is not in the caption`);
    for (let k = at; k < at + c.length; k++) if (caption[k] !== ' ') out.add(k);
  }
  return out;
}

/** The caption strip: text lines, then the masks over the covered glyph runs. */
function captionStrip(caption: string, crossed: readonly string[], difficulty: VcrDemoDifficulty, y0: number): { body: string; height: number } {
  const rows = wrap(caption);
  const masked = maskedOffsets(caption, crossed);
  let body = '';
  rows.forEach((row, r) => {
    const baseline = y0 + 24 + r * LINE_H;
    body += text(16, baseline, row.text, { size: FONT, family: MONO });
    // Glyph band of the line: cap height above the baseline to the descenders below it.
    const top = baseline - FONT * 0.78;
    const bottom = baseline + FONT * 0.24;
    const h = bottom - top;
    // easy: a band from 30% to 78% of the glyph height is covered; hard: from 22% to 100%.
    const [from, to] = difficulty === 'easy' ? [0.3, 0.78] : [0.22, 1.05];
    let k = 0;
    while (k < row.text.length) {
      if (!masked.has(row.start + k)) {
        k++;
        continue;
      }
      let e = k;
      while (e < row.text.length && (masked.has(row.start + e) || (row.text[e] === ' ' && masked.has(row.start + e + 1)))) e++;
      body += rect(16 + k * CHAR_W - 1, top + from * h, (e - k) * CHAR_W + 2, (to - from) * h, '#ffffff');
      k = e;
    }
  });
  return { body, height: 16 + rows.length * LINE_H };
}

/** The table of one split: 7 rows, question_id from 0, images rendered here. */
export async function vcrTable(difficulty: VcrDemoDifficulty): Promise<DemoTable> {
  const columns: Column[] = [
    { name: 'question_id', type: 'int64' },
    { name: 'image', type: 'image' },
    { name: 'caption', type: 'string' },
    { name: 'stacked_image', type: 'image' },
    { name: 'only_it_image', type: 'image' },
    { name: 'only_it_image_small', type: 'image' },
    { name: 'crossed_text', type: 'string_list' },
  ];
  const rows: Record<string, Cell>[] = [];
  for (const [i, s] of scenes().entries()) {
    const strip = captionStrip(s.caption, s.crossed, difficulty, 0);
    const stackedStrip = captionStrip(s.caption, s.crossed, difficulty, PIC_H);
    const picture = await renderPng(svg(PIC_W, PIC_H, s.picture));
    const stacked = await renderPng(svg(PIC_W, PIC_H + stackedStrip.height, `${s.picture}${stackedStrip.body}`));
    const onlyIt = await renderPng(svg(PIC_W, strip.height, strip.body));
    const small = await renderPng(svg(PIC_W / 2, strip.height / 2, `<g transform="scale(0.5)">${strip.body}</g>`));
    rows.push({
      question_id: BigInt(i),
      image: { bytes: picture, path: null },
      caption: s.caption,
      stacked_image: { bytes: stacked, path: null },
      only_it_image: { bytes: onlyIt, path: null },
      only_it_image_small: { bytes: small, path: null },
      crossed_text: s.crossed,
    });
  }
  return { path: 'data/test-00000-of-00001.parquet', columns, rows };
}
