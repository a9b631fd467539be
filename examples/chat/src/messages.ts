/** A room's messages: recent history, live follow, posting, and how a line is printed. */
import { filter, type Unsubscribe } from '@hearth/sdk';
import type { Hearth } from './hearth.ts';
import type { MessagesRecord } from './hearth-types.ts';

/** The last `count` messages of the room, oldest first. */
export async function recentMessages(hearth: Hearth, roomId: string, count = 20): Promise<MessagesRecord[]> {
  const page = await hearth.collection('messages').list({ filter: filter`room = ${roomId}`, sort: '-created,-id', perPage: count, skipTotal: true });
  return page.items.reverse();
}

/**
 * Calls `onMessage` with the last `history` messages, then with every new one as it arrives (the
 * server only delivers to members). Subscribes before reading the history, so nothing posted
 * in between is missed, and skips what the history already showed.
 */
export async function followRoom(
  hearth: Hearth,
  roomId: string,
  onMessage: (message: MessagesRecord) => void,
  options: { history?: number } = {},
): Promise<Unsubscribe> {
  let early: MessagesRecord[] | null = options.history ? [] : null;
  const unsubscribe = await hearth.collection('messages').subscribe({ filter: filter`room = ${roomId}` }, (event) => {
    if (event.action !== 'create') return;
    if (early) early.push(event.record);
    else onMessage(event.record);
  });
  if (early && options.history) {
    const past = await recentMessages(hearth, roomId, options.history);
    const shown = new Set(past.map((m) => m.id));
    for (const message of [...past, ...early.filter((m) => !shown.has(m.id))]) onMessage(message);
    early = null;
  }
  return unsubscribe;
}

export async function postMessage(hearth: Hearth, roomId: string, text: string): Promise<MessagesRecord> {
  const me = hearth.authRecord;
  if (!me) throw new Error('Sign in first.');
  return hearth.collection('messages').create({ room: roomId, author: me.id, authorName: String(me.name ?? ''), text });
}

/** `12:04 ann: hello` (local time). */
export function formatMessage(message: MessagesRecord): string {
  const at = new Date(message.created.replace(' ', 'T'));
  const time = Number.isNaN(at.getTime()) ? '--:--' : at.toTimeString().slice(0, 5);
  return `${time} ${message.authorName || 'someone'}: ${message.text}`;
}
