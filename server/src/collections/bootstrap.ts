/**
 * The built-in collections. On a fresh database (no `_superusers` yet) both `_superusers` and
 * `users` are created; a `users` collection deleted later is not re-created on the next start.
 * Ids are PocketBase's, so schema files and tools written for PocketBase keep working.
 */
export const SUPERUSERS_ID = 'pbc_3142635823';
export const USERS_ID = '_pb_users_auth_';

const OWNER_ONLY = 'id = @request.auth.id';

export const SUPERUSERS_INPUT = {
  id: SUPERUSERS_ID,
  name: '_superusers',
  type: 'auth',
  system: true,
  fields: [],
  listRule: null,
  viewRule: null,
  createRule: null,
  updateRule: null,
  deleteRule: null,
  // authRule stays "" (PocketBase's default): null would stop superusers from signing in at all.
  manageRule: null,
};

export const USERS_INPUT = {
  id: USERS_ID,
  name: 'users',
  type: 'auth',
  fields: [{ name: 'name', type: 'text', max: 255 }],
  listRule: OWNER_ONLY,
  viewRule: OWNER_ONLY,
  createRule: '',
  updateRule: OWNER_ONLY,
  deleteRule: OWNER_ONLY,
};
