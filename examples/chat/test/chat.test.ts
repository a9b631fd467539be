/**
 * The chat example against a real Hearth: members of a room read and receive its messages live;
 * someone who is not a member can neither post, read nor receive them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, upsertSuperuser, type HearthServer } from '@hearth/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineChat } from '../chat-collections.ts';
import { connect, signIn, type Hearth } from '../src/hearth.ts';
import type { MessagesRecord } from '../src/hearth-types.ts';
import { followRoom, postMessage, recentMessages } from '../src/messages.ts';
import { joinRoom, leaveRoom } from '../src/rooms.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('chat example', () => {
  let dir: string;
  let server: HearthServer;
  let url: string;
  const clients: Hearth[] = [];

  async function user(name: string): Promise<Hearth> {
    const hearth = connect(url);
    clients.push(hearth);
    await signIn(hearth, { email: `${name.toLowerCase()}@example.com`, password: `${name}-password`, signUpAs: name });
    return hearth;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-chat-'));
    server = createServer({ dir, http: '127.0.0.1:0', logLevel: 'silent' });
    await upsertSuperuser(server.db, server.registry, ADMIN.email, ADMIN.password);
    ({ url } = await server.listen());
    const admin = connect(url);
    await admin.auth('_superusers').signIn(ADMIN.email, ADMIN.password);
    await defineChat(admin);
    await defineChat(admin); // running setup again only refreshes the rules
    admin.close();
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers messages live to members and to nobody else', async () => {
    const [ann, bob, cid] = await Promise.all([user('Ann'), user('Bob'), user('Cid')]);
    const room = await joinRoom(ann, 'general');
    expect((await joinRoom(bob, 'general')).id).toBe(room.id);
    await joinRoom(cid, 'random');

    const annSees: MessagesRecord[] = [];
    const cidSees: MessagesRecord[] = [];
    const offAnn = await followRoom(ann, room.id, (m) => annSees.push(m));
    const offCid = await followRoom(cid, room.id, (m) => cidSees.push(m));

    await postMessage(bob, room.id, 'hello from bob');
    await until(() => annSees.length === 1, "ann's live message");
    expect(annSees[0]).toMatchObject({ text: 'hello from bob', authorName: 'Bob', room: room.id });

    await expect(postMessage(cid, room.id, 'let me in')).rejects.toMatchObject({ status: 400 });
    expect(await recentMessages(cid, room.id)).toEqual([]);
    expect((await recentMessages(ann, room.id)).map((m) => m.text)).toEqual(['hello from bob']);
    const replayed: string[] = [];
    const offReplay = await followRoom(bob, room.id, (m) => replayed.push(m.text), { history: 5 });
    expect(replayed).toEqual(['hello from bob']);
    await offReplay();

    // A marker in Cid's own room proves Cid's subscription works and got nothing from `general`.
    const random = await joinRoom(cid, 'random');
    const cidOwn: MessagesRecord[] = [];
    const offOwn = await followRoom(cid, random.id, (m) => cidOwn.push(m));
    await postMessage(cid, random.id, 'anyone here?');
    await until(() => cidOwn.length === 1, "cid's own message");
    expect(cidSees).toEqual([]);
    await Promise.all([offAnn(), offCid(), offOwn()]);
  });

  it('refuses a message that claims another author or name', async () => {
    const [dee, eve] = await Promise.all([user('Dee'), user('Eve')]);
    const room = await joinRoom(dee, 'lobby');
    await joinRoom(eve, 'lobby');
    const messages = eve.collection('messages');
    const asDee = messages.create({ room: room.id, author: dee.authRecord!.id, authorName: 'Dee', text: 'hi, I am Dee' });
    await expect(asDee).rejects.toMatchObject({ status: 400 });
    const underDeesName = messages.create({ room: room.id, author: eve.authRecord!.id, authorName: 'Dee', text: 'hi, I am Dee' });
    await expect(underDeesName).rejects.toMatchObject({ status: 400 });
    await expect(postMessage(eve, room.id, 'hi, I am Eve')).resolves.toMatchObject({ authorName: 'Eve' });
  });

  it('stops reading a room after leaving it', async () => {
    const fay = await user('Fay');
    const room = await joinRoom(fay, 'leavers');
    await postMessage(fay, room.id, 'bye');
    await leaveRoom(fay, room.id);
    expect(await recentMessages(fay, room.id)).toEqual([]);
    await expect(postMessage(fay, room.id, 'still here?')).rejects.toMatchObject({ status: 400 });
  });
});
