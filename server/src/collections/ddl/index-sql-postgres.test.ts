/** Index definitions in the form Postgres reads: quoting, column case, `COLLATE NOCASE` as `lower(…)`. */
import { describe, expect, it } from 'vitest';
import { indexSqlForPostgres } from './index-sql-postgres.ts';

describe('indexSqlForPostgres', () => {
  it('re-quotes identifiers and the table\'s bare column names', () => {
    expect(indexSqlForPostgres('CREATE UNIQUE INDEX `idx_r` ON `_externalAuths` (collectionRef, recordRef)', ['collectionRef', 'recordRef'])).toBe(
      'CREATE UNIQUE INDEX "idx_r" ON "_externalAuths" ("collectionRef", "recordRef")',
    );
  });

  it('turns a column COLLATE NOCASE into lower(column), keeping the rest', () => {
    expect(indexSqlForPostgres('CREATE UNIQUE INDEX `idx_u` ON `users` (username COLLATE NOCASE)', ['username'])).toBe('CREATE UNIQUE INDEX "idx_u" ON "users" (lower("username"))');
    expect(indexSqlForPostgres("CREATE UNIQUE INDEX idx_e ON users (`email` collate nocase, name) WHERE email != ''", ['email', 'name'])).toBe(
      `CREATE UNIQUE INDEX idx_e ON users (lower("email"), "name") WHERE "email" != ''`,
    );
  });

  it('leaves other collations to Postgres (which refuses the ones it lacks)', () => {
    expect(indexSqlForPostgres('CREATE INDEX i ON t (title COLLATE RTRIM)', ['title'])).toBe('CREATE INDEX i ON t ("title" COLLATE RTRIM)');
  });
});
