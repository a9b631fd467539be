/**
 * Parses identifier text (`author.name`, `@request.auth.id`, `tags:length`,
 * `@collection.users:u.email`) into an `Identifier`. Shared by the filter lexer and sort.
 */
import type { Identifier } from './resolver.ts';
import { queryError, quote, type QueryParam } from './query-error.ts';

type Modifier = NonNullable<Identifier['modifier']>;

const MODIFIERS: ReadonlySet<string> = new Set<Modifier>(['isset', 'changed', 'length', 'each', 'lower']);
/** First segment: a field or relation name, or a macro such as `@request`. */
const HEAD = /^@?[A-Za-z_][A-Za-z0-9_]*$/;
/** Later segments may also be json keys or array indexes (`data.items.0`). */
const SEGMENT = /^[A-Za-z0-9_]+$/;
/** `@collection.NAME:alias` — the alias lets one collection be joined twice. */
const ALIASED = /^[A-Za-z_][A-Za-z0-9_]*:[A-Za-z_][A-Za-z0-9_]*$/;

/** Characters an identifier may contain; the lexer scans this class and we validate the shape. */
export const isIdentifierStart = (ch: string): boolean => /^[A-Za-z_@]$/.test(ch);
export const isIdentifierPart = (ch: string): boolean => /^[A-Za-z0-9_.:@]$/.test(ch);

/** Throws a 400 naming the identifier when its shape is invalid or its modifier unknown. */
export function parseIdentifier(raw: string, param: QueryParam, position: number): Identifier {
  // A modifier is a `:` inside the last path segment (`a.b:lower`); earlier colons are aliases.
  const colon = raw.indexOf(':', raw.lastIndexOf('.') + 1);
  const pathText = colon === -1 ? raw : raw.slice(0, colon);
  const modifier = colon === -1 ? undefined : raw.slice(colon + 1);
  if (modifier !== undefined && !MODIFIERS.has(modifier)) {
    throw queryError(param, `unknown modifier ${quote(':' + modifier)} in ${quote(raw)}`, position);
  }
  const path = pathText.split('.');
  path.forEach((segment, i) => {
    if (i === 0 ? HEAD.test(segment) : SEGMENT.test(segment)) return;
    if (i === 1 && path[0] === '@collection' && ALIASED.test(segment)) return;
    throw queryError(param, `invalid identifier ${quote(raw)}`, position);
  });
  const id: Identifier = { path, raw };
  if (modifier !== undefined) id.modifier = modifier as Modifier;
  return id;
}
