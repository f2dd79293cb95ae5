// Tiny SVG building blocks for the demo images (text, shapes, charts, documents), rendered to
// small palette PNGs with sharp. Fonts: DejaVu (Sans, Serif, Sans Mono), as installed.
import sharp from 'sharp';

export const SANS = 'DejaVu Sans';
export const SERIF = 'DejaVu Serif';
export const MONO = 'DejaVu Sans Mono';
/** Advance width of DejaVu Sans Mono glyphs, as a fraction of the font size. */
export const MONO_ADVANCE = 0.602;

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface TextOpts {
  size?: number;
  family?: string;
  weight?: 'normal' | 'bold';
  style?: 'normal' | 'italic';
  fill?: string;
  anchor?: 'start' | 'middle' | 'end';
  rotate?: number;
  stroke?: string;
  strokeWidth?: number;
  letterSpacing?: number;
}

export function text(x: number, y: number, s: string, o: TextOpts = {}): string {
  const attrs = [
    `x="${x}"`,
    `y="${y}"`,
    `font-family="${o.family ?? SANS}"`,
    `font-size="${o.size ?? 20}"`,
    `font-weight="${o.weight ?? 'normal'}"`,
    `font-style="${o.style ?? 'normal'}"`,
    `fill="${o.fill ?? '#111'}"`,
    `text-anchor="${o.anchor ?? 'start'}"`,
  ];
  if (o.rotate !== undefined) attrs.push(`transform="rotate(${o.rotate} ${x} ${y})"`);
  if (o.stroke !== undefined) attrs.push(`stroke="${o.stroke}"`, `stroke-width="${o.strokeWidth ?? 1}"`);
  if (o.letterSpacing !== undefined) attrs.push(`letter-spacing="${o.letterSpacing}"`);
  return `<text ${attrs.join(' ')}>${esc(s)}</text>`;
}

/** Several left-aligned lines starting at (x, y). */
export function lines(x: number, y: number, rows: string[], o: TextOpts & { gap?: number } = {}): string {
  const gap = o.gap ?? (o.size ?? 20) * 1.45;
  return rows.map((r, i) => text(x, y + i * gap, r, o)).join('');
}

export function rect(x: number, y: number, w: number, h: number, fill: string, stroke = 'none', sw = 0, rx = 0): string {
  return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}" stroke="${stroke}" stroke-width="${sw}" rx="${rx}"/>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke = '#111', sw = 2): string {
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${stroke}" stroke-width="${sw}"/>`;
}

export function circle(cx: number, cy: number, r: number, fill: string, stroke = 'none', sw = 0): string {
  return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}" stroke="${stroke}" stroke-width="${sw}"/>`;
}

export function polygon(points: [number, number][], fill: string, stroke = 'none', sw = 0): string {
  return `<polygon points="${points.map(([x, y]) => `${x},${y}`).join(' ')}" fill="${fill}" stroke="${stroke}" stroke-width="${sw}"/>`;
}

export function polyline(points: [number, number][], stroke: string, sw = 3): string {
  return `<polyline points="${points.map(([x, y]) => `${x},${y}`).join(' ')}" fill="none" stroke="${stroke}" stroke-width="${sw}"/>`;
}

export function svg(w: number, h: number, body: string, bg = '#ffffff'): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${rect(0, 0, w, h, bg)}${body}</svg>`;
}

/** Renders an SVG to a palette PNG (few colours, maximum compression): small and deterministic. */
export async function renderPng(svgText: string, colours = 48): Promise<Uint8Array> {
  const out = await sharp(Buffer.from(svgText), { density: 72 })
    .png({ palette: true, colours, compressionLevel: 9, effort: 10, dither: 0 })
    .toBuffer();
  return new Uint8Array(out);
}

export interface Bar {
  label: string;
  value: number;
  color?: string;
}

/** A vertical bar chart with axis, value labels over the bars and category labels under them. */
export function barChart(title: string, bars: Bar[], opts: { w?: number; h?: number; max: number; unit?: string } ): string {
  const w = opts.w ?? 512;
  const h = opts.h ?? 384;
  const left = 60;
  const bottom = h - 50;
  const top = 70;
  const plotW = w - left - 30;
  const step = plotW / bars.length;
  const barW = step * 0.55;
  let body = text(w / 2, 36, title, { size: 20, weight: 'bold', anchor: 'middle' });
  body += line(left, top - 10, left, bottom) + line(left, bottom, w - 20, bottom);
  for (let t = 0; t <= opts.max; t += opts.max / 4) {
    const y = bottom - (t / opts.max) * (bottom - top);
    body += line(left - 5, y, left, y, '#111', 1) + text(left - 8, y + 5, String(t), { size: 13, anchor: 'end', fill: '#444' });
  }
  bars.forEach((b, i) => {
    const x = left + step * i + (step - barW) / 2;
    const bh = (b.value / opts.max) * (bottom - top);
    body += rect(x, bottom - bh, barW, bh, b.color ?? '#3b6fb6');
    body += text(x + barW / 2, bottom - bh - 8, `${b.value}${opts.unit ?? ''}`, { size: 16, weight: 'bold', anchor: 'middle' });
    body += text(x + barW / 2, bottom + 24, b.label, { size: 16, anchor: 'middle' });
  });
  return svg(w, h, body);
}
