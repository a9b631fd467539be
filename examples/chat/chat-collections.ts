/**
 * The chat schema. `rooms` are visible to every signed-in user; `room_members` says who is in
 * which room (you may only add or remove yourself); `messages` can be read, received live and
 * posted only by members of their room — the rules say so, the client code does not check.
 */
import { isHearthError, type HearthClient } from '@hearth/sdk';

const SIGNED_IN = '@request.auth.id != ""';
const IS_MEMBER_OF_ROOM = '@collection.room_members.user ?= @request.auth.id && @collection.room_members.room ?= room';

export const CHAT_RULES = {
  rooms: { listRule: SIGNED_IN, viewRule: SIGNED_IN, createRule: SIGNED_IN, updateRule: null, deleteRule: null },
  room_members: {
    listRule: 'user = @request.auth.id',
    viewRule: 'user = @request.auth.id',
    createRule: `${SIGNED_IN} && @request.body.user = @request.auth.id`,
    updateRule: null,
    deleteRule: 'user = @request.auth.id',
  },
  messages: {
    listRule: IS_MEMBER_OF_ROOM,
    viewRule: IS_MEMBER_OF_ROOM,
    createRule: [
      '@request.body.author = @request.auth.id',
      '@request.body.authorName = @request.auth.name',
      '@collection.room_members.user ?= @request.auth.id',
      '@collection.room_members.room ?= @request.body.room',
    ].join(' && '),
    updateRule: null,
    deleteRule: 'author = @request.auth.id',
  },
};

type Name = keyof typeof CHAT_RULES;

async function exists(admin: HearthClient, name: Name): Promise<boolean> {
  return admin.send(`/api/collections/${name}`).then(
    () => true,
    (err: unknown) => {
      if (isHearthError(err) && err.status === 404) return false;
      throw err;
    },
  );
}

/** Creates a collection with its rules, or only refreshes the rules when it exists. Returns its id. */
async function ensure(admin: HearthClient, name: Name, definition: object): Promise<string> {
  const path = `/api/collections/${name}`;
  const body = (await exists(admin, name))
    ? await admin.send<{ id: string }>(path, { method: 'PATCH', body: CHAT_RULES[name] })
    : await admin.send<{ id: string }>('/api/collections', { method: 'POST', body: { name, type: 'base', ...CHAT_RULES[name], ...definition } });
  return body.id;
}

const relation = (name: string, collectionId: string) => ({ name, type: 'relation', required: true, collectionId, maxSelect: 1, cascadeDelete: true });
const timestamps = [
  { name: 'created', type: 'autodate', onCreate: true },
  { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
];

/** Creates `rooms`, `room_members` and `messages`. `admin` must be signed in as a superuser. */
export async function defineChat(admin: HearthClient): Promise<void> {
  const users = await admin.send<{ id: string }>('/api/collections/users');
  const rooms = await ensure(admin, 'rooms', {
    fields: [{ name: 'name', type: 'text', required: true, max: 50, pattern: '^[a-z0-9-]+$' }, ...timestamps],
    indexes: ['CREATE UNIQUE INDEX idx_rooms_name ON rooms (name)'],
  });
  await ensure(admin, 'room_members', {
    fields: [relation('room', rooms), relation('user', users.id), ...timestamps],
    indexes: ['CREATE UNIQUE INDEX idx_room_members ON room_members (room, user)'],
  });
  await ensure(admin, 'messages', {
    fields: [
      relation('room', rooms),
      relation('author', users.id),
      { name: 'authorName', type: 'text', max: 100 },
      { name: 'text', type: 'text', required: true, max: 2000 },
      ...timestamps,
    ],
    indexes: ['CREATE INDEX idx_messages_room ON messages (room, created)'],
  });
}
