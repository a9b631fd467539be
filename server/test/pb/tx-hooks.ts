/**
 * Hooks files for PocketBase's "tx body write check" scenarios, written as a Hearth user writes
 * them (TypeScript in the data dir's `hearth_hooks/`). PocketBase's Go hook runs the request in a
 * transaction and fails after it; Hearth's equivalents: a before-write hook that writes through
 * the request's own transaction and then refuses (both writes must roll back), and a request
 * hook that refuses after the list or view has been answered (the error replaces the response).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../harness.ts';
import type { CrudServer } from './crud-fixture.ts';

/**
 * Why the collection and settings write variants stay skipped: PocketBase runs the change inside
 * the hook's own transaction and fails after it; Hearth has no collection or settings hook inside
 * the change's transaction, and a request hook runs around a change that has already committed.
 */
export const NO_TX_WRITE_HOOK = 'no collection/settings hook runs inside the change\'s transaction (a request hook runs around a change already committed), so a hook cannot fail it after the write';

/** The record a refusing write hook changes through `e.tx`; its title must stay 'test1'. */
export const MARKER = { collection: 'demo2', id: 'llvuca81nly1qls', title: 'test1' } as const;

export function refuseAfterTxWrite(action: 'Create' | 'Update' | 'Delete', collection: string): Record<string, string> {
  return {
    'tx-write.ts': `import type { HearthHooks } from '@hearth/server/hooks';

export default (hearth: HearthHooks) => {
  hearth.onRecordBefore${action}('${collection}', (e) => {
    e.tx.run('UPDATE ${MARKER.collection} SET title = ? WHERE id = ?', ['written in the hook', '${MARKER.id}']);
    throw new hearth.ApiError(400, 'TX_ERROR');
  });
};
`,
  };
}

/** `collection`: every request to that collection's endpoints; `path`: exactly that path (a request hook matches a prefix, so the hook checks). */
export function refuseAfterResponse(target: string, match: 'collection' | 'path' = 'collection'): Record<string, string> {
  const only = match === 'path' ? `\n    if (new URL(e.request.url).pathname !== '${target}') return res;` : '';
  return {
    'after-response.ts': `import type { HearthHooks } from '@hearth/server/hooks';

export default (hearth: HearthHooks) => {
  hearth.onRequest({ ${match}: '${target}' }, async (e, next) => {
    const res = await next();${only}
    throw new hearth.ApiError(400, 'TX_ERROR');
  });
};
`,
  };
}

/** The marker record is untouched: the hook's own write was rolled back with the request. */
export async function markerUntouched(s: CrudServer): Promise<boolean> {
  const res = await s.api('GET', `/api/collections/${MARKER.collection}/records/${MARKER.id}`, undefined, 'superuser');
  return res.status === 200 && res.body.title === MARKER.title;
}

/** A harness server loading `hooks` (name → source) from a hooks dir, as `hearth serve --hooks DIR`; closed and removed after `run`. */
export async function withHooksServer<T>(hooks: Record<string, string>, run: (t: TestServer) => Promise<T>): Promise<T> {
  const hooksDir = mkdtempSync(join(tmpdir(), 'hearth-pb-hooks-'));
  for (const [name, source] of Object.entries(hooks)) writeFileSync(join(hooksDir, name), source);
  const t = await startServer({ hooksDir });
  try {
    return await run(t);
  } finally {
    await t.close();
    rmSync(hooksDir, { recursive: true, force: true });
  }
}
