// leaderboard.md: the leaderboard and the verdicts as GitHub-flavoured Markdown, for CI step
// summaries and PR comments. Untrusted text (run ids, model names) is escaped: no raw HTML, no
// links, no table breaks.
import { formatReported, formatScore, type Leaderboard, type MeasuredCell } from './model.js';
import type { VerdictKind } from './verdict.js';

const MARK: Record<VerdictKind, string> = {
  reproduced: '✅',
  above: '🔼',
  below: '🔽',
  'not-comparable': '⚠️',
  'no-reported': '➖',
  'no-score': '∅',
};

/** Escapes text for a Markdown table cell: HTML-significant characters as entities, Markdown punctuation with backslashes. */
export function mdEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~#!()]/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ');
}

function ci(c: MeasuredCell, scale: 'percent' | 'points1000'): string {
  return Number.isFinite(c.ciLo) && Number.isFinite(c.ciHi) ? `[${formatScore(c.ciLo, scale)}, ${formatScore(c.ciHi, scale)}]` : '';
}

export function renderMarkdown(board: Leaderboard): string {
  const out: string[] = [];
  out.push(`## ${mdEscape(board.title)}`, '');
  out.push(`${board.runs.length} run(s) · generated ${board.generatedAt.replace('T', ' ').slice(0, 16)} UTC · reported scores: ${mdEscape(board.reportedSource.document)} @ ${mdEscape(board.reportedSource.commit.slice(0, 12))}`, '');
  out.push('### Leaderboard', '');
  const cols = [...board.benches.map((b) => b.title), ...board.extraColumns.map((c) => c.title)];
  out.push(`| Model | ${cols.map(mdEscape).join(' | ')} |`);
  out.push(`|---|${cols.map(() => '---:').join('|')}|`);
  for (const row of board.rows) {
    if (row.kind === 'reported') {
      const cells = [
        ...board.benches.map((b) => {
          const v = row.scores[b.id];
          if (v === null || v === undefined) return '–';
          const t = formatReported(v, b.scale);
          return row.best.includes(b.id) ? `**${t}**` : t;
        }),
        ...board.extraColumns.map((c) => {
          const v = row.scores[c.key];
          return v === null || v === undefined ? '–' : formatReported(v, c.scale ?? 'percent');
        }),
      ];
      out.push(`| ${mdEscape(row.name)} (README) | ${cells.join(' | ')} |`);
      continue;
    }
    const cells = [
      ...board.benches.map((b) => {
        const c = row.cells[b.id];
        if (!c) return '·';
        if (!Number.isFinite(c.value)) return `${MARK[c.verdict.kind]} n/a`;
        return `${MARK[c.verdict.kind]} **${mdEscape(c.display)}** ${ci(c, b.scale)}`;
      }),
      ...board.extraColumns.map(() => '·'),
    ];
    const imported = row.imported ? `, imported from ${mdEscape(row.imported.label)}` : '';
    out.push(`| run ${mdEscape(row.runId)} (${mdEscape(row.model.name)}, ${mdEscape(row.protocol)}${imported}) | ${cells.join(' | ')} |`);
  }
  out.push('');
  out.push(`Verdicts: ${board.verdictRules.map((v) => `${MARK[v.kind]} ${v.label}`).join(' · ')}. Scores on the table's scale (percent; OCRBench points of 1000) with 95% confidence intervals; – = no value in the README, · = not measured.`, '');
  if (board.runs.length > 0) {
    out.push('### Verdicts', '');
    out.push('| Run | Benchmark | Profile | n | Score | 95% CI | Reported | Δ | Verdict |');
    out.push('|---|---|---|---:|---:|---|---:|---:|---|');
    for (const r of board.runs) {
      for (const b of board.benches) {
        const c = r.cells[b.id];
        if (!c) continue;
        const delta = c.delta === undefined ? '' : `${c.delta >= 0 ? '+' : '−'}${formatScore(Math.abs(c.delta), b.scale)}`;
        const partial = c.verdict.partial ? ` (partial: ${mdEscape(c.verdict.partial)})` : '';
        out.push(`| ${mdEscape(r.runId)} | ${b.title} | ${mdEscape(c.profile)} | ${c.n} | ${mdEscape(c.display)} | ${ci(c, b.scale)} | ${c.reported === undefined ? '' : formatReported(c.reported, b.scale)} | ${delta} | ${MARK[c.verdict.kind]} ${c.verdict.label}${partial} |`);
      }
    }
    out.push('');
  }
  const printed = board.runs.flatMap((r) =>
    board.benches.flatMap((b) =>
      (r.sensitivity[b.id] ?? []).flatMap((e) =>
        e.printed ? [`| ${mdEscape(r.runId)} | ${b.title} | ${mdEscape(e.profile)} | ${mdEscape(formatScore(e.printed.value, b.scale))} | ${mdEscape(e.display)} | ${mdEscape(e.printed.label)} |`] : [],
      ),
    ),
  );
  if (printed.length > 0) {
    out.push('### Scores the imported sources printed', '');
    out.push('| Run | Benchmark | Profile | Source printed | cogeval | From |', '|---|---|---|---:|---:|---|', ...printed, '');
  }
  const notComparable = board.benches.filter((b) => !b.comparable);
  if (notComparable.length > 0) {
    out.push(`Not comparable with the README: ${notComparable.map((b) => `${b.title} (README: ${mdEscape(b.reportedSplit)})`).join('; ')}.`, '');
  }
  if (board.skipped.length > 0) {
    out.push('### Skipped runs', '');
    for (const s of board.skipped) out.push(`- ${mdEscape(s.dir)}: ${mdEscape(s.reason)}`);
    out.push('');
  }
  return out.join('\n');
}
