/** The `books` collection the sample CSV goes into: a public catalogue only superusers write. */
import { isHearthError, type HearthClient } from '@hearth/sdk';

export async function defineBooks(admin: HearthClient): Promise<'created' | 'exists'> {
  const exists = await admin.send('/api/collections/books').then(
    () => true,
    (err: unknown) => {
      if (isHearthError(err) && err.status === 404) return false;
      throw err;
    },
  );
  if (exists) return 'exists';
  await admin.send('/api/collections', {
    method: 'POST',
    body: {
      name: 'books',
      type: 'base',
      listRule: '',
      viewRule: '',
      createRule: null,
      updateRule: null,
      deleteRule: null,
      fields: [
        { name: 'title', type: 'text', required: true, max: 300 },
        { name: 'author', type: 'text', required: true, max: 200 },
        { name: 'year', type: 'number', onlyInt: true, min: 0, max: 3000 },
        { name: 'pages', type: 'number', onlyInt: true, min: 1 },
        { name: 'in_print', type: 'bool' },
        { name: 'genres', type: 'select', values: ['fiction', 'classic', 'science', 'history', 'poetry', 'fantasy'], maxSelect: 3 },
        { name: 'notes', type: 'text' },
      ],
    },
  });
  return 'created';
}
