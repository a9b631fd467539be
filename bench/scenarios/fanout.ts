/**
 * Scenario 7, realtime fan-out (Hearth only: the baselines have no realtime). Every subscriber is
 * a WebSocket signed in as one of the fan-out users and subscribed to `fanout_events`, whose
 * listRule admits a record only to its owner; each write is made by its owner, so it must reach
 * exactly that user's sockets — no more, no fewer, once each.
 */

export const FANOUT_ID = 'fanout';
export const FANOUT_TITLE = 'realtime fan-out, per-user listRule';
/**
 * Scenario 8: the same writer with more and more subscriptions that never match (filters on a
 * topic no write carries), on sockets of their own; reports server CPU per write at each count.
 */
export const NONMATCHING_ID = 'fanout-nonmatching';
export const NONMATCHING_TITLE = 'write cost vs non-matching subscriptions';
export const FANOUT_COLLECTION = 'fanout_events';
export const OWNER_RULE = 'owner = @request.auth.id';
export const OWNER_CREATE_RULE = "@request.auth.id != '' && @request.body.owner = @request.auth.id";

/** PocketBase collection JSON for the fan-out collection (`usersId`: the built-in users collection). */
export function fanoutCollectionJson(usersId: string): Record<string, unknown> {
  return {
    name: FANOUT_COLLECTION,
    type: 'base',
    fields: [
      { name: 'owner', type: 'relation', collectionId: usersId, maxSelect: 1, cascadeDelete: false },
      // write number within the run: receivers use it to count missing and duplicate events
      { name: 'n', type: 'number' },
      // the writer's clock (ms since the epoch, fractional) just before the request was sent
      { name: 'sentAt', type: 'number' },
      // left empty by the writer; the non-matching scenario's subscriptions filter on other topics
      { name: 'topic', type: 'text' },
    ],
    indexes: [`CREATE INDEX idx_${FANOUT_COLLECTION}_owner ON ${FANOUT_COLLECTION} (owner)`],
    listRule: OWNER_RULE,
    viewRule: OWNER_RULE,
    createRule: OWNER_CREATE_RULE,
    updateRule: null,
    deleteRule: null,
  };
}

/** The fan-out users (separate from the HTTP scenarios' users, so those stay untouched). */
export const fanoutUser = (i: number): { email: string; name: string } => ({ email: `fan${i}@bench.test`, name: `Fan ${i}` });

/** Socket j belongs to user j mod users; so a user has ⌊subscribers/users⌋ or one more sockets. */
export const ownerOfSocket = (socket: number, users: number): number => socket % users;

/**
 * Write n is made by (and owned by) user ⌊n / batch⌋ mod users: the `batch` writes of one
 * request (`POST /api/batch`, signed in as one user) share their owner; batch 1 is n mod users.
 */
export const ownerOfWrite = (n: number, users: number, batch = 1): number => Math.floor(n / batch) % users;
