import { describe, expect, it } from 'vitest';
import { inContext, lazyHeadersInfo, withRequestBody } from './request-info.ts';

describe('lazyHeadersInfo', () => {
  it('reads the headers once, on first use, and keeps them', () => {
    let loads = 0;
    const info = lazyHeadersInfo({ auth: null, method: 'GET', query: { a: '1' } }, { b: 2 }, () => {
      loads += 1;
      return { x_test: 'y' };
    });
    expect(loads).toBe(0);
    expect(info.headers).toEqual({ x_test: 'y' });
    expect(info.headers).toBe(info.headers);
    expect(loads).toBe(1);
  });

  it('is a plain request info to spreads, keys and JSON (the headers copied, nothing else)', () => {
    const info = lazyHeadersInfo({ auth: null, method: 'POST', query: {} }, { b: 2 }, () => ({ h: 'v' }));
    expect(Object.keys(info)).toEqual(['auth', 'method', 'query', 'headers', 'body']);
    expect({ ...info, method: 'PATCH' }).toEqual({ auth: null, method: 'PATCH', query: {}, headers: { h: 'v' }, body: { b: 2 } });
    expect(JSON.parse(JSON.stringify(info))).toEqual({ auth: null, method: 'POST', query: {}, headers: { h: 'v' }, body: { b: 2 } });
  });

  it('keeps the headers lazy through inContext and withRequestBody', () => {
    let loads = 0;
    const info = lazyHeadersInfo({ auth: null, method: 'GET', query: {} }, {}, () => {
      loads += 1;
      return { h: 'v' };
    });
    const expanded = inContext(info, 'expand');
    const rebodied = withRequestBody(expanded, { c: 3 });
    expect(loads).toBe(0);
    expect(expanded.context).toBe('expand');
    expect(rebodied.body).toEqual({ c: 3 });
    expect(rebodied.headers).toEqual({ h: 'v' });
    expect(expanded.headers).toEqual({ h: 'v' });
    expect(loads).toBe(1);
  });
});
