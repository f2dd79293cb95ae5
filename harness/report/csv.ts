// leaderboard.csv: one line per leaderboard row (README rows and runs, in the page's order), one
// value column per benchmark plus its CI, n, profile and verdict; csv-stringify does the quoting.
import { stringify } from 'csv-stringify/sync';
import type { Leaderboard } from './model.js';

/** Text cells that a spreadsheet would run as a formula get a leading apostrophe. */
function cellText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function round(x: number | undefined, digits = 4): number | '' {
  if (x === undefined || !Number.isFinite(x)) return '';
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function renderCsv(board: Leaderboard): string {
  const header = ['row_type', 'model', 'run_id', 'model_id', 'protocol', 'open_source', 'llm_size'];
  for (const b of board.benches) header.push(b.id, `${b.id}_ci_low`, `${b.id}_ci_high`, `${b.id}_n`, `${b.id}_profile`, `${b.id}_reported`, `${b.id}_verdict`);
  for (const c of board.extraColumns) header.push(c.key);
  const records: (string | number)[][] = [header];
  for (const row of board.rows) {
    if (row.kind === 'reported') {
      const rec: (string | number)[] = ['reported', cellText(row.name), '', '', '', row.openSource === null ? '' : row.openSource ? 'yes' : 'no', cellText(row.llmSize ?? '')];
      for (const b of board.benches) {
        const v = row.scores[b.id];
        rec.push(v === null || v === undefined ? '' : v, '', '', '', '', '', '');
      }
      for (const c of board.extraColumns) {
        const v = row.scores[c.key];
        rec.push(v === null || v === undefined ? '' : v);
      }
      records.push(rec);
      continue;
    }
    const rec: (string | number)[] = ['run', cellText(row.model.name), cellText(row.runId), cellText(row.model.hfId), cellText(row.protocol), '', ''];
    for (const b of board.benches) {
      const c = row.cells[b.id];
      if (!c) {
        rec.push('', '', '', '', '', '', 'not run');
        continue;
      }
      rec.push(round(c.value), round(c.ciLo), round(c.ciHi), c.n, c.profile, c.reported ?? '', c.verdict.kind);
    }
    for (let i = 0; i < board.extraColumns.length; i++) rec.push('');
    records.push(rec);
  }
  return stringify(records, { record_delimiter: '\n' });
}
