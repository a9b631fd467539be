/**
 * The baselines' request handlers, shared verbatim by raw-server.ts (node:http) and
 * hono-server.ts (Hono), so both do identical work: prepared statements for exactly the SQL each
 * scenario needs, Hearth's JSON shapes (SPEC §3), and for writes an HS256 token check.
 * Transport-free: inputs are strings and parsed bodies, the output is {status, body}.
 * pg-handlers.ts is the same work on PostgreSQL.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { collectionByName } from '../scenarios/schema.ts';
import { verifyToken } from './jwt.ts';
import { columnsOf } from './database.ts';

export interface Reply {
  status: number;
  /** JSON-serialisable body; null means no body (204). */
  body: unknown;
}

type Row = Record<string, unknown>;
export type Query = (name: string) => string | undefined;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Same algorithm as Hearth's newId: 15 chars of [a-z0-9] by rejection sampling. */
export function newId(): string {
  let out = '';
  while (out.length < 15) {
    const bytes = randomBytes(30);
    for (let i = 0; i < bytes.length && out.length < 15; i++) if (bytes[i]! < 252) out += ID_ALPHABET[bytes[i]! % 36];
  }
  return out;
}

export const nowStamp = (): string => new Date().toISOString().replace('T', ' ');
export const error = (status: number, message: string): Reply => ({ status, body: { status, message, data: {} } });
export const FILTER_CATEGORY = /^\(?\s*category\s*=\s*['"]([^'"]*)['"]\s*\)?$/;

/** `{collectionId, collectionName, ...row}`: the record shape Hearth and PocketBase return. */
/** The list request of the benchmark (page, category filter, `-rank` sort, author expand), or its 400. */
export function readListQuery(query: Query): { page: number; perPage: number; category: string | undefined; sorted: boolean; expand: boolean } | Reply {
  const page = Math.max(1, Number(query('page') ?? 1) | 0);
  const perPage = Math.min(1000, Math.max(1, Number(query('perPage') ?? 30) | 0));
  const filter = query('filter');
  const sort = query('sort');
  const expand = query('expand');
  const category = filter ? FILTER_CATEGORY.exec(filter)?.[1] : undefined;
  if ((filter && category === undefined) || (sort && sort !== '-rank') || (expand && expand !== 'author')) {
    return error(400, 'The baseline only implements the benchmark queries.');
  }
  return { page, perPage, category, sorted: sort !== undefined, expand: Boolean(expand) };
}

export function recordMaker(name: string): (row: Row) => Row {
  const { id: collectionId } = collectionByName(name);
  return (row) => Object.assign({ collectionId, collectionName: name }, row);
}

export function createHandlers(db: Database.Database, secret: string) {
  const cols = (name: string): string => columnsOf(collectionByName(name)).map((c) => `"${c}"`).join(', ');
  const post = recordMaker('posts');
  const author = recordMaker('authors');
  const message = recordMaker('messages');
  const item = recordMaker('items');

  const viewPostStmt = db.prepare(`SELECT ${cols('posts')} FROM posts WHERE id = ?`);
  const listStmts = new Map<string, { rows: Database.Statement; count: Database.Statement }>();
  const authorsByIds = db.prepare(`SELECT ${cols('authors')} FROM authors WHERE id IN (SELECT value FROM json_each(?))`);
  const isMember = db.prepare('SELECT EXISTS (SELECT 1 FROM room_members WHERE user = ? AND room = ?)').pluck();
  const insertMessage = db.prepare(
    `INSERT INTO messages (${cols('messages')}) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const updateItem = db.prepare(
    `UPDATE items SET title = coalesce(?, title), rank = coalesce(?, rank), updated = ? WHERE id = ? RETURNING ${cols('items')}`,
  );
  const deleteItem = db.prepare('DELETE FROM items WHERE id = ?');

  /** One prepared pair (page + count) per query shape: with/without filter, with/without sort. */
  function listStatements(filtered: boolean, sorted: boolean) {
    const key = `${filtered}${sorted}`;
    let s = listStmts.get(key);
    if (!s) {
      const where = filtered ? 'WHERE category = ?' : '';
      s = {
        rows: db.prepare(`SELECT ${cols('posts')} FROM posts ${where} ${sorted ? 'ORDER BY rank DESC' : ''} LIMIT ? OFFSET ?`),
        count: db.prepare(`SELECT count(*) FROM posts ${where}`).pluck(),
      };
      listStmts.set(key, s);
    }
    return s;
  }

  function expandAuthors(items: Row[]): void {
    const ids = [...new Set(items.map((r) => r.author as string))];
    const byId = new Map<string, Row>();
    for (const a of authorsByIds.all(JSON.stringify(ids)) as Row[]) byId.set(a.id as string, author(a));
    for (const r of items) {
      const a = byId.get(r.author as string);
      if (a) r.expand = { author: a };
    }
  }

  return {
    viewPost(id: string): Reply {
      const row = viewPostStmt.get(id) as Row | undefined;
      return row ? { status: 200, body: post(row) } : error(404, "The requested resource wasn't found.");
    },

    listPosts(query: Query): Reply {
      const list = readListQuery(query);
      if ('status' in list) return list;
      const { page, perPage, category, sorted, expand } = list;
      const s = listStatements(category !== undefined, sorted);
      const args = category !== undefined ? [category] : [];
      const items = (s.rows.all(...args, perPage, (page - 1) * perPage) as Row[]).map(post);
      if (expand) expandAuthors(items);
      const totalItems = s.count.get(...args) as number;
      return { status: 200, body: { page, perPage, totalItems, totalPages: Math.ceil(totalItems / perPage), items } };
    },

    createMessage(auth: string | undefined, body: unknown): Reply {
      const claims = verifyToken(auth, secret);
      if (!claims) return error(401, 'The request requires valid record authorization token.');
      const b = (body ?? {}) as Row;
      if (typeof b.room !== 'string' || typeof b.text !== 'string') return error(400, 'Failed to create record.');
      if (!isMember.get(claims.id, b.room)) return error(400, 'Failed to create record.');
      const stamp = nowStamp();
      const row = { id: newId(), room: b.room, author: typeof b.author === 'string' ? b.author : '', text: b.text, created: stamp, updated: stamp };
      insertMessage.run(row.id, row.room, row.author, row.text, row.created, row.updated);
      return { status: 200, body: message(row) };
    },

    updateItem(auth: string | undefined, id: string, body: unknown): Reply {
      if (!verifyToken(auth, secret)) return error(401, 'The request requires valid record authorization token.');
      const b = (body ?? {}) as Row;
      const row = updateItem.get(b.title ?? null, b.rank ?? null, nowStamp(), id) as Row | undefined;
      return row ? { status: 200, body: item(row) } : error(404, "The requested resource wasn't found.");
    },

    deleteItem(auth: string | undefined, id: string): Reply {
      if (!verifyToken(auth, secret)) return error(401, 'The request requires valid record authorization token.');
      return deleteItem.run(id).changes ? { status: 204, body: null } : error(404, "The requested resource wasn't found.");
    },
  };
}

export type Handlers = ReturnType<typeof createHandlers>;
