/**
 * The benchmark's collections, declared once: the baselines derive their DDL from this and the
 * Hearth driver derives its PocketBase collection JSON from it, so all targets hold the same
 * tables, columns and indexes. `users` is Hearth's built-in auth collection.
 */

export interface BenchField {
  name: string;
  type: 'text' | 'number' | 'relation';
  /** Relation target collection name. */
  target?: string;
}

export interface BenchCollection {
  name: string;
  /** Baselines' collection id (Hearth assigns its own, of the same length). */
  id: string;
  fields: BenchField[];
  indexes: string[];
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
}

const SIGNED_IN = "@request.auth.id != ''";
export const MEMBERSHIP_RULE =
  '@collection.room_members.user ?= @request.auth.id && @collection.room_members.room ?= @request.body.room';

const locked = { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };

export const COLLECTIONS: readonly BenchCollection[] = [
  {
    name: 'authors',
    id: 'pbc_100000000001',
    fields: [{ name: 'name', type: 'text' }],
    indexes: [],
    ...locked,
    listRule: '',
    viewRule: '',
  },
  {
    name: 'posts',
    id: 'pbc_100000000002',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'category', type: 'text' },
      { name: 'rank', type: 'number' },
      { name: 'author', type: 'relation', target: 'authors' },
    ],
    indexes: ['CREATE INDEX idx_posts_category_rank ON posts (category, rank)'],
    ...locked,
    listRule: '',
    viewRule: '',
  },
  {
    name: 'rooms',
    id: 'pbc_100000000003',
    fields: [{ name: 'name', type: 'text' }],
    indexes: [],
    ...locked,
  },
  {
    name: 'room_members',
    id: 'pbc_100000000004',
    fields: [
      { name: 'user', type: 'relation', target: 'users' },
      { name: 'room', type: 'relation', target: 'rooms' },
    ],
    indexes: ['CREATE UNIQUE INDEX idx_room_members_user_room ON room_members (user, room)'],
    ...locked,
  },
  {
    name: 'messages',
    id: 'pbc_100000000005',
    fields: [
      { name: 'room', type: 'relation', target: 'rooms' },
      { name: 'author', type: 'relation', target: 'users' },
      { name: 'text', type: 'text' },
    ],
    indexes: ['CREATE INDEX idx_messages_room ON messages (room)'],
    ...locked,
    createRule: MEMBERSHIP_RULE,
  },
  {
    name: 'items',
    id: 'pbc_100000000006',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'rank', type: 'number' },
    ],
    indexes: [],
    ...locked,
    updateRule: SIGNED_IN,
    deleteRule: SIGNED_IN,
  },
];

/** The baselines' stand-in for Hearth's built-in `users` auth collection (only what relations need). */
export const USERS: BenchCollection = {
  name: 'users',
  id: 'pbc_100000000000',
  fields: [
    { name: 'email', type: 'text' },
    { name: 'name', type: 'text' },
  ],
  indexes: [],
  ...locked,
};

export function collectionByName(name: string): BenchCollection {
  const c = name === 'users' ? USERS : COLLECTIONS.find((x) => x.name === name);
  if (!c) throw new Error(`unknown bench collection ${name}`);
  return c;
}
