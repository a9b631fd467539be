/**
 * Every committed record change gets a row in `_changes` (monotonic `seq`) written inside the
 * same transaction as the change, and a RecordChanged event emitted after commit. Writers
 * collect events in a ChangeSink; the outermost caller flushes it once the transaction commits.
 *
 * The row carries a JSON snapshot of the record (`data`: the stored row after create/update, the
 * removed row for delete) so realtime can replay a change and rule-check it exactly as it was,
 * even after the record is gone. An update also stores the row before it (`previous`): every
 * writer here holds it, and the log has no index to look a record's earlier entry up by (each
 * index would be another page written by every commit).
 */
import { get, type Steps } from '../db/steps.ts';
import type { EventBus, RecordAction, RecordChanged } from '../shared/events.ts';
import type { Collection } from '../collections/model.ts';
import { now } from '../shared/clock.ts';

/** Never copied into the log: they are secrets and no rule or filter may read them. */
const SECRET_COLUMNS = new Set(['password', 'tokenKey']);

/** Per collection version (the registry makes a new object on every schema change). */
const secretsOf = new WeakMap<Collection, Set<string>>();

function secretColumns(collection: Collection): Set<string> {
  let secret = secretsOf.get(collection);
  if (!secret) {
    secret = new Set(collection.fields.filter((f) => f.type === 'password').map((f) => f.name));
    if (collection.type === 'auth') for (const name of SECRET_COLUMNS) secret.add(name);
    secretsOf.set(collection, secret);
  }
  return secret;
}

/** Whether JSON.stringify of the row itself gives its snapshot: no secret column, no bigint or blob. */
function plainRow(secret: Set<string>, row: Record<string, unknown>): boolean {
  if (secret.size > 0) return false;
  for (const key in row) {
    const value = row[key];
    if (typeof value === 'bigint' || (typeof value === 'object' && value !== null)) return false;
  }
  return true;
}

/** The row as JSON, without secret columns. */
export function snapshotJson(collection: Collection, row: Record<string, unknown>): string {
  const secret = secretColumns(collection);
  // A row as SQLite returns it is a plain object of own columns: most need no copy.
  if (plainRow(secret, row)) return JSON.stringify(row);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (secret.has(key)) continue;
    out[key] = typeof value === 'bigint' ? Number(value) : Buffer.isBuffer(value) ? null : value;
  }
  return JSON.stringify(out);
}

/** One change of the transaction, with the schema it was written under (for after-commit work such as blob cleanup). */
export interface CommittedChange {
  collection: Collection;
  action: RecordAction;
  record: Record<string, unknown>;
  previous?: Record<string, unknown>;
}

export class ChangeSink {
  private pending: RecordChanged[] = [];
  private changes: CommittedChange[] = [];

  /** The change's `_changes` row, a step of the write's transaction. */
  *record(
    collection: Collection,
    action: RecordAction,
    record: Record<string, unknown>,
    previous?: Record<string, unknown>,
  ): Steps<void> {
    const res = yield* get<{ seq: number }>(
      'INSERT INTO "_changes" ("collectionId", "recordId", "action", "created", "data", "previous") VALUES (?, ?, ?, ?, ?, ?) RETURNING "seq"',
      [
        collection.id,
        String(record.id),
        action,
        now(),
        snapshotJson(collection, record),
        previous ? snapshotJson(collection, previous) : null,
      ],
    );
    this.changes.push({ collection, action, record, previous });
    this.pending.push({
      collectionId: collection.id,
      collectionName: collection.name,
      action,
      record,
      seq: Number(res!.seq),
    });
  }

  /** Every change recorded so far (valid after commit; a rolled-back sink is discarded). */
  committed(): readonly CommittedChange[] {
    return this.changes;
  }

  /** Takes over the changes of `other` (a savepoint that held), after this sink's own. */
  adopt(other: ChangeSink): void {
    this.pending.push(...other.pending);
    this.changes.push(...other.changes);
  }

  /** Call after commit. Events of a rolled-back transaction are simply dropped with the sink. */
  flush(events: EventBus): void {
    const list = this.pending;
    this.pending = [];
    for (const e of list) events.emit('recordChanged', e);
  }
}
