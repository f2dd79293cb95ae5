// `cogeval --help` and `cogeval --version` without loading yargs (which alone costs more than the
// 120 ms start-up budget): the top-level help is laid out from the command list exactly as yargs
// lays it out (same columns, wrapping and alignment; tests/cli/commands.test.ts compares the two).
import { COMMANDS } from './commands.js';

export const USAGE = '$0 <command> [options]\n\nExact, explainable CogVLM2 benchmark scores.';

/** The terminal width the CLI lays help out for (yargs' `.wrap()` gets the same). */
export function helpWidth(): number {
  return Math.min(110, process.stdout.columns ?? 100);
}

interface Col {
  text: string;
  width?: number;
  /** top, right, bottom, left */
  padding: [number, number, number, number];
  align?: 'right';
}
type Row = Col[] & { span?: boolean };
interface Line {
  text: string;
  span?: boolean;
  hidden?: boolean;
}

/** Greedy word wrap at `width` columns, breaking words longer than a line (ASCII text only). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(' ')) {
      if (line.length > 0 && line.length + 1 + word.length > width) {
        out.push(line);
        line = '';
      }
      while (word.length > width) {
        out.push(word.slice(0, width));
        word = word.slice(width);
      }
      line = line.length > 0 ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

/** The two-dimensional layout cliui (yargs' layout library) produces for these rows. */
function layout(rows: Row[], width: number): string {
  const lines: Line[] = [];
  const inner = (c: Col): number => (c.width ?? 0) - c.padding[1] - c.padding[3];
  for (const row of rows) {
    const unset = row.filter((c) => !c.width).length;
    const fixed = row.reduce((s, c) => s + (c.width ?? 0), 0);
    const share = unset ? Math.floor((width - fixed) / unset) : 0;
    const cols = row.map((c) => ({ ...c, width: c.width ?? Math.max(share, 1 + c.padding[1] + c.padding[3]) }));
    const wrapped = cols.map((c) => wrap(c.text, inner(c)));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let r = 0; r < height; r++) {
      let str = '';
      cols.forEach((c, i) => {
        const w = inner(c);
        let ts = wrapped[i][r] ?? '';
        if (w > ts.length) ts += ' '.repeat(w - ts.length);
        if (c.align === 'right') {
          const t = ts.trim();
          ts = t.length < w ? ' '.repeat(w - t.length) + t : t;
        }
        str += ' '.repeat(c.padding[3]) + ts + ' '.repeat(c.padding[1]);
        const prev = lines[lines.length - 1];
        // A row after a span is put on the span's last line when it fits there.
        if (r === 0 && prev?.span) {
          const lead = /^ */.exec(str)?.[0].length ?? 0;
          const target = prev.text.trimEnd().length;
          if (lead >= target) {
            prev.hidden = true;
            str = prev.text.trimEnd() + ' '.repeat(lead - target) + str.trimStart();
          }
        }
      });
      lines.push({ text: str.replace(/ +$/, ''), span: row.span });
    }
  }
  return lines
    .filter((l) => !l.hidden)
    .map((l) => l.text)
    .join('\n')
    .replace(/\s*$/, '');
}

const plain = (text: string): Col => ({ text, padding: [0, 0, 0, 0] });
const span = (...cols: Col[]): Row => Object.assign(cols, { span: true });

/** The text of `cogeval --help` for a terminal `width` columns wide. */
export function topLevelHelp(width: number = helpWidth()): string {
  const commands = COMMANDS.map((c) => `cogeval ${c.command}`);
  const cmdWidth = Math.min(Math.max(...commands.map((c) => c.length)), Math.floor(width * 0.5)) + 4;
  const rows: Row[] = [[plain(USAGE.replace(/\$0/g, 'cogeval'))], [plain('')], [plain('Commands:')]];
  COMMANDS.forEach((c, i) => {
    rows.push(span({ text: commands[i], padding: [0, 2, 0, 2], width: cmdWidth }, plain(c.describe)), [plain('')]);
  });
  rows.push([plain('')], [plain('Options:')]);
  // yargs' own two options; a long switch without a short alias is indented by '-x, '.length.
  const options = [
    { text: '--version', indent: 4, describe: 'Show version number' },
    { text: '-h, --help', indent: 0, describe: 'Show help' },
  ];
  const optWidth = Math.min(Math.max(...options.map((o) => o.text.length + o.indent)), Math.floor(width * 0.5)) + 4;
  for (const o of options) {
    rows.push(span({ text: o.text, padding: [0, 2, 0, 2 + o.indent], width: optWidth }, plain(o.describe)), [
      { text: '[boolean]', padding: [0, 0, 0, 2], align: 'right' },
    ]);
  }
  return layout(rows, width);
}
