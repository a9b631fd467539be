/** Scenario 5: PATCH a random item by id as a signed-in user (updateRule `@request.auth.id != ''`). */
import { prng } from './dataset.ts';
import { expectRecord } from './checks.ts';
import type { Scenario } from './types.ts';

export const updateById: Scenario = {
  id: 'update-by-id',
  title: 'PATCH /records/:id',
  kind: 'write',
  auth: true,
  consumesIds: false,
  build({ data, tokens, count, seed }) {
    const rnd = prng(seed);
    const users = data.rows.users!;
    return Array.from({ length: count }, (_, i) => ({
      method: 'PATCH',
      path: `/api/collections/items/records/${data.patchIds[Math.floor(rnd() * data.patchIds.length)]}`,
      auth: tokens.get(users[Math.floor(rnd() * users.length)]!.id as string),
      body: JSON.stringify({ title: `patched ${seed}-${i}`, rank: i }),
    }));
  },
  check: (status, body) => expectRecord(status, body, ['title', 'rank']),
};
