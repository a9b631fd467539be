/**
 * The `todos` collection: each todo belongs to one user, and the rules let only that user
 * see, change or delete it. Creating or updating it again only refreshes the rules.
 */
import { isHearthError, type HearthClient } from '@hearth/sdk';

export const TODO_RULES = {
  listRule: 'owner = @request.auth.id',
  viewRule: 'owner = @request.auth.id',
  createRule: '@request.auth.id != "" && @request.body.owner = @request.auth.id',
  updateRule: 'owner = @request.auth.id',
  deleteRule: 'owner = @request.auth.id',
};

/** Creates `todos` (or updates its rules if it exists). `admin` must be signed in as a superuser. */
export async function defineTodos(admin: HearthClient): Promise<'created' | 'updated'> {
  const exists = await admin.send('/api/collections/todos').then(
    () => true,
    (err: unknown) => {
      if (isHearthError(err) && err.status === 404) return false;
      throw err;
    },
  );
  if (exists) {
    await admin.send('/api/collections/todos', { method: 'PATCH', body: TODO_RULES });
    return 'updated';
  }
  const users = await admin.send<{ id: string }>('/api/collections/users');
  await admin.send('/api/collections', {
    method: 'POST',
    body: {
      name: 'todos',
      type: 'base',
      ...TODO_RULES,
      fields: [
        { name: 'title', type: 'text', required: true, max: 200 },
        { name: 'done', type: 'bool' },
        { name: 'owner', type: 'relation', required: true, collectionId: users.id, maxSelect: 1, cascadeDelete: true },
        { name: 'created', type: 'autodate', onCreate: true },
        { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
      ],
      indexes: ['CREATE INDEX idx_todos_owner ON todos (owner, created)'],
    },
  });
  return 'created';
}
