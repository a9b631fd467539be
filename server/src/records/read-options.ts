/** Applies manager email access, `expand` and `fields` to records about to be returned (list, view, create, update). */
import { applyFields, parseExpand, parseFields } from '../query/index.ts';
import type { Collection } from '../collections/model.ts';
import type { RequestInfo } from '../rules/index.ts';
import type { SqlDb, SqlQueryable } from '../db/index.ts';
import type { RecordsDeps } from './deps.ts';
import { expandRecords, expandRecordsNow, type ExpandDeps, type ExpandTree } from './expand.ts';
import { runSteps, runStepsSync, type Steps } from '../db/steps.ts';
import type { ApiRecord } from './serialize.ts';
import { revealManagedEmails, revealsManagedEmails } from './managed-emails.ts';

export interface ReadOptions {
  expand?: string;
  fields?: string;
}

/** Parsed `expand` texts by text: clients repeat a handful of them; a full memo is dropped whole. */
const EXPAND_MEMO_SIZE = 256;
const expandMemo = new Map<string, ExpandTree>();

/** The tree of an `expand` text (never mutated by its readers, so one tree serves every request). */
function expandTreeOf(text: string): ExpandTree {
  let tree = expandMemo.get(text);
  if (!tree) {
    tree = parseExpand(text) as ExpandTree;
    if (expandMemo.size >= EXPAND_MEMO_SIZE) expandMemo.clear();
    expandMemo.set(text, tree);
  }
  return tree;
}

/** The records with only the `fields` asked for (all of them without `fields`). */
function projected(records: ApiRecord[], fields: string | undefined): ApiRecord[] {
  if (!fields) return records;
  const projection = parseFields(fields);
  return records.map((r) => applyFields(r, projection) as ApiRecord);
}

function* finishing(
  deps: ExpandDeps,
  collection: Collection,
  records: ApiRecord[],
  opts: ReadOptions,
  info: RequestInfo,
): Steps<ApiRecord[]> {
  yield* revealManagedEmails(deps, collection, records, info);
  if (opts.expand) {
    const tree = expandTreeOf(opts.expand);
    yield* expandRecords(deps, collection, records, tree, info);
  }
  return projected(records, opts.fields);
}

/** `finishing` run on a synchronous connection: forward expands read from it directly, without steps. */
function finishingNow(deps: ExpandDeps, collection: Collection, records: ApiRecord[], opts: ReadOptions, info: RequestInfo, db: SqlDb): ApiRecord[] {
  if (revealsManagedEmails(collection, info)) runStepsSync(revealManagedEmails(deps, collection, records, info), db);
  if (opts.expand) expandRecordsNow(deps, db, collection, records, expandTreeOf(opts.expand), info);
  return projected(records, opts.fields);
}

/** Reads through `deps.q`: the engine, or inside a write its transaction. */
export function finishRecords(deps: RecordsDeps, collection: Collection, records: ApiRecord[], opts: ReadOptions, info: RequestInfo): Promise<ApiRecord[]> {
  // Nothing to do (no email to reveal outside auth collections, no expand, no fields): no steps.
  if (collection.type !== 'auth' && !opts.expand && !opts.fields) return Promise.resolve(records);
  return runSteps(finishing(deps, collection, records, opts, info), deps.q);
}

/**
 * `finishRecords` in the caller's turn where it can be: at once when there is nothing to do, on
 * `now` (a connection readable synchronously, see `readNowOf`) when there is; else as a promise.
 */
export function finishRecordsNow(deps: RecordsDeps, collection: Collection, records: ApiRecord[], opts: ReadOptions, info: RequestInfo, now: SqlDb | null): ApiRecord[] | Promise<ApiRecord[]> {
  if (collection.type !== 'auth' && !opts.expand && !opts.fields) return records;
  if (now) return finishingNow(deps, collection, records, opts, info, now);
  return runSteps(finishing(deps, collection, records, opts, info), deps.q);
}

/** The same with only what the reads need (the realtime fan-out on an async engine). */
export function finishRecordsOn(deps: ExpandDeps & { q: SqlQueryable }, collection: Collection, records: ApiRecord[], opts: ReadOptions, info: RequestInfo): Promise<ApiRecord[]> {
  return runSteps(finishing(deps, collection, records, opts, info), deps.q);
}

/**
 * Checks `expand`/`fields` names and syntax for a collection without reading anything: a record
 * with no id and no values, every statement answered with no rows (what the database would say).
 */
export function checkReadOptions(deps: ExpandDeps, collection: Collection, opts: ReadOptions, info: RequestInfo): void {
  const steps = finishing(deps, collection, [{ id: '' }], opts, info);
  for (let next = steps.next(); !next.done; next = steps.next([]));
}

/** The same in one turn over the synchronous interface (the realtime fan-out renders while it delivers). */
export function finishRecordsSync(deps: ExpandDeps & { db: SqlDb }, collection: Collection, records: ApiRecord[], opts: ReadOptions, info: RequestInfo): ApiRecord[] {
  return runStepsSync(finishing(deps, collection, records, opts, info), deps.db);
}
