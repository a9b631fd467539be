import { describe, expect, it } from 'vitest';
import { hasSingleColumnUnique, parseIndex, rewriteIndex } from './index-sql.ts';

describe('parseIndex', () => {
  it('reads the parts of a definition', () => {
    const p = parseIndex('CREATE UNIQUE INDEX IF NOT EXISTS `idx_a` ON "posts" (`title` COLLATE NOCASE DESC, lower(body)) WHERE status != \'x;y\';');
    expect(p).toMatchObject({ unique: true, name: 'idx_a', table: 'posts', where: "status != 'x;y'" });
    expect(p!.columns).toEqual([
      { name: 'title', text: '`title` COLLATE NOCASE DESC' },
      { name: undefined, text: 'lower(body)' },
    ]);
  });

  it.each([
    'CREATE INDEX i ON posts (title); DROP TABLE posts',
    'CREATE INDEX i ON posts ()',
    'CREATE INDEX i ON posts (title) WHERE',
    'CREATE TABLE x (a)',
    'CREATE INDEX main.i ON posts (a)',
    'CREATE INDEX i ON posts (a',
    "CREATE INDEX i ON posts (a) WHERE b = 'unterminated",
    'DROP INDEX i',
    '',
  ])('refuses %j', (sql) => {
    expect(parseIndex(sql)).toBeUndefined();
  });
});

describe('rewriteIndex', () => {
  it('renames the table keeping the quote style', () => {
    expect(rewriteIndex('CREATE INDEX i ON `posts` (`title`)', { table: 'articles' })).toBe('CREATE INDEX i ON `articles` (`title`)');
    expect(rewriteIndex('CREATE INDEX i ON posts (title)', { table: 'articles' })).toBe('CREATE INDEX i ON articles (title)');
  });

  it('renames columns in the column list and WHERE, not in strings or function names', () => {
    const columns = new Map([['title', 'headline'], ['lower', 'x']]);
    expect(rewriteIndex("CREATE INDEX i ON p (title, lower(title)) WHERE title != 'title'", { columns })).toBe(
      "CREATE INDEX i ON p (headline, lower(headline)) WHERE headline != 'title'",
    );
  });

  it('quotes a keyword used as a new bare name', () => {
    expect(rewriteIndex('CREATE INDEX i ON p (a)', { columns: new Map([['a', 'order']]) })).toBe('CREATE INDEX i ON p (`order`)');
  });
});

describe('hasSingleColumnUnique', () => {
  it('needs UNIQUE on exactly that column', () => {
    expect(hasSingleColumnUnique(['CREATE UNIQUE INDEX a ON t (`email`) WHERE email != \'\''], 'email')).toBe(true);
    expect(hasSingleColumnUnique(['CREATE INDEX a ON t (email)'], 'email')).toBe(false);
    expect(hasSingleColumnUnique(['CREATE UNIQUE INDEX a ON t (email, name)'], 'email')).toBe(false);
  });
});
