// Writes a table in the Hugging Face parquet layout: the column types `datasets` uses (Value
// string/int32/int64, Sequence of strings, Image = struct{bytes, path}), SNAPPY pages, and the
// `huggingface` key-value metadata with the features, as HF's own parquet exports carry.
import { parquetWriteBuffer } from 'hyparquet-writer';

/** hyparquet-writer bundles its own hyparquet; take the schema type from the writer itself. */
type SchemaElement = NonNullable<Parameters<typeof parquetWriteBuffer>[0]['schema']>[number];

export type ColumnType = 'string' | 'int32' | 'int64' | 'string_list' | 'image';

export interface Column {
  name: string;
  type: ColumnType;
}

export interface ImageCell {
  bytes: Uint8Array;
  path: string | null;
}

export type Cell = string | number | bigint | string[] | ImageCell | null;

function schemaOf(columns: readonly Column[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: 'schema', num_children: columns.length }];
  for (const c of columns) {
    switch (c.type) {
      case 'string':
        schema.push({ name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
        break;
      case 'int32':
        schema.push({ name: c.name, type: 'INT32', repetition_type: 'OPTIONAL' });
        break;
      case 'int64':
        schema.push({ name: c.name, type: 'INT64', repetition_type: 'OPTIONAL' });
        break;
      case 'string_list':
        schema.push(
          { name: c.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        );
        break;
      case 'image':
        schema.push(
          { name: c.name, repetition_type: 'OPTIONAL', num_children: 2 },
          { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
          { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        );
        break;
    }
  }
  return schema;
}

/** The `datasets` features JSON of the columns (what HF stores under the `huggingface` key). */
function featuresOf(columns: readonly Column[]): Record<string, unknown> {
  const features: Record<string, unknown> = {};
  for (const c of columns) {
    if (c.type === 'image') features[c.name] = { _type: 'Image' };
    else if (c.type === 'string_list') features[c.name] = { feature: { dtype: 'string', _type: 'Value' }, _type: 'Sequence' };
    else features[c.name] = { dtype: c.type, _type: 'Value' };
  }
  return features;
}

function checkCell(column: Column, value: Cell, row: number): void {
  const bad = (what: string) => new Error(`column ${column.name} row ${row}: expected ${what}, got ${typeof value}`);
  if (value === null) return;
  if (column.type === 'string' && typeof value !== 'string') throw bad('a string');
  if (column.type === 'int32' && (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2 ** 31 - 1)) throw bad('an int32');
  if (column.type === 'int64' && typeof value !== 'bigint') throw bad('a bigint');
  if (column.type === 'string_list' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) throw bad('a list of strings');
  if (column.type === 'image' && !(typeof value === 'object' && !Array.isArray(value) && (value as ImageCell).bytes instanceof Uint8Array)) throw bad('an image {bytes, path}');
}

/** Serialises rows (objects keyed by column name) to parquet bytes. */
export function hfParquet(columns: readonly Column[], rows: readonly Record<string, Cell>[]): Uint8Array {
  const columnData = columns.map((c) => ({
    name: c.name,
    data: rows.map((r, i) => {
      const v = r[c.name] ?? null;
      checkCell(c, v, i);
      return v;
    }),
  }));
  for (const r of rows) {
    for (const key of Object.keys(r)) if (!columns.some((c) => c.name === key)) throw new Error(`row has a column ${key} that the schema lacks`);
  }
  const buffer = parquetWriteBuffer({
    columnData,
    schema: schemaOf(columns),
    kvMetadata: [{ key: 'huggingface', value: JSON.stringify({ info: { features: featuresOf(columns) } }) }],
    createdBy: 'cogeval tools/demo/make-demo-data',
  });
  return new Uint8Array(buffer);
}
