/**
 * Applies field changes to a collection table. Adds and non-colliding renames use ALTER TABLE;
 * drops, type or shape changes and colliding renames rebuild the table (SQLite's documented
 * procedure: create, copy with conversion, drop, rename), preserving rowids. Runs inside the
 * caller's transaction; a value that cannot be converted throws a 400 naming the field.
 */
import { steps, type Steps } from '../../db/index.ts';
import { quoteIdent } from '../../db/sql.ts';
import { AppError } from '../../shared/errors.ts';
import { setError, type ErrorTree } from '../error-tree.ts';
import type { Collection, Field } from '../model.ts';
import { convertStored, needsConversion } from './convert-value.ts';
import { columnSql, createTableSql, renameTableSql } from './table-sql.ts';

/** Rows converted per batch: bounds memory on large tables. */
const CONVERT_BATCH = 500;

interface FieldPlan {
  field: Field;
  source?: Field;
}

export function planFields(before: Collection, after: Collection): { plans: FieldPlan[]; dropped: Field[] } {
  const plans = after.fields.map((field) => ({ field, source: before.fields.find((f) => f.id === field.id) }));
  const kept = new Set(plans.map((p) => p.source).filter(Boolean));
  return { plans, dropped: before.fields.filter((f) => !kept.has(f)) };
}

/** True when the table's columns (names, types, shapes) differ. */
export function columnsChanged(before: Collection, after: Collection): boolean {
  const { plans, dropped } = planFields(before, after);
  return dropped.length > 0 || plans.some((p) => !p.source || p.source.name !== p.field.name || needsConversion(p.source, p.field));
}

function needsRebuild(plans: FieldPlan[], dropped: Field[], before: Collection): boolean {
  if (dropped.length > 0) return true;
  const oldNames = new Set(before.fields.map((f) => f.name.toLowerCase()));
  return plans.some(
    (p) => p.source && (needsConversion(p.source, p.field) || (p.source.name !== p.field.name && oldNames.has(p.field.name.toLowerCase()))),
  );
}

export function* alterTable(before: Collection, after: Collection, failMessage: string): Steps<void> {
  const { plans, dropped } = planFields(before, after);
  if (needsRebuild(plans, dropped, before)) return yield* rebuildTable(before, after, plans, failMessage);
  for (const sql of renameTableSql(before.name, after.name)) yield* steps.exec(sql);
  const table = quoteIdent(after.name);
  for (const { field, source } of plans) {
    if (source && source.name !== field.name) {
      yield* steps.exec(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(source.name)} TO ${quoteIdent(field.name)}`);
    }
  }
  for (const { field, source } of plans) if (!source) yield* steps.exec(`ALTER TABLE ${table} ADD COLUMN ${columnSql(field)}`);
}

function* rebuildTable(before: Collection, after: Collection, plans: FieldPlan[], failMessage: string): Steps<void> {
  const tmp = `_hearth_new_${after.name}`;
  yield* steps.exec(`DROP TABLE IF EXISTS ${quoteIdent(tmp)}`);
  yield* steps.exec(createTableSql(tmp, after.fields));
  const copied = plans.filter((p): p is Required<FieldPlan> => p.source !== undefined);
  const targets = ['rowid', ...copied.map((p) => quoteIdent(p.field.name))].join(', ');
  const sources = ['rowid', ...copied.map((p) => quoteIdent(p.source.name))].join(', ');
  const converting = copied.filter((p) => needsConversion(p.source, p.field));
  if (converting.length === 0) {
    yield* steps.exec(`INSERT INTO ${quoteIdent(tmp)} (${targets}) SELECT ${sources} FROM ${quoteIdent(before.name)}`);
  } else {
    yield* copyConverting(before, after, tmp, copied, { targets, sources, failMessage });
  }
  yield* steps.exec(`DROP TABLE ${quoteIdent(before.name)}`);
  yield* steps.exec(`ALTER TABLE ${quoteIdent(tmp)} RENAME TO ${quoteIdent(after.name)}`);
}

function* copyConverting(
  before: Collection,
  after: Collection,
  tmp: string,
  copied: Required<FieldPlan>[],
  sql: { targets: string; sources: string; failMessage: string },
): Steps<void> {
  const select = `SELECT ${sql.sources} FROM ${quoteIdent(before.name)} WHERE rowid > ? ORDER BY rowid LIMIT ${CONVERT_BATCH}`;
  const insert = `INSERT INTO ${quoteIdent(tmp)} (${sql.targets}) VALUES (${['?', ...copied.map(() => '?')].join(', ')})`;
  let last = -Infinity;
  for (;;) {
    const rows = yield* steps.all(select, [last === -Infinity ? Number.MIN_SAFE_INTEGER : last]);
    if (rows.length === 0) return;
    for (const row of rows) {
      const values: unknown[] = [row.rowid];
      for (const { field, source } of copied) {
        const stored = row[source.name];
        if (!needsConversion(source, field)) {
          values.push(stored);
          continue;
        }
        const result = convertStored(source, field, stored);
        if ('error' in result) {
          const errors: ErrorTree = {};
          const key = source.type === field.type ? 'maxSelect' : 'type';
          setError(errors, ['fields', after.fields.indexOf(field), key], result.error);
          throw new AppError('validation', sql.failMessage, errors);
        }
        values.push(result.value);
      }
      yield* steps.run(insert, values);
      last = Number(row.rowid);
    }
  }
}
