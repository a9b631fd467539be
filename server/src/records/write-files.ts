/**
 * Runs one write transaction with its files: uploads stored before, deleted again if the
 * transaction throws; events emitted and orphaned blobs deleted after the commit.
 */
import type { RequestInfo } from '../rules/index.ts';
import type { RecordsDeps } from './deps.ts';
import { deleteOrphans, storeUploads, unstoreUploads, type PreparedFiles } from './record-files.ts';
import { newWriteContext, type WriteContext } from './write-context.ts';
import { ChangeSink } from './change-log.ts';

export async function writeWithFiles<T>(
  deps: RecordsDeps,
  info: RequestInfo,
  prepared: PreparedFiles[],
  fn: (ctx: WriteContext) => Promise<T>,
): Promise<T> {
  await storeUploads(deps.files, prepared);
  const sink = new ChangeSink();
  let out: T;
  try {
    out = await deps.engine.transaction((tx) => fn(newWriteContext({ ...deps, q: tx }, info, sink)));
  } catch (err) {
    await unstoreUploads(deps.files, prepared).catch((e: unknown) => deps.onBackgroundError?.('failed to delete uploads of a failed write', e));
    throw err;
  }
  sink.flush(deps.events);
  await deleteOrphans(deps.files, sink, (e) => deps.onBackgroundError?.('failed to delete files no longer referenced', e));
  return out;
}
