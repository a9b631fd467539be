/**
 * Every committed record change gets a row in `_changes` (monotonic `seq`) written inside the
 * same transaction as the change, and a RecordChanged event emitted after commit. Writers
 * collect events in a ChangeSink; the outermost caller flushes it once the transaction commits.
 */
import type { SqlDb } from '../db/index.ts';
import type { EventBus, RecordAction, RecordChanged } from '../shared/events.ts';
import type { Collection } from '../collections/model.ts';
import { now } from '../shared/clock.ts';

export class ChangeSink {
  private pending: RecordChanged[] = [];

  record(db: SqlDb, collection: Collection, action: RecordAction, record: Record<string, unknown>): void {
    const res = db.run('INSERT INTO "_changes" ("collectionId", "recordId", "action", "created") VALUES (?, ?, ?, ?)', [
      collection.id,
      String(record.id),
      action,
      now(),
    ]);
    this.pending.push({
      collectionId: collection.id,
      collectionName: collection.name,
      action,
      record,
      seq: Number(res.lastInsertRowid),
    });
  }

  /** Call after commit. Events of a rolled-back transaction are simply dropped with the sink. */
  flush(events: EventBus): void {
    const list = this.pending;
    this.pending = [];
    for (const e of list) events.emit('recordChanged', e);
  }
}
