/**
 * View collections: the query must be one SELECT (or WITH … SELECT); it becomes
 * `CREATE VIEW name AS <query>` and the view's result columns become the collection's fields.
 * A column named like a field of a collection in the FROM/JOIN list takes that field's definition;
 * other columns are `json`. An `id` column is required.
 */
import { steps, type Steps } from '../../db/index.ts';
import type { Dialect } from '../../shared/dialect/index.ts';
import { tableColumns } from './db-objects.ts';
import { quoteIdent } from '../../db/sql.ts';
import { fieldError, type FieldError } from '../../shared/errors.ts';
import type { Catalog } from '../catalog.ts';
import { FIELD_NAME_PATTERN, type Collection, type Field } from '../model.ts';
import { makeField, stableFieldId } from '../system-fields.ts';
import { hasInnerSemicolon, isIdent, isWord, significant, tokenize } from './sql-tokens.ts';
import { viewBodyFor } from './view-identifiers.ts';
import { columnRef, computedType, readSelect, type SelectShape } from './view-columns.ts';

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

/**
 * Creates the view; a database error becomes a 400 on `viewQuery`. `catalog` names the
 * collections the query may use (on Postgres their capitalised names are quoted: view-identifiers.ts).
 */
export function* createView(dialect: Dialect, name: string, query: string, catalog?: Catalog): Steps<FieldError | undefined> {
  const body = viewBodyFor(dialect, viewBody(query), catalog);
  const sql = `CREATE VIEW ${quoteIdent(name)} AS ${body}`;
  try {
    yield* steps.execOne(sql); // one statement only: trailing statements are refused
    const columns = yield* steps.columnsOf(`SELECT * FROM ${quoteIdent(name)}`); // resolves every table and column now
    if (yield* idNeedsCast(dialect, name, columns)) {
      yield* steps.exec(`DROP VIEW ${quoteIdent(name)}`);
      yield* steps.exec(`CREATE VIEW ${quoteIdent(name)} AS ${castIdToText(body, columns)}`);
    }
    return undefined;
  } catch (err) {
    yield* steps.exec(`DROP VIEW IF EXISTS ${quoteIdent(name)}`); // CREATE VIEW is lazy: a broken one may exist
    return invalid(errorText(err));
  }
}

/**
 * As PocketBase: an `id` column not declared TEXT (`ROW_NUMBER() OVER ()`, an integer) is cast to
 * TEXT in the view, so the id the API shows ("1") is the id `/records/1` finds. An id that is a
 * table's TEXT column stays as it is, so look-ups through the view keep using its index.
 */
function* idNeedsCast(dialect: Dialect, name: string, columns: string[]): Steps<boolean> {
  if (!columns.includes('id') || new Set(columns.map((c) => c.toLowerCase())).size !== columns.length) return false;
  const id = (yield* tableColumns(dialect, name)).find((c) => c.name === 'id');
  return id !== undefined && id.type.toUpperCase() !== 'TEXT';
}

const castIdToText = (body: string, columns: string[]): string =>
  `SELECT ${columns.map((c) => (c === 'id' ? 'CAST("id" AS TEXT) AS "id"' : quoteIdent(c))).join(', ')} FROM (${body})`;

export const errorText = (err: unknown): string => {
  const cause = (err as { cause?: unknown }).cause;
  const message = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
  return message.slice(0, 500);
};

/** Collection names after FROM and JOIN at any depth, in order (the fallback source of field definitions). */
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

const ID_FIELD = (): Field => makeField('text', 'id', { system: true, required: true, primaryKey: true, pattern: '^[a-z0-9]+$' });
const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const cloneAs = (source: Field): Field => ({ ...structuredClone(source), system: false, primaryKey: undefined });

/**
 * A result column's field, as PocketBase infers it: `count(…)`/`total(…)`/`cast(… as T)` give
 * numbers, text or bools; `t.col` or `col` (of the main table) takes that collection field's
 * definition, and `t.id` under another name becomes a single relation to `t`; anything else is
 * `json`. A column whose table is not a collection (a CTE, a subquery) takes the definition of a
 * same-named field of any collection the query reads.
 */
function viewField(column: string, shape: SelectShape | null, catalog: Catalog, fallback: () => Collection[]): Field {
  const byName = (fieldName = column): Field => {
    const source = fallback().map((c) => c.fields.find((f) => f.name === fieldName)).find((f) => f !== undefined);
    return source ? cloneAs(source) : makeField('json', column);
  };
  const selected = shape?.columns.find((c) => c.alias === column) ?? shape?.columns.find((c) => sameName(c.alias, column));
  if (!selected) return byName();
  const computed = computedType(selected.expr);
  if (computed) return makeField(computed.type, column, computed.type === 'number' ? { onlyInt: computed.onlyInt } : {});
  const ref = columnRef(selected.expr);
  if (!ref) return makeField('json', column);
  const [qualifier, name] = ref;
  const table = qualifier === undefined ? shape!.tables[0] : shape!.tables.find((t) => sameName(t.alias, qualifier));
  const found = table ? catalog.find(table.name) : undefined;
  const collection = found && sameName(found.name, table!.name) ? found : undefined;
  if (!collection) return byName(name);
  if (sameName(name, 'id')) return makeField('relation', column, { collectionId: collection.id, maxSelect: 1 });
  const source = collection.fields.find((f) => sameName(f.name, name));
  return source ? cloneAs(source) : makeField('json', column);
}

/** Reads the created view's columns and turns them into fields (ids kept from `previous` by name). */
export function* inferViewFields(name: string, query: string, catalog: Catalog, previous: Field[]): Steps<InferResult> {
  const columns = yield* steps.columnsOf(`SELECT * FROM ${quoteIdent(name)}`);
  if (!columns.includes('id')) return { error: invalid('missing required "id" column.') };
  const seen = new Set<string>();
  for (const column of columns) {
    if (!FIELD_NAME_PATTERN.test(column)) return { error: invalid(`the column "${column}" is not a valid field name; use an alias (AS name).`) };
    if (seen.has(column.toLowerCase())) return { error: invalid(`duplicated column "${column}".`) };
    seen.add(column.toLowerCase());
  }
  const shape = readSelect(viewBody(query));
  let sources: Collection[] | undefined;
  const fallback = () => (sources ??= sourceCollections(query, catalog));
  const fields = columns.map((column): Field => {
    if (column === 'id') return ID_FIELD();
    const base = viewField(column, shape, catalog, fallback);
    return { ...base, id: stableFieldId(base.type, column), name: column };
  });
  for (const field of fields) {
    const before = previous.find((f) => f.name === field.name && f.type === field.type);
    if (before) field.id = before.id;
  }
  return { fields: fields.map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Field) };
}
