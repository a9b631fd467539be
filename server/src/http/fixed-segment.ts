/**
 * A fixed path segment served through a parameter route. Hono's RegExpRouter cannot hold a static
 * segment beside a parameter that has more segments after it (`/api/logs/stats` next to
 * `/api/logs/:id`, `/api/collections/meta/…` next to `/api/collections/:collection/…`), and one
 * such pair sends every request to the slower trie router (server/test/http-router.test.ts).
 * So those routes register the parameter, and this middleware admits only the fixed name and
 * gives the request its real route template for metrics.
 */
import type { MiddlewareHandler } from 'hono';
import { notFound } from '../shared/errors.ts';
import type { HearthContext, HearthEnv } from './context.ts';

/** True when `param` holds `name`; then the request is labelled `label` in metrics. */
export function isFixedSegment(c: HearthContext, param: string, name: string, label: string): boolean {
  if (c.req.param(param as never) !== name) return false;
  c.set('routeLabel', label);
  return true;
}

/** Lets through only requests whose `param` is `name` (others are 404), labelled `label`. */
export function fixedSegment(param: string, name: string, label: string): MiddlewareHandler<HearthEnv> {
  return (c, next) => {
    if (!isFixedSegment(c, param, name, label)) throw notFound();
    return next();
  };
}
