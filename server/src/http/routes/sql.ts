/** `POST /api/sql` (superusers only): PocketBase's SQL runner, `{query}` → `{execTime, affectedRows, columns, rows}`. */
import { Hono } from 'hono';
import { runSql, type SqlRunner } from '../../admin/index.ts';
import type { HearthEnv } from '../context.ts';
import { requireSuperuser } from '../guards.ts';
import { readBody } from '../body.ts';

export function sqlRoutes(runner: SqlRunner): Hono<HearthEnv> {
  const app = new Hono<HearthEnv>();
  app.post('/api/sql', requireSuperuser, async (c) => c.json(await runSql(runner, await readBody(c))));
  return app;
}
