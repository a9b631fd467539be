/**
 * The request body limit. A declared Content-Length is checked up front (Node's parser then holds
 * the body to it); only bodies of unknown length are counted while streaming, with Hono's
 * bodyLimit. GET and HEAD pass untouched, so reads never materialise a body stream.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody } from './errors.ts';

export function bodyLimitMiddleware(maxSize: number): MiddlewareHandler {
  const tooLarge = (c: Context) => c.json(errorBody(413, `Request body is too large (limit ${maxSize} bytes).`), 413);
  const streaming = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined) {
      if (Number(declared) > maxSize) return tooLarge(c);
      return next();
    }
    return streaming(c, next);
  };
}
