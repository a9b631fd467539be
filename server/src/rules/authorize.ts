/**
 * authorize(): the one access chokepoint. Every path that reads or writes records — REST, batch,
 * expand, realtime, files — asks it for the condition under which the caller may act, and applies
 * that condition in SQL. Superusers bypass rules; `null` rules are superuser-only; `""` is public.
 */
import type { Collection, RuleName } from '../collections/model.ts';
import type { CollectionRegistry } from '../collections/registry.ts';
import type { SqlFragment } from '../query/resolver.ts';
import { compileExpression } from './compile-expression.ts';
import { compileRule } from './rule-memo.ts';
import type { AliasCounter } from './field-resolver.ts';
import type { RequestInfo } from './request-info.ts';

export type Access =
  /** No condition: every row. */
  | { kind: 'all' }
  /** The rule is superuser-only and the caller is not one. */
  | { kind: 'superusers_only' }
  /** Rows for which `sql` holds. */
  | { kind: 'where'; where: SqlFragment };

export interface AuthorizeInput {
  registry: CollectionRegistry;
  collection: Collection;
  rule: RuleName;
  info: RequestInfo;
  alias?: string;
  counter?: AliasCounter;
}

export function ruleText(collection: Collection, rule: RuleName): string | null {
  if (rule === 'authRule' || rule === 'manageRule') return collection.auth?.[rule] ?? null;
  return collection[rule];
}

export function authorize(input: AuthorizeInput): Access {
  if (input.info.auth?.isSuperuser) return { kind: 'all' };
  const text = ruleText(input.collection, input.rule);
  if (text === null || text === undefined) return { kind: 'superusers_only' };
  const opts = { registry: input.registry, collection: input.collection, alias: input.alias ?? 't', info: input.info };
  // Without a shared alias counter the rule's SQL is kept per shape of its values (rule-memo.ts).
  const where = input.counter ? compileExpression(text, { ...opts, trusted: true, counter: input.counter }) : compileRule(text, opts);
  return where ? { kind: 'where', where } : { kind: 'all' };
}
