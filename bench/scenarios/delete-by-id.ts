/** Scenario 6: DELETE items by id as a signed-in user; each id is deleted exactly once. */
import { prng } from './dataset.ts';
import { expectNoContent } from './checks.ts';
import type { Scenario } from './types.ts';

export const deleteById: Scenario = {
  id: 'delete-by-id',
  title: 'DELETE /records/:id',
  kind: 'write',
  auth: true,
  consumesIds: true,
  build({ data, tokens, count, offset, seed }) {
    const rnd = prng(seed);
    const users = data.rows.users!;
    const ids = data.deleteIds.slice(offset, offset + count);
    if (ids.length < count) throw new Error(`delete pool exhausted: need ${offset + count}, have ${data.deleteIds.length}`);
    // Shuffled so deletes hit the table in random order, not rowid order.
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    return ids.map((id) => ({
      method: 'DELETE',
      path: `/api/collections/items/records/${id}`,
      auth: tokens.get(users[Math.floor(rnd() * users.length)]!.id as string),
    }));
  },
  check: expectNoContent,
};
