/**
 * View collections: the query must be one SELECT (or WITH … SELECT); it becomes
 * `CREATE VIEW name AS <query>` and the view's result columns become the collection's fields.
 * A column named like a field of a collection in the FROM/JOIN list takes that field's definition;
 * other columns are `json`. An `id` column is required.
 */
import type { SqlDb } from '../../db/index.ts';
import { quoteIdent } from '../../db/sql.ts';
import { fieldError, type FieldError } from '../../shared/errors.ts';
import type { Catalog } from '../catalog.ts';
import { FIELD_NAME_PATTERN, type Collection, type Field } from '../model.ts';
import { makeField, stableFieldId } from '../system-fields.ts';
import { hasInnerSemicolon, isIdent, isWord, significant, tokenize } from './sql-tokens.ts';

/** Long enough for real reporting queries, short enough to keep `_collections` rows small. */
export const MAX_VIEW_QUERY_LENGTH = 100_000;

const invalid = (message: string): FieldError => fieldError('validation_invalid_view_query', `Invalid query - ${message}`);

export function checkViewQueryShape(query: string): FieldError | undefined {
  if (query.trim() === '') return fieldError('validation_required', 'Missing required value.');
  if (query.length > MAX_VIEW_QUERY_LENGTH) return invalid(`must be at most ${MAX_VIEW_QUERY_LENGTH} characters.`);
  const tokens = tokenize(query);
  if (typeof tokens === 'string') return invalid(`${tokens}.`);
  if (hasInnerSemicolon(tokens)) return invalid('only a single statement is allowed.');
  const first = significant(tokens).find((t) => t.text !== '(');
  if (!isWord(first, 'SELECT') && !isWord(first, 'WITH')) return invalid('must be a SELECT statement.');
  return undefined;
}

/** Strips parentheses that wrap the whole query (`(SELECT … UNION SELECT …)`), as SQLite's CREATE VIEW wants none. */
function unwrap(query: string): string {
  for (;;) {
    const tokens = tokenize(query);
    if (typeof tokens === 'string') return query;
    const sig = significant(tokens);
    if (sig[0]?.text !== '(' || sig.at(-1)?.text !== ')') return query;
    let depth = 0;
    const closesAtEnd = sig.every((t, i) => {
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      return depth > 0 || i === sig.length - 1;
    });
    if (!closesAtEnd) return query;
    query = query.slice(sig[0]!.end, sig.at(-1)!.start).trim();
  }
}

/** The query without trailing semicolons or wrapping parentheses, as embedded in CREATE VIEW. */
export const viewBody = (query: string): string => unwrap(query.trim().replace(/[;\s]+$/, ''));

/**
 * The query with references to table `from` renamed to `to`: identifiers right after FROM, JOIN
 * or a comma of a FROM list, and qualifiers (`from.column`). Quoting is kept as written.
 */
export function renameTableInQuery(query: string, from: string, to: string): string {
  const tokens = tokenize(query);
  if (typeof tokens === 'string') return query;
  const sig = significant(tokens);
  const hits = sig.filter((t, i) => {
    if (!isIdent(t) || t.value.toLowerCase() !== from.toLowerCase()) return false;
    const prev = sig[i - 1];
    return isWord(prev, 'FROM') || isWord(prev, 'JOIN') || prev?.text === ',' || sig[i + 1]?.text === '.';
  });
  let out = query;
  for (const t of hits.reverse()) out = out.slice(0, t.start) + (t.kind === 'quoted' ? quoteIdent(to) : to) + out.slice(t.end);
  return out;
}

/** Creates the view; a SQLite error becomes a 400 on `viewQuery`. */
export function createView(db: SqlDb, name: string, query: string): FieldError | undefined {
  const sql = `CREATE VIEW ${quoteIdent(name)} AS ${viewBody(query)}`;
  try {
    db.check(sql); // one statement only: prepare refuses trailing statements
    db.exec(sql);
    db.columnsOf(`SELECT * FROM ${quoteIdent(name)}`); // resolves every table and column now
    return undefined;
  } catch (err) {
    db.exec(`DROP VIEW IF EXISTS ${quoteIdent(name)}`); // CREATE VIEW is lazy: a broken one may exist
    return invalid(errorText(err));
  }
}

export const errorText = (err: unknown): string => {
  const cause = (err as { cause?: unknown }).cause;
  const message = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
  return message.slice(0, 500);
};

/** Collection names after FROM and JOIN, in order (sources for field definitions). */
function sourceCollections(query: string, catalog: Catalog): Collection[] {
  const tokens = tokenize(query);
  if (typeof tokens === 'string') return [];
  const sig = significant(tokens);
  const out: Collection[] = [];
  for (let i = 0; i < sig.length - 1; i++) {
    if ((isWord(sig[i], 'FROM') || isWord(sig[i], 'JOIN')) && isIdent(sig[i + 1])) {
      const found = catalog.find(sig[i + 1]!.value);
      if (found && !out.includes(found)) out.push(found);
    }
  }
  return out;
}

export type InferResult = { fields: Field[] } | { error: FieldError };

/** Reads the created view's columns and turns them into fields (ids kept from `previous` by name). */
export function inferViewFields(db: SqlDb, name: string, query: string, catalog: Catalog, previous: Field[]): InferResult {
  const columns = db.columnsOf(`SELECT * FROM ${quoteIdent(name)}`);
  if (!columns.includes('id')) return { error: invalid('missing required "id" column.') };
  const seen = new Set<string>();
  for (const column of columns) {
    if (!FIELD_NAME_PATTERN.test(column)) return { error: invalid(`the column "${column}" is not a valid field name; use an alias (AS name).`) };
    if (seen.has(column.toLowerCase())) return { error: invalid(`duplicated column "${column}".`) };
    seen.add(column.toLowerCase());
  }
  const sources = sourceCollections(query, catalog);
  const fields = columns.map((column): Field => {
    if (column === 'id') return makeField('text', 'id', { system: true, required: true, primaryKey: true, pattern: '^[a-z0-9]+$' });
    const source = sources.map((c) => c.fields.find((f) => f.name === column)).find((f) => f !== undefined);
    const base = source ? { ...structuredClone(source), system: false, primaryKey: undefined } : makeField('json', column);
    return { ...base, id: stableFieldId(base.type, column), name: column };
  });
  for (const field of fields) {
    const before = previous.find((f) => f.name === field.name && f.type === field.type);
    if (before) field.id = before.id;
  }
  return { fields: fields.map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Field) };
}
