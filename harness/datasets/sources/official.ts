// The benchmark authors' own layouts (a JSON file of entries plus image files) as a row stream.
// Only the JSON text is held in memory (tens of MB at most); images are read when asked for.
// Which file and fields each benchmark uses lives in its adapter (harness/datasets/<bench>.ts).
import { isJsonObject } from '../../util/json-guards.js';
import { readFile, stat } from 'node:fs/promises';
import { DataError, errorMessage } from '../errors.js';
import { fileImage } from '../image-refs.js';
import type { ImageRef } from '../types.js';
import type { RowSource, SourceRow } from './row.js';

/** One JSON entry: its fields, where it is (`data[3]`), and the candidate paths of its image. */
export interface OfficialEntry {
  cells: Record<string, unknown>;
  /** Position label for messages, e.g. `data[3]` or `["v1_0"]`. */
  at: string;
  /** Candidate paths of the entry's image (tried in order), or null when the entry names none. */
  image: string[] | null;
}

export interface OfficialPart {
  file: string;
  entries: OfficialEntry[];
}

/** Reads and parses a JSON file; a missing file or invalid JSON is a DataError naming the file. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DataError(`${file}: cannot read the file (${errorMessage(err)}); download the benchmark's official files or pass the right --data-dir`, file);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DataError(`${file}: not valid JSON (${errorMessage(err)}); the file is truncated or corrupt — download it again`, file);
  }
}


/** The entries of `{<key>: [...]}` (key given) or of a top-level array; a DataError otherwise. */
export function jsonEntries(value: unknown, file: string, key?: string): { entry: Record<string, unknown>; at: string }[] {
  const list = key === undefined ? value : isJsonObject(value) ? value[key] : undefined;
  if (!Array.isArray(list)) {
    const shape = key === undefined ? 'a JSON array of entries' : `a JSON object with a "${key}" array`;
    throw new DataError(`${file}: expected ${shape}; this is not the benchmark's official file`, file, key);
  }
  return list.map((entry, i) => {
    const at = key === undefined ? `[${i}]` : `${key}[${i}]`;
    if (!isJsonObject(entry)) throw new DataError(`${file} ${at}: expected an object entry, got ${JSON.stringify(entry)?.slice(0, 60)}`, file);
    return { entry, at };
  });
}

/** The entries of a JSON object keyed by id (MM-Vet's `{"v1_0": {...}}`), in key order, with the key as `key`. */
export function jsonKeyedEntries(value: unknown, file: string): { entry: Record<string, unknown>; at: string; key: string }[] {
  if (!isJsonObject(value)) throw new DataError(`${file}: expected a JSON object keyed by question id`, file);
  return Object.entries(value).map(([key, entry]) => {
    const at = `[${JSON.stringify(key)}]`;
    if (!isJsonObject(entry)) throw new DataError(`${file} ${at}: expected an object entry`, file);
    return { entry, at, key };
  });
}

/** The first existing file among `candidates` (relative to nothing: full paths), or undefined. */
export async function firstExisting(candidates: readonly string[]): Promise<string | undefined> {
  for (const path of candidates) {
    try {
      if ((await stat(path)).isFile()) return path;
    } catch {
      // not there: try the next
    }
  }
  return undefined;
}

/** A row stream over parsed official entries, in part order then entry order. */
export function officialSource(parts: readonly OfficialPart[]): RowSource {
  const total = parts.reduce((n, p) => n + p.entries.length, 0);
  async function* rows(offset: number): AsyncGenerator<SourceRow> {
    let position = 0;
    for (const part of parts) {
      for (let i = 0; i < part.entries.length; i++, position++) {
        if (position < offset) continue;
        const entry = part.entries[i];
        const images: Record<string, ImageRef[]> = { image: entry.image === null ? [] : [fileImage(entry.image)] };
        yield { file: part.file, row: i, where: `${part.file} ${entry.at}`, cells: entry.cells, images };
      }
    }
  }
  return { files: parts.map((p) => p.file), count: () => Promise.resolve(total), rows };
}
