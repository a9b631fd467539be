/**
 * The baseline handlers of handlers.ts on PostgreSQL through `pg`: the same SQL per scenario as
 * named prepared statements (parsed once per pooled connection), the same JSON shapes and the
 * same token check, so `raw-pg` against Hearth on the same database is what the framework costs.
 */
import type pg from 'pg';
import { collectionByName } from '../scenarios/schema.ts';
import { verifyToken } from './jwt.ts';
import { columnsOf } from './database.ts';
import { error, newId, nowStamp, readListQuery, recordMaker, type Query, type Reply } from './handlers.ts';

type Row = Record<string, unknown>;

export function createPgHandlers(pool: pg.Pool, secret: string) {
  const cols = (name: string): string => columnsOf(collectionByName(name)).map((c) => `"${c}"`).join(', ');
  const post = recordMaker('posts');
  const author = recordMaker('authors');
  const message = recordMaker('messages');
  const item = recordMaker('items');
  const run = async (name: string, text: string, values: unknown[]): Promise<Row[]> => (await pool.query<Row>({ name, text, values })).rows;

  const listSql = (filtered: boolean, sorted: boolean) => {
    const where = filtered ? 'WHERE "category" = $1' : '';
    const n = filtered ? 2 : 1;
    return {
      name: `list-${filtered}-${sorted}`,
      rows: `SELECT ${cols('posts')} FROM "posts" ${where} ${sorted ? 'ORDER BY "rank" DESC' : ''} LIMIT $${n} OFFSET $${n + 1}`,
      count: `SELECT count(*)::int AS "n" FROM "posts" ${where}`,
    };
  };

  async function expandAuthors(items: Row[]): Promise<void> {
    const ids = [...new Set(items.map((r) => r.author as string))];
    const byId = new Map<string, Row>();
    for (const a of await run('authors-by-ids', `SELECT ${cols('authors')} FROM "authors" WHERE "id" = ANY($1::text[])`, [ids])) {
      byId.set(a.id as string, author(a));
    }
    for (const r of items) {
      const a = byId.get(r.author as string);
      if (a) r.expand = { author: a };
    }
  }

  return {
    async viewPost(id: string): Promise<Reply> {
      const [row] = await run('view-post', `SELECT ${cols('posts')} FROM "posts" WHERE "id" = $1`, [id]);
      return row ? { status: 200, body: post(row) } : error(404, "The requested resource wasn't found.");
    },

    async listPosts(query: Query): Promise<Reply> {
      const list = readListQuery(query);
      if ('status' in list) return list;
      const { page, perPage, category, sorted, expand } = list;
      const s = listSql(category !== undefined, sorted);
      const args = category !== undefined ? [category] : [];
      const [rows, counted] = await Promise.all([
        run(`${s.name}-rows`, s.rows, [...args, perPage, (page - 1) * perPage]),
        run(`${s.name}-count`, s.count, args),
      ]);
      const items = rows.map(post);
      if (expand) await expandAuthors(items);
      const totalItems = Number(counted[0]?.n ?? 0);
      return { status: 200, body: { page, perPage, totalItems, totalPages: Math.ceil(totalItems / perPage), items } };
    },

    async createMessage(auth: string | undefined, body: unknown): Promise<Reply> {
      const claims = verifyToken(auth, secret);
      if (!claims) return error(401, 'The request requires valid record authorization token.');
      const b = (body ?? {}) as Row;
      if (typeof b.room !== 'string' || typeof b.text !== 'string') return error(400, 'Failed to create record.');
      const stamp = nowStamp();
      const row = { id: newId(), room: b.room, author: typeof b.author === 'string' ? b.author : '', text: b.text, created: stamp, updated: stamp };
      // The membership check and the insert in one statement: nothing is written for a non-member.
      const inserted = await run(
        'create-message',
        `INSERT INTO "messages" (${cols('messages')}) SELECT $1, $2, $3, $4, $5, $6
         WHERE EXISTS (SELECT 1 FROM "room_members" WHERE "user" = $7 AND "room" = $2) RETURNING "id"`,
        [row.id, row.room, row.author, row.text, row.created, row.updated, claims.id],
      );
      if (inserted.length === 0) return error(400, 'Failed to create record.');
      return { status: 200, body: message(row) };
    },

    async updateItem(auth: string | undefined, id: string, body: unknown): Promise<Reply> {
      if (!verifyToken(auth, secret)) return error(401, 'The request requires valid record authorization token.');
      const b = (body ?? {}) as Row;
      const [row] = await run(
        'update-item',
        `UPDATE "items" SET "title" = coalesce($1, "title"), "rank" = coalesce($2::double precision, "rank"), "updated" = $3 WHERE "id" = $4 RETURNING ${cols('items')}`,
        [b.title ?? null, b.rank ?? null, nowStamp(), id],
      );
      return row ? { status: 200, body: item(row) } : error(404, "The requested resource wasn't found.");
    },

    async deleteItem(auth: string | undefined, id: string): Promise<Reply> {
      if (!verifyToken(auth, secret)) return error(401, 'The request requires valid record authorization token.');
      const res = await pool.query({ name: 'delete-item', text: 'DELETE FROM "items" WHERE "id" = $1', values: [id] });
      return res.rowCount ? { status: 204, body: null } : error(404, "The requested resource wasn't found.");
    },
  };
}
