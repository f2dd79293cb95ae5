// Inline SVG charts of the HTML report: per benchmark, every run's score with its 95% CI whisker
// beside the README value of the run's model (diamond) and the other README rows (ticks).
// Deterministic strings; every label is escaped; no style attributes (the CSP forbids them).
import { esc } from './html-escape.js';
import { formatReported, formatScore, type BenchInfo, type Leaderboard, type RunRow } from './model.js';
import type { VerdictKind } from './verdict.js';

const WIDTH = 640;
const LABEL_W = 190;
const RIGHT = 64;
const TOP = 30;
const ROW_H = 26;
const BOTTOM = 10;

function niceStep(span: number): number {
  const raw = span / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** The x range of a chart: all values and reported numbers, padded, within the scale's bounds. */
export function chartDomain(values: readonly number[], max: number): { lo: number; hi: number; step: number } {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { lo: 0, hi: max, step: niceStep(max) };
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  const pad = Math.max((hi - lo) * 0.08, max * 0.02);
  lo = Math.max(0, lo - pad);
  hi = Math.min(max, hi + pad);
  const step = niceStep(hi - lo);
  lo = Math.max(0, Math.floor(lo / step) * step);
  hi = Math.min(max, Math.ceil(hi / step) * step);
  return { lo, hi, step };
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function num(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

const VERDICT_CLASS: Record<VerdictKind, string> = {
  reproduced: 'v-reproduced',
  above: 'v-above',
  below: 'v-below',
  'not-comparable': 'v-not-comparable',
  'no-reported': 'v-no-reported',
  'no-score': 'v-no-score',
};

export function verdictClass(kind: VerdictKind): string {
  return VERDICT_CLASS[kind];
}

/** One benchmark's measured-vs-reported chart. */
export function benchChart(info: BenchInfo, runs: readonly RunRow[], board: Leaderboard): string {
  const max = info.scale === 'percent' ? 100 : 1000;
  const reported = board.rows.flatMap((r) => (r.kind === 'reported' && typeof r.scores[info.id] === 'number' ? [{ name: r.name, value: r.scores[info.id] as number, ours: r.models.length > 0 }] : []));
  const shown = runs.filter((r) => r.cells[info.id] !== undefined);
  const values: number[] = reported.map((r) => r.value);
  for (const r of shown) {
    const c = r.cells[info.id];
    if (!c) continue;
    values.push(c.value, c.ciLo, c.ciHi);
    if (c.reported !== undefined) values.push(c.reported);
  }
  const { lo, hi, step } = chartDomain(values, max);
  const plotW = WIDTH - LABEL_W - RIGHT;
  const x = (v: number): number => LABEL_W + ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo || 1)) * plotW;
  const rowsN = 1 + shown.length;
  const height = TOP + rowsN * ROW_H + BOTTOM;
  const parts: string[] = [];
  parts.push(`<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${esc(`${info.title}: measured scores with 95% confidence intervals against the reported values`)}">`);
  parts.push(`<title>${esc(`${info.title}: measured vs reported`)}</title>`);
  // Grid and axis labels.
  for (let t = lo; t <= hi + 1e-9; t += step) {
    const gx = num(x(t));
    parts.push(`<line class="grid" x1="${gx}" y1="${TOP - 6}" x2="${gx}" y2="${height - BOTTOM}"/>`);
    parts.push(`<text class="tick" x="${gx}" y="${TOP - 12}" text-anchor="middle">${esc(info.scale === 'percent' ? String(Math.round(t * 10) / 10) : String(Math.round(t)))}</text>`);
  }
  // README row: one tick per model with a value.
  const y0 = TOP + ROW_H / 2;
  parts.push(`<text class="label readme" x="${LABEL_W - 10}" y="${num(y0 + 4)}" text-anchor="end">README table</text>`);
  parts.push(`<line class="lane" x1="${LABEL_W}" y1="${num(y0)}" x2="${LABEL_W + plotW}" y2="${num(y0)}"/>`);
  for (const r of reported) {
    const rx = num(x(r.value));
    parts.push(`<line class="${r.ours ? 'rtick ours' : 'rtick'}" x1="${rx}" y1="${num(y0 - 7)}" x2="${rx}" y2="${num(y0 + 7)}"><title>${esc(`${r.name}: ${formatReported(r.value, info.scale)}`)}</title></line>`);
  }
  shown.forEach((run, i) => {
    const c = run.cells[info.id];
    if (!c) return;
    const y = TOP + (i + 1) * ROW_H + ROW_H / 2;
    const cls = verdictClass(c.verdict.kind);
    parts.push(`<g class="row ${cls}">`);
    parts.push(`<text class="label" x="${LABEL_W - 10}" y="${num(y + 4)}" text-anchor="end">${esc(truncate(run.runId, 28))}<title>${esc(`${run.runId} (${run.model.name}, ${run.protocol})`)}</title></text>`);
    parts.push(`<line class="lane" x1="${LABEL_W}" y1="${num(y)}" x2="${LABEL_W + plotW}" y2="${num(y)}"/>`);
    if (!Number.isFinite(c.value)) {
      parts.push(`<text class="na" x="${LABEL_W + 6}" y="${num(y + 4)}">no score</text></g>`);
      return;
    }
    if (Number.isFinite(c.ciLo) && Number.isFinite(c.ciHi)) {
      const a = num(x(c.ciLo));
      const b = num(x(c.ciHi));
      parts.push(`<line class="ci" x1="${a}" y1="${num(y)}" x2="${b}" y2="${num(y)}"/>`);
      parts.push(`<line class="ci" x1="${a}" y1="${num(y - 5)}" x2="${a}" y2="${num(y + 5)}"/>`);
      parts.push(`<line class="ci" x1="${b}" y1="${num(y - 5)}" x2="${b}" y2="${num(y + 5)}"/>`);
    }
    if (c.reported !== undefined) {
      const rx = x(c.reported);
      parts.push(`<path class="reported" d="M${num(rx)} ${num(y - 6)}L${num(rx + 6)} ${num(y)}L${num(rx)} ${num(y + 6)}L${num(rx - 6)} ${num(y)}Z"><title>${esc(`reported ${formatReported(c.reported, info.scale)} (${run.reportedRow ?? ''})`)}</title></path>`);
    }
    const ci = Number.isFinite(c.ciLo) ? ` [${formatScore(c.ciLo, info.scale)}, ${formatScore(c.ciHi, info.scale)}]` : '';
    parts.push(`<circle class="measured" cx="${num(x(c.value))}" cy="${num(y)}" r="5"><title>${esc(`${run.runId}: ${c.display}${ci}, n=${c.n}, ${c.profile} — ${c.verdict.label}`)}</title></circle>`);
    parts.push(`<text class="value" x="${WIDTH - RIGHT + 8}" y="${num(y + 4)}">${esc(c.display)}</text>`);
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}
