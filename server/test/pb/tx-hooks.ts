/**
 * Hooks files for PocketBase's "tx body write check" scenarios, written as a Hearth user writes
 * them (TypeScript in the data dir's `hearth_hooks/`). PocketBase's Go hook runs the request in a
 * transaction and fails after it; Hearth's equivalents: a before-write hook that writes through
 * the request's own transaction and then refuses (both writes must roll back), and a request
 * hook that refuses after the list or view has been answered (the error replaces the response).
 */
import type { CrudServer } from './crud-fixture.ts';

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

export function refuseAfterResponse(collection: string): Record<string, string> {
  return {
    'after-response.ts': `import type { HearthHooks } from '@hearth/server/hooks';

export default (hearth: HearthHooks) => {
  hearth.onRequest({ collection: '${collection}' }, async (_e, next) => {
    await next();
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
