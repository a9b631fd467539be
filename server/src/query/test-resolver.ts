/**
 * Test-only FieldResolver shared by the query/ tests: a `posts` table aliased "t" with scalar
 * columns, one multi-valued column (tags), a relation path with its own params, and a few macros.
 */
import { badRequest } from '../shared/errors.ts';
import type { FieldResolver, Identifier, Resolved } from './resolver.ts';

export const COLUMNS = ['id', 'title', 'status', 'votes', 'created', 'author', 'pinned', 'body'];
export const TAGS_SET = 'SELECT je.value AS v FROM json_each("t"."tags") je';
/** A correlated subquery with a bound param of its own, to check parameter order. */
export const AUTHOR_NAME =
  '(SELECT "u"."name" FROM "users" "u" WHERE "u"."id" = "t"."author" AND "u"."kind" = ? LIMIT 1)';
export const AUTHOR_NAME_PARAM = 'member';
/** Back-relation: the set of comment texts; carries a param too. */
export const COMMENT_TEXTS = 'SELECT "c"."text" AS v FROM "comments" "c" WHERE "c"."post" = "t"."id" AND "c"."hidden" IS ?';
export const AUTH_ID = 'u_123';
export const BODY_TAGS = ['a', 'b"; DROP TABLE x; --'];

/** Every SQL string this resolver can return (the fuzz test strips these before checking). */
export const RESOLVER_SQL = [
  AUTHOR_NAME, COMMENT_TEXTS, TAGS_SET, 'json_array_length("t"."tags")',
  ...COLUMNS.map((c) => `LOWER("t"."${c}")`), ...COLUMNS.map((c) => `"t"."${c}"`),
];

export const testResolver: FieldResolver = {
  resolve(id: Identifier): Resolved {
    const name = id.path.join('.');
    if (id.modifier === 'isset') return { kind: 'value', value: name === '@request.body.title' };
    if (name === '@request.auth.id' && !id.modifier) return { kind: 'value', value: AUTH_ID };
    if (name === '@request.auth.missing' && !id.modifier) return { kind: 'value', value: null };
    if (name === '@request.body.tags') return { kind: 'value', value: BODY_TAGS };
    if (name === 'tags' && id.modifier === 'length') return { kind: 'expr', sql: 'json_array_length("t"."tags")', params: [] };
    if (name === 'tags' && (!id.modifier || id.modifier === 'each')) return { kind: 'set', sql: TAGS_SET, params: [] };
    if (name === 'comments_via_post.text' && !id.modifier) return { kind: 'set', sql: COMMENT_TEXTS, params: [0] };
    if (name === 'author.name' && !id.modifier) return { kind: 'expr', sql: AUTHOR_NAME, params: [AUTHOR_NAME_PARAM] };
    if (id.path.length === 1 && COLUMNS.includes(name)) {
      if (id.modifier === 'lower') return { kind: 'expr', sql: `LOWER("t"."${name}")`, params: [] };
      if (!id.modifier) return { kind: 'expr', sql: `"t"."${name}"`, params: [] };
    }
    throw badRequest(`Unknown field "${id.raw}"`);
  },
};
