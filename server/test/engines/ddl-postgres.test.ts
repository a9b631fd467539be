/**
 * Collection DDL on a real PostgreSQL: the table for every field type and shape, then schema
 * changes as real ALTER TABLE (rename, add, drop, swap, type and shape changes with the same
 * value conversion as SQLite's rebuild), a conversion failure that leaves the table as it was,
 * and drop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors.ts';
import { makeField } from '../../src/collections/system-fields.ts';
import type { Collection, Field } from '../../src/collections/model.ts';
import { createTableSql } from '../../src/collections/ddl/table-sql.ts';
import { alterTableOn } from '../../src/collections/ddl/alter-table-engine.ts';
import { openPostgresEngine, type SqlEngine } from '../../src/db/index.ts';
import { startPostgres, type TestPostgres } from '../../../test-support/postgres.ts';
import { START_TIMEOUT } from './both-engines.ts';

let pg: TestPostgres;
let db: SqlEngine;

beforeAll(async () => {
  pg = await startPostgres();
  db = openPostgresEngine(pg.url);
}, START_TIMEOUT);

afterAll(async () => {
  await db?.close();
  await pg?.stop();
});

const collection = (name: string, fields: Field[]): Collection => ({
  id: `c_${name}`, name, type: 'base', system: false, fields, indexes: [],
  listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null, created: '', updated: '',
});

const ALL_TYPES: Field[] = [
  makeField('text', 'id', { primaryKey: true }),
  makeField('text', 'title'),
  makeField('editor', 'body'),
  makeField('number', 'votes'),
  makeField('bool', 'done'),
  makeField('email', 'email'),
  makeField('url', 'site'),
  makeField('date', 'due'),
  makeField('autodate', 'created'),
  makeField('select', 'status', { values: ['a', 'b'], maxSelect: 1 }),
  makeField('select', 'labels', { values: ['a', 'b'], maxSelect: 2 }),
  makeField('json', 'meta'),
  makeField('file', 'avatar', { maxSelect: 1 }),
  makeField('file', 'photos', { maxSelect: 5 }),
  makeField('relation', 'owner', { collectionId: 'x', maxSelect: 1 }),
  makeField('relation', 'members', { collectionId: 'x', maxSelect: 9 }),
  makeField('password', 'secret'),
];

const EXPECTED_COLUMNS: Record<string, [type: string, nullable: string, hasDefault: boolean]> = {
  id: ['text', 'NO', false], title: ['text', 'NO', true], body: ['text', 'NO', true], votes: ['double precision', 'NO', true],
  done: ['boolean', 'NO', true], email: ['text', 'NO', true], site: ['text', 'NO', true], due: ['text', 'NO', true],
  created: ['text', 'NO', true], status: ['text', 'NO', true], labels: ['jsonb', 'NO', true], meta: ['jsonb', 'YES', false],
  avatar: ['text', 'NO', true], photos: ['jsonb', 'NO', true], owner: ['text', 'NO', true], members: ['jsonb', 'NO', true],
  secret: ['text', 'NO', true], _rowid_: ['bigint', 'NO', false],
};

async function columns(table: string): Promise<Record<string, [string, string, boolean]>> {
  const rows = await db.all<{ column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
    'SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position',
    [table],
  );
  return Object.fromEntries(rows.map((r) => [r.column_name, [r.data_type, r.is_nullable, r.column_default !== null]]));
}

describe('collection DDL on PostgreSQL', () => {
  it('creates a table with a column of the mapped type for every field type and shape', async () => {
    await db.transaction((tx) => tx.exec(createTableSql('every_type', ALL_TYPES, db.dialect)));
    expect(await columns('every_type')).toEqual(EXPECTED_COLUMNS);
    await db.run('INSERT INTO every_type (id) VALUES (?)', ['r1']);
    const row = await db.get<Record<string, unknown>>('SELECT * FROM every_type');
    expect(row).toMatchObject({ id: 'r1', title: '', votes: 0, done: 0, labels: '[]', photos: '[]', meta: null, owner: '', _rowid_: 1 });
  });

  const posts = collection('posts', [
    makeField('text', 'id', { primaryKey: true }),
    makeField('text', 'title'),
    makeField('text', 'score'),
    makeField('select', 'tag', { values: ['a', 'b'], maxSelect: 1 }),
    makeField('text', 'left'),
    makeField('text', 'right'),
    makeField('bool', 'old'),
  ]);

  it('alters in place: rename table and columns, swap names, add, drop, convert type and shape', async () => {
    await db.exec(createTableSql('posts', posts.fields, db.dialect));
    for (const [id, score, tag] of [['p1', '12', 'a'], ['p2', '', ''], ['p3', '2.5', 'b']]) {
      await db.run('INSERT INTO posts (id, title, score, tag, "left", "right", old) VALUES (?, ?, ?, ?, ?, ?, ?)', [id, `T${id}`, score, tag, 'L', 'R', 1]);
    }
    const byName = (name: string) => posts.fields.find((f) => f.name === name)!;
    const after = collection('articles', [
      byName('id'),
      { ...byName('title'), name: 'headline' },
      { ...byName('score'), type: 'number' } as Field,
      { ...byName('tag'), maxSelect: 2 },
      { ...byName('left'), name: 'right' },
      { ...byName('right'), name: 'left' },
      makeField('number', 'added'),
    ]);
    await db.transaction((tx) => alterTableOn(tx, posts, after, 'Failed to update collection.'));
    const cols = await columns('articles');
    expect(Object.keys(cols).sort()).toEqual(['_rowid_', 'added', 'headline', 'id', 'left', 'right', 'score', 'tag']);
    expect(cols.score![0]).toBe('double precision');
    expect(cols.tag![0]).toBe('jsonb');
    const rows = await db.all('SELECT id, headline, score, tag, "left", "right", added FROM articles ORDER BY "_rowid_"');
    expect(rows).toEqual([
      { id: 'p1', headline: 'Tp1', score: 12, tag: '["a"]', left: 'R', right: 'L', added: 0 },
      { id: 'p2', headline: 'Tp2', score: 0, tag: '[]', left: 'R', right: 'L', added: 0 },
      { id: 'p3', headline: 'Tp3', score: 2.5, tag: '["b"]', left: 'R', right: 'L', added: 0 },
    ]);
    expect(await db.get("SELECT to_regclass('posts') AS t")).toEqual({ t: null });
  });

  it('rejects a value that cannot be converted with a 400 naming the field, leaving the table as it was', async () => {
    const notes = collection('notes', [makeField('text', 'id', { primaryKey: true }), makeField('text', 'n')]);
    await db.exec(createTableSql('notes', notes.fields, db.dialect));
    await db.run('INSERT INTO notes (id, n) VALUES (?, ?), (?, ?)', ['a', '1', 'b', 'not a number']);
    const changed = collection('notes', [notes.fields[0]!, { ...notes.fields[1]!, type: 'number' } as Field, makeField('text', 'extra')]);
    const err = await db.transaction((tx) => alterTableOn(tx, notes, changed, 'Failed to update collection.')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('validation');
    expect((err as AppError).data).toMatchObject({ fields: { 1: { type: { code: 'validation_field_conversion_failed' } } } });
    expect(await columns('notes')).toEqual({ id: ['text', 'NO', false], n: ['text', 'NO', true], _rowid_: ['bigint', 'NO', false] });
    expect(await db.all('SELECT id, n FROM notes ORDER BY id')).toEqual([{ id: 'a', n: '1' }, { id: 'b', n: 'not a number' }]);
  });

  it('drops a collection table', async () => {
    await db.exec(createTableSql('gone', [makeField('text', 'id', { primaryKey: true })], db.dialect));
    await db.exec('DROP TABLE IF EXISTS "gone"');
    expect(await db.get("SELECT to_regclass('gone') AS t")).toEqual({ t: null });
  });
});
