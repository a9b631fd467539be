/** Shared state of one write request (or one batch): deps, caller, and the pending change events. */
import type { Collection } from '../collections/model.ts';
import { badRequest } from '../shared/errors.ts';
import type { RequestInfo } from '../rules/index.ts';
import type { RecordsDeps } from './deps.ts';
import { ChangeSink } from './change-log.ts';

export interface WriteContext {
  deps: RecordsDeps;
  info: RequestInfo;
  sink: ChangeSink;
}

export const newWriteContext = (deps: RecordsDeps, info: RequestInfo): WriteContext => ({
  deps,
  info,
  sink: new ChangeSink(),
});

export function assertWritable(collection: Collection): void {
  if (collection.type === 'view') throw badRequest('View collections are read-only.');
}

/** Hashes `body.password` ahead of the (synchronous) transaction; returns undefined if absent or too short. */
export async function hashPasswordIfSent(
  deps: RecordsDeps,
  collection: Collection,
  body: Record<string, unknown>,
): Promise<string | undefined> {
  if (collection.type !== 'auth' || typeof body.password !== 'string' || body.password.length < 8) return undefined;
  return deps.hashPassword(body.password);
}
