/**
 * The filter helper: literal formatting, and — against a real server — that hostile values are
 * matched as data, never parsed as filter syntax.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { filter, filterLiteral, formatDate } from '../src/index.ts';
import { createFixtureCollections, startHearth, type TestHearth } from './harness.ts';

describe('filter literals', () => {
  it('formats every kind of value', () => {
    expect(filterLiteral('plain')).toBe('"plain"');
    expect(filterLiteral('a"b\\c\'d')).toBe('"a\\"b\\\\c\'d"');
    expect(filterLiteral(42)).toBe('42');
    expect(filterLiteral(-1.5)).toBe('-1.5');
    expect(filterLiteral(1e21)).toBe('1000000000000000000000');
    expect(filterLiteral(1.5e-7)).toBe('0.00000015');
    expect(filterLiteral(-2.5e22)).toBe('-25000000000000000000000');
    expect(filterLiteral(5e-324)).toMatch(/^0\.0{323}5$/);
    expect(filterLiteral(-0)).toBe('0');
    expect(filterLiteral(10n)).toBe('10');
    expect(filterLiteral(true)).toBe('true');
    expect(filterLiteral(false)).toBe('false');
    expect(filterLiteral(null)).toBe('null');
    expect(filterLiteral(undefined)).toBe('null');
    expect(filterLiteral(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe('"2024-01-02 03:04:05.006Z"');
    expect(filterLiteral(['a', 1])).toBe('"[\\"a\\",1]"');
    expect(filterLiteral({ k: 'v' })).toBe('"{\\"k\\":\\"v\\"}"');
    expect(() => filterLiteral(Number.NaN)).toThrow(TypeError);
    expect(() => filterLiteral(Infinity)).toThrow(TypeError);
    expect(() => formatDate(new Date('nope'))).toThrow(TypeError);
  });

  it('keeps the template and escapes only the values', () => {
    const title = '" || id != "';
    expect(filter`title = ${title} && views > ${3}`).toBe('title = "\\" || id != \\"" && views > 3');
    expect(filter`x = 1`).toBe('x = 1');
  });
});

describe('filter against the server', () => {
  let t: TestHearth;
  beforeAll(async () => {
    t = await startHearth();
    await createFixtureCollections(t.admin);
  });
  afterAll(() => t.close());

  it('matches hostile strings exactly, as data', async () => {
    const posts = t.admin.collection('posts');
    const nasty = ['" || 1=1 || "', "' || true || '", 'back\\slash\\', '\\"', 'new\nline', 'emoji 😀', '// comment', '%_'];
    for (const title of nasty) await posts.create({ title });
    await posts.create({ title: 'innocent' });
    for (const title of nasty) {
      const found = await posts.listAll({ filter: filter`title = ${title}` });
      expect(found.map((p) => p.title)).toEqual([title]);
    }
  });

  it('never lets a random string change the query (property)', async () => {
    const posts = t.admin.collection('posts');
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), async (s) => {
        const res = await posts.list({ filter: filter`title = ${s} && id != ${''}`, skipTotal: true });
        expect(res.items.every((p) => p.title === s)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('compares numbers, booleans, dates and null', async () => {
    const posts = t.admin.collection('posts');
    const when = new Date(Date.UTC(2030, 5, 1, 12, 0, 0, 0));
    const p = await posts.create({ title: 'typed', views: 7, published: true, publishedAt: formatDate(when) });
    const ids = async (f: string) => (await posts.listAll({ filter: f })).map((r) => r.id);
    expect(await ids(filter`id = ${p.id} && views = ${7} && published = ${true}`)).toEqual([p.id]);
    expect(await ids(filter`id = ${p.id} && publishedAt = ${when}`)).toEqual([p.id]);
    expect(await ids(filter`id = ${p.id} && publishedAt > ${new Date(Date.UTC(2030, 0, 1))}`)).toEqual([p.id]);
    expect(await ids(filter`id = ${p.id} && secret != ${null}`)).toEqual([]); // empty text equals null, as in PocketBase
    expect(await ids(filter`id = ${p.id} && secret = ${null}`)).toEqual([p.id]);
  });
});
