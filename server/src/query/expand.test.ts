import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { parseExpand } from './expand.ts';

function rejection(text: string): AppError {
  try {
    parseExpand(text);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('parseExpand', () => {
  it('builds a merged tree', () => {
    expect(parseExpand('author,comments_via_post.author, comments_via_post.post.author')).toEqual({
      author: {},
      comments_via_post: { author: {}, post: { author: {} } },
    });
    expect(parseExpand('')).toEqual({});
    expect(parseExpand(' , a,,a ')).toEqual({ a: {} });
  });

  it('accepts 6 levels and keeps __proto__ a plain key', () => {
    expect(parseExpand('a.b.c.d.e.f')).toEqual({ a: { b: { c: { d: { e: { f: {} } } } } } });
    const tree = parseExpand('__proto__.x');
    expect(Object.keys(tree)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each<[string, object]>([
    ['a.b.c.d.e.f.g', { a: { b: { c: { d: { e: { f: {} } } } } } }],
    ['author;DROP', {}],
    ['author..name', { author: { name: {} } }],
    ['author.', { author: {} }],
    ['1author', {}],
    ['author name', {}],
    ['author.x y.z', { author: {} }],
    ['posts(author)', { posts_via_author: {} }],
  ])('is lenient like PocketBase with %j', (text, tree) => {
    expect(parseExpand(text)).toEqual(tree);
  });

  it.each<[string, RegExp]>([
    [Array.from({ length: 33 }, (_, i) => `r${i}`).join(','), /more than 32 paths/],
    ['a'.repeat(3000), /longer than 2048/],
  ])('rejects %j', (text, message) => {
    const err = rejection(text);
    expect(err.code).toBe('bad_request');
    expect(err.message).toMatch(message);
  });
});
