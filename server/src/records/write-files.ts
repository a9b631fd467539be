/**
 * Runs one write transaction with its files: uploads stored before, deleted again if the
 * transaction throws; events emitted and orphaned blobs deleted after the commit.
 */
import type { Collection } from '../collections/model.ts';
import { transactionSteps, type Steps } from '../db/steps.ts';
import type { RequestInfo } from '../rules/index.ts';
import type { RecordsDeps } from './deps.ts';
import { deleteOrphans, storeUploads, unstoreUploads, type PreparedFiles } from './record-files.ts';
import { newWriteContext, type WriteContext } from './write-context.ts';
import { ChangeSink } from './change-log.ts';
import type { BeforeRecordWrite } from './write-hooks.ts';

/** A write whose transaction is an async callback (it may await anything, e.g. a batch's expand). */
export function writeWithFiles<T>(
  deps: RecordsDeps,
  info: RequestInfo,
  prepared: PreparedFiles[],
  fn: (ctx: WriteContext) => Promise<T>,
): Promise<T> {
  const sink = new ChangeSink();
  return withFiles(deps, prepared, sink, () => deps.engine.transaction((tx) => fn(newWriteContext({ ...deps, q: tx }, info, sink))));
}

/**
 * A write written as steps. When no before hook handles its action on its collection, nothing
 * in it waits, so on SQLite the whole transaction runs synchronously (db/steps.ts
 * `transactionSteps`), in one transaction with the other such writes of its event-loop turn,
 * each in its own savepoint; with such a hook it runs through an engine transaction, awaiting the hook.
 */
export function writeSteps<T>(
  deps: RecordsDeps,
  info: RequestInfo,
  prepared: PreparedFiles[],
  hooked: { action: BeforeRecordWrite['action']; collection: Collection },
  make: (ctx: WriteContext) => Steps<T>,
): Promise<T> {
  const sink = new ChangeSink();
  const sync = !deps.hooks || deps.hooks.handles?.(hooked.action, hooked.collection) === false;
  return withFiles(deps, prepared, sink, () => transactionSteps(deps.engine, (q) => make(newWriteContext({ ...deps, q }, info, sink)), sync, true));
}

async function withFiles<T>(deps: RecordsDeps, prepared: PreparedFiles[], sink: ChangeSink, transaction: () => Promise<T>): Promise<T> {
  // Only a write with uploads waits for storage (an await per write otherwise).
  const uploads = hasUploads(prepared);
  if (uploads) await storeUploads(deps.files, prepared);
  let out: T;
  try {
    out = await transaction();
  } catch (err) {
    if (uploads) await unstoreUploads(deps.files, prepared).catch((e: unknown) => deps.onBackgroundError?.('failed to delete uploads of a failed write', e));
    throw err;
  }
  sink.flush(deps.events);
  const orphans = deleteOrphans(deps.files, sink, (e) => deps.onBackgroundError?.('failed to delete files no longer referenced', e));
  if (orphans) await orphans;
  return out;
}

function hasUploads(prepared: PreparedFiles[]): boolean {
  for (const p of prepared) if (p.puts.length > 0) return true;
  return false;
}
