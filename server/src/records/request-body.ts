/**
 * The body a write works with, as PocketBase reads it: `x+`/`+x`/`x-` modifiers folded into plain
 * values (so `@request.body.x` in rules sees the result), and hidden fields dropped unless the
 * caller is a superuser (an auth collection's `password` excepted: it is how passwords are set).
 */
import type { Collection } from '../collections/model.ts';
import { applyModifiers } from './modifiers.ts';

export function resolveRequestBody(
  collection: Collection,
  body: Record<string, unknown>,
  current: Record<string, unknown> | null,
  superuser: boolean,
): Record<string, unknown> {
  const resolved = applyModifiers(collection, body, current);
  if (superuser) return resolved;
  for (const field of collection.fields) {
    if (!field.hidden) continue;
    if (collection.type === 'auth' && field.name === 'password') continue;
    delete resolved[field.name];
  }
  return resolved;
}
