/**
 * Runs one write transaction with its files: uploads stored before, deleted again if the
 * transaction throws; events emitted and orphaned blobs deleted after the commit.
 */
import type { RequestInfo } from '../rules/index.ts';
import type { RecordsDeps } from './deps.ts';
import { deleteOrphans, storeUploads, unstoreUploads, type PreparedFiles } from './record-files.ts';
import { newWriteContext, type WriteContext } from './write-context.ts';

export async function writeWithFiles<T>(
  deps: RecordsDeps,
  info: RequestInfo,
  prepared: PreparedFiles[],
  fn: (ctx: WriteContext) => T,
): Promise<T> {
  await storeUploads(deps.files, prepared);
  const ctx = newWriteContext(deps, info);
  let out: T;
  try {
    out = deps.db.transaction(() => fn(ctx));
  } catch (err) {
    await unstoreUploads(deps.files, prepared).catch((e: unknown) => deps.onBackgroundError?.('failed to delete uploads of a failed write', e));
    throw err;
  }
  ctx.sink.flush(deps.events);
  await deleteOrphans(deps.files, ctx.sink, (e) => deps.onBackgroundError?.('failed to delete files no longer referenced', e));
  return out;
}
