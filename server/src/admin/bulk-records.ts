/**
 * Bulk record import and export on a data dir, as a superuser: `importRecordBatch` writes one
 * batch in one transaction, each row in its own savepoint so a bad row is reported (with its line)
 * and skipped while the rest commit; `exportRecordPages` reads a collection page by page in rowid
 * order. Rows go through the records domain, so validation, the change log and events apply.
 * Timestamps (`created`, `updated` and other autodate fields) given in the input are kept.
 */
import type { Collection } from '../collections/index.ts';
import { quoteIdent, type SqlQueryable } from '../db/index.ts';
import type { RecordsDeps } from '../records/index.ts';
import { listRecords } from '../records/list-records.ts';
import { createInTx } from '../records/create-record.ts';
import { hashPasswordIfSent, newWriteContext } from '../records/write-context.ts';
import { ChangeSink } from '../records/change-log.ts';
import type { RequestInfo } from '../rules/index.ts';
import { parseDate } from '../shared/clock.ts';
import { isAppError } from '../shared/errors.ts';

/** Rows per transaction: large enough to amortise the commit, short enough not to starve other writers. */
export const IMPORT_BATCH_ROWS = 1000;
/** Rows per exported page (the list API's maximum). */
export const EXPORT_PAGE_ROWS = 1000;

export interface ImportRow {
  /** Where the row came from (line in the file, or item number), for error reports. */
  line: number;
  body: Record<string, unknown>;
}

export interface RowFailure {
  line: number;
  reason: string;
}

export interface BatchResult {
  imported: number;
  failed: RowFailure[];
}

const ROLLBACK = Symbol('dry run');

function superuserInfo(deps: RecordsDeps, body: Record<string, unknown> = {}): RequestInfo {
  return { auth: { collection: deps.registry.get('_superusers'), record: { id: '' }, isSuperuser: true }, method: 'POST', query: {}, headers: {}, body };
}

/** One line: the message and each field's reason. */
export function describeFailure(err: unknown): string {
  if (!isAppError(err)) return err instanceof Error ? err.message : String(err);
  const fields = Object.entries(err.data ?? {})
    .map(([k, v]) => `${k}: ${(v as { message?: string })?.message ?? JSON.stringify(v)}`)
    .join('; ');
  return fields ? `${err.message} (${fields})` : err.message;
}

async function keepTimestamps(q: SqlQueryable, collection: Collection, id: string, body: Record<string, unknown>): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const f of collection.fields) {
    if (f.type !== 'autodate' || typeof body[f.name] !== 'string') continue;
    const value = parseDate(body[f.name] as string);
    if (value) {
      sets.push(`${quoteIdent(f.name)} = ?`);
      params.push(value);
    }
  }
  if (sets.length) await q.run(`UPDATE ${quoteIdent(collection.name)} SET ${sets.join(', ')} WHERE "id" = ?`, [...params, id]);
}

/** Imports one batch (at most IMPORT_BATCH_ROWS is sensible). `dryRun` validates and rolls back. */
export async function importRecordBatch(deps: RecordsDeps, collectionName: string, rows: ImportRow[], options: { dryRun?: boolean } = {}): Promise<BatchResult> {
  const collection = deps.registry.get(collectionName);
  const hashes = await Promise.all(rows.map((r) => hashPasswordIfSent(deps, collection, r.body)));
  const sink = new ChangeSink();
  const result: BatchResult = { imported: 0, failed: [] };
  try {
    await deps.engine.transaction(async (tx) => {
      for (const [i, row] of rows.entries()) {
        try {
          // Each row in its own savepoint, and its change events only once that savepoint holds.
          const rowSink = new ChangeSink();
          await tx.savepoint(async (sp) => {
            const ctx = newWriteContext({ ...deps, q: sp }, superuserInfo(deps, row.body), rowSink);
            const created = await createInTx(ctx, collection, row.body, hashes[i]);
            await keepTimestamps(sp, collection, String(created.id), row.body);
          });
          sink.adopt(rowSink);
          result.imported++;
        } catch (err) {
          result.failed.push({ line: row.line, reason: describeFailure(err) });
        }
      }
      if (options.dryRun) throw ROLLBACK;
    });
  } catch (err) {
    if (err !== ROLLBACK) throw err;
    return result;
  }
  sink.flush(deps.events);
  return result;
}

/** Every record of the collection as the API returns it to a superuser, page by page. */
export async function* exportRecordPages(deps: RecordsDeps, collectionName: string): AsyncGenerator<Record<string, unknown>[]> {
  const info = superuserInfo(deps);
  info.method = 'GET';
  for (let page = 1; ; page++) {
    const res = await listRecords(deps, collectionName, { page: String(page), perPage: String(EXPORT_PAGE_ROWS), sort: '@rowid', skipTotal: '1' }, info);
    if (res.items.length) yield res.items as Record<string, unknown>[];
    if (res.items.length < EXPORT_PAGE_ROWS) return;
  }
}
