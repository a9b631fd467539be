/** Rooms by name: find or create one, and join it (a `room_members` row for the signed-in user). */
import { filter, isHearthError } from '@hearth/sdk';
import type { Hearth } from './hearth.ts';
import type { RoomsRecord } from './hearth-types.ts';

async function findOrCreateRoom(hearth: Hearth, name: string): Promise<RoomsRecord> {
  const rooms = hearth.collection('rooms');
  const byName = filter`name = ${name}`;
  try {
    return await rooms.first(byName);
  } catch (err) {
    if (!isHearthError(err) || err.status !== 404) throw err;
  }
  try {
    return await rooms.create({ name });
  } catch (err) {
    // Someone created it in the meantime (the name is unique): use theirs.
    if (isHearthError(err) && err.field('name')) return rooms.first(byName);
    throw err;
  }
}

/** The room, with the signed-in user as a member (joins it if needed). */
export async function joinRoom(hearth: Hearth, name: string): Promise<RoomsRecord> {
  const me = hearth.authRecord;
  if (!me) throw new Error('Sign in first.');
  const room = await findOrCreateRoom(hearth, name);
  const members = hearth.collection('room_members');
  const mine = await members.list({ filter: filter`room = ${room.id} && user = ${me.id}`, perPage: 1, skipTotal: true });
  if (mine.items.length === 0) await members.create({ room: room.id, user: me.id });
  return room;
}

/** Leaves the room: afterwards its messages are neither readable nor delivered. */
export async function leaveRoom(hearth: Hearth, roomId: string): Promise<void> {
  const me = hearth.authRecord;
  if (!me) return;
  const mine = await hearth.collection('room_members').listAll({ filter: filter`room = ${roomId} && user = ${me.id}` });
  for (const row of mine) await hearth.collection('room_members').delete(row.id);
}
