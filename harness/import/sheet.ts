// Reads a spreadsheet (.xlsx with read-excel-file, .csv/.tsv with csv-parse) into rows of cells
// keyed by the header row, with pandas' reading of missing values (empty cell, "NaN", "nan",
// "None", … → null), as VLMEvalKit reads its own prediction sheets back.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import { InputError } from '../errors.js';
import { PANDAS_NA_STRINGS } from '../datasets/sources/tsv-records.js';
import { fileKindName, sniffFileKind } from './file-kind.js';

export interface SheetRow {
  /** Cells by column: a string, a number (xlsx numeric cells) or a boolean; null for a missing value. */
  cells: Record<string, string | number | boolean | null>;
  /** 1-based row number in the sheet / line number in the text file (the header is row 1). */
  row: number;
}

export interface Sheet {
  file: string;
  columns: string[];
  rows: SheetRow[];
}

function cellValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  return PANDAS_NA_STRINGS.has(s) ? null : s;
}

function toSheet(file: string, data: readonly (readonly unknown[])[]): Sheet {
  if (data.length === 0) throw new InputError(`${file} is an empty sheet (no header row)`);
  const columns = data[0].map((c) => (c === null || c === undefined ? '' : String(c)));
  const rows: SheetRow[] = [];
  for (let r = 1; r < data.length; r++) {
    const cells: SheetRow['cells'] = {};
    const raw = data[r];
    if (raw.every((c) => c === null || c === undefined || c === '')) continue;
    columns.forEach((name, i) => {
      if (name !== '') cells[name] = cellValue(raw[i]);
    });
    rows.push({ cells, row: r + 1 });
  }
  return { file, columns: columns.filter((c) => c !== ''), rows };
}

/** Reads a .xlsx, .csv or .tsv sheet; any other kind of file is refused naming what it is. */
export async function readSheetFile(file: string): Promise<Sheet> {
  const kind = sniffFileKind(file);
  const ext = extname(file).toLowerCase();
  if (kind === 'xlsx') {
    let data: unknown[][];
    try {
      data = (await readSheet(file)) as unknown[][];
    } catch (err) {
      throw new InputError(`${file}: cannot read the spreadsheet (${(err as Error).message})`);
    }
    return toSheet(file, data);
  }
  if (kind === 'text' && (ext === '.csv' || ext === '.tsv')) {
    let data: string[][];
    try {
      data = parse(readFileSync(file, 'utf8'), { delimiter: ext === '.tsv' ? '\t' : ',', bom: true, relax_column_count: false, skip_empty_lines: true }) as string[][];
    } catch (err) {
      throw new InputError(`${file}: not a valid ${ext.slice(1).toUpperCase()} sheet (${(err as Error).message})`);
    }
    return toSheet(file, data);
  }
  throw new InputError(`${file} is ${kind === 'text' ? `a text file named ${ext || '(no extension)'}` : fileKindName(kind)}, not a prediction sheet (.xlsx, .csv or .tsv)`);
}
