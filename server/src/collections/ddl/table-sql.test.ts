import { describe, expect, it } from 'vitest';
import { postgresDialect, sqliteDialect } from '../../shared/dialect/index.ts';
import { FIELD_TYPES, fieldTypeOf } from '../fields/index.ts';
import { makeField } from '../system-fields.ts';
import { createTableSql, renameTableSql } from './table-sql.ts';
import { columnKindOf } from './column-kind.ts';

const shapes = FIELD_TYPES.flatMap((type) => [makeField(type, 'f'), makeField(type, 'f', { maxSelect: 3 }), makeField(type, 'f', { primaryKey: true })]);

describe('table DDL per dialect', () => {
  it('maps every field shape to the same SQLite column its field type declares', () => {
    for (const field of shapes) {
      expect(sqliteDialect.columnType(columnKindOf(field))).toBe(fieldTypeOf(field).columnDefinition(field));
    }
  });

  it('keeps the SQLite table text unchanged without a dialect and adds _rowid_ on Postgres', () => {
    const fields = [makeField('text', 'id', { primaryKey: true }), makeField('bool', 'done')];
    expect(createTableSql('t', fields)).toBe(createTableSql('t', fields, sqliteDialect));
    expect(createTableSql('t', fields, postgresDialect)).toBe(
      'CREATE TABLE "t" ("id" TEXT PRIMARY KEY NOT NULL, "done" BOOLEAN DEFAULT FALSE NOT NULL, "_rowid_" BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE)',
    );
  });

  it('renames case-only through a temporary name only where names are case-insensitive', () => {
    expect(renameTableSql('posts', 'Posts')).toHaveLength(2);
    expect(renameTableSql('posts', 'Posts', postgresDialect)).toEqual(['ALTER TABLE "posts" RENAME TO "Posts"']);
  });
});
