/**
 * Record files for import and export: JSON Lines (one object per line), JSON (an array) and CSV
 * (a header row of field names). Reading yields rows with their line (or item) number, and bad
 * lines as failures instead of stopping; CSV cells are converted by the collection's field types.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { CliError } from './output.ts';

export type Format = 'jsonl' | 'json' | 'csv';

export interface FieldInfo {
  name: string;
  type: string;
  maxSelect?: number;
}

export type ReadItem = { line: number; body: Record<string, unknown> } | { line: number; error: string };

export function formatOf(file: string, given?: string): Format {
  const f = (given ?? extname(file).slice(1)).toLowerCase();
  if (f === 'jsonl' || f === 'ndjson') return 'jsonl';
  if (f === 'json' || f === 'csv') return f;
  throw new CliError(`Unknown format "${f || file}": use .jsonl, .json or .csv, or --format.`);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

async function* readJsonl(file: string, onBytes: (n: number) => void): AsyncGenerator<ReadItem> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    onBytes(Buffer.byteLength(text) + 1);
    if (text.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(text);
      yield isObject(value) ? { line: n, body: value } : { line: n, error: 'not a JSON object' };
    } catch (err) {
      yield { line: n, error: `invalid JSON (${(err as Error).message})` };
    }
  }
}

function* readJson(file: string, onBytes: (n: number) => void): Generator<ReadItem> {
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file}: invalid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(value)) throw new CliError(`${file}: expected a JSON array of records.`);
  onBytes(Buffer.byteLength(text));
  for (let i = 0; i < value.length; i++) {
    yield isObject(value[i]) ? { line: i + 1, body: value[i] as Record<string, unknown> } : { line: i + 1, error: 'not a JSON object' };
  }
}

const MULTI = new Set(['select', 'relation', 'file']);

/** A CSV cell as the field expects it; throws with the reason. */
function cellValue(cell: string, field: FieldInfo | undefined): unknown {
  if (!field) return cell;
  switch (field.type) {
    case 'number': {
      if (cell.trim() === '') return null;
      const n = Number(cell);
      if (!Number.isFinite(n)) throw new Error(`${field.name}: "${cell}" is not a number`);
      return n;
    }
    case 'bool':
      if (/^(true|1|yes)$/i.test(cell)) return true;
      if (/^(false|0|no|)$/i.test(cell)) return false;
      throw new Error(`${field.name}: "${cell}" is not a boolean`);
    case 'json':
      if (cell.trim() === '') return null;
      try {
        return JSON.parse(cell);
      } catch {
        throw new Error(`${field.name}: invalid JSON`);
      }
    default:
      if (MULTI.has(field.type) && (field.maxSelect ?? 1) > 1) return cell.startsWith('[') ? JSON.parse(cell) : cell === '' ? [] : cell.split(',');
      return cell;
  }
}

async function* readCsv(file: string, fields: FieldInfo[], onBytes: (n: number) => void): AsyncGenerator<ReadItem> {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const input = createReadStream(file);
  input.on('data', (chunk) => onBytes(chunk.length));
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  let header: string[] | null = null;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const { record, info } = rec;
    if (!header) {
      header = record.map((h) => h.trim());
      continue;
    }
    if (record.length !== header.length) {
      yield { line: info.lines, error: `expected ${header.length} columns, found ${record.length}` };
      continue;
    }
    try {
      const body: Record<string, unknown> = {};
      header.forEach((name, i) => (body[name] = cellValue(record[i]!, byName.get(name))));
      yield { line: info.lines, body };
    } catch (err) {
      yield { line: info.lines, error: (err as Error).message };
    }
  }
}

export function readRecords(file: string, format: Format, fields: FieldInfo[], onBytes: (n: number) => void): AsyncIterable<ReadItem> | Iterable<ReadItem> {
  if (format === 'jsonl') return readJsonl(file, onBytes);
  if (format === 'json') return readJson(file, onBytes);
  return readCsv(file, fields, onBytes);
}

/** What export writes per record: the stored fields, without collectionId/collectionName/expand. */
export function exportable(record: Record<string, unknown>): Record<string, unknown> {
  const { collectionId: _a, collectionName: _b, expand: _c, ...rest } = record;
  return rest;
}

export function csvHeader(columns: string[]): string {
  return stringify([columns]);
}

export function csvRows(records: Record<string, unknown>[], columns: string[]): string {
  return stringify(
    records.map((r) =>
      columns.map((c) => {
        const v = r[c];
        if (v === null || v === undefined) return '';
        if (typeof v === 'object') return JSON.stringify(v);
        return String(v);
      }),
    ),
  );
}
