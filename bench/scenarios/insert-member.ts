/**
 * Scenario 4 (TrailBase's workload): a random signed-in user posts a message to one of their
 * rooms; `messages.createRule` checks membership through `@collection.room_members`.
 */
import { prng } from './dataset.ts';
import { expectRecord } from './checks.ts';
import type { Scenario } from './types.ts';

export const insertMember: Scenario = {
  id: 'insert-member',
  title: 'auth insert + membership rule',
  kind: 'write',
  auth: true,
  consumesIds: false,
  build({ data, tokens, count, seed }) {
    const rnd = prng(seed);
    const users = data.rows.users!;
    return Array.from({ length: count }, (_, i) => {
      const user = users[Math.floor(rnd() * users.length)]!.id as string;
      const rooms = data.memberships.get(user)!;
      const room = rooms[Math.floor(rnd() * rooms.length)]!;
      return {
        method: 'POST',
        path: '/api/collections/messages/records',
        auth: tokens.get(user),
        body: JSON.stringify({ room, author: user, text: `message ${seed}-${i}` }),
      };
    });
  },
  check: (status, body) => expectRecord(status, body, ['room', 'author', 'text']),
};
