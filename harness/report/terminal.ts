// The leaderboard as a coloured terminal table (chalk): README rows dimmed, runs bold with each
// score coloured by its verdict, then one verdict line per run. Control characters in untrusted
// names are replaced, so a run id cannot inject terminal escape sequences.
import chalk, { type ChalkInstance } from 'chalk';
import { formatReported, formatScore, type Leaderboard } from './model.js';
import type { VerdictKind } from './verdict.js';

const SYMBOL: Record<VerdictKind, string> = {
  reproduced: '✓',
  above: '↑',
  below: '↓',
  'not-comparable': '~',
  'no-reported': '·',
  'no-score': '∅',
};

function colour(kind: VerdictKind, c: ChalkInstance): ChalkInstance {
  switch (kind) {
    case 'reproduced':
      return c.green;
    case 'above':
      return c.cyan;
    case 'below':
      return c.red;
    case 'not-comparable':
      return c.yellow;
    default:
      return c.gray;
  }
}

/** Replaces C0/C1 control characters (ESC included) with '?'. */
export function safeTerminalText(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

interface Cell {
  text: string;
  paint: (s: string) => string;
}

/** Lines of the terminal leaderboard; `c` is a chalk instance (tests pass one with level 0 or 1). */
export function renderTerminal(board: Leaderboard, c: ChalkInstance = chalk): string[] {
  const header: Cell[] = [{ text: 'model', paint: c.bold }, ...board.benches.map((b) => ({ text: b.title, paint: c.bold }))];
  const rows: Cell[][] = [];
  for (const row of board.rows) {
    if (row.kind === 'reported') {
      const paint = row.models.length > 0 ? (s: string): string => s : c.dim;
      rows.push([
        { text: `${safeTerminalText(row.name)} (README)`, paint },
        ...board.benches.map((b) => {
          const v = row.scores[b.id];
          return { text: v === null || v === undefined ? '–' : formatReported(v, b.scale), paint };
        }),
      ]);
      continue;
    }
    rows.push([
      { text: safeTerminalText(row.runId), paint: c.bold.blue },
      ...board.benches.map((b) => {
        const cell = row.cells[b.id];
        if (!cell) return { text: '', paint: (s: string) => s };
        const text = Number.isFinite(cell.value) ? `${cell.display} ${SYMBOL[cell.verdict.kind]}` : `n/a ${SYMBOL[cell.verdict.kind]}`;
        return { text, paint: colour(cell.verdict.kind, c.bold) };
      }),
    ]);
  }
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].text.length)));
  const line = (r: Cell[]): string => r.map((cell, i) => cell.paint(i === 0 ? cell.text.padEnd(widths[i]) : cell.text.padStart(widths[i]))).join('  ');
  const out = [line(header), c.dim(widths.map((w) => '─'.repeat(w)).join('  ')), ...rows.map(line)];
  out.push('');
  out.push(
    c.dim(
      `verdicts: ${board.verdictRules.map((v) => colour(v.kind, c)(`${SYMBOL[v.kind]} ${v.label}`)).join(', ')} — measured 95% CI vs the README value; OCRBench in points`,
    ),
  );
  for (const r of board.runs) {
    const parts = board.benches
      .map((b) => {
        const cell = r.cells[b.id];
        if (!cell) return '';
        const ci = Number.isFinite(cell.ciLo) ? ` [${formatScore(cell.ciLo, b.scale)}, ${formatScore(cell.ciHi, b.scale)}]` : '';
        const rep = cell.reported !== undefined ? ` vs ${formatReported(cell.reported, b.scale)}` : '';
        return colour(cell.verdict.kind, c)(`${b.id} ${cell.display}${ci}${rep} ${cell.verdict.label}${cell.verdict.partial ? ' (partial)' : ''}`);
      })
      .filter((s) => s !== '');
    const imported = r.imported ? ` (imported from ${safeTerminalText(r.imported.label)})` : '';
    out.push(`${c.bold(safeTerminalText(r.runId))}${imported}: ${parts.join('; ')}`);
  }
  return out;
}
