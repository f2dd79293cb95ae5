// MM-Vet v1 (218 items) from lmms-lab/MMVet, VLMEvalKit MMVet.tsv (capabilities in `category`),
// or the authors' mm-vet.json ({"v1_0": {imagename, question, answer, capability}}) + images/
// (scoring.md §10.1).
import { dirname, join } from 'node:path';
import { pyStrip } from '../../metrics/py.js';
import type { BenchAdapter, SampleParts, SourceFormat } from '../../datasets/adapter.js';
import { idText, stringList, text } from '../../datasets/cells.js';
import { RowError } from '../../datasets/errors.js';
import { findNamed } from '../../datasets/find.js';
import { jsonKeyedEntries, readJsonFile, type OfficialPart } from '../../datasets/sources/official.js';
import type { SourceRow } from '../../datasets/sources/row.js';
import dataCatalog from './data.json' with { type: 'json' };

function idOf(row: SourceRow, format: SourceFormat): string {
  return idText(row, format === 'vlmevalkit' ? 'index' : format === 'official' ? '_key' : 'question_id');
}

/** Capabilities: a list (official JSON) or a comma-joined cell (HF `capability`, TSV `category`). */
function capabilities(row: SourceRow, column: string): { reference: string | string[]; list: string[] } {
  const value = row.cells[column];
  if (Array.isArray(value)) {
    const list = stringList(row, column);
    if (list.length === 0) throw new RowError(column, `column "${column}" names no capability`);
    return { reference: list, list };
  }
  const joined = text(row, column);
  const list = joined.split(',').map((c) => pyStrip(c));
  if (list.some((c) => c === '')) throw new RowError(column, `column "${column}" has an empty capability name: ${JSON.stringify(joined)}`);
  return { reference: joined, list };
}

function toSample(row: SourceRow, format: SourceFormat): SampleParts {
  const id = idOf(row, format);
  const question = text(row, 'question');
  const answer = text(row, 'answer');
  const capability = capabilities(row, format === 'vlmevalkit' ? 'category' : 'capability');
  const extra: Record<string, unknown> = {};
  const source = row.cells['image_source'];
  if (typeof source === 'string') extra['image_source'] = source;
  const imagename = row.cells['imagename'];
  if (typeof imagename === 'string') extra['imagename'] = imagename;
  return {
    id,
    question,
    images: [...(row.images['image'] ?? [])],
    prompt: { bench: 'mmvet', question },
    references: { question, answer, capability: capability.reference },
    categories: { capability: capability.list },
    extra,
  };
}

async function loadOfficial(files: readonly string[]): Promise<OfficialPart[]> {
  const parts: OfficialPart[] = [];
  for (const file of files) {
    const dir = dirname(file);
    const entries = jsonKeyedEntries(await readJsonFile(file), file).map(({ entry, at, key }) => {
      const name = entry['imagename'];
      const image = typeof name === 'string' && name !== '' ? [join(dir, 'images', name), join(dir, name)] : null;
      return { cells: { ...entry, _key: key }, at, image };
    });
    parts.push({ file, entries });
  }
  return parts;
}

export const mmvetAdapter: BenchAdapter = {
  bench: 'mmvet',
  splits: ['test'],
  defaultSplit: 'test',
  hasAnswers: () => true,
  hf: {
    repo: dataCatalog.hf.repo,
    hfConfig: () => undefined,
    hfSplit: (split) => split,
    required: ['question_id', 'question', 'answer', 'capability', 'image'],
    optional: ['image_source'],
    imageColumns: ['image'],
  },
  tsv: { names: () => ['MMVet'], required: ['question', 'answer', 'category'] },
  official: {
    kind: 'json',
    describe: 'mm-vet.json ({"v1_0": {imagename, question, answer, capability}, …}) with the images in images/<imagename>',
    async find(dir) {
      const files = await findNamed(dir, ['mm-vet.json'], 2);
      return files.length > 0 ? files.slice(0, 1) : undefined;
    },
    load: (files) => loadOfficial(files),
  },
  toSample: (row, format) => toSample(row, format),
  idOf,
};
