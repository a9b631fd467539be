import { describe, expect, it } from 'vitest';
import { postgresDialect, sqliteDialect } from '../../shared/dialect/index.ts';
import { catalogOf } from '../catalog.ts';
import type { Collection } from '../model.ts';
import { viewBodyFor } from './view-identifiers.ts';

const users = { id: 'u', name: 'users', type: 'auth', fields: [{ name: 'tokenKey' }, { name: 'emailVisibility' }, { name: 'email' }] } as unknown as Collection;
const catalog = catalogOf([users]);

describe('viewBodyFor', () => {
  it('quotes capitalised schema names on Postgres, in any case, qualified or not', () => {
    expect(viewBodyFor(postgresDialect, 'select id, tokenkey, u.EMAILVISIBILITY as emailVisibility from users u', catalog)).toBe(
      'select id, "tokenKey", u."emailVisibility" as "emailVisibility" from users u',
    );
  });
  it('leaves strings, quoted names, functions and other words alone', () => {
    const sql = `select "tokenKey", 'tokenKey' as label, tokenKey(1), CAST(x AS TEXT) AS myAlias from users`;
    expect(viewBodyFor(postgresDialect, sql, catalog)).toBe(sql);
  });
  it('returns SQLite text unchanged', () => {
    expect(viewBodyFor(sqliteDialect, 'select tokenKey from users', catalog)).toBe('select tokenKey from users');
  });
});
